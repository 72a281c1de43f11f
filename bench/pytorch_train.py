#!/usr/bin/python3
"""PyTorch side of bench/train.sh: the train step of Runner.Bench's `train` mode on Debian's torch/torchvision.

usage: pytorch_train.py ARCH[,ARCH…] --batch 16 --size 32 --threads 2 --warmup 3 --iterations 20
10 classes, cross-entropy, Adam with the learning rate set every step, fixed random batches; prints one tab-separated
line per arch: arch, img/s (median step), step ms (median), IQR, n.
"""
import argparse
import statistics
import sys

import torch
import torchvision.models as models

from pytorch_models import blas, measure, quantile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("archs")
    for flag, default in [("--batch", 16), ("--size", 32), ("--threads", 2), ("--warmup", 3), ("--iterations", 20)]:
        parser.add_argument(flag, type=int, default=default)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {blas()}", file=sys.stderr)
    for arch in args.archs.split(","):
        torch.manual_seed(0)
        model = getattr(models, arch)(num_classes=10)
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        images = torch.rand(args.batch, 3, args.size, args.size)
        labels = torch.randint(0, 10, (args.batch,))
        step = [0]

        def train_step():
            for group in optimizer.param_groups:
                group["lr"] = 1e-3 / (1 + 1e-3 * step[0])
            step[0] += 1
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            loss.item()

        samples = measure(train_step, args.warmup, args.iterations)
        median = statistics.median(samples)
        print("\t".join([arch, f"{args.batch * 1000 / median:.2f}", f"{median:.2f}",
                         f"{quantile(samples, 0.75) - quantile(samples, 0.25):.2f}", str(args.iterations)]))


if __name__ == "__main__":
    main()
