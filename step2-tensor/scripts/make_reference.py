"""Writes PyTorch's own answers for printing, dtype promotion and a few ops to
src/test/resources/torch_reference.txt.

TorchReferenceTest rebuilds every input in Java from the values written in the file, so the
Java side never has to trust a second description of the data. One case a line, fields split by
tabs, backslashes and newlines escaped as \\\\ and \\n:

    print    name  dtype  shape  values  requires_grad  str(tensor)
    promote  op    left   right  result-dtype
    op       name  input; input; ...     dtype  shape  values
    other    name  input; input; ...     dtype  shape  values   (an OpCatalog.OTHER row, same name)

An input or a tensor is `dtype shape values`: shape like `2,3` (empty for 0-dim), values
comma-separated Python reprs (nan, inf, -inf), or `arange:START:STEP` for START + i*STEP,
computed in float64 and then converted, as the Java test does. A promote operand is a dtype (a
1-D tensor of it), `0d:DTYPE` (a 0-dim tensor) or `int` / `float` (a Python number).
Float32 results are written as float(x), so they keep their exact float32 value.
Run from anywhere: /usr/bin/python3 step2-tensor/scripts/make_reference.py
"""
import math
import os
import re

import torch

torch.set_printoptions(profile="default")  # precision 4, linewidth 80, threshold 1000, edgeitems 3

DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "int64": torch.int64,
    "bool": torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}
NAN = float("nan")
INF = float("inf")


def build(dtype, shape, values):
    """The tensor a spec describes, made the way the Java test makes it."""
    n = 1
    for s in shape:
        n *= s
    if isinstance(values, tuple):
        start, step = values
        values = [start + i * step for i in range(n)]
    data = torch.tensor(values, dtype=torch.float64)
    if DTYPES[dtype] == torch.bool:
        data = data != 0
    return data.to(DTYPES[dtype]).reshape(shape)


def spec_text(dtype, shape, values):
    shape_text = ",".join(str(s) for s in shape)
    if isinstance(values, tuple):
        values_text = "arange:%r:%r" % values
    else:
        values_text = ",".join(repr(float(v)) for v in values)
    return "%s %s %s" % (dtype, shape_text, values_text)


def result_text(t):
    flat = t.detach().reshape(-1).tolist()
    values = [repr(float(v)) for v in flat]
    shape = ",".join(str(s) for s in t.shape)
    return "%s\t%s\t%s" % (NAMES[t.dtype], shape, ",".join(values))


