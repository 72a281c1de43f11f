#!/usr/bin/python3
"""PyTorch side of bench/epoch.sh: whole training epochs on the training split runner's data task wrote.

usage: pytorch_epoch.py SPLIT_JSON ARCH --size 32 --batch 64 --epochs 3 --threads 2 --seed 42 [--print-steps]
The training images are decoded and resized as runner does (OpenCV, area filter when shrinking, cubic when
enlarging), normalised with ImageNet's mean and std and preloaded as one NCHW float tensor; each epoch indexes it by a
fresh random permutation (the last batch may be short, as in runner). Adam lr 1e-3, cross-entropy, no augmentation,
the model in train mode, loss read every step. Prints one line: images_per_second=… epoch_seconds=…,… train_loss=…
(images × epochs / sum of the epochs' seconds, validation not included, as runner's train.images_per_second).
--print-steps first prints each epoch's step times in ms, one line per epoch.
"""
import argparse
import json
import os
import sys
import time

import cv2
import numpy as np
import torch
import torchvision.models as models

from pytorch_models import blas

MEAN, STD = np.array([0.485, 0.456, 0.406], np.float32), np.array([0.229, 0.224, 0.225], np.float32)


def load(split_path, size):
    split = json.load(open(split_path))
    items = [i for i in split["items"] if i["split"] == "train"]
    images = np.empty((len(items), 3, size, size), np.float32)
    for n, item in enumerate(items):
        bgr = cv2.imread(os.path.join(split["root"], item["file"]), cv2.IMREAD_COLOR)
        shrinking = bgr.shape[0] > size or bgr.shape[1] > size
        rgb = cv2.cvtColor(cv2.resize(bgr, (size, size), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC),
                           cv2.COLOR_BGR2RGB)
        images[n] = ((rgb.astype(np.float32) / 255 - MEAN) / STD).transpose(2, 0, 1)
    labels = torch.tensor([i["label"] for i in items])
    return torch.from_numpy(images), labels, len(split["classes"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("arch")
    for flag, default in [("--size", 32), ("--batch", 64), ("--epochs", 3), ("--threads", 2), ("--seed", 42)]:
        parser.add_argument(flag, type=int, default=default)
    parser.add_argument("--print-steps", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {blas()}", file=sys.stderr)
    torch.manual_seed(args.seed)
    images, labels, classes = load(args.split, args.size)
    # runner's head: one logit for two classes (binary cross-entropy), otherwise one per class
    binary = classes == 2
    model = getattr(models, args.arch)(num_classes=1 if binary else classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    seconds, loss_sum = [], 0.0
    for epoch in range(args.epochs):
        start = time.perf_counter()
        order = torch.randperm(len(images))
        loss_sum, step_ends = 0.0, [start]
        for first in range(0, len(images), args.batch):
            index = order[first:first + args.batch]
            x, y = images[index], labels[index]
            optimizer.zero_grad()
            logits = model(x)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits.squeeze(1), y.float()) if binary
                    else torch.nn.functional.cross_entropy(logits, y))
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
            step_ends.append(time.perf_counter())
        seconds.append(time.perf_counter() - start)
        if args.print_steps:
            print(f"epoch {epoch + 1} step ms: " + " ".join(f"{1000 * d:.0f}" for d in np.diff(step_ends)))
    print(f"images_per_second={len(images) * args.epochs / sum(seconds):.1f} "
          f"epoch_seconds={','.join(f'{s:.2f}' for s in seconds)} train_loss={loss_sum / len(images):.4f} images={len(images)}")


if __name__ == "__main__":
    main()
