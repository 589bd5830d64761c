#!/usr/bin/python3
"""Writes src/test/resources/loss_reference.txt: loss values and gradients from PyTorch 1.13.

Run from the step5-nn directory:  /usr/bin/python3 scripts/make_loss_reference.py

Each case is a block of lines, values in float64 written exactly (repr), so the Java test
(LossReferenceTest) can rebuild the same inputs and compare:

    case <name> <LossClass> <reduction>
    input <dtype> shape=<d,d,...> <values...>
    target <dtype> shape=... <values...>
    grad_output float64 shape=... <values...>     upstream gradient fed to backward
    output float64 shape=... <values...>
    grad_input float64 shape=... <values...>
    grad_target float64 shape=... <values...>     only for float targets
    end
"""
import math
import os

import torch

torch.manual_seed(20261126)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "loss_reference.txt")
D = torch.float64


def fmt(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(float(x)) if not isinstance(x, int) else str(x)


def line(key, t):
    dtype = {torch.float64: "float64", torch.int64: "int64"}[t.dtype]
    shape = ",".join(str(d) for d in t.shape)
    vals = t.detach().reshape(-1).tolist()
    return f"{key} {dtype} shape={shape} " + " ".join(fmt(v) for v in vals)


def case(name, loss_cls, reduction, x, t):
    x = x.clone().requires_grad_(True)
    float_target = t.dtype.is_floating_point
    if float_target:
        t = t.clone().requires_grad_(True)
    out = getattr(torch.nn, loss_cls)(reduction=reduction)(x, t)
    g = torch.rand(out.shape, dtype=D) + 0.5
    out.backward(g)
    rows = [f"case {name} {loss_cls} {reduction}", line("input", x), line("target", t), line("grad_output", g),
            line("output", out), line("grad_input", x.grad)]
    if float_target:
        rows.append(line("grad_target", t.grad))
    rows.append("end")
    return rows


rows = []
for reduction in ["mean", "sum", "none"]:
    rows += case(f"mse_{reduction}", "MSELoss", reduction, torch.randn(3, 4, dtype=D), torch.randn(3, 4, dtype=D))
    rows += case(f"mse3d_{reduction}", "MSELoss", reduction, torch.randn(2, 1, 3, dtype=D), torch.randn(2, 1, 3, dtype=D))
    logp = torch.log_softmax(torch.randn(5, 4, dtype=D), 1)
    rows += case(f"nll_{reduction}", "NLLLoss", reduction, logp, torch.tensor([0, 3, 1, 3, 2]))
    rows += case(f"ce_{reduction}", "CrossEntropyLoss", reduction, torch.randn(4, 6, dtype=D) * 3,
                 torch.tensor([5, 0, 2, 2]))
    rows += case(f"bce_{reduction}", "BCELoss", reduction, torch.rand(2, 5, dtype=D) * 0.98 + 0.01,
                 torch.rand(2, 5, dtype=D))
# logits far beyond exp's range: only a max-shifted log-softmax gets finite numbers
rows += case("ce_huge_logits", "CrossEntropyLoss", "mean",
             torch.tensor([[1000.0, 999.0, -1000.0], [-2000.0, 0.0, 5000.0]], dtype=D), torch.tensor([1, 0]))
rows += case("ce_single_sample", "CrossEntropyLoss", "none", torch.randn(1, 3, dtype=D), torch.tensor([2]))
# probabilities of exactly 0 and 1: the -100 floor on the logs and the 1e-12 floor in the gradient
rows += case("bce_edges", "BCELoss", "none", torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5], dtype=D),
             torch.tensor([1.0, 0.0, 0.0, 1.0, 0.25], dtype=D))

with open(OUT, "w") as f:
    f.write("# loss values and gradients from PyTorch " + torch.__version__ + "; made by scripts/make_loss_reference.py\n")
    f.write("\n".join(rows) + "\n")
print("wrote", len([r for r in rows if r.startswith("case")]), "cases")
