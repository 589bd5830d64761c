"""ResNetBenchmark.java in PyTorch: one ResNet-18 training step on the CPU (batch 16, 224 x 224).

torchvision's resnet18 (random weights), cross-entropy, SGD(lr=0.001, momentum=0.9), forward,
backward and step on tensors made once, so only the network is timed.

Usage: python3 resnet_torch.py [STEPS] [WARMUP] [--batch N] [--size S] [--frozen] [--threads T]
Prints: step_seconds_median M / step_seconds_min S / cpu_seconds_median C (process CPU time, all threads)
"""
import argparse
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import resnet18

p = argparse.ArgumentParser()
p.add_argument("steps", type=int, nargs="?", default=5)
p.add_argument("warmup", type=int, nargs="?", default=2)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--size", type=int, default=224)
p.add_argument("--frozen", action="store_true")
p.add_argument("--threads", type=int, default=0)
a = p.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)
torch.manual_seed(0)
model = resnet18()
if a.frozen:
    for q in model.parameters():
        q.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, 2)
model.train()
opt = torch.optim.SGD(model.fc.parameters() if a.frozen else model.parameters(), lr=0.001, momentum=0.9)
x = torch.randn(a.batch, 3, a.size, a.size)
y = torch.arange(a.batch) % (2 if a.frozen else 1000)
times, cpu = [], []
for s in range(-a.warmup, a.steps):
    c0 = time.process_time()
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    dt = time.perf_counter() - t0
    if s >= 0:
        times.append(dt)
        cpu.append(time.process_time() - c0)
    print(f"step {s}: {dt:.3f} s, loss {loss.item():.4f}", file=sys.stderr)
times.sort()
cpu.sort()
print(f"step_seconds_median {times[len(times) // 2]:.4f}\nstep_seconds_min {times[0]:.4f}")
print(f"cpu_seconds_median {cpu[len(cpu) // 2]:.4f}")
