#!/usr/bin/env bash
# The input pipeline alone: the original study's single-threaded Python/OpenCV generator vs runner's decoded-image cache
# + loader threads, on ~1000 JPEGs of Kaggle dogs-vs-cats size (500×375, quality 90), at 224 px with the study's
# augmentations (hflip p 0.25, corner_crop p 0.5 size 0.875); then the rate a mobilenet_v2 train step (224 px, batch 32)
# consumes images on this machine, and the ratios.
#   bench/data.sh                     # IMAGES=1000 EPOCHS=3 PY_EPOCHS=2 WORKERS="1 2" (default: 1 and the core count)
# The dataset and experiment are made once under bench/out/data/; the decoded-image cache lives in bench/out/data/.runner/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/data"
images=${IMAGES:-1000}
epochs=${EPOCHS:-3}
py_epochs=${PY_EPOCHS:-2}
cores=$(nproc)
workers=${WORKERS:-$( ((cores > 1)) && echo "1 $cores" || echo 1)}
mkdir -p "$out"

if [[ ! -f "$out/dogs-vs-cats/.complete-$images" ]]; then
  rm -rf "$out/dogs-vs-cats"
  /usr/bin/python3 - "$out/dogs-vs-cats" "$images" <<'PY'
# Photo-like JPEGs from Fashion-MNIST: each 28×28 item upscaled (cubic) to 500×375, tinted over a random two-colour
# gradient, with grain and a little blur, so the files decode like camera images (tens of KB at quality 90).
import gzip, sys
from pathlib import Path
import cv2
import numpy as np
folder, count = Path(sys.argv[1]), int(sys.argv[2])
with gzip.open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") as f:
    items = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
rng = np.random.default_rng(2013)
h, w = 375, 500
yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
for n in range(count):
    cls = "dog" if n % 2 else "cat"
    (folder / cls).mkdir(parents=True, exist_ok=True)
    item = cv2.resize(items[n].astype(np.float32) / 255, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)[..., None]
    a, b, tint = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3), rng.uniform(60, 255, 3)
    angle = rng.uniform(0, 2 * np.pi)
    t = ((xx * np.cos(angle) + yy * np.sin(angle)) / (w + h) + 0.5)[..., None]
    image = (a * (1 - t) + b * t) * (1 - item) + tint * item
    image += rng.normal(0, 12, image.shape)
    image = cv2.GaussianBlur(image.clip(0, 255).astype(np.uint8), (3, 3), 0.8)
    cv2.imwrite(str(folder / cls / f"{cls}.{n}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
PY
  touch "$out/dogs-vs-cats/.complete-$images"
fi
cat > "$out/bench.yaml" <<'YAML'
name: data-bench
dataset:
  kind: folder
  path: dogs-vs-cats
  split: { validation: 0, test: 0, seed: 42 }
defaults:
  image_size: 224
  batch_size: 32
  augment: article
  seed: 42
augmentations:
  article:
    - hflip: { p: 0.25 }
    - corner_crop: { p: 0.5, size: 0.875 }
backbones:
  - mobilenet_v2
YAML

"$root/runner" --help >/dev/null # build once, before anything is timed
jpeg_kb=$(du -sk "$out/dogs-vs-cats" | cut -f1)
echo "== $images JPEGs of 500×375 (quality 90, $((jpeg_kb / images)) KB each on average), 224 px, batch 32, hflip p 0.25 + corner_crop p 0.5; $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo
echo "== (a) Python/OpenCV generator as in the original study (single thread, decodes every epoch)"
/usr/bin/python3 "$root/bench/python_generator.py" "$out/dogs-vs-cats" --epochs "$py_epochs" | tee "$out/python.txt"
cd "$out"
export RUNNER_HOME="$out/.runner" # the decoded-image cache under bench/out/data/.runner/
for w in $workers; do
  echo
  echo "== (b) runner data bench --workers $w (fresh cache: filled alone, then filled again while epoch 1 reads it; later epochs read the cache)"
  extra=()
  [[ $w == "${workers##* }" ]] && extra=(--train-step)
  "$root/runner" data bench bench.yaml --workers "$w" --epochs "$epochs" --fresh "${extra[@]}" | tee "$out/runner-$w.txt"
done

echo
echo "== ratios"
/usr/bin/python3 - "$out" "$cores" $workers <<'PY'
import re, sys
out, cores, workers = sys.argv[1], int(sys.argv[2]), [int(w) for w in sys.argv[3:]]
def result(path):
    line = [l for l in open(path) if l.startswith("RESULT")][-1]
    return {k: (float(v) if v != "n/a" else None) for k, v in re.findall(r"(\w+)=(\S+)", line) if k != "machine"}
py = result(f"{out}/python.txt")
runs = {w: result(f"{out}/runner-{w}.txt") for w in workers}
train = runs[workers[-1]]["train_step_img_s"]
print(f"python generator: {py['img_s']:.1f} img/s, {py['img_cpu_s']:.1f} img/CPU-s")
for w, r in runs.items():
    print(f"runner, {w} worker{'s' if w > 1 else ''}: cached epochs {r['steady_img_s']:.1f} img/s ({r['steady_img_s'] / w:.1f} per worker), "
          f"{r['steady_img_cpu_s']:.1f} img/CPU-s; cache fill {r['fill_img_s']:.1f} img/s; first epoch incl. fill {r['first_epoch_img_s']:.1f} img/s")
    print(f"  runner/python per core used: {r['steady_img_s'] / w / py['img_s']:.2f}× per worker vs the 1-thread generator, "
          f"{r['steady_img_cpu_s'] / py['img_cpu_s']:.2f}× per CPU-second  (target ≥ 2×); "
          f"cache fill alone {r['fill_img_s'] / w / py['img_s']:.2f}× per worker; "
          f"first epoch incl. decode {r['first_epoch_img_s'] / min(2 * w, cores) / py['img_s']:.2f}× per core "
          f"(its fill threads and loader threads decode: {min(2 * w, cores)} cores)")
if train:
    best = runs[workers[-1]]
    print(f"mobilenet_v2 train step (224 px, batch 32) consumes {train:.1f} img/s; "
          f"runner ({workers[-1]} workers, cached) / train step = {best['steady_img_s'] / train:.1f}×  (target ≥ 3×); "
          f"python generator / train step = {py['img_s'] / train:.1f}×")
PY
