#!/usr/bin/env bash
# Forward and train-step time per backbone: runner's TorchSharp models vs Debian's PyTorch, same weights (saved by
# PyTorch, imported by runner), same input size, batch and thread count, one after the other in one run.
#   bench/models.sh                      # defaults below; override with ARCHS=… BATCH=… SIZE=… THREADS=…
# Ratio = PyTorch time / runner time: above 1 means runner is faster.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
archs=${ARCHS:-resnet18,mobilenet_v2,efficientnet_b0,inception_v3,xception}
args=(--batch "${BATCH:-8}" --size "${SIZE:-128}" --threads "${THREADS:-$(nproc)}" --warmup "${WARMUP:-3}" --iterations "${ITERATIONS:-10}")
out=bench/out/models
mkdir -p "$out/weights"

dotnet build bench/Runner.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
/usr/bin/python3 bench/pytorch_models.py "$archs" "${args[@]}" --weights "$out/weights" > "$out/pytorch.tsv"
dotnet bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll models "$archs" "${args[@]}" --weights "$out/weights" > "$out/runner.tsv"

echo "batch ${BATCH:-8}, ${SIZE:-128}×${SIZE:-128}, ${THREADS:-$(nproc)} threads, median of ${ITERATIONS:-10} after ${WARMUP:-3} warm-up (ms)"
/usr/bin/python3 - "$out/runner.tsv" "$out/pytorch.tsv" <<'PY'
import sys
rows = [dict((l.split("\t")[0], l.rstrip("\n").split("\t")) for l in open(f)) for f in sys.argv[1:3]]
ratio = lambda py, rs: "n/a" if "n/a" in (py, rs) else f"{float(py) / float(rs):.2f}"
print(f"| arch | runner fwd | PyTorch fwd | fwd ratio | runner train | PyTorch train | train ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for arch, r in rows[0].items():
    p = rows[1].get(arch, [arch, "n/a", "n/a", "n/a", "n/a", "0"])
    print(f"| {arch} | {r[1]} ±{r[2]} | {p[1]} | {ratio(p[1], r[1])} | {r[3]} ±{r[4]} | {p[3]} | {ratio(p[3], r[3])} |")
PY
