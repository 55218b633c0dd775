"""An independent check of qrbench's APGD-CE and DeepFool (issue 19): the same model, the same
test images, the attacks written again in PyTorch from their papers, and the numbers set beside
what qrbench recorded for the same cases.

The model is an ONNX file as `bin/qrbench export` writes it (the shipped FP, for instance), run by
a small interpreter of its graph in PyTorch eager, so that autograd gives the input gradients:
nothing of qrbench's Java or DJL code runs here, only the exported weights are shared (the export
is checked against qrbench's own logits when it is written). The images are CIFAR-10's first N
test images from qrbench's data cache.

- APGD with the cross-entropy loss (`apgd-ce`), L-infinity (Croce and Hein 2020, Algorithm 1): a random start
  in the ball, step 2 epsilon halved at the checkpoints w_j = ceil(p_j N) when the loss rose in
  fewer than rho = 0.75 of the steps since the last one or when neither the step nor the best loss
  changed since it (then restarting from the best point), momentum alpha = 0.75, 100 steps. An image
  counts as broken when any point of the run is misclassified. The loss is the cross-entropy of the
  logits in float64, so that it never saturates. `apgd-t`: the same with the targeted DLR loss,
  one run per target (the 9 classes of largest clean logit but the label), each on the images
  still classified right.
- DeepFool (Moosavi-Dezfooli et al. 2016), L2 and L-infinity, overshoot 0.02, 50 iterations, all
  classes as candidates: the sum of the steps to the nearest linearised boundary, scaled by 1 +
  overshoot and clipped to [0, 1]; an image wrong already is left as it is. Sizes per image: L2 in
  [0, 1] units, L-infinity in 0-255 units, median and mean over all the images.

With qrbench's results.json of the same suite (`--results`), it prints qrbench's numbers for the
same model and cases, and for APGD the images on which the two disagree (a paired comparison:
both runs have their own random starts, so a few images near the boundary may differ).

    bin/qrbench export --weights models/resnet20-fp/resnet20-fp.params --out /tmp/fp.onnx
    python3 benchmarks/pytorch/attack_check.py /tmp/fp.onnx --images 1000 \\
        --results studies/autoattack/results.json --model FP

Needs Debian's python3-torch and python3-onnx.
"""
import argparse
import base64
import json
import math
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cifar10 import cache_folder, test_images  # noqa: E402


