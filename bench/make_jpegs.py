"""Writes N JPEGs of about 25 KB (320x240, quality 90: smooth colour fields plus noise), named like Kaggle's
dogs-vs-cats train folder (cat.0.jpg ... dog.K.jpg), into DIR. Usage: make_jpegs.py DIR N"""
import os
import sys

import cv2
import numpy as np

folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
rng = np.random.default_rng(0)
for i in range(count):
    base = cv2.resize(rng.integers(0, 255, (12, 16, 3), dtype=np.uint8), (320, 240), interpolation=cv2.INTER_CUBIC)
    image = np.clip(base.astype(np.int16) + rng.integers(-12, 12, (240, 320, 3), dtype=np.int16), 0, 255).astype(np.uint8)
    cv2.imwrite(os.path.join(folder, f"{'cat' if i % 2 == 0 else 'dog'}.{i // 2}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
