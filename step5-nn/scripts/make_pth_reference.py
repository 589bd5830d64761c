"""Writes the .pth test files of dev.steptorch.serialization (TorchLoadTest) with PyTorch 1.13.

    /usr/bin/python3 step5-nn/scripts/make_pth_reference.py step5-nn/src/test/resources/pth

good.pth is a plain torch.save of a state_dict; the others are hostile or damaged on purpose:
each must be refused by name, and none may run code (the os.system one would create a file
named PWNED in the working directory if anything ran it).
"""
import collections
import io
import os
import pickle
import sys
import zipfile

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


# -- a good state_dict: every dtype StepTorch has, a view with an offset, a transposed view sharing storage
base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4
good = collections.OrderedDict()
good["w"] = base
good["w_t"] = base.t()  # shares w's storage, non-contiguous strides
good["row"] = base[1]  # storage offset 4
good["d"] = torch.tensor([1.5, -2.25], dtype=torch.float64)
good["n"] = torch.tensor(7, dtype=torch.int64)
good["mask"] = torch.tensor([True, False, True])
torch.save(good, path("good.pth"))

# -- a general checkpoint, as the saving notes write one
lin = torch.nn.Linear(2, 1)
torch.manual_seed(0)
torch.save({"epoch": 5, "model_state_dict": lin.state_dict(), "loss": 0.25}, path("general_checkpoint.pth"))

# -- torch.save(model): pickles the class by name, which weights_only refuses
torch.save(torch.nn.Linear(2, 1), path("whole_model.pth"))

# -- the legacy (pre-1.6) format
torch.save(good, path("legacy.pth"), _use_new_zipfile_serialization=False)


class Storage:
    """Stands for a storage in hand-made pickles: written as torch's persistent id."""

    def __init__(self, key, numel, kind=torch.FloatStorage):
        self.key, self.numel, self.kind = key, numel, kind


class FakeTensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.kind, obj.key, "cpu", obj.numel)
        return None


def archive(name, obj, entries):
    """A zip laid out as torch.save lays it out, with data.pkl pickled from obj and raw storage entries."""
    buf = io.BytesIO()
    TorchPickler(buf, protocol=2).dump(obj)
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        for key, data in entries.items():
            z.writestr("archive/data/" + key, data)
        z.writestr("archive/version", "3\n")


four = torch.arange(4, dtype=torch.float32).numpy().tobytes()


class System:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


class Eval:
    def __reduce__(self):
        return (eval, ("__import__('os').system('touch PWNED')",))


archive("os_system.pth", collections.OrderedDict(x=System()), {})
archive("builtins_eval.pth", collections.OrderedDict(x=Eval()), {})
archive("unknown_global.pth", collections.OrderedDict(x=collections.Counter("ab")), {})
archive("half_storage.pth", {"x": FakeTensor(Storage("0", 2, torch.HalfStorage), 0, (2,), (1,))}, {"0": b"\0" * 4})
# the pickle declares 4 floats, the entry holds 3
archive("short_storage.pth", {"x": FakeTensor(Storage("0", 4), 0, (4,), (1,))}, {"0": four[:12]})
# the shape needs 8 elements, the storage holds 4
archive("shape_beyond_storage.pth", {"x": FakeTensor(Storage("0", 4), 0, (2, 4), (4, 1))}, {"0": four})
# 2**40 elements declared for a 16-byte entry
archive("huge_numel.pth", {"x": FakeTensor(Storage("0", 2 ** 40), 0, (4,), (1,))}, {"0": four})
# 2**29 floats (2 GiB) declared, a 16-byte entry: refused before any allocation
archive("large_numel.pth", {"x": FakeTensor(Storage("0", 2 ** 29), 0, (4,), (1,))}, {"0": four})
# a shape of 2**31-1 by 2**31-1 elements over a 4-element storage
archive("huge_shape.pth", {"x": FakeTensor(Storage("0", 4), 0, (2 ** 31 - 1, 2 ** 31 - 1), (0, 0))}, {"0": four})
archive("missing_storage.pth", {"x": FakeTensor(Storage("7", 4), 0, (4,), (1,))}, {"0": four})

# a data.pkl cut short inside the pickle
buf = io.BytesIO()
torch.save(good, buf)
with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path("truncated_pickle.pth"), "w") as dst:
    for info in src.infolist():
        data = src.read(info.filename)
        dst.writestr(info.filename, data[: len(data) // 2] if info.filename.endswith("data.pkl") else data)
# the whole file cut in half: the zip's central directory is gone
with open(path("truncated_zip.pth"), "wb") as f:
    f.write(buf.getvalue()[: len(buf.getvalue()) // 2])

print("wrote", sorted(os.listdir(out)))
