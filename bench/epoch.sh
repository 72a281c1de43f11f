#!/usr/bin/env bash
# Whole training epochs on real data: runner's real training (`runner run --only 'train:*'` on a folder dataset,
# train.images_per_second from its train.json) vs a plain PyTorch 1.13 loop (bench/pytorch_epoch.py) over the same
# training split preloaded as one normalised tensor, a random permutation per epoch. Same model (from scratch), batch,
# image size, threads, Adam lr 1e-3, no augmentation. PAIRS interleaved pairs (runner, PyTorch, runner, …); the median
# of the pairs' ratios runner/PyTorch (target ≥ 0.95), the ratio of the medians, and every epoch of every pair pooled
# (median and fastest per side). Validation is not timed on either side.
#   bench/epoch.sh     # ARCH=resnet18 SIZE=32 IMAGES=2600 EPOCHS=3 BATCH=64 THREADS=$(nproc) PAIRS=5
# Data: Fashion-MNIST T-shirt/top vs Shirt from Debian's dataset-fashion-mnist (`runner data prepare`), IMAGES
# training images (split 80/10/10), made once under bench/out/epoch/ (caches under bench/out/epoch/run-IMAGES/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/experiment.sh"
arch=${ARCH:-resnet18}
size=${SIZE:-32}
images=${IMAGES:-2600}
epochs=${EPOCHS:-3}
batch=${BATCH:-64}
threads=${THREADS:-$(nproc)}
pairs=${PAIRS:-5}
out="$root/bench/out/epoch"
data="$out/shirts-$images"
work="$out/run-$images" # one cache per dataset, so the newest split.json in it is this dataset's
mkdir -p "$work"
export RUNNER_HOME="$work/home" # the cache stays here, wherever this runner version keeps it, apart from the user's

"$root/runner" --help >/dev/null # build once, before anything is timed
if [[ ! -f "$data/.complete" ]]; then
  rm -rf "$data"
  "$root/runner" data prepare fashion-mnist --out "$data" --classes tshirt_top,shirt --limit $(((images * 10 + 15) / 16)) >/dev/null
  touch "$data/.complete"
fi
experiment="$work/epoch-$arch-$size.yaml"
one_backbone_experiment epoch-bench "$data" 0.1 0.1 "$arch" "$size" "$epochs" "$batch" > "$experiment"

runner_epochs() { # runs training again (forced) and prints train.json's figures
  (cd "$work" && "$root/runner" run "$experiment" --device cpu --threads "$threads" --progress plain --only 'train:*' \
    --force 'train:*' > "$work/run.log" 2>&1) || { tail -30 "$work/run.log"; exit 1; }
  local train_json
  train_json=$(ls -t $(find "$work" -name train.json) | head -1)
  /usr/bin/python3 - "$train_json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
print(f"images_per_second={t['images_per_second']:.1f} epoch_seconds={','.join(f'{s:.2f}' for s in t['epoch_seconds'])} train_loss={t['train_loss'][-1]:.4f}")
PY
}
pytorch_epochs() {
  /usr/bin/python3 "$root/bench/pytorch_epoch.py" "$(ls -t $(find "$work" -name split.json) | head -1)" "$arch" \
    --size "$size" --batch "$batch" --epochs "$epochs" --threads "$threads" --seed 42
}

echo "== $arch, ${size} px, batch $batch, $epochs epochs, $threads threads, $images training images; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
runner_epochs >/dev/null # warm-up: makes the split and fills the decoded-image cache, so no pair pays for decoding
: > "$out/pairs.tsv"
for pair in $(seq "$pairs"); do
  r=$(runner_epochs)
  echo "pair $pair runner:  $r  (load $(cut -d' ' -f1 /proc/loadavg))"
  p=$(pytorch_epochs)
  echo "pair $pair PyTorch: $p  (load $(cut -d' ' -f1 /proc/loadavg))"
  echo -e "$r\t$p" >> "$out/pairs.tsv"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$out/pairs.tsv" "$arch" "$size" <<'PY'
import re, statistics, sys
def fields(text):
    return float(re.search(r"images_per_second=(\S+)", text)[1]), [float(s) for s in re.search(r"epoch_seconds=(\S+)", text)[1].split(",")]
pairs = [[fields(side) for side in line.rstrip("\n").split("\t")] for line in open(sys.argv[1])]
rows = [(r[0], p[0]) for r, p in pairs]
runner, pytorch = statistics.median(r for r, _ in rows), statistics.median(p for _, p in rows)
ratios = [r / p for r, p in rows]
# Each pair ran back to back, so its ratio compares the two loops in one machine state: the median pair ratio is the
# figure the target applies to; the ratio of the medians is printed beside it.
print("| arch | size | runner img/s (median) | PyTorch img/s (median) | median pair ratio (target ≥ 0.95) | ratio of medians | pair ratios |")
print("|---|---:|---:|---:|---:|---:|---|")
print(f"| {sys.argv[2]} | {sys.argv[3]} | {runner:.1f} | {pytorch:.1f} | {statistics.median(ratios):.2f} | {runner / pytorch:.2f} | "
      f"{', '.join(f'{r:.2f}' for r in ratios)} |")
# Per epoch, all pairs pooled: this host sometimes runs the same epoch 1.7x slower for tens of seconds (both sides; see
# bench/results/2026-12-04-epoch.md), so the fastest epochs compare the two loops with the machine in the same state.
epochs = [sorted(s for pair in pairs for s in pair[side][1]) for side in (0, 1)]
print(f"epochs (n={len(epochs[0])} per side): runner median {statistics.median(epochs[0]):.2f} s, fastest {epochs[0][0]:.2f} s; "
      f"PyTorch median {statistics.median(epochs[1]):.2f} s, fastest {epochs[1][0]:.2f} s; "
      f"ratio of medians {statistics.median(epochs[1]) / statistics.median(epochs[0]):.2f}, of fastest {epochs[1][0] / epochs[0][0]:.2f}")
PY
