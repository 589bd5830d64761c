"""Writes PyTorch's own numbers for step 3's autograd and step 4's MyReLU to
src/test/resources/autograd_reference.txt of both modules (the two files are identical).

What it records:
  * the course's two-layer network with autograd ("PyTorch: Tensors and autograd"), run in
    float64 for 5 iterations with learning rate 1e-3 on small data (x 8x20, y 8x4, w1 20x10,
    w2 10x4) drawn from seed 0: every loss, the gradients of iteration 0 and the final weights;
  * the same loop with the course's MyReLU Function in place of clamp(min=0);
  * the blitz's autograd tour: x.grad = 4.5 after out.backward(), and y.backward(v) for a fixed x;
  * the names PyTorch gives the grad_fn of a list of small expressions;
  * for every op of step 2's UnaryOp and OpCatalog.OTHER (read from step 2's make_reference.py),
    float64 inputs, weights w, the grad_fn name of op(inputs) and the gradients of
    (op(inputs) * w).sum(): lines named KIND:CASE:in0, KIND:CASE:w, KIND:CASE:grad0 (spaces in
    the case name written as _) and `gradfn KIND:CASE NAME`.

The format is one item a line, fields split by single spaces:

    NAME SHAPE V1 V2 ...     a tensor; SHAPE like 8,20 (`scalar` for 0-dim); values in row-major
                             order as Python float reprs, so float64 values survive exactly
    gradfn CASE NAME         type(expr.grad_fn).__name__ for the expression called CASE
    # ...                    a comment

TorchReferenceTest (step 3) and MyReLUReferenceTest (step 4) rebuild the inputs from the file,
so Java and Python start from the very same numbers.
Run from anywhere: /usr/bin/python3 step3-autograd/scripts/make_reference.py
"""
import importlib.util
import os

import torch

ITERATIONS = 5
LEARNING_RATE = 1e-3
N, D_IN, H, D_OUT = 8, 20, 10, 4


class MyReLU(torch.autograd.Function):
    """The course's custom ReLU, unchanged."""

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


def line(name, t):
    t = t.detach()
    shape = "scalar" if t.dim() == 0 else ",".join(str(s) for s in t.shape)
    values = " ".join(repr(float(v)) for v in t.reshape(-1).tolist())
    return "%s %s %s" % (name, shape, values)


def train(prefix, x, y, w1_start, w2_start, relu):
    """The course loop; returns the lines it records under names starting with prefix."""
    w1 = w1_start.clone().requires_grad_(True)
    w2 = w2_start.clone().requires_grad_(True)
    losses = []
    out = []
    for t in range(ITERATIONS):
        y_pred = relu(x.mm(w1)).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        if t == 0:
            out.append(line(prefix + ".grad0.w1", w1.grad))
            out.append(line(prefix + ".grad0.w2", w2.grad))
        with torch.no_grad():
            w1 -= LEARNING_RATE * w1.grad
            w2 -= LEARNING_RATE * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    out.insert(0, line(prefix + ".losses", torch.tensor(losses, dtype=torch.float64)))
    out.append(line(prefix + ".final.w1", w1))
    out.append(line(prefix + ".final.w2", w2))
    return out


