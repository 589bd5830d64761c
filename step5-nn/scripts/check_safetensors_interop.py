#!/usr/bin/python3
"""safetensors files between PyTorch and StepTorch, read and written with plain struct/json/NumPy.

Two modes, run from the step5-nn directory with /usr/bin/python3 (torch 1.13 + numpy):

  make    writes src/test/resources/torch_sequential.safetensors, the state_dict of a seeded
          nn.Sequential(Linear(4, 3), ReLU(), Linear(3, 2)), and torch_sequential_expected.txt
          with a fixed input and the model's output for it; SafetensorsInteropTest loads the
          file into StepTorch's Sequential and compares.

              /usr/bin/python3 scripts/check_safetensors_interop.py make

          With a folder after make, writes the two files there instead: .ci/run does that and
          points SafetensorsInteropTest at it with TORCH_INTEROP_DIR, so PyTorch's own file of
          this run is the one StepTorch loads.

  check   reads a file that StepTorch wrote, loads it into the same torch model with
          load_state_dict (strict), runs the fixed input and prints the outputs. Given
          FILE.outputs.txt beside it (SafetensorsInteropTest writes one), it also compares
          with StepTorch's outputs and exits non-zero on a mismatch. Several files may follow
          check (StepTorch's F16 and BF16 files too; they are compared after upcasting). After running
          SafetensorsInteropTest (mvn ... -Dtest=SafetensorsInteropTest):

              /usr/bin/python3 scripts/check_safetensors_interop.py check \
                  target/safetensors-interop/steptorch_sequential.safetensors
"""
import json
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "src", "test", "resources")
DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "I64": np.dtype("<i8"), "BOOL": np.dtype("bool"),
          "F16": np.dtype("<f2")}
CODES = {v: k for k, v in DTYPES.items()}


def model():
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))


def fixed_input():
    return torch.linspace(-2.0, 2.0, 20, dtype=torch.float32).reshape(5, 4)


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype == torch.bfloat16:  # NumPy has no bfloat16: its bits, as int16
            a = t.view(torch.int16).numpy().astype("<i2", copy=False)
            code = "BF16"
        else:
            a = np.ascontiguousarray(t.numpy())
            a = a.astype(a.dtype.newbyteorder("<"), copy=False)
            code = CODES[np.dtype(a.dtype.str)]
        data = a.tobytes()
        header[name] = {"dtype": code, "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    header.pop("__metadata__", None)
    spans = sorted(tuple(v["data_offsets"]) for v in header.values())
    pos = 0
    for b, e in spans:
        assert b == pos, f"hole or overlap at byte {b}"
        pos = e
    assert pos == len(data), "trailing bytes after the last tensor"
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        if info["dtype"] == "BF16":
            a = np.frombuffer(data[b:e], dtype=np.dtype("<i2")).reshape(info["shape"])
            out[name] = torch.from_numpy(a.copy()).view(torch.bfloat16)
            continue
        a = np.frombuffer(data[b:e], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out


def fmt(t):
    return " ".join(repr(float(v)) for v in t.reshape(-1).tolist())


def make(out_dir=RESOURCES):
    torch.manual_seed(5)
    m = model()
    path = os.path.join(out_dir, "torch_sequential.safetensors")
    write_safetensors(path, m.state_dict())
    x = fixed_input()
    with torch.no_grad():
        y = m(x)
    with open(os.path.join(out_dir, "torch_sequential_expected.txt"), "w") as f:
        f.write("# nn.Sequential(Linear(4, 3), ReLU(), Linear(3, 2)) from torch " + torch.__version__
                + "; made by scripts/check_safetensors_interop.py make\n")
        f.write("input 5 4 " + fmt(x) + "\n")
        f.write("output 5 2 " + fmt(y) + "\n")
    # the file must read back through the same reader the check mode uses
    assert all(torch.equal(a, b) for a, b in zip(read_safetensors(path).values(), m.state_dict().values()))
    print("wrote", path)
    # the 16-bit forms model hubs publish; StepTorch reads them upcast to float32
    for code, dtype in (("f16", torch.float16), ("bf16", torch.bfloat16)):
        narrow = os.path.join(out_dir, "torch_sequential_" + code + ".safetensors")
        write_safetensors(narrow, {k: v.to(dtype) for k, v in m.state_dict().items()})
        print("wrote", narrow)


def check(path):
    state = {k: v.float() for k, v in read_safetensors(path).items()}
    print("tensors:", {k: (str(v.dtype), list(v.shape)) for k, v in state.items()})
    m = model()
    m.load_state_dict(state, strict=True)
    with torch.no_grad():
        y = m(fixed_input())
    print("torch output for the fixed input:")
    print(y)
    outputs = path + ".outputs.txt"
    if os.path.exists(outputs):
        with open(outputs) as f:
            java = torch.tensor([float(v) for v in f.read().split()], dtype=torch.float32).reshape(y.shape)
        diff = (java - y).abs().max().item()
        print("StepTorch output:")
        print(java)
        print("max |torch - StepTorch| =", diff)
        if not torch.allclose(java, y, rtol=1e-6, atol=1e-6):
            sys.exit("MISMATCH")
        print("OK: outputs agree within 1e-6")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        for p in sys.argv[2:]:
            check(p)
    elif len(sys.argv) == 2 and sys.argv[1] == "make":
        make()
    elif len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(__doc__)
