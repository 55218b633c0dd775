"""Makes tiny_classifier.pt and tiny_classifier_expected.json for TorchScriptModelTest.

A tiny CNN classifier (conv 3->4, BatchNorm, ReLU, global average pool, linear 4->10) whose
weights are a fixed function of their index, so the file is the same on every run and every
PyTorch version. It is scripted (not traced), so train/eval stays a runtime switch, and it is
saved in TRAINING mode on purpose: BatchNorm has non-trivial running statistics, so the Java
side reproduces the expected (eval-mode) logits only if DJL runs the module in eval mode.

Run from this folder:  python3 make_tiny_classifier.py
"""

import json
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


class TinyClassifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(x.mean(dim=(2, 3)))


def fill(t: torch.Tensor, phase: float, scale: float, offset: float = 0.0) -> None:
    """Deterministic values: offset + scale * sin(0.7 * i + phase) for the i-th element."""
    i = torch.arange(t.numel(), dtype=torch.float64)
    t.copy_((offset + scale * torch.sin(0.7 * i + phase)).reshape(t.shape).to(t.dtype))


def fixed_input() -> torch.Tensor:
    """x[n, c, h, w] = ((n*7 + c*5 + h*3 + w) % 17) / 16 for shape (2, 3, 32, 32)."""
    n, c, h, w = torch.meshgrid(
        torch.arange(2), torch.arange(3), torch.arange(32), torch.arange(32), indexing="ij")
    return ((n * 7 + c * 5 + h * 3 + w) % 17).to(torch.float32) / 16


def main() -> None:
    model = TinyClassifier()
    with torch.no_grad():
        fill(model.conv.weight, 0.1, 0.5)
        fill(model.conv.bias, 0.2, 0.1)
        fill(model.bn.weight, 0.3, 0.2, 1.0)
        fill(model.bn.bias, 0.4, 0.1)
        fill(model.bn.running_mean, 0.5, 0.3, 0.2)
        fill(model.bn.running_var, 0.6, 0.2, 0.8)
        fill(model.fc.weight, 0.7, 0.8)
        fill(model.fc.bias, 0.8, 0.1)

    x = fixed_input()
    model.eval()
    with torch.no_grad():
        logits = model(x)
        model.train()
        train_logits = model(x)  # batch statistics: must differ, or the eval-mode check is void
    assert not torch.allclose(logits, train_logits, atol=1e-3), "train and eval mode agree"
    # scripting does not touch BatchNorm's running statistics; the train-mode pass above did
    # (momentum update), so restore them before saving
    with torch.no_grad():
        fill(model.bn.running_mean, 0.5, 0.3, 0.2)
        fill(model.bn.running_var, 0.6, 0.2, 0.8)
        model.bn.num_batches_tracked.zero_()
        model.eval()
        assert torch.equal(model(x), logits)
    model.train()  # saved in training mode on purpose, see above

    scripted = torch.jit.script(model)
    torch.jit.save(scripted, "tiny_classifier.pt")
    with open("tiny_classifier_expected.json", "w") as f:
        json.dump({
            "torch": torch.__version__,
            "input": "x[n,c,h,w] = ((n*7 + c*5 + h*3 + w) % 17) / 16",
            "input_shape": [2, 3, 32, 32],
            "logits": [[float(v) for v in row] for row in logits.tolist()],
        }, f, indent=1)
        f.write("\n")
    print("saved tiny_classifier.pt; logits[0] =", [round(v, 5) for v in logits[0].tolist()])


if __name__ == "__main__":
    main()
