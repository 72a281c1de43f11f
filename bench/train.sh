#!/usr/bin/env bash
# Training as a user runs it, two checks in one run:
#  (1) throughput: runner's train step (bench/Runner.Bench `train`: Head loss, Optimizers' Adam, lr set per step) vs
#      Debian's PyTorch (bench/pytorch_train.py) on the same model, batch, image size and thread count; ratio = runner
#      img/s / PyTorch img/s, target ≥ 0.95.
#  (2) memory: a real `runner run` of EPOCHS epochs on the quickstart dataset (a temporary working directory), printing
#      the resident set size train.json records after each epoch and its growth from epoch 2 to the last, target < 3%.
#   bench/train.sh          # ARCH=mobilenet_v2 BATCH=16 SIZE=32 THREADS=$(nproc) ITERATIONS=20 EPOCHS=10
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/experiment.sh"
arch=${ARCH:-mobilenet_v2}
batch=${BATCH:-16}
size=${SIZE:-32}
threads=${THREADS:-$(nproc)}
epochs=${EPOCHS:-10}
args=(--batch "$batch" --size "$size" --threads "$threads" --warmup "${WARMUP:-3}" --iterations "${ITERATIONS:-20}")
out="$root/bench/out/train"
mkdir -p "$out"

dotnet build "$root/bench/Runner.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly
"$root/runner" --help >/dev/null # build once, before anything is timed

echo "== (1) train step: $arch, batch $batch, ${size}×${size}, $threads threads, median of ${ITERATIONS:-20} after ${WARMUP:-3} warm-up"
(cd "$root/bench" && /usr/bin/python3 pytorch_train.py "$arch" "${args[@]}") > "$out/pytorch.tsv"
dotnet "$root/bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll" train "$arch" "${args[@]}" > "$out/runner.tsv"
/usr/bin/python3 - "$out/runner.tsv" "$out/pytorch.tsv" <<'PY'
import sys
runner, pytorch = ({l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(f)} for f in sys.argv[1:3])
print("| arch | runner img/s | runner step ms | PyTorch img/s | PyTorch step ms | ratio (target ≥ 0.95) |")
print("|---|---:|---:|---:|---:|---:|")
for arch, r in runner.items():
    p = pytorch[arch]
    print(f"| {arch} | {r[1]} | {r[2]} ±{r[3]} | {p[1]} | {p[2]} ±{p[3]} | {float(r[1]) / float(p[1]):.2f} |")
PY

echo
echo "== (2) runner run: $arch, $epochs epochs, ${size} px, batch $batch on the quickstart dataset; RSS at the end of each epoch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one_backbone_experiment train-memory "$root/data/fashion-mnist-shirts" 0.2 0.2 "$arch" "$size" "$epochs" "$batch" > "$work/train-memory.yaml"
(cd "$work" && RUNNER_HOME="$work/.runner" "$root/runner" run train-memory.yaml --device cpu --threads "$threads" > run.log 2>&1) || { tail -30 "$work/run.log"; exit 1; }
train_json=$(find "$work/.runner" -name train.json | head -1)
cp "$train_json" "$out/train.json"
cp "$work/report/README.md" "$out/report.md"
/usr/bin/python3 - "$train_json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
rss, seconds = t["rss_mb"], t["epoch_seconds"]
print("| epoch | seconds | RSS MB |")
print("|---:|---:|---:|")
for i, (s, m) in enumerate(zip(seconds, rss), 1):
    print(f"| {i} | {s:.2f} | {m:.1f} |")
growth = (rss[-1] - rss[1]) / rss[1] * 100
print(f"RSS growth from epoch 2 to epoch {len(rss)}: {growth:+.2f}% (target < 3%); effective batch size {t.get('effective_batch_size')}")
PY