def print_cases():
    """(name, dtype, shape, values, requires_grad)."""
    thirds = [-1.0, -2 / 3, -1 / 3, 0.0, 1 / 3, 2 / 3]
    return [
        ("float32 whole", "float32", (4,), [0.0, 1.0, -2.0, 30.0], False),
        ("float32 zeros", "float32", (2, 3), [0.0] * 6, False),
        ("float32 fractional", "float32", (2, 3), thirds, False),
        ("float32 quarters", "float32", (2, 2), [0.25, -0.5, 1.75, 10.0], False),
        ("float32 round half", "float32", (4,), [0.03125, 0.09375, 1.00005, 2.5], False),
        ("float32 small switches to sci", "float32", (3,), [1e-5, 0.5, 1.0], False),
        ("float32 wide range switches to sci", "float32", (2, 2), [1.5, -2.25, 3000.0, 1.0], False),
        ("float32 whole wide range sci", "float32", (3,), [1.0, 2.0, 5000.0], False),
        ("float32 whole above 1e8 sci", "float32", (2,), [123456789.0, 200000000.0], False),
        ("float32 large fractional sci", "float32", (2,), [1.5e9, 2.5e9], False),
        ("float32 whole at 1e8 stays fixed", "float32", (2,), [1.0e8, 5.0e7], False),
        ("float32 sci round half", "float32", (2,), [1.03125, 5000.0], False),
        ("float32 sci with signed zeros", "float32", (4,), [-0.0, 0.0, 1e-5, -1.0], False),
        ("float32 negative zero", "float32", (3,), [-0.0, 1.0, 2.0], False),
        ("float32 only zeros signed", "float32", (2,), [0.0, -0.0], False),
        ("float32 nan inf", "float32", (4,), [1.0, NAN, INF, -INF], False),
        ("float32 nan with fractions", "float32", (3,), [0.5, NAN, -1.25], False),
        ("float32 nan only", "float32", (2,), [NAN, INF], False),
        ("float32 1d wraps", "float32", (30,), (0.0, 1.1), False),
        ("float32 2d wraps", "float32", (2, 15), (-7.0, 0.37), False),
        ("float32 3d", "float32", (2, 2, 3), (0.0, 0.5), False),
        ("float32 3d single rows", "float32", (2, 1, 2), (-1.0, 1.0), False),
        ("float32 0d", "float32", (), [3.5], False),
        ("float32 0d whole", "float32", (), [-2.0], False),
        ("float32 0d sci", "float32", (), [1.0e-7], False),
        ("float32 empty", "float32", (0,), [], False),
        ("float32 empty 2x0", "float32", (2, 0), [], False),
        ("float32 arange 2000", "float32", (2000,), (0.0, 1.0), False),
        ("float32 40x40 summarised", "float32", (40, 40), (-800.0, 0.5), False),
        ("float32 10x10x12 summarised", "float32", (10, 10, 12), (0.0, 0.25), False),
        ("float32 1001 summarised fractional", "float32", (1001,), (0.0, 0.1), False),
        ("float32 1000 not summarised", "float32", (1000,), (0.0, 1.0), False),
        ("float32 requires_grad", "float32", (3,), [1.0, -0.5, 2.0], True),
        ("float32 requires_grad 0d", "float32", (), [1.5], True),
        ("float64 fractional", "float64", (3,), [1 / 3, 2 / 3, 1.0], False),
        ("float64 whole", "float64", (2, 2), [1.0, 2.0, 3.0, 4.0], False),
        ("float64 0d", "float64", (), [352.92012594689965], False),
        ("float64 sci", "float64", (2,), [1e-10, 1.0], False),
        ("float64 empty", "float64", (0,), [], False),
        ("float64 requires_grad", "float64", (2,), [0.5, 1.0], True),
        ("int64 vector", "int64", (5,), [0.0, -1.0, 20.0, 300.0, -4000.0], False),
        ("int64 matrix", "int64", (2, 3), (0.0, 1.0), False),
        ("int64 0d", "int64", (), [-7.0], False),
        ("int64 empty", "int64", (0,), [], False),
        ("int64 empty 2x0", "int64", (2, 0), [], False),
        ("int64 arange 2000", "int64", (2000,), (0.0, 1.0), False),
        ("int64 40x40", "int64", (40, 40), (0.0, 1.0), False),
        ("int64 wraps", "int64", (40,), (0.0, 1000.0), False),
        ("int64 wide summarised", "int64", (2000,), (-10000.0, 10.0), False),
        ("bool vector", "bool", (3,), [1.0, 0.0, 1.0], False),
        ("bool matrix", "bool", (2, 2), [0.0, 0.0, 1.0, 0.0], False),
        ("bool 0d", "bool", (), [1.0], False),
        ("bool empty", "bool", (0,), [], False),
        ("bool summarised", "bool", (1100,), (0.0, 1.0), False),
    ]


def operand(kind):
    if kind == "int":
        return 3
    if kind == "float":
        return 0.5
    if kind.startswith("0d:"):
        return torch.ones((), dtype=DTYPES[kind[3:]])
    return torch.ones(2, dtype=DTYPES[kind])


PROMOTE_OPS = {
    "add": torch.add,
    "mul": torch.mul,
    "div": torch.div,
    "maximum": torch.maximum,
    "eq": torch.eq,
}


