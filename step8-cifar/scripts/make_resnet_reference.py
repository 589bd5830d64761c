"""Reference files for dev.steptorch.vision.models (ResNetReferenceTest), made with torch 1.13 and torchvision.

    /usr/bin/python3 step8-cifar/scripts/make_resnet_reference.py step8-cifar/src/test/resources/resnet

Full-size resnet18/34/50: their printed trees and state_dict key lists (name and shape), no weights.
Narrow networks (torchvision's BasicBlock/Bottleneck and ResNet._make_layer, with every stage's
width divided by 32 so the files stay small): their state_dict as torch.save writes it, and what
PyTorch computes from it in float64: eval and train forward, every gradient after one backward, the running
statistics after it, and three SGD steps of the tutorial's fixed feature extractor (all frozen,
a new fc(num_ftrs, 2), SGD lr 0.01 momentum 0.9 on fc only).
"""
import collections
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18, resnet34, resnet50
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


for name, ctor in [("resnet18", resnet18), ("resnet34", resnet34), ("resnet50", resnet50)]:
    m = ctor()
    write(name + "_keys.txt", "".join(f"{k} {list(v.shape)}\n" for k, v in m.state_dict().items()))
    if name != "resnet34":
        write(name + "_repr.txt", str(m) + "\n")


class Narrow(ResNet):
    """torchvision's ResNet with stage widths w, 2w, 4w, 8w instead of 64..512."""

    width = 64

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        if planes == 64:
            self.inplanes = self.width
        return super()._make_layer(block, planes * self.width // 64, blocks, stride, dilate)


def narrow(block, layers, num_classes, width):
    Narrow.width = width
    m = Narrow(block, layers, num_classes=num_classes)
    # the stem and classifier were built at torchvision's widths: rebuild them narrow, in place
    m.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
    nn.init.kaiming_normal_(m.conv1.weight, mode="fan_out", nonlinearity="relu")
    m.bn1 = nn.BatchNorm2d(width)
    m.fc = nn.Linear(8 * width * block.expansion, num_classes)
    with torch.no_grad():  # BatchNorm away from identity, so that its parameters and statistics matter
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.5, 0.5)
                mod.running_mean.uniform_(-0.1, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
    return m


def reference(tag, block, layers, width):
    torch.manual_seed(0)
    m = narrow(block, layers, 5, width)
    torch.save(m.state_dict(), os.path.join(out, tag + ".pth"))
    # The answers are computed in float64: PyTorch's own float32 gradients of narrow50 are 1.1e-4 away
    # from the exact ones, so two float32 implementations cannot be held to 1e-4 of each other.
    m = m.double()
    ref = collections.OrderedDict()
    x = torch.randn(4, 3, 32, 32, dtype=torch.float64)
    y = torch.tensor([1, 3, 0, 4])
    ref["x"], ref["y"] = x, y
    m.eval()
    with torch.no_grad():
        ref["out_eval"] = m(x)
    m.train()
    o = m(x)
    loss = F.cross_entropy(o, y)
    loss.backward()
    ref["out_train"], ref["loss"] = o.detach(), loss.detach()
    for k, p in m.named_parameters():
        ref["grad." + k] = p.grad
    for k, b in m.named_buffers():
        ref["after." + k] = b.clone()

    # the tutorial's fixed feature extractor, from the saved weights
    m.load_state_dict(torch.load(os.path.join(out, tag + ".pth")))
    for p in m.parameters():
        p.requires_grad = False
    torch.manual_seed(1)
    m.fc = nn.Linear(m.fc.in_features, 2).double()
    ref["fc0.weight"], ref["fc0.bias"] = m.fc.weight.detach().clone(), m.fc.bias.detach().clone()
    opt = torch.optim.SGD(m.fc.parameters(), lr=0.01, momentum=0.9)
    y2 = torch.tensor([0, 1, 1, 0])
    ref["y2"] = y2
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = F.cross_entropy(m(x), y2)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    ref["sgd.losses"] = torch.tensor(losses)
    ref["sgd.fc.weight"], ref["sgd.fc.bias"] = m.fc.weight.detach(), m.fc.bias.detach()
    ref["sgd.bn1.running_mean"] = m.bn1.running_mean.clone()
    torch.save(ref, os.path.join(out, tag + "_expected.pth"))


reference("narrow18", BasicBlock, [2, 2, 2, 2], 2)
reference("narrow50", Bottleneck, [1, 2, 1, 1], 2)
print("wrote", sorted(os.listdir(out)))
