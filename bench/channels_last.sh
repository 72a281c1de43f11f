#!/usr/bin/env bash
# channels_last on the CPU: forward and train-step time per backbone, NCHW and channels_last, runner (TorchSharp, NHWC
# strides as `channels_last: true` sets them) and Debian's PyTorch 1.13 (model.to(memory_format=torch.channels_last)),
# same weights, input size, batch and threads. The four cells of an arch are measured back to back, PAIRS times over,
# interleaved (PyTorch NCHW, PyTorch CL, runner NCHW, runner CL), and each figure is the median over the rounds.
#   bench/channels_last.sh        # ARCHS=resnet18,resnet50,mobilenet_v2,efficientnet_b0 BATCH=8 SIZE=128 THREADS=$(nproc) PAIRS=3
# Speed-up = NCHW ms / channels_last ms (above 1: channels_last is faster); runner / PyTorch = PyTorch ms / runner ms.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
archs=${ARCHS:-resnet18,resnet50,mobilenet_v2,efficientnet_b0}
pairs=${PAIRS:-3}
args=(--batch "${BATCH:-8}" --size "${SIZE:-128}" --threads "${THREADS:-$(nproc)}" --warmup "${WARMUP:-3}" --iterations "${ITERATIONS:-10}")
out=bench/out/channels_last
mkdir -p "$out/weights"
rm -f "$out"/*.tsv

dotnet build bench/Runner.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
bench=bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
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

echo "batch ${BATCH:-8}, ${SIZE:-128}×${SIZE:-128}, ${THREADS:-$(nproc)} threads; ms are medians over $pairs rounds of the median of ${ITERATIONS:-10} calls after ${WARMUP:-3} warm-up"
/usr/bin/python3 - "$out" <<'PY'
import statistics, sys
out = sys.argv[1]
def load(name):
    rows = {}
    for line in open(f"{out}/{name}.tsv"):
        f = line.rstrip("\n").split("\t")
        rows.setdefault(f[0], []).append((float(f[1]), float(f[3])))
    return {a: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for a, v in rows.items()}
rn, rc, pn, pc = (load(n) for n in ("runner-nchw", "runner-cl", "pytorch-nchw", "pytorch-cl"))
for i, what in ((0, "forward"), (1, "train step")):
    print(f"\n{what} (ms)\n")
    print("| arch | runner NCHW | runner channels_last | runner speed-up | PyTorch NCHW | PyTorch channels_last | PyTorch speed-up | runner / PyTorch, NCHW | runner / PyTorch, channels_last |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for arch in rn:
        a, b, c, d = rn[arch][i], rc[arch][i], pn[arch][i], pc[arch][i]
        print(f"| {arch} | {a:.2f} | {b:.2f} | {a / b:.2f} | {c:.2f} | {d:.2f} | {c / d:.2f} | {c / a:.2f} | {d / b:.2f} |")
PY
