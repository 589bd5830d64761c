"""Reference trajectories for step6-optim's tests, from PyTorch 1.13's torch.optim.

A tiny "model" of two float64 parameters, W (3x4) and b (3), and a fixed loss of them,
    loss = sum(c * (x @ W.T + b - t) ** 2),
with fixed x (5x4), t and c (5x3). For each optimizer and option set, 10 steps of
zero_grad / backward / step, and the parameters after every step. Also the learning rates of
StepLR and MultiStepLR per epoch.

Run from the module folder:  python3 scripts/make_optim_reference.py
It writes src/test/resources/optim_reference.txt (the tests read only that file).

Format, one record per line, numbers as Python's repr (which round-trips exactly):
    data NAME DIMS VALUES...              initial weights and fixed data (DIMS like 3x4)
    case NAME OPTIMIZER KEY=VALUE...      an optimizer and its options (defaults otherwise)
    step NAME K PARAM VALUES...           PARAM (W or b) of case NAME after step K (1-based)
    sched NAME EPOCH LR...                get_last_lr() of scheduler NAME after EPOCH step() calls
"""
import os
import torch

torch.manual_seed(6)
torch.set_default_dtype(torch.float64)

W0 = torch.randn(3, 4) * 0.5
b0 = torch.randn(3) * 0.5
X = torch.randn(5, 4)
T = torch.randn(5, 3)
C = torch.rand(5, 3) + 0.5
STEPS = 10


def loss_of(W, b):
    return (C * (X @ W.T + b - T) ** 2).sum()


CASES = [
    ("sgd_plain", "SGD", dict(lr=0.01)),
    ("sgd_momentum", "SGD", dict(lr=0.01, momentum=0.9)),
    ("sgd_dampening", "SGD", dict(lr=0.01, momentum=0.9, dampening=0.1)),
    ("sgd_nesterov", "SGD", dict(lr=0.01, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", "SGD", dict(lr=0.01, momentum=0.9, weight_decay=0.01)),
    ("sgd_maximize", "SGD", dict(lr=0.001, momentum=0.5, maximize=True)),
    ("adam_default", "Adam", dict()),
    ("adam_lr", "Adam", dict(lr=0.05)),
    ("adam_weight_decay", "Adam", dict(lr=0.05, weight_decay=0.1)),
    ("adam_amsgrad", "Adam", dict(lr=0.05, amsgrad=True)),
    ("adam_betas", "Adam", dict(lr=0.05, beta1=0.8, beta2=0.9, eps=1e-3)),
    ("adam_maximize", "Adam", dict(lr=0.05, weight_decay=0.1, amsgrad=True, maximize=True)),
    ("rmsprop_default", "RMSprop", dict()),
    ("rmsprop_momentum", "RMSprop", dict(momentum=0.9)),
    ("rmsprop_centered", "RMSprop", dict(centered=True)),
    ("rmsprop_centered_momentum", "RMSprop", dict(lr=0.005, centered=True, momentum=0.5, alpha=0.9)),
    ("rmsprop_weight_decay", "RMSprop", dict(weight_decay=0.1)),
    ("rmsprop_maximize", "RMSprop", dict(lr=0.005, weight_decay=0.1, centered=True, momentum=0.5, maximize=True)),
    ("adagrad_default", "Adagrad", dict()),
    ("adagrad_lr_decay", "Adagrad", dict(lr=0.1, lr_decay=0.5)),
    ("adagrad_weight_decay", "Adagrad", dict(lr=0.1, weight_decay=0.1)),
    ("adagrad_initial_accumulator", "Adagrad", dict(lr=0.1, initial_accumulator_value=0.5)),
    ("adagrad_maximize", "Adagrad", dict(lr=0.1, lr_decay=0.5, weight_decay=0.1, maximize=True)),
]


def make(kind, params, options):
    options = dict(options)
    if "beta1" in options:
        # Java spells Adam's betas tuple as two options.
        options["betas"] = (options.pop("beta1"), options.pop("beta2"))
    return getattr(torch.optim, kind)(params, **options)


def fmt(v):
    return repr(v)


def values(t):
    return " ".join(fmt(v) for v in t.detach().reshape(-1).tolist())


def run(out, name, make_optimizer):
    W = W0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    opt = make_optimizer(W, b)
    for k in range(1, STEPS + 1):
        opt.zero_grad()
        loss_of(W, b).backward()
        opt.step()
        out.append(f"step {name} {k} W {values(W)}")
        out.append(f"step {name} {k} b {values(b)}")


def main():
    out = []
    for name, t in (("W0", W0), ("b0", b0), ("x", X), ("t", T), ("c", C)):
        out.append(f"data {name} {'x'.join(map(str, t.shape))} {values(t)}")
    for name, kind, options in CASES:
        out.append(f"case {name} {kind} " + " ".join(f"{k}={fmt(v)}" for k, v in options.items()))
        run(out, name, lambda W, b: make(kind, [W, b], options))

    # Parameter groups: W with its own lr and no momentum, b with the defaults.
    out.append("case sgd_groups SGD lr=0.01 momentum=0.9")
    run(out, "sgd_groups", lambda W, b: torch.optim.SGD(
        [{"params": [W], "lr": 0.05, "momentum": 0.0}, {"params": [b]}], lr=0.01, momentum=0.9))
    out.append("case adam_groups Adam lr=0.01")
    run(out, "adam_groups", lambda W, b: torch.optim.Adam(
        [{"params": [b], "lr": 0.1, "amsgrad": True}, {"params": [W]}], lr=0.01))

    # Schedulers: two groups, so each group's lr is followed; step() once per epoch after optimizer.step().
    def scheduled(name, make_scheduler):
        p, q = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([{"params": [p], "lr": 0.1}, {"params": [q]}], lr=0.02)
        sched = make_scheduler(opt)
        out.append(f"sched {name} 0 " + " ".join(fmt(v) for v in sched.get_last_lr()))
        for epoch in range(1, 13):
            opt.step()
            sched.step()
            out.append(f"sched {name} {epoch} " + " ".join(fmt(v) for v in sched.get_last_lr()))

    scheduled("steplr", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
    scheduled("multisteplr", lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.1))

    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "src", "test", "resources", "optim_reference.txt")
    with open(path, "w") as f:
        f.write(f"# written by scripts/make_optim_reference.py with torch {torch.__version__}\n")
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