def promote_cases():
    """(op, left, right). maximum takes no Python numbers, so it has no scalar cases."""
    cases = []
    for op in PROMOTE_OPS:
        for left in DTYPES:
            for right in DTYPES:
                cases.append((op, left, right))
    for op in ("add", "mul", "div", "eq"):
        for left in DTYPES:
            for right in ("int", "float"):
                cases.append((op, left, right))
    for op in ("add", "div"):
        for left in DTYPES:
            for right in ("0d:float64", "0d:int64", "0d:bool"):
                cases.append((op, left, right))
    return cases


F = "float32"


def op_cases():
    """(name, inputs, function of the input tensors)."""
    signed = (F, (6,), [-2.0, -0.5, 0.0, 0.5, 2.0, 3.0])
    cube = (F, (2, 3, 4), (-2.75, 0.5))
    ties = (F, (3, 4), [1.0, 5.0, 5.0, 2.0, 7.0, 7.0, 7.0, 7.0, -1.0, -3.0, -1.0, -2.0])
    ints = ("int64", (4,), [7.0, -7.0, 7.0, -7.0])
    divisors = ("int64", (4,), [2.0, 2.0, -2.0, -2.0])
    positive = (F, (5,), [0.0, 1e-3, 1.0, 2.0, 100.0])
    return [
        ("pow square", [signed], lambda x: x.pow(2)),
        ("pow cube", [signed], lambda x: x.pow(3)),
        ("pow minus one", [signed], lambda x: x.pow(-1)),
        ("pow minus two", [signed], lambda x: x.pow(-2)),
        ("pow half", [signed], lambda x: x.pow(0.5)),
        ("pow minus half", [signed], lambda x: x.pow(-0.5)),
        ("pow 1.5", [signed], lambda x: x.pow(1.5)),
        ("pow tensor exponent", [signed, (F, (6,), [2.0, 3.0, -1.0, 0.5, -0.5, 0.0])], lambda x, e: x.pow(e)),
        # integer bases: whole exponents stay int64; negative int powers raise in PyTorch, so none here
        ("pow int64 square", [("int64", (4,), [-3.0, 0.0, 2.0, 5.0])], lambda x: x.pow(2)),
        ("pow int64 half", [("int64", (4,), [0.0, 1.0, 4.0, 9.0])], lambda x: x.pow(0.5)),
        ("clamp min", [signed], lambda x: x.clamp(0)),
        ("clamp min max", [signed], lambda x: x.clamp(-1, 1)),
        ("clamp fractional bounds", [signed], lambda x: x.clamp(-0.25, 0.75)),
        ("clamp max", [signed], lambda x: x.clamp(max=0.5)),
        ("clamp nan", [(F, (3,), [NAN, -5.0, 5.0])], lambda x: x.clamp(-1, 1)),
        ("clamp int64 whole bounds", [("int64", (4,), [-3.0, 0.0, 2.0, 5.0])], lambda x: x.clamp(0, 3)),
        ("clamp float64", [("float64", (3,), [-0.1, 0.2, 0.9])], lambda x: x.clamp(0, 0.5)),
        ("sum all", [cube], lambda x: x.sum()),
        ("sum dim 0", [cube], lambda x: x.sum(0)),
        ("sum dim 1", [cube], lambda x: x.sum(1)),
        ("sum dim 2 keepdim", [cube], lambda x: x.sum(2, keepdim=True)),
        ("sum dims 0 2 keepdim", [cube], lambda x: x.sum((0, 2), keepdim=True)),
        ("sum dims 0 2", [cube], lambda x: x.sum((0, 2))),
        ("sum int64", [("int64", (2, 3), (1.0, 2.0))], lambda x: x.sum(1)),
        ("sum bool", [("bool", (2, 3), [1.0, 0.0, 1.0, 1.0, 1.0, 0.0])], lambda x: x.sum(0)),
        ("sum float64", [("float64", (3,), [0.1, 0.2, 0.3])], lambda x: x.sum()),
        ("mean all", [cube], lambda x: x.mean()),
        ("mean dim 1", [cube], lambda x: x.mean(1)),
        ("mean dim 2 keepdim", [cube], lambda x: x.mean(2, keepdim=True)),
        ("mean dim 0 keepdim", [cube], lambda x: x.mean(0, keepdim=True)),
        ("mean float64", [("float64", (2, 2), [0.1, 0.2, 0.3, 0.4])], lambda x: x.mean(0)),
        ("max all", [ties], lambda x: x.max()),
        ("max dim 1 values", [ties], lambda x: torch.max(x, 1).values),
        ("max dim 1 indices", [ties], lambda x: torch.max(x, 1).indices),
        ("max dim 0 keepdim values", [ties], lambda x: torch.max(x, 0, keepdim=True).values),
        ("max dim 0 keepdim indices", [ties], lambda x: torch.max(x, 0, keepdim=True).indices),
        ("max int64 dim 1 indices", [("int64", (2, 3), [4.0, 4.0, 1.0, 0.0, 9.0, 9.0])],
         lambda x: torch.max(x, 1).indices),
        ("max int64 dim 1 values", [("int64", (2, 3), [4.0, 4.0, 1.0, 0.0, 9.0, 9.0])],
         lambda x: torch.max(x, 1).values),
        ("argmax all", [ties], lambda x: x.argmax()),
        ("argmax dim 1", [ties], lambda x: x.argmax(1)),
        ("argmax dim 0 keepdim", [ties], lambda x: x.argmax(0, keepdim=True)),
        ("norm float32", [cube], lambda x: x.norm()),
        ("norm float64", [("float64", (3,), [3.0, 4.0, 12.0])], lambda x: x.norm()),
        ("div int64 by int64", [ints, divisors], lambda a, b: a / b),
        ("div int64 by zero", [("int64", (3,), [1.0, -1.0, 0.0]), ("int64", (3,), [0.0, 0.0, 0.0])], lambda a, b: a / b),
        ("div int64 by int", [ints], lambda a: a / 2),
        ("div int64 by float", [ints], lambda a: a / 0.5),
        ("div float32 by int64", [signed, ("int64", (6,), [3.0, 3.0, 3.0, 3.0, 3.0, 3.0])], lambda a, b: a / b),
        ("exp", [signed], lambda x: x.exp()),
        ("exp large", [(F, (3,), [80.0, 88.0, 89.0])], lambda x: x.exp()),
        ("log", [positive], lambda x: x.log()),
        ("log negative", [(F, (2,), [-1.0, NAN])], lambda x: x.log()),
        ("sqrt", [positive], lambda x: x.sqrt()),
        ("sqrt negative", [(F, (2,), [-4.0, INF])], lambda x: x.sqrt()),
        ("exp float64", [("float64", (3,), [-1.0, 0.1, 2.0])], lambda x: x.exp()),
        ("log float64", [("float64", (3,), [0.5, 1.0, 10.0])], lambda x: x.log()),
        ("exp int64", [("int64", (3,), [0.0, 1.0, 2.0])], lambda x: x.exp()),
        ("mm float32", [(F, (2, 3), (-1.0, 0.5)), (F, (3, 2), (0.25, 0.25))], lambda a, b: a.mm(b)),
        ("prod all", [cube], lambda x: x.prod()),
        ("prod int64", [("int64", (2, 3), (1.0, 2.0))], lambda x: x.prod(1)),
        ("prod bool", [("bool", (2, 2), [1.0, 0.0, 1.0, 1.0])], lambda x: x.prod()),
        ("prod empty dim", [(F, (2, 0), [])], lambda x: x.prod(1)),
        ("amax dims 0 2", [cube], lambda x: x.amax((0, 2))),
        ("amin dim 1 keepdim", [ties], lambda x: x.amin(1, keepdim=True)),
        ("min dim 1 indices", [ties], lambda x: torch.min(x, 1).indices),
        ("min dim 0 keepdim values", [ties], lambda x: torch.min(x, 0, keepdim=True).values),
        ("var unbiased one element", [(F, (1,), [2.0])], lambda x: x.var()),
        ("logsumexp large", [(F, (3,), [1000.0, 1000.0, -1000.0])], lambda x: x.logsumexp(0)),
        ("logsumexp minus inf", [(F, (2,), [-INF, -INF])], lambda x: x.logsumexp(0)),
        ("logsumexp int64", [("int64", (3,), [1.0, 2.0, 3.0])], lambda x: x.logsumexp(0)),
        ("cumsum int64", [("int64", (4,), [1.0, -2.0, 3.0, 4.0])], lambda x: x.cumsum(0)),
        ("cumsum bool", [("bool", (3,), [1.0, 0.0, 1.0])], lambda x: x.cumsum(0)),
        ("round half to even", [(F, (6,), [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])], lambda x: x.round()),
        ("erf float64 wide", [("float64", (9,), [-7.0, -3.0, -2.5, -1e-8, 0.0, 0.3, 2.4999, 4.0, 6.5])], lambda x: x.erf()),
        ("sign bool", [("bool", (2,), [1.0, 0.0])], lambda x: x.sign()),
        ("floor int64", [("int64", (2,), [-3.0, 4.0])], lambda x: x.floor()),
        ("matmul int64 batched", [("int64", (2, 2, 3), (0.0, 1.0)), ("int64", (3, 2), (1.0, -1.0))],
         lambda a, b: a.matmul(b)),
        ("tril int64", [("int64", (3, 3), (1.0, 1.0))], lambda x: x.tril()),
        ("triu bool", [("bool", (2, 2), [1.0, 1.0, 1.0, 1.0])], lambda x: x.triu()),
        ("flip int64", [("int64", (4,), (1.0, 1.0))], lambda x: x.flip(0)),
        ("diag int64", [("int64", (2,), (1.0, 1.0))], lambda x: x.diag()),
        ("dot int64", [("int64", (3,), (1.0, 1.0)), ("int64", (3,), (2.0, 1.0))], lambda a, b: a.dot(b)),
    ]


