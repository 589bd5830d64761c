"""The warm-up training loop in NumPy, timed the same way as WarmupBenchmark.java.

N, D_in, H, D_out = 64, 1000, 100, 10; untimed rounds for 4 seconds at least, then the median over several rounds
of the in-loop milliseconds per iteration. Prints `numpy_ms_per_iter <value>`.
Usage: python3 warmup_numpy.py [rounds] [iterations]
"""
import sys
import time

import numpy as np


def train(x, y, w1, w2, iterations, learning_rate=1e-6):
    for t in range(iterations):
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        loss = np.square(y_pred - y).sum()

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h_relu = grad_y_pred.dot(w2.T)
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)

        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return loss


def one_round(x, y, iterations):
    w1 = np.random.randn(1000, 100)
    w2 = np.random.randn(100, 10)
    start = time.perf_counter()
    train(x, y, w1, w2, iterations)
    return (time.perf_counter() - start) * 1000 / iterations


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    np.random.seed(0)
    x = np.random.randn(64, 1000)
    y = np.random.randn(64, 10)
    # untimed rounds for 4 seconds at least, as WarmupBenchmark.java warms up (its JIT needs them)
    warm_until = time.perf_counter() + 4.0
    done = 0
    while done < 3 or time.perf_counter() < warm_until:
        one_round(x, y, iterations)
        done += 1
    times = sorted(one_round(x, y, iterations) for _ in range(rounds))
    print("numpy_ms_per_iter %.4f" % times[rounds // 2])


if __name__ == "__main__":
    main()
