"""What denormal gradients cost a convolution's backward pass on this CPU: six 16-channel 3x3
convolutions on a batch of 128 32x32 inputs, forward and backward with an upstream gradient of
ordinary size, then one scaled by 1e-39 (all denormal in float32), then the same with denormals
flushed to zero. A float32 cross-entropy hands such gradients back for images whose logit margin
is between about 87 and 103 (softmax entries below float32's smallest normal, 1.2e-38); qrbench's
attack losses send O(1) directions instead (LogOdds, LogitLosses), so its passes never see them.

    python3 benchmarks/pytorch/denormals.py [threads=2]
"""
import sys
import time

import torch


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    torch.manual_seed(0)
    net = torch.nn.Sequential(*[torch.nn.Conv2d(16, 16, 3, padding=1) for _ in range(6)])
    for p in net.parameters():
        p.requires_grad_(False)
    x = torch.randn(128, 16, 32, 32, requires_grad=True)

    def fastest(scale, flush):
        torch.set_flush_denormal(flush)
        g = torch.randn(128, 16, 32, 32) * scale
        times = []
        for _ in range(6):
            t = time.perf_counter()
            net(x).backward(g)
            times.append(time.perf_counter() - t)
            x.grad = None
        torch.set_flush_denormal(False)
        return min(times)

    for _ in range(2):
        normal = fastest(1.0, False)
        denormal = fastest(1e-39, False)
        flushed = fastest(1e-39, True)
        print(f"forward+backward, fastest of 6: ordinary gradient {normal:.3f} s, denormal"
              f" {denormal:.3f} s ({denormal / normal:.1f}x), denormal flushed {flushed:.3f} s")


if __name__ == "__main__":
    main()
