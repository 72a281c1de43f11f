#!/usr/bin/env bash
# channels_last on the CPU: forward and train-step time per backbone, NCHW and channels_last, runner (TorchSharp, NHWC
# strides as `channels_last: true` sets them) and Debian's PyTorch 1.13 (model.to(memory_format=torch.channels_last)),
# same weights, input size, batch and threads. The four cells of an arch are measured back to back, PAIRS times over,
# interleaved (PyTorch NCHW, PyTorch CL, runner NCHW, runner CL); times are medians over the rounds, ratios are taken within
# each round and given as median (min–max), which keeps a loaded machine's slow stretches from deciding them.
#   bench/channels_last.sh        # ARCHS=resnet18,mobilenet_v2,efficientnet_b0 BATCH=16 SIZE=32 THREADS=$(nproc) PAIRS=5
# Speed-up = NCHW ms / channels_last ms (above 1: channels_last is faster); runner / PyTorch = PyTorch ms / runner ms.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
archs=${ARCHS:-resnet18,mobilenet_v2,efficientnet_b0}
pairs=${PAIRS:-5}
args=(--batch "${BATCH:-16}" --size "${SIZE:-32}" --threads "${THREADS:-$(nproc)}" --warmup "${WARMUP:-3}" --iterations "${ITERATIONS:-10}")
out=bench/out/channels_last
mkdir -p "$out/weights"
rm -f "$out"/*.tsv

dotnet build bench/Runner.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
bench=bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; command: ARCHS=$archs BATCH=${BATCH:-16} SIZE=${SIZE:-32} PAIRS=$pairs bench/channels_last.sh"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$pairs"); do
  for arch in ${archs//,/ }; do
    /usr/bin/python3 bench/pytorch_models.py "$arch" "${args[@]}" --weights "$out/weights" >> "$out/pytorch-nchw.tsv"
    /usr/bin/python3 bench/pytorch_models.py "$arch" "${args[@]}" --weights "$out/weights" --channels-last >> "$out/pytorch-cl.tsv"
    dotnet "$bench" models "$arch" "${args[@]}" --weights "$out/weights" >> "$out/runner-nchw.tsv"
    dotnet "$bench" models "$arch" "${args[@]}" --weights "$out/weights" --channels-last >> "$out/runner-cl.tsv"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "batch ${BATCH:-16}, ${SIZE:-32}×${SIZE:-32}, ${THREADS:-$(nproc)} threads; ms are medians over $pairs rounds of the median of ${ITERATIONS:-10} calls after ${WARMUP:-3} warm-up"
/usr/bin/python3 - "$out" <<'PY'
import statistics, sys
out = sys.argv[1]
def load(name):
    rows = {}
    for line in open(f"{out}/{name}.tsv"):
        f = line.rstrip("\n").split("\t")
        rows.setdefault(f[0], []).append((float(f[1]), float(f[3])))
    return rows
rn, rc, pn, pc = (load(n) for n in ("runner-nchw", "runner-cl", "pytorch-nchw", "pytorch-cl"))
def cell(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"
for i, what in ((0, "forward"), (1, "train step")):
    print(f"\n{what}: median ms over the rounds; ratios are per round (same round, measured back to back), median (min–max)\n")
    print("| arch | runner NCHW ms | runner channels_last ms | runner speed-up | PyTorch NCHW ms | PyTorch channels_last ms | PyTorch speed-up | runner / PyTorch, NCHW | runner / PyTorch, channels_last |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for arch in rn:
        a, b, c, d = ([r[i] for r in t[arch]] for t in (rn, rc, pn, pc))
        med = lambda v: f"{statistics.median(v):.2f}"
        print(f"| {arch} | {med(a)} | {med(b)} | {cell([x / y for x, y in zip(a, b)])} | {med(c)} | {med(d)} | {cell([x / y for x, y in zip(c, d)])} | "
              f"{cell([x / y for x, y in zip(c, a)])} | {cell([x / y for x, y in zip(d, b)])} |")
PY