def blitz():
    out = []
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    o = z.mean()
    o.backward()
    out.append(line("blitz.z", z))
    out.append(line("blitz.out", o))
    out.append(line("blitz.x.grad", x.grad))

    # The vector-Jacobian example with a fixed x instead of randn, so Java can start from it.
    x = torch.tensor([0.5, -1.25, 2.0], requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    out.append(line("vjp.x", x))
    out.append(line("vjp.v", v))
    out.append(line("vjp.y", y))
    out.append(line("vjp.x.grad", x.grad))
    return out


def grad_fn_names():
    x = torch.arange(1.0, 7.0).reshape(2, 3).requires_grad_(True)
    w = torch.ones(3, 2, requires_grad=True)
    h = x - 3
    y = x + 2
    cases = [
        ("x+2", y),
        ("y*y*3", y * y * 3),
        ("z.mean()", x.mean()),
        ("(a*a).sum()", (x * x).sum()),
        ("x.mm(w)", x.mm(w)),
        ("h.clamp(min=0)", h.clamp(min=0)),
        ("h.clamp(0,1)", h.clamp(0, 1)),
        ("y.pow(2)", x.pow(2)),
        ("x.t()", x.t()),
        ("x.view(-1)", x.view(-1)),
        ("x.reshape(3,2)", x.reshape(3, 2)),
        ("x.sum(0)", x.sum(0)),
        ("x.exp()", x.exp()),
        ("x.max()", x.max()),
        ("torch.max(x,1)[0]", torch.max(x, 1)[0]),
        ("x.select(1,1)", x.select(1, 1)),
        ("x[:,1]", x[:, 1]),
        ("x.unsqueeze(0)", x.unsqueeze(0)),
        ("x.expand(4,2,3)", x.expand(4, 2, 3)),
        ("torch.cat([x,x])", torch.cat([x, x])),
        ("x.to(torch.float64)", x.to(torch.float64)),
        ("MyReLU.apply(h)", MyReLU.apply(h)),
    ]
    return ["gradfn %s %s" % (case, type(t.grad_fn).__name__) for case, t in cases]


def step2_reference():
    """step 2's make_reference.py, for its list of ops and input values."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "step2-tensor", "scripts", "make_reference.py")
    spec = importlib.util.spec_from_file_location("step2_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def op_gradients():
    """Gradients and grad_fn names of the unary ops and of the catalog's other ops, in float64."""
    step2 = step2_reference()
    cases = [("unary:" + name, [(7,)], getattr(torch, name)) for name in step2.unary_op_names()]
    cases += [("other:" + name.replace(" ", "_"), shapes, fn) for name, shapes, fn in step2.other_cases()]
    out = []
    for case, shapes, fn in cases:
        values = [step2.wave(shape, k) for k, shape in enumerate(shapes)]
        if case.startswith("unary:"):
            # inside every unary op's domain (log, sqrt, rsqrt) and below tan's pole at pi/2
            values = [[round(0.8 * abs(v) + 0.1, 6) for v in vs] for vs in values]
        inputs = [torch.tensor(vs, dtype=torch.float64).reshape(shape).requires_grad_(True)
                  for vs, shape in zip(values, shapes)]
        result = fn(*inputs)
        w = torch.tensor(step2.wave(result.shape, 7), dtype=torch.float64).reshape(result.shape)
        (result * w).sum().backward()
        out.append("gradfn %s %s" % (case, type(result.grad_fn).__name__))
        for k, t in enumerate(inputs):
            out.append(line("%s:in%d" % (case, k), t))
            out.append(line("%s:grad%d" % (case, k), t.grad))
        out.append(line("%s:w" % case, w))
    return out


def main():
    torch.manual_seed(0)
    x = torch.randn(N, D_IN, dtype=torch.float64)
    y = torch.randn(N, D_OUT, dtype=torch.float64)
    w1 = torch.randn(D_IN, H, dtype=torch.float64)
    w2 = torch.randn(H, D_OUT, dtype=torch.float64)

    lines = ["# generated by scripts/make_reference.py with PyTorch %s; do not edit" % torch.__version__,
             "# two-layer loop: %d iterations, learning rate %r, float64" % (ITERATIONS, LEARNING_RATE)]
    lines += [line("x", x), line("y", y), line("w1", w1), line("w2", w2)]
    lines += train("autograd", x, y, w1, w2, lambda h: h.clamp(min=0))
    lines += train("myrelu", x, y, w1, w2, MyReLU.apply)
    lines += blitz()
    lines += grad_fn_names()
    lines += op_gradients()
    text = "\n".join(lines) + "\n"

    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    for module in ("step3-autograd", "step4-custom-function"):
        folder = os.path.join(root, module, "src", "test", "resources")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "autograd_reference.txt"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