def wave(shape, k):
    """Deterministic, pairwise different values in (-1.7, 1.7) for input k of an other-op case."""
    n = 1
    for size in shape:
        n *= size
    return [round(1.7 * math.sin(0.9 * i + 1.3 * k + 0.4), 6) for i in range(n)]


def ix(values):
    return torch.tensor(values, dtype=torch.int64)


def other_cases():
    """The ops of OpCatalog.OTHER in Python: (name as in the catalog, input shapes, function).
    Inputs are wave() values in float32, float64 where float32 rounding would blur the comparison."""
    return [
        ("add alpha -0.5", [(3, 4), (4,)], lambda x, y: x.add(y, alpha=-0.5)),
        ("sub alpha 3", [(3, 4), (3, 1)], lambda x, y: x.sub(y, alpha=3)),
        ("min dim", [(3, 4)], lambda x: torch.min(x, 1).values),
        ("prod dim", [(3, 4)], lambda x: x.prod(1, keepdim=True)),
        ("var", [(3, 4)], lambda x: x.var()),
        ("var dim 1 biased keepdim", [(3, 4)], lambda x: x.var(1, unbiased=False, keepdim=True)),
        ("var dims 0 2", [(2, 3, 4)], lambda x: x.var((0, 2))),
        ("std", [(3, 4)], lambda x: x.std()),
        ("std dim 0", [(3, 4)], lambda x: x.std(0)),
        ("logsumexp dim 1", [(3, 4)], lambda x: x.logsumexp(1)),
        ("logsumexp dims 0 1 keepdim", [(3, 4)], lambda x: x.logsumexp((0, 1), keepdim=True)),
        ("cumsum dim 1", [(3, 4)], lambda x: x.cumsum(1)),
        ("cumsum dim 0", [(3, 4)], lambda x: x.cumsum(0)),
        ("gather dim 1", [(3, 4)], lambda x: x.gather(1, ix([[0, 2], [1, 1], [3, 0]]))),
        ("gather dim 0", [(3, 4)], lambda x: x.gather(0, ix([[2, 0, 1, 1]]))),
        ("scatter_add dim 1", [(3, 4), (3, 2)], lambda x, s: x.scatter_add(1, ix([[0, 0], [3, 1], [2, 2]]), s)),
        ("index_select dim 0", [(3, 4)], lambda x: x.index_select(0, ix([2, 0, 2]))),
        ("index_select dim 1", [(3, 4)], lambda x: x.index_select(1, ix([3, 1]))),
        ("index_select slabs dim 1", [(2, 3, 40)], lambda x: x.index_select(1, ix([2, 0, 2]))),
        ("flip 0 1", [(3, 4)], lambda x: x.flip(0, 1)),
        ("flip 2", [(2, 3, 4)], lambda x: x.flip(2)),
        ("roll 1 -2", [(3, 4)], lambda x: x.roll((1, -2), (0, 1))),
        ("roll flat 5", [(3, 4)], lambda x: x.roll(5)),
        ("tril", [(3, 4)], lambda x: x.tril()),
        ("tril -1 batched", [(2, 3, 4)], lambda x: x.tril(-1)),
        ("triu 1", [(4, 3)], lambda x: x.triu(1)),
        ("diag of vector 1", [(3,)], lambda x: x.diag(1)),
        ("diag of matrix -1", [(3, 4)], lambda x: x.diag(-1)),
        ("diag of matrix 2", [(3, 4)], lambda x: x.diag(2)),
        ("trace", [(3, 4)], lambda x: x.trace()),
        ("slice step 2", [(3, 4)], lambda x: x[:, 0:4:2]),
        ("slice 1:5:3", [(6, 2)], lambda x: x[1:5:3]),
        ("repeat 2 1 2", [(3, 4)], lambda x: x.repeat(2, 1, 2)),
        ("stack dim 1", [(3, 4), (3, 4)], lambda x, y: torch.stack([x, y], 1)),
        ("split 3 dim 1 second", [(3, 4)], lambda x: x.split(3, 1)[1]),
        ("chunk 2 dim 0 last", [(3, 4)], lambda x: x.chunk(2, 0)[1]),
        ("dot", [(5,), (5,)], lambda x, y: x.dot(y)),
        ("mv", [(3, 4), (4,)], lambda x, y: x.mv(y)),
        ("outer", [(3,), (4,)], lambda x, y: torch.outer(x, y)),
        ("bmm", [(2, 3, 4), (2, 4, 5)], lambda x, y: x.bmm(y)),
        ("addmm", [(3, 5), (3, 4), (4, 5)], lambda x, a, b: x.addmm(a, b)),
        ("addmm row input", [(5,), (3, 4), (4, 5)], lambda x, a, b: x.addmm(a, b)),
        ("matmul broadcast batch", [(2, 1, 3, 4), (3, 4, 2)], lambda x, y: x.matmul(y)),
        ("matmul 3d by 2d", [(2, 3, 4), (4, 5)], lambda x, y: x.matmul(y)),
        ("matmul 1d by 3d", [(4,), (2, 4, 3)], lambda x, y: x.matmul(y)),
        ("matmul 3d by 1d", [(2, 3, 4), (4,)], lambda x, y: x.matmul(y)),
        ("einsum ij,jk->ik", [(3, 4), (4, 5)], lambda x, y: torch.einsum("ij,jk->ik", x, y)),
        ("einsum bij,bjk->bik", [(2, 3, 4), (2, 4, 5)], lambda x, y: torch.einsum("bij,bjk->bik", x, y)),
        ("einsum i,i->", [(5,), (5,)], lambda x, y: torch.einsum("i,i->", x, y)),
        ("einsum i,j->ij", [(3,), (4,)], lambda x, y: torch.einsum("i,j->ij", x, y)),
        ("einsum ij->ji", [(3, 4)], lambda x: torch.einsum("ij->ji", x)),
        ("einsum ii->i", [(4, 4)], lambda x: torch.einsum("ii->i", x)),
        ("einsum ij->", [(3, 4)], lambda x: torch.einsum("ij->", x)),
        ("einsum bij,bkj->bki", [(2, 3, 4), (2, 5, 4)], lambda x, y: torch.einsum("bij,bkj->bki", x, y)),
        ("einsum ij,ij->i", [(3, 4), (1, 4)], lambda x, y: torch.einsum("ij,ij->i", x, y)),
        ("einsum implicit ij,jk", [(3, 4), (4, 5)], lambda x, y: torch.einsum("ij,jk", x, y)),
        ("einsum ik,jkl->ijl", [(2, 3), (4, 3, 5)], lambda x, y: torch.einsum("ik,jkl->ijl", x, y)),
    ]


