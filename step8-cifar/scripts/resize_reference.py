"""Reference values for Resize (bilinear, antialias=False) from torchvision on tensor inputs.

Run from step8-cifar/:  /usr/bin/python3 scripts/resize_reference.py > src/test/resources/resize_bilinear.txt
Each case is one line: "in_c in_h in_w size... | out_h out_w | values" where size is one number
(shorter edge) or two (h w), and values are the output in CHW order. The input is the formula
x[c, y, x] = ((c * 31 + y * 7 + x * 3) % 17) / 16, which ResizeReferenceTest rebuilds.
"""
import torch
import torchvision.transforms.functional as F

CASES = [
    ((3, 5, 7), [3, 4]),
    ((3, 5, 7), [8, 11]),
    ((1, 4, 4), [7, 3]),
    ((2, 6, 9), [4]),      # shorter edge 6 -> 4, long edge int(4 * 9 / 6) = 6
    ((3, 9, 5), [7]),      # portrait: width 5 -> 7, height int(7 * 9 / 5) = 12
    ((3, 32, 32), [24, 24]),
    ((3, 10, 10), [10, 10]),
]


def image(c, h, w):
    t = torch.zeros(c, h, w)
    for ci in range(c):
        for y in range(h):
            for x in range(w):
                t[ci, y, x] = ((ci * 31 + y * 7 + x * 3) % 17) / 16
    return t


for (c, h, w), size in CASES:
    out = F.resize(image(c, h, w), size, interpolation=F.InterpolationMode.BILINEAR, antialias=False)
    values = " ".join(repr(float(v)) for v in out.flatten().tolist())
    print(f"{c} {h} {w} {' '.join(map(str, size))} | {out.shape[1]} {out.shape[2]} | {values}")
