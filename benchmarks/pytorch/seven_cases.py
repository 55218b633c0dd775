"""PyTorch eager baseline for issue 23 at the scale of a suite: the seven cases of
benchmarks/suites/seven-cases.yaml (clean; scikit-image's Gaussian, Poisson, salt-and-pepper and
speckle noise at their defaults; FGSM and PGD-10 at 8/255) on the first N CIFAR-10 test images, a
CIFAR ResNet-20 as qrbench builds it (pgd_step.py's), batch 128, parameters frozen, intra-op threads
as given. It prints each case's seconds and top-1 and the whole loop's wall time, for
benchmarks/seven-cases.sh to set beside `bin/qrbench run` of the same suite, alternating.

The weights are PyTorch's initialisation, not the shipped FP's (DJL's .params format has no
PyTorch reader): the time of a pass does not depend on them, so top-1 here is near chance and
only shows the loop ran. Images are read from qrbench's data cache (test_batch.bin, as
`bin/qrbench data fetch cifar10` leaves it) or the folder given.

    python3 benchmarks/pytorch/seven_cases.py [images=2000] [threads=2] [cifar10 folder]
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from skimage.util import random_noise

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cifar10 import cache_folder, test_images  # noqa: E402
from pgd_step import ResNet20  # noqa: E402


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    folder = sys.argv[3] if len(sys.argv) > 3 else cache_folder()
    start = time.perf_counter()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(1)
    model = ResNet20().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    images, labels = test_images(folder, n)
    eps = 8 / 255

    def noise(mode):
        def apply(x, y):
            # scikit-image on the batch as float64 in [0,1], as the study's pipeline did
            return torch.from_numpy(
                random_noise(x.numpy().astype(np.float64), mode=mode,
                             seed=int(rng.integers(2**31))).astype(np.float32))
        return apply

    def grad(x, y):
        x = x.clone().requires_grad_(True)
        loss = F.cross_entropy(model(x).double(), y)  # the loss on float64 logits, as qrbench does
        (g,) = torch.autograd.grad(loss, x)
        return g

    def fgsm(x, y):
        return (x + eps * grad(x, y).sign()).clamp(0, 1)

    def pgd(x0, y, steps=10, step=eps / 4):
        x = (x0 + torch.empty_like(x0).uniform_(-eps, eps)).clamp(0, 1)
        for _ in range(steps):
            x = x + step * grad(x, y).sign()
            x = torch.min(torch.max(x, x0 - eps), x0 + eps).clamp(0, 1)
        return x

    cases = [("none", lambda x, y: x), ("gaussian", noise("gaussian")),
             ("poisson", noise("poisson")), ("salt-and-pepper", noise("s&p")),
             ("speckle", noise("speckle")), ("fgsm", fgsm), ("pgd-10", pgd)]
    print(f"torch {torch.__version__}, {threads} threads, {n} images", flush=True)
    for name, perturb in cases:
        t0 = time.perf_counter()
        correct = 0
        for i in range(0, n, 128):
            x = torch.from_numpy(images[i:i + 128])
            y = labels[i:i + 128]
            xp = perturb(x, y)
            with torch.no_grad():
                correct += int((model(xp).argmax(1) == y).sum())
        print(f"  {name:16s} {time.perf_counter() - t0:8.2f} s  top-1 {100.0 * correct / n:6.2f}%",
              flush=True)
    print(f"wall {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