class OnnxGraph(torch.nn.Module):
    """The operators qrbench's fp32 export uses, each as its PyTorch eager twin."""

    def __init__(self, path):
        super().__init__()
        model = onnx.load(path)
        self.graph = model.graph
        self.values = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
                       for t in self.graph.initializer}
        self.input = self.graph.input[0].name
        self.output = self.graph.output[0].name

    def forward(self, x):
        env = dict(self.values)
        env[self.input] = x
        for node in self.graph.node:
            a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
            i = [env[name] for name in node.input]
            op = node.op_type
            if op == "Sub":
                y = i[0] - i[1]
            elif op == "Div":
                y = i[0] / i[1]
            elif op == "Add":
                y = i[0] + i[1]
            elif op == "Relu":
                y = F.relu(i[0])
            elif op == "Conv":
                pads = a.get("pads", [0, 0, 0, 0])
                if pads[0] != pads[2] or pads[1] != pads[3]:
                    raise ValueError("asymmetric padding in " + node.name)
                y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None,
                             stride=tuple(a.get("strides", [1, 1])), padding=(pads[0], pads[1]),
                             groups=a.get("group", 1))
            elif op == "Slice":
                y = i[0]
                steps = i[4].tolist() if len(i) > 4 else [1] * len(i[1])
                for s, e, ax, st in zip(i[1].tolist(), i[2].tolist(), i[3].tolist(), steps):
                    size = y.shape[ax]
                    e = min(e, size)
                    index = torch.arange(s, e, st)
                    y = y.index_select(ax, index)
            elif op == "Pad":
                if a.get("mode", b"constant") != b"constant":
                    raise ValueError("only constant padding: " + node.name)
                p = i[1].tolist()
                rank = len(p) // 2
                # ONNX: all starts then all ends; F.pad: last axis first, (start, end) pairs
                flat = []
                for ax in reversed(range(rank)):
                    flat += [p[ax], p[ax + rank]]
                y = F.pad(i[0], flat)
            elif op == "GlobalAveragePool":
                y = i[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                y = i[0].flatten(a.get("axis", 1))
            elif op == "Gemm":
                b = i[1].t() if a.get("transB", 0) else i[1]
                y = i[0] @ b
                if len(i) > 2:
                    y = y + i[2]
            else:
                raise ValueError("operator not handled: " + op)
            env[node.output[0]] = y
        return env[self.output]


def ce_per_image(logits, y):
    return F.cross_entropy(logits.double(), y, reduction="none")


def dlr_targeted(logits, y, t):
    """Croce and Hein's targeted DLR loss: -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2)."""
    z = logits.double()
    top = z.sort(dim=1, descending=True).values
    d = top[:, 0] - 0.5 * (top[:, 2] + top[:, 3]) + 1e-12
    return -(z.gather(1, y.view(-1, 1)) - z.gather(1, t.view(-1, 1))).view(-1) / d


def loss_and_grad(model, x, y, target=None):
    x = x.detach().requires_grad_(True)
    logits = model(x)
    loss = ce_per_image(logits, y) if target is None else dlr_targeted(logits, y, target)
    (g,) = torch.autograd.grad(loss.sum(), x)
    return loss.detach(), logits.detach(), g


def checkpoints(n):
    p = [0.0, 0.22]
    while p[-1] < 1:
        p.append(p[-1] + max(p[-1] - p[-2] - 0.03, 0.06))
    # p_j are hundredths: 0.22 + 0.19 + 0.16 is 0.5700000000000001 in binary, not past 0.57
    return sorted({math.ceil(round(q * n, 9)) for q in p if q <= 1 and q * n > 0})


def apgd(model, x0, y, eps, steps=100, rho=0.75, alpha=0.75, seed=0, target=None):
    """Per image: True where some point of the run is misclassified (with ``target``: APGD with
    the targeted DLR loss towards those classes)."""
    gen = torch.Generator().manual_seed(seed)
    n = x0.shape[0]
    lo, hi = (x0 - eps).clamp(0, 1), (x0 + eps).clamp(0, 1)

    def project(z):
        return torch.max(torch.min(z, hi), lo)

    col = (n, 1, 1, 1)
    # x^(0): a random start in the ball
    x = project(x0 + eps * (2 * torch.rand(x0.shape, generator=gen) - 1))
    loss, logits, g = loss_and_grad(model, x, y, target)
    broken = logits.argmax(1) != y
    eta = torch.full(col, 2 * eps)
    best_x, best_g, best_loss = x.clone(), g.clone(), loss.clone()
    loss_prev = loss
    rises = torch.zeros(n)
    marks = set(checkpoints(steps))
    last_mark = 0
    halved_at_mark = torch.zeros(n, dtype=torch.bool)
    best_at_mark = best_loss.clone()
    x_prev = x
    for k in range(1, steps + 1):
        # x^(k) from x^(k-1): the step, then momentum (none for the first step)
        z = project(x + eta * g.sign())
        x_next = z if k == 1 else project(x + alpha * (z - x) + (1 - alpha) * (x - x_prev))
        x_prev, x = x, x_next
        if k == steps:  # the last point needs no gradient
            with torch.no_grad():
                broken |= model(x).argmax(1) != y
            break
        loss, logits, g = loss_and_grad(model, x, y, target)
        broken |= logits.argmax(1) != y
        rises += (loss > loss_prev).float()
        loss_prev = loss
        better = loss > best_loss
        best_x[better], best_g[better] = x[better], g[better]
        best_loss = torch.where(better, loss, best_loss)
        if k in marks:
            # condition 1: the loss rose in fewer than rho of the steps since the last checkpoint;
            # condition 2: the step was not halved there and the best loss has not moved since
            few = rises < rho * (k - last_mark)
            stale = ~halved_at_mark & (best_loss == best_at_mark)
            halve = few | stale
            eta = torch.where(halve.view(col), eta / 2, eta)
            # the run goes on from the best point, with its gradient
            x = torch.where(halve.view(col), best_x, x)
            g = torch.where(halve.view(col), best_g, g)
            loss_prev = torch.where(halve, best_loss, loss_prev)
            rises.zero_()
            last_mark = k
            halved_at_mark = halve
            best_at_mark = best_loss.clone()
    return broken


def apgd_t(model, x0, y, eps, targets=9, seed=0):
    """APGD-T: one run per target (the classes of largest clean logit but the label), each on the
    images still classified right."""
    with torch.no_grad():
        z = model(x0)
    broken = z.argmax(1) != y
    order = z.argsort(dim=1, descending=True)
    ranked = torch.stack([row[row != label] for row, label in zip(order, y)])
    for r in range(min(targets, z.shape[1] - 1)):
        alive = (~broken).nonzero().view(-1)
        if len(alive) == 0:
            break
        hit = apgd(model, x0[alive], y[alive], eps, seed=seed * 100 + r,
                      target=ranked[alive, r])
        broken[alive[hit]] = True
    return broken


def deepfool(model, x0, y, linf, overshoot=0.02, iterations=50):
    """The returned images: DeepFool's point for each (x0 itself where the model is wrong)."""
    n = x0.shape[0]
    total = torch.zeros_like(x0, dtype=torch.float64)
    x = x0.clone()
    done = torch.zeros(n, dtype=torch.bool)
    for it in range(iterations + 1):
        active = (~done).nonzero().view(-1)
        if len(active) == 0:
            break
        xa = x[active].detach().requires_grad_(True)
        logits = model(xa)
        classes = logits.shape[1]
        ya = y[active]
        wrong = logits.argmax(1) != ya
        done[active[wrong]] = True
        if it == iterations or wrong.all():
            break
        keep = (~wrong).nonzero().view(-1)
        rows = active[keep]
        za = logits.double()
        zy = za.gather(1, ya.view(-1, 1)).view(-1)
        grads, fs = [], []
        for k in range(classes):
            fk = za[:, k] - zy
            (gk,) = torch.autograd.grad(fk.sum(), xa, retain_graph=k < classes - 1)
            grads.append(gk[keep].double())
            fs.append(fk[keep].detach())
        best = torch.full((len(rows),), float("inf"), dtype=torch.float64)
        step = torch.zeros((len(rows),) + x0.shape[1:], dtype=torch.float64)
        for k in range(classes):
            w = grads[k]
            f = fs[k].abs()
            is_label = ya[keep] == k
            norm = w.flatten(1).abs().sum(1) if linf else w.flatten(1).norm(dim=1)
            dist = torch.where(is_label | (norm == 0), torch.full_like(f, float("inf")), f / norm)
            closer = dist < best
            if linf:
                s = (f / norm).view(-1, 1, 1, 1) * w.sign()
            else:
                s = (f / norm ** 2).view(-1, 1, 1, 1) * w
            step = torch.where(closer.view(-1, 1, 1, 1), s, step)
            best = torch.where(closer, dist, best)
        stuck = torch.isinf(best)
        done[rows[stuck]] = True
        total[rows] += step
        x[rows] = (x0[rows].double() + (1 + overshoot) * total[rows]).clamp(0, 1).float()
    return x.detach()


# per image: whether the attack broke it (some point of its run misclassified)
APGD = {"apgd-ce": apgd, "apgd-t": apgd_t}


def sizes(x, x0, linf):
    d = (x - x0).flatten(1)
    v = d.abs().max(1).values * 255 if linf else d.norm(dim=1)
    v = v.double().numpy()
    return float(np.median(v)), float(v.mean())


def qrbench_case(results, model, perturbation, epsilon=None):
    for c in results["cases"]:
        if c["model"] != model or c["perturbation"] != perturbation:
            continue
        values = c.get("level", {}).get("values", {})
        if epsilon is not None and abs(float(values.get("epsilon", -1)) - epsilon) > 1e-6:
            continue
        return c["metrics"]
    return None


def outcomes(metrics, n, first=0):
    """qrbench's per-image top-1 hits (a java.util.BitSet, base64) of images first..first+n-1."""
    bits = base64.b64decode(metrics["outcomes"])
    return np.array([(i // 8 < len(bits)) and (bits[i // 8] >> (i % 8)) & 1 == 1
                     for i in range(first, first + n)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("onnx")
    ap.add_argument("--images", type=int, default=1000)
    ap.add_argument("--first", type=int, default=0, help="the index of the first test image")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epsilons", default="0.0039216,0.0078431")
    ap.add_argument("--attacks", default="apgd-ce,deepfool-l2,deepfool-linf")
    ap.add_argument("--results", help="qrbench's results.json of the same images")
    ap.add_argument("--model", default="FP", help="the model's name in --results")
    ap.add_argument("--data", help="folder with CIFAR-10's test_batch.bin")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    images, labels = test_images(args.data or cache_folder(), args.images, args.first)
    images = torch.from_numpy(images)
    model = OnnxGraph(args.onnx).eval()
    results = json.load(open(args.results)) if args.results else None
    batches = [(images[i:i + args.batch], labels[i:i + args.batch])
               for i in range(0, len(labels), args.batch)]
    with torch.no_grad():
        clean = torch.cat([model(x).argmax(1) == y for x, y in batches]).numpy()
    print(f"clean top-1 {100 * clean.mean():.1f}% on {len(labels)} images", flush=True)
    if results:
        q = qrbench_case(results, args.model, "none")
        if q:
            theirs = outcomes(q, len(labels), args.first)
            same = (theirs == clean).sum()
            print(f"  qrbench on these images {100 * theirs.mean():.1f}%;"
                  f" the same decision on {same} of {len(labels)}")
    for attack in args.attacks.split(","):
        if attack in APGD:
            for eps in map(float, args.epsilons.split(",")):
                t0 = time.perf_counter()
                robust = ~torch.cat([APGD[attack](model, x, y, eps,
                                                  seed=b + args.first // args.batch)
                                     for b, (x, y) in enumerate(batches)]).numpy()
                print(f"{attack} eps {eps * 255:.0f}/255: robust top-1 {100 * robust.mean():.1f}%"
                      f" ({time.perf_counter() - t0:.0f} s)", flush=True)
                q = qrbench_case(results, args.model, attack, eps) if results else None
                if q:
                    theirs = outcomes(q, len(labels), args.first)
                    print(f"  qrbench on these images {100 * theirs.mean():.1f}%; robust here"
                          f" only {(robust & ~theirs).sum()}, in qrbench only"
                          f" {(theirs & ~robust).sum()}")
        elif attack in ("deepfool-l2", "deepfool-linf"):
            linf = attack.endswith("linf")
            t0 = time.perf_counter()
            out = torch.cat([deepfool(model, x, y, linf) for x, y in batches])
            med, mean = sizes(out, images, linf)
            with torch.no_grad():
                fooled = torch.cat([model(out[i:i + args.batch]).argmax(1)
                                    != labels[i:i + args.batch]
                                    for i in range(0, len(labels), args.batch)]).numpy()
            unit = "0-255" if linf else "[0,1]"
            print(f"{attack}: size median {med:.4f}, mean {mean:.4f} ({unit});"
                  f" fooled {100 * fooled.mean():.1f}% ({time.perf_counter() - t0:.0f} s)",
                  flush=True)
            if results:
                q = qrbench_case(results, args.model, attack)
                if q:
                    scale = 255 if linf else 1
                    med_q = q["extra"]["median-linf" if linf else "median-l2"]
                    mean_q = q["meanLinf" if linf else "meanL2"]
                    print(f"  qrbench median {med_q * scale:.4f}, mean {mean_q * scale:.4f};"
                          f" top-1 {q['top1']:.1f}%")
        else:
            raise SystemExit("unknown attack " + attack)


if __name__ == "__main__":
    main()
