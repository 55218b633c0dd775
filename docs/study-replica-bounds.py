"""Bounds on the study's "full mean difference" that hold for any model (docs/study-replica.md).

An L-infinity attack of size eps moves every value by +-eps (its sign is the model's gradient's),
then clips. Whatever the signs, mean |x' - x| lies between the mean of the smaller and of the
larger of the two moves, value by value; the middle is what random signs give. This prints those
bounds on the 10,000 CIFAR-10 test images for the readings of the study's pipeline in the README,
including the one that mixes spaces: an attack on Normalize(0.5, 0.5) tensors clamped to [0, 1]
(torchattacks), compared with the de-normalised [0,1] original.

Usage: python3 docs/study-replica-bounds.py [~/.cache/qrbench/cifar10/test_batch.bin]
"""
import os
import sys

import numpy as np

path = sys.argv[1] if len(sys.argv) > 1 else "~/.cache/qrbench/cifar10/test_batch.bin"
rows = np.fromfile(os.path.expanduser(path), dtype=np.uint8).reshape(10000, 3073)
x = rows[:, 1:].reshape(10000, 3, 32, 32).astype(np.float64) / 255


def per_channel(v):
    return np.array(v, dtype=np.float64).reshape(1, 3, 1, 1)


def bounds(up, down):
    """255 x (lower bound, random-sign middle, upper bound) of mean |d| over all values."""
    low = np.minimum(up, down).mean()
    high = np.maximum(up, down).mean()
    return 255 * low, 255 * (up + down).mean() / 2, 255 * high


cifar = (per_channel([0.4914, 0.4822, 0.4465]), per_channel([0.2470, 0.2435, 0.2616]))
half = (per_channel([0.5] * 3), per_channel([0.5] * 3))
print("reading                                               eps      low   random     high")
for eps in (8 / 255, 0.3):
    up = np.minimum(x + eps, 1) - x
    down = x - np.maximum(x - eps, 0)
    print("[0,1] images, clipped to [0,1]                      %6.4f %8.3f %8.3f %8.3f" % (eps, *bounds(up, down)))
for name, (mean, std) in (("CIFAR", cifar), ("0.5/0.5", half)):
    z = (x - mean) / std
    for eps in (0.0, 8 / 255, 0.3):
        up = np.clip(z + eps, 0, 1)
        down = np.clip(z - eps, 0, 1)
        print("%-7s tensors clamped to [0,1], vs the tensor (z)   %6.4f %8.3f %8.3f %8.3f"
              % (name, eps, *bounds(np.abs(up - z), np.abs(down - z))))
        print("%-7s tensors clamped to [0,1], vs the [0,1] image  %6.4f %8.3f %8.3f %8.3f"
              % (name, eps, *bounds(np.abs(up - x), np.abs(down - x))))
