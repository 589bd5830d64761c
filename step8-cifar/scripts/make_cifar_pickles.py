"""A tiny cifar-10-batches-py folder for CIFAR10PickleTest, in the layout torchvision's CIFAR10 downloads.

    /usr/bin/python3 step8-cifar/scripts/make_cifar_pickles.py step8-cifar/src/test/resources/cifar-10-batches-py

The real files were written by Python 2's cPickle (protocol 2: str as BINSTRING, NumPy arrays through
numpy.core.multiarray._reconstruct). The training batches and batches.meta are written here opcode by
opcode in that form; test_batch is Python 3's own protocol-2 pickle of the same kind of dict, where
NumPy stores bytes through _codecs.encode. Each file is checked to load as torchvision loads it
(pickle.load(f, encoding="latin1")). Image i of batch b has label (b + i) % 10 and pixel
j = (7 * i + 13 * j + b) % 256.
"""
import os
import pickle
import struct
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
N = 2
NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def images(b):
    i = np.arange(N)[:, None]
    j = np.arange(3072)[None, :]
    return ((7 * i + 13 * j + b) % 256).astype(np.uint8), [int((b + k) % 10) for k in range(N)]


def s(text):  # a Python 2 str: SHORT_BINSTRING or BINSTRING
    data = text if isinstance(text, bytes) else text.encode("latin1")
    return b"U" + bytes([len(data)]) + data if len(data) < 256 else b"T" + struct.pack("<i", len(data)) + data


def i(n):
    return b"K" + bytes([n]) if 0 <= n < 256 else b"J" + struct.pack("<i", n)


def py2_value(v):
    if isinstance(v, np.ndarray):
        return (b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n" + i(0) + b"\x85" + s("b") + b"\x87R"
                + b"(" + i(1) + i(v.shape[0]) + i(v.shape[1]) + b"\x86"
                + b"cnumpy\ndtype\n" + s("u1") + i(0) + i(1) + b"\x87R(" + i(3) + s("|") + b"NNN" + i(-1) + i(-1) + i(0) + b"tb"
                + b"\x89" + s(v.tobytes()) + b"tb")
    if isinstance(v, list):
        return b"](" + b"".join(py2_value(x) for x in v) + b"e"
    if isinstance(v, int):
        return i(v)
    return s(v)


def py2_dict(d):
    return b"\x80\x02}(" + b"".join(s(k) + py2_value(v) for k, v in d.items()) + b"u."


def check(path, expect):
    with open(path, "rb") as f:
        got = pickle.load(f, encoding="latin1")
    for k, v in expect.items():
        assert np.array_equal(np.asarray(got[k]), np.asarray(v)), (path, k)


for b in range(1, 6):
    data, labels = images(b)
    d = {"batch_label": "training batch %d of 5" % b, "labels": labels, "data": data,
         "filenames": ["img_%d_%d.png" % (b, k) for k in range(N)]}
    path = os.path.join(out, "data_batch_%d" % b)
    with open(path, "wb") as f:
        f.write(py2_dict(d))
    check(path, {"labels": labels, "data": data})

data, labels = images(0)
path = os.path.join(out, "test_batch")
with open(path, "wb") as f:
    pickle.dump({"batch_label": "testing batch 1 of 1", "labels": labels, "data": data,
                 "filenames": ["test_%d.png" % k for k in range(N)]}, f, protocol=2)
check(path, {"labels": labels, "data": data})

path = os.path.join(out, "batches.meta")
with open(path, "wb") as f:
    f.write(py2_dict({"num_cases_per_batch": N, "label_names": NAMES, "num_vis": 3072}))
check(path, {"label_names": NAMES})
print("wrote", sorted(os.listdir(out)))
