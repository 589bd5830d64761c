"""ChapterBenchmark.java's loops in PyTorch: the seed programs of steps 5 to 7 at the course's
sizes (ms per iteration, median of rounds after warm-up rounds of a second at least, as on the
Java side). Output lines match the Java side's.

DynamicNet's depth follows t % 4 on both sides (instead of random.randint) so both do the same work.

static_graph: PyTorch has no static graph, so its figure is the TensorFlow program's computation
written out by hand in plain torch ops, without autograd: the forward pass, the gradients that
tf.gradients would derive, and the assignments as new tensors. That is the work a graph executor
must at least do, which makes it the fair target for the Java Session loop.

Usage: python3 chapters_torch.py [rounds] [iterations per round]
"""
import sys
import time

import torch

N, D_IN, H, D_OUT = 64, 1000, 100, 10
WARMUP_SECONDS = 4.0  # BackgroundWarmup.MIN_WARMUP_NANOS on the Java side


def sequential():
    return torch.nn.Sequential(torch.nn.Linear(D_IN, H), torch.nn.ReLU(), torch.nn.Linear(H, D_OUT))


def data():
    return torch.randn(N, D_IN), torch.randn(N, D_OUT)


def nn_sequential_manual(iterations):
    x, y = data()
    model = sequential()
    loss_fn = torch.nn.MSELoss(reduction='sum')
    learning_rate = 1e-4
    losses = []
    start = time.perf_counter()
    for t in range(iterations):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    return start, losses


def with_optimizer(model, optimizer, x, y, iterations, cycle_depth=False):
    loss_fn = torch.nn.MSELoss(reduction='sum')
    losses = []
    start = time.perf_counter()
    for t in range(iterations):
        y_pred = model(x, t % 4) if cycle_depth else model(x)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return start, losses


def optim_adam(iterations):
    x, y = data()
    model = sequential()
    return with_optimizer(model, torch.optim.Adam(model.parameters(), lr=1e-4), x, y, iterations)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, d_in, h, d_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(d_in, h)
        self.linear2 = torch.nn.Linear(h, d_out)

    def forward(self, x):
        return self.linear2(self.linear1(x).clamp(min=0))


def custom_module_sgd(iterations):
    x, y = data()
    model = TwoLayerNet(D_IN, H, D_OUT)
    return with_optimizer(model, torch.optim.SGD(model.parameters(), lr=1e-4), x, y, iterations)


class DynamicNet(torch.nn.Module):
    def __init__(self, d_in, h, d_out):
        super().__init__()
        self.input_linear = torch.nn.Linear(d_in, h)
        self.middle_linear = torch.nn.Linear(h, h)
        self.output_linear = torch.nn.Linear(h, d_out)

    def forward(self, x, depth):
        h_relu = self.input_linear(x).clamp(min=0)
        for _ in range(depth):
            h_relu = self.middle_linear(h_relu).clamp(min=0)
        return self.output_linear(h_relu)


def dynamic_net(iterations):
    x, y = data()
    model = DynamicNet(D_IN, H, D_OUT)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    return with_optimizer(model, optimizer, x, y, iterations, cycle_depth=True)


def static_graph(iterations):
    # The same draw order as the Java side: variables first, then the fed data.
    w1 = torch.randn(D_IN, H)
    w2 = torch.randn(H, D_OUT)
    x, y = data()
    zero = torch.zeros(1)
    learning_rate = 1e-6
    losses = []
    with torch.no_grad():
        start = time.perf_counter()
        for t in range(iterations):
            h = x.mm(w1)
            h_relu = torch.maximum(h, zero)
            diff = y - h_relu.mm(w2)
            loss = diff.pow(2.0).sum()
            grad_y_pred = diff * -2.0
            grad_w2 = h_relu.t().mm(grad_y_pred)
            grad_h = grad_y_pred.mm(w2.t()) * (h > zero)
            grad_w1 = x.t().mm(grad_h)
            w1 = w1 - grad_w1 * learning_rate
            w2 = w2 - grad_w2 * learning_rate
            losses.append(loss.item())
    return start, losses


def loop(name, program, rounds, iterations):
    end = time.perf_counter() + WARMUP_SECONDS
    while True:
        one_round(name, program, 0, iterations)
        if time.perf_counter() >= end:
            break
    times = sorted(one_round(name, program, r + 1, iterations) for r in range(rounds))
    return times[len(times) // 2]


def one_round(name, program, seed, iterations):
    """One round from the given seed: ms per iteration."""
    torch.manual_seed(seed)
    start, losses = program(iterations)
    elapsed = time.perf_counter() - start
    if not losses[-1] < losses[0]:
        raise RuntimeError("%s: the loss did not fall in the round from seed %d" % (name, seed))
    return elapsed * 1e3 / iterations


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    for name, program in [("nn_sequential_manual", nn_sequential_manual), ("optim_adam", optim_adam),
                          ("custom_module_sgd", custom_module_sgd), ("dynamic_net", dynamic_net),
                          ("static_graph", static_graph)]:
        print("loop_ms_per_iter %s %.4f" % (name, loop(name, program, rounds, iterations)), flush=True)


if __name__ == "__main__":
    main()
