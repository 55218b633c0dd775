"""CIFAR-10's test images as qrbench's data cache holds them (test_batch.bin, as `bin/qrbench data
fetch cifar10` leaves it), for the PyTorch scripts beside this file."""
import os

import numpy as np
import torch


def cache_folder():
    """qrbench's CIFAR-10 folder: $QRBENCH_DATA, else $XDG_CACHE_HOME or ~/.cache, /qrbench."""
    cache = os.environ.get("QRBENCH_DATA") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "qrbench")
    return os.path.join(cache, "cifar10")


def test_images(folder, n, first=0):
    """Test images first..first+n-1 as float32 NCHW in [0, 1] (numpy) and their labels (torch)."""
    raw = np.fromfile(os.path.join(folder, "test_batch.bin"), dtype=np.uint8)
    records = raw.reshape(-1, 3073)[first:first + n]
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = records[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0
    return images, labels
