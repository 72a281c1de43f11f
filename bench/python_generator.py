#!/usr/bin/python3
"""Python side of bench/data.sh: the original study's Keras-style batch generator, single-threaded, timed.

Written the way the article's notebook feeds model.fit: every epoch re-reads and re-decodes every JPEG with
cv2.imread, resizes it to 224 × 224, divides by 255, flips it horizontally with probability 0.25 and, with probability
0.5, takes one of five crops — [:196, :196], [28:, 28:], [28:, :196], [:196, 28:], [28:196, 28:196] (each 10 %) — and
resizes it back to 224 (cubic). Batches are numpy arrays; nothing is cached between epochs.

usage: python_generator.py FOLDER [--epochs 2] [--batch 32] [--size 224] [--seed 0]
Prints one line per epoch and a final `RESULT img_s=… img_cpu_s=…` line (mean over the epochs).
"""
import argparse
import random
import time
from pathlib import Path

import cv2
import numpy as np


def generator(paths, labels, batch_size, size, rng):
    crop = size * 196 // 224  # 196 at 224, as in the article
    edge = size - crop        # 28 at 224
    while True:
        order = rng.permutation(len(paths))
        for start in range(0, len(paths), batch_size):
            images, targets = [], []
            for i in order[start:start + batch_size]:
                image = cv2.imread(str(paths[i]))
                image = cv2.resize(image, (size, size))
                image = image / 255.
                if random.random() < 0.25:
                    image = cv2.flip(image, 1)
                if random.random() < 0.5:
                    r = random.random()
                    if r < 0.2:
                        image = image[:crop, :crop]
                    elif r < 0.4:
                        image = image[edge:, edge:]
                    elif r < 0.6:
                        image = image[edge:, :crop]
                    elif r < 0.8:
                        image = image[:crop, edge:]
                    else:
                        image = image[edge:crop, edge:crop]
                    image = cv2.resize(image, (size, size), interpolation=cv2.INTER_CUBIC)
                images.append(image)
                targets.append(labels[i])
            yield np.array(images), np.array(targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    paths = sorted(p for p in Path(args.folder).rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    labels = [1 if "dog" in p.name else 0 for p in paths]  # the article's labelling: "dog" in the file name
    random.seed(args.seed)
    batches = generator(paths, labels, args.batch, args.size, np.random.default_rng(args.seed))
    steps = (len(paths) + args.batch - 1) // args.batch
    print(f"python generator: {len(paths)} images, {args.size} px, batch {args.batch}, 1 thread "
          f"(OpenCV {cv2.__version__}, cv2.getNumThreads() = {cv2.getNumThreads()})")
    walls, cpus = [], []
    for epoch in range(args.epochs):
        wall, cpu = time.perf_counter(), time.process_time()
        count = 0
        for _ in range(steps):
            images, _ = next(batches)
            count += len(images)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        walls.append(wall)
        cpus.append(cpu)
        print(f"epoch {epoch + 1}: {count} images in {wall:.3f} s: {count / wall:.1f} img/s, {count / cpu:.1f} img/CPU-s "
              f"({cpu / wall:.2f} cores busy)")
    total = len(paths) * args.epochs
    print(f"RESULT img_s={total / sum(walls):.1f} img_cpu_s={total / sum(cpus):.1f}")


if __name__ == "__main__":
    main()
