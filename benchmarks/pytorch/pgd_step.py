"""PyTorch eager baseline for issue 23: one PGD step (and, for scale, one forward pass) of a
CIFAR ResNet-20 (He et al. 2016, option-A shortcuts, input normalisation inside the model, as
qrbench's resnet-cifar builds it) on a batch of 128 images, parameters frozen, intra-op threads as
given. Prints milliseconds per call, median over rounds, for qrbench's PgdStepBench to be set
beside it (alternate the two: benchmarks/pytorch/README in docs/benchmarks.md).

    python3 benchmarks/pytorch/pgd_step.py [threads=2] [rounds=5] [calls=20]
"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.pad = cout - cin if (stride != 1 or cin != cout) else 0

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        s = x
        if self.pad:
            s = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad // 2, self.pad // 2))
        return F.relu(y + s)


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1))
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                layers.append(Block(cin, cout, stride if i == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.relu(self.bn(self.conv(x)))
        x = self.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    calls = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = ResNet20().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    x0 = torch.rand(128, 3, 32, 32)
    y = torch.randint(0, 10, (128,))
    eps, step = 2 / 255, 1 / 255

    def pgd_step():
        x = x0.clone().requires_grad_(True)
        loss = F.cross_entropy(model(x), y)
        (g,) = torch.autograd.grad(loss, x)
        x = x.detach() + step * g.sign()
        return torch.min(torch.max(x, x0 - eps), x0 + eps).clamp(0, 1)

    def forward():
        with torch.no_grad():
            return model(x0)

    for _ in range(3):
        pgd_step()
        forward()
    results = {"pgd step": [], "forward": []}
    for _ in range(rounds):
        for name, f in (("pgd step", pgd_step), ("forward", forward)):
            t0 = time.perf_counter()
            for _ in range(calls):
                f()
            results[name].append((time.perf_counter() - t0) / calls * 1000)
    print(f"torch {torch.__version__}, {threads} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    for name, ms in results.items():
        print(f"{name}: median {statistics.median(ms):.2f} ms [{min(ms):.2f}, {max(ms):.2f}] over {rounds} rounds of {calls}")


if __name__ == "__main__":
    main()
