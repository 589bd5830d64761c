"""The transfer-learning tutorial's fixed feature extractor in PyTorch, timed per epoch, to set beside
`./lesson TransferLearning --data DIR --mode feature`.

The tutorial's code: ImageFolder train/ and val/, its transforms, batch 4, shuffle, 4 workers,
resnet18 with every parameter frozen and a new fc(num_ftrs, len(classes)), SGD(lr=0.001,
momentum=0.9) on fc, StepLR(7, 0.1); random weights unless --weights names torchvision's file.

Usage: python3 transfer_torch.py DATA_DIR [--epochs N] [--weights FILE] [--threads T]
Prints the tutorial's lines and, per epoch, "epoch_seconds E S" (train and val phases together).
"""
import argparse
import os
import time

import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--weights")
p.add_argument("--threads", type=int, default=0)
a = p.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)
norm = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
tf = {"train": transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), norm]),
      "val": transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(), norm])}
sets = {x: datasets.ImageFolder(os.path.join(a.data, x), tf[x]) for x in ["train", "val"]}
loaders = {x: torch.utils.data.DataLoader(sets[x], batch_size=4, shuffle=True, num_workers=4) for x in sets}
model = models.resnet18()
if a.weights:
    model.load_state_dict(torch.load(a.weights))
for q in model.parameters():
    q.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, len(sets["train"].classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.fc.parameters(), lr=0.001, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.1)
for epoch in range(a.epochs):
    t0 = time.perf_counter()
    print(f"Epoch {epoch}/{a.epochs - 1}\n" + "-" * 10)
    for phase in ["train", "val"]:
        model.train(phase == "train")
        loss_sum, correct = 0.0, 0
        for x, y in loaders[phase]:
            opt.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                out = model(x)
                loss = criterion(out, y)
                if phase == "train":
                    loss.backward()
                    opt.step()
            loss_sum += loss.item() * x.size(0)
            correct += (out.argmax(1) == y).sum().item()
        if phase == "train":
            sched.step()
        n = len(sets[phase])
        print(f"{phase} Loss: {loss_sum / n:.4f} Acc: {correct / n:.4f}")
    print(f"epoch_seconds {epoch} {time.perf_counter() - t0:.2f}\n")
