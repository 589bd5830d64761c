"""The measurements of TensorBenchmark.java in PyTorch, on the CPU, timed the same way.

float32 mm GFLOP/s at 1024, the five products of the course's two-layer network one by one
(microseconds per call), and that network's hand-written-backprop loop (ms per iteration).
Each figure is the median of several rounds after untimed warm-up rounds. PyTorch keeps its
default thread count, as a PyTorch user would. Output lines match the Java side's.
Usage: python3 tensor_torch.py [rounds] [iterations per loop round]
"""
import sys
import time

import torch

N, D_IN, H, D_OUT = 64, 1000, 100, 10
LEARNING_RATE = 1e-6
WARMUP_ROUNDS = 3
WARMUP_SECONDS = 4.0  # as long as the Java side warms up, whose JIT needs it
ROUND_US = 20000
OPTIONS = dict(dtype=torch.float32, device="cpu")


def median(sample, rounds):
    end = time.perf_counter() + WARMUP_SECONDS
    done = 0
    while done < WARMUP_ROUNDS or time.perf_counter() < end:
        sample()
        done += 1
    values = sorted(sample() for _ in range(rounds))
    return values[rounds // 2]


def mm_gflops(n, rounds):
    a = torch.randn(n, n, **OPTIONS)
    b = torch.randn(n, n, **OPTIONS)

    def sample():
        start = time.perf_counter()
        a.mm(b)
        return 2.0 * n ** 3 / (time.perf_counter() - start) / 1e9

    return median(sample, rounds)


def calls_time(a, b, calls):
    """Microseconds per call of a.mm(b) over the given number of calls."""
    start = time.perf_counter()
    for _ in range(calls):
        a.mm(b)
    return (time.perf_counter() - start) * 1e6 / calls


def product_time(name, a, b, rounds):
    # rounds of about 20 ms, as on the Java side
    calls_time(a, b, 100)
    calls = max(10, int(ROUND_US / calls_time(a, b, 100)))
    print("course_mm_us %s %.2f" % (name, median(lambda: calls_time(a, b, calls), rounds)))


def course_products(rounds):
    x = torch.randn(N, D_IN, **OPTIONS)
    w1 = torch.randn(D_IN, H, **OPTIONS)
    h_relu = torch.randn(N, H, **OPTIONS).clamp(min=0)
    w2 = torch.randn(H, D_OUT, **OPTIONS)
    grad_h = torch.randn(N, H, **OPTIONS)
    grad_y_pred = torch.randn(N, D_OUT, **OPTIONS)
    product_time("x@w1_64x1000x100", x, w1, rounds)
    product_time("h_relu@w2_64x100x10", h_relu, w2, rounds)
    product_time("x.t()@grad_h_1000x64x100", x.t(), grad_h, rounds)
    product_time("h_relu.t()@grad_y_pred_100x64x10", h_relu.t(), grad_y_pred, rounds)
    product_time("grad_y_pred@w2.t()_64x10x100", grad_y_pred, w2.t(), rounds)


def train(x, y, w1, w2, iterations):
    """The course's loop on tensors, op for op; returns the loss of every iteration."""
    losses = []
    for t in range(iterations):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        losses.append((y_pred - y).pow(2).sum().item())

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h_relu = grad_y_pred.mm(w2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)

        w1 -= LEARNING_RATE * grad_w1
        w2 -= LEARNING_RATE * grad_w2
    return losses


def training_loop(iterations, rounds):
    x = torch.randn(N, D_IN, **OPTIONS)
    y = torch.randn(N, D_OUT, **OPTIONS)

    def sample():
        w1 = torch.randn(D_IN, H, **OPTIONS)
        w2 = torch.randn(H, D_OUT, **OPTIONS)
        start = time.perf_counter()
        losses = train(x, y, w1, w2, iterations)
        ms = (time.perf_counter() - start) * 1000 / iterations
        if not losses[-1] < losses[0]:
            raise RuntimeError("the loss did not fall: %g -> %g" % (losses[0], losses[-1]))
        return ms

    print("loop_ms_per_iter %.4f" % median(sample, rounds))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    torch.manual_seed(0)
    print("device cpu, torch %s, %d threads" % (torch.__version__, torch.get_num_threads()))
    print("mm1024_gflops %.2f" % mm_gflops(1024, rounds))
    course_products(rounds)
    training_loop(iterations, rounds)


if __name__ == "__main__":
    main()
