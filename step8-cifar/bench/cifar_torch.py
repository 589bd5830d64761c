"""CifarBenchmark.java's run in PyTorch: the blitz's "Training a classifier" recipe on CIFAR-10.

The Net, CrossEntropyLoss, SGD(lr=0.001, momentum=0.9), ToTensor + Normalize((0.5,)*3, (0.5,)*3)
and a shuffling DataLoader with num_workers=2, as in the course. The dataset reads the official
binary files (the ones the Java side reads) into the HWC uint8 array that torchvision's CIFAR10
keeps, and __getitem__ goes through a PIL image and the torchvision transforms exactly as
torchvision.datasets.CIFAR10.__getitem__ does, so PyTorch pays its real per-image cost.

Timed: the training loop only (loader start-up included, as it is part of every epoch). The
test accuracy is measured afterwards on the whole test set.

--preload is PyTorch's fastest path, the one a user who wants speed takes: the training set
transformed once into one tensor, each epoch's shuffled batches cut from it by indexing, no
DataLoader. --threads sets torch.set_num_threads (default: PyTorch's own choice).

Usage: python3 cifar_torch.py DATA_DIR BATCH_SIZE EPOCHS [--limit N] [--workers W] [--preload] [--threads T]
Prints: epoch_seconds E S / images_per_second B X / test_accuracy A / peak_rss_mb M
"""
import argparse
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision.transforms as transforms
from PIL import Image

RECORD = 1 + 3 * 32 * 32
TRAIN_FILES = ["data_batch_%d.bin" % i for i in range(1, 6)]
TEST_FILES = ["test_batch.bin"]


class BinaryCIFAR10(torch.utils.data.Dataset):
    def __init__(self, root, train, transform):
        if os.path.isdir(os.path.join(root, "cifar-10-batches-bin")):
            root = os.path.join(root, "cifar-10-batches-bin")
        records = np.concatenate([np.fromfile(os.path.join(root, f), dtype=np.uint8).reshape(-1, RECORD)
                                  for f in (TRAIN_FILES if train else TEST_FILES)])
        self.targets = records[:, 0].astype(np.int64).tolist()
        # torchvision keeps (N, 32, 32, 3) as a transposed view of the file's CHW planes, so each
        # Image.fromarray below gathers a strided image, as it does there.
        self.data = records[:, 1:].reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        self.transform = transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img, target = self.data[index], self.targets[index]
        img = Image.fromarray(img)
        if self.transform is not None:
            img = self.transform(img)
        return img, target


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def peak_rss_mb():
    """ru_maxrss is in KiB on Linux. Workers are forked processes, reaped when an epoch ends, so
    RUSAGE_CHILDREN holds the largest of them; adding it to the main process's peak counts pages
    they share with it twice, so this is an upper bound on what the run held at once."""
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return main / 1024, worker / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("batch_size", type=int)
    p.add_argument("epochs", type=int)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--preload", action="store_true")
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    trainset = BinaryCIFAR10(a.data, True, transform)
    if a.limit > 0:
        trainset = torch.utils.data.Subset(trainset, range(min(a.limit, len(trainset))))
    testset = BinaryCIFAR10(a.data, False, transform)
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=a.batch_size, shuffle=True, num_workers=a.workers)
    # preloaded runs evaluate without workers too, so that peak memory is one process's
    testloader = torch.utils.data.DataLoader(testset, batch_size=a.batch_size, shuffle=False,
                                             num_workers=0 if a.preload else a.workers)

    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

    if a.preload:
        # the same transform, applied once to every image up front
        all_images = torch.stack([trainset[i][0] for i in range(len(trainset))])
        all_labels = torch.tensor([trainset[i][1] for i in range(len(trainset))])

    def preloaded_batches():
        order = torch.randperm(len(all_labels))
        for start in range(0, len(order), a.batch_size):
            index = order[start:start + a.batch_size]
            yield all_images[index], all_labels[index]

    total = 0.0
    images = 0
    for epoch in range(a.epochs):
        start = time.perf_counter()
        for inputs, labels in (preloaded_batches() if a.preload else trainloader):
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            loss.item()  # the blitz reads every loss for its running average
            images += labels.size(0)
        seconds = time.perf_counter() - start
        total += seconds
        print("epoch_seconds %d %.3f" % (epoch + 1, seconds), flush=True)
    print("images_per_second %d %.1f" % (a.batch_size, images / total))
    print("threads %d" % torch.get_num_threads())

    correct = 0
    count = 0
    with torch.no_grad():
        for inputs, labels in testloader:
            _, predicted = torch.max(net(inputs), 1)
            count += labels.size(0)
            correct += (predicted == labels).sum().item()
    print("test_accuracy %.4f" % (correct / count))
    main_mb, worker_mb = peak_rss_mb()
    print("peak_rss_mb %.0f" % (main_mb + worker_mb))
    print("peak_rss_parts_mb main %.0f largest_worker %.0f" % (main_mb, worker_mb))


if __name__ == "__main__":
    main()
