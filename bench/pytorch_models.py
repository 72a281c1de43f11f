#!/usr/bin/python3
"""PyTorch side of bench/models.sh: the same measurement as Runner.Bench, on Debian's torch/torchvision.

usage: pytorch_models.py ARCH[,ARCH…] --batch 8 --size 128 --threads 2 --warmup 3 --iterations 10 --weights DIR
       [--forward-only] [--channels-last]
Saves DIR/ARCH.pth (the weights both sides use) when it does not exist yet, then prints one tab-separated line per
arch: arch, forward ms (median), forward IQR, train step ms (median), train IQR, n (train n/a with --forward-only).
--channels-last puts the model and the input in torch.channels_last, as timm's --channels-last does.
On stderr: torch's version and threads, and the BLAS library the process loaded with a 1024² sgemm's speed (Debian's
torch is built with BLAS_INFO=generic: the libblas.so.3 alternative decides, reference BLAS or OpenBLAS).
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
import torchvision.models as models


def blas():
    """The BLAS library this process loaded (Debian's torch is built with BLAS_INFO=generic: whichever libblas.so.3 the
    alternatives system points to, the reference one unless OpenBLAS is installed) and a 1024² sgemm's GFLOP/s."""
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    samples = measure(lambda: torch.mm(a, b), 1, 3)
    with open("/proc/self/maps") as maps:
        libraries = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1]})
    gflops = 2 * 1024 ** 3 / (statistics.median(samples) / 1000) / 1e9
    return f"BLAS {', '.join(libraries) or 'none loaded'} (1024² sgemm {gflops:.0f} GFLOP/s)"


def quantile(values, q):
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def measure(step, warmup, iterations):
    samples = []
    for i in range(warmup + iterations):
        start = time.perf_counter()
        step()
        if i >= warmup:
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def build(arch):
    if arch == "inception_v3":
        return models.inception_v3(aux_logits=True, init_weights=True)
    return getattr(models, arch)()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("archs")
    for flag, default in [("--batch", 8), ("--size", 128), ("--threads", 2), ("--warmup", 3), ("--iterations", 10)]:
        parser.add_argument(flag, type=int, default=default)
    parser.add_argument("--weights", default=".")
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--forward-only", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {blas()}", file=sys.stderr)
    for arch in args.archs.split(","):
        if not hasattr(models, arch):
            print(f"{arch}\tn/a\tn/a\tn/a\tn/a\t0")
            continue
        torch.manual_seed(0)
        model = build(arch)
        weights = Path(args.weights) / f"{arch}.pth"
        if weights.exists():
            model.load_state_dict(torch.load(weights))
        else:
            weights.parent.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), weights)
        if arch == "inception_v3":
            model.aux_logits, model.AuxLogits = False, None  # runner's forward skips the auxiliary branch too
        image = torch.rand(args.batch, 3, args.size, args.size)
        if args.channels_last:
            model = model.to(memory_format=torch.channels_last)
            image = image.to(memory_format=torch.channels_last)
        labels = torch.randint(0, 1000, (args.batch,))

        model.eval()
        def forward():
            with torch.inference_mode():
                model(image)
        forward_ms = measure(forward, args.warmup, args.iterations)
        iqr = lambda s: quantile(s, 0.75) - quantile(s, 0.25)
        if args.forward_only:
            print("\t".join([arch, f"{statistics.median(forward_ms):.2f}", f"{iqr(forward_ms):.2f}", "n/a", "n/a", str(args.iterations)]))
            continue

        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        def train_step():
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(image), labels).backward()
            optimizer.step()
        train_ms = measure(train_step, args.warmup, args.iterations)
        print("\t".join([arch, f"{statistics.median(forward_ms):.2f}", f"{iqr(forward_ms):.2f}",
                         f"{statistics.median(train_ms):.2f}", f"{iqr(train_ms):.2f}", str(args.iterations)]))


if __name__ == "__main__":
    main()
