"""AutogradBenchmark.java's measurements in PyTorch: the course's autograd two-layer loop and its
custom-ReLU variant (ms per iteration, median of rounds after warm-up rounds of 4 seconds at least, as on the Java
side), and the time
recording adds to one add of 1x1 tensors (microseconds). Output lines match the Java side's.
Usage: python3 autograd_torch.py [rounds] [iterations per round]
"""
import sys
import time

import torch

N, D_IN, H, D_OUT = 64, 1000, 100, 10
LEARNING_RATE = 1e-6
WARMUP_SECONDS = 4.0  # BackgroundWarmup.MIN_WARMUP_NANOS on the Java side


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        grad_x = grad_output.clone()
        grad_x[x < 0] = 0
        return grad_x


def loop(relu, rounds, iterations):
    end = time.perf_counter() + WARMUP_SECONDS
    while True:
        one_round(relu, 0, iterations)
        if time.perf_counter() >= end:
            break
    times = sorted(one_round(relu, r + 1, iterations) for r in range(rounds))
    return times[len(times) // 2]


def one_round(relu, seed, iterations):
    """One round from the given seed: ms per iteration."""
    torch.manual_seed(seed)
    x = torch.randn(N, D_IN)
    y = torch.randn(N, D_OUT)
    w1 = torch.randn(D_IN, H, requires_grad=True)
    w2 = torch.randn(H, D_OUT, requires_grad=True)
    start = time.perf_counter()
    for t in range(iterations):
        y_pred = relu(x.mm(w1)).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        loss.item()
        loss.backward()
        with torch.no_grad():
            w1 -= LEARNING_RATE * w1.grad
            w2 -= LEARNING_RATE * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return (time.perf_counter() - start) * 1e3 / iterations


def overhead(rounds):
    a = torch.ones(1, 1, requires_grad=True)
    plain = torch.ones(1, 1)
    b = torch.ones(1, 1)
    calls = 20000
    values = []
    for r in range(-2, rounds):
        t0 = time.perf_counter()
        for _ in range(calls):
            plain.add(b)
        t1 = time.perf_counter()
        for _ in range(calls):
            a.add(b)
        t2 = time.perf_counter()
        if r >= 0:
            values.append(((t2 - t1) - (t1 - t0)) * 1e6 / calls)
    return sorted(values)[len(values) // 2]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    print("loop_ms_per_iter autograd %.4f" % loop(lambda h: h.clamp(min=0), rounds, iterations))
    print("loop_ms_per_iter custom_relu %.4f" % loop(MyReLU.apply, rounds, iterations))
    print("overhead_us add %.3f" % overhead(rounds))


if __name__ == "__main__":
    main()