def other_specs(shapes, dtype=F):
    return [(dtype, shape, wave(shape, k)) for k, shape in enumerate(shapes)]


def unary_op_names():
    """The PyTorch names of step 2's UnaryOp rows, read from the enum itself: a new row gets
    reference values by rerunning this script, with no edit here."""
    here = os.path.dirname(os.path.abspath(__file__))
    enum = os.path.join(here, "..", "src", "main", "java", "dev", "steptorch", "tensor", "UnaryOp.java")
    with open(enum) as f:
        return re.findall(r'^\s+[A-Z0-9_]+\("(\w+)",', f.read(), re.M)


def unary_cases():
    """Every unary op on float32, float64 and int64 inputs, negative, zero and positive."""
    values = [-2.5, -1.0, -0.5, 0.0, 0.25, 1.0, 3.0]
    cases = []
    for name in unary_op_names():
        for dtype in ("float32", "float64", "int64"):
            spec = (dtype, (7,), [round(v) for v in values] if dtype == "int64" else values)
            cases.append((name, spec, getattr(torch, name)))
    return cases


def escape(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def lines():
    out = []
    for name, dtype, shape, values, grad in print_cases():
        t = build(dtype, shape, values)
        if grad:
            t.requires_grad_(True)
        fields = ["print", name, dtype, ",".join(str(s) for s in shape),
                  spec_text(dtype, shape, values).split(" ", 2)[2], str(grad).lower(), escape(str(t))]
        out.append("\t".join(fields))
    for op, left, right in promote_cases():
        result = PROMOTE_OPS[op](operand(left), operand(right))
        out.append("\t".join(["promote", op, left, right, NAMES[result.dtype]]))
    for name, inputs, fn in op_cases():
        tensors = [build(*spec) for spec in inputs]
        result = fn(*tensors)
        out.append("\t".join(["op", name, "; ".join(spec_text(*spec) for spec in inputs), result_text(result)]))
    for name, shapes, fn in other_cases():
        specs = other_specs(shapes)
        result = fn(*[build(*spec) for spec in specs])
        out.append("\t".join(["other", name, "; ".join(spec_text(*spec) for spec in specs), result_text(result)]))
    for name, spec, fn in unary_cases():
        out.append("\t".join(["unary", name, spec_text(*spec), result_text(fn(build(*spec)))]))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "src", "test", "resources", "torch_reference.txt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("# generated by scripts/make_reference.py with PyTorch %s; do not edit\n" % torch.__version__)
        for line in lines():
            f.write(line + "\n")


if __name__ == "__main__":
    main()
