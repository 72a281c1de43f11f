#!/usr/bin/env bash
# Forward and train-step time per backbone: runner's TorchSharp models vs Debian's PyTorch, same weights (saved by
# PyTorch, imported by runner), same input size, batch and thread count, on the same machine.
#   bench/models.sh          # both sections with the defaults below; override with ARCHS=… BATCH=… SIZE=… THREADS=…
#                            # and MODERN=… (MODERN= skips the second section, ARCHS= the first)
# 1. ARCHS (the original study's families): forward and train step at batch BATCH, SIZE×SIZE, PyTorch then runner.
# 2. MODERN: forward only, batch 1 at 224×224, each architecture PyTorch then runner back to back.
# Ratio = PyTorch time / runner time: above 1 means runner is faster. The header records the machine, its load
# (`uptime`: the machine may be shared) and the BLAS PyTorch loaded (Debian's torch uses whatever libblas.so.3 is:
# ./setup.sh --for test installs OpenBLAS; the reference BLAS makes every matmul an order of magnitude slower).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
archs=${ARCHS-resnet18,mobilenet_v2,efficientnet_b0,inception_v3,xception}
modern=${MODERN-convnext_tiny,efficientnet_v2_s,regnet_y_1_6gf,vit_b_16,swin_t,maxvit_t}
threads=${THREADS:-$(nproc)}
timing=(--threads "$threads" --warmup "${WARMUP:-3}" --iterations "${ITERATIONS:-10}")
out=bench/out/models
mkdir -p "$out/weights"

dotnet build bench/Runner.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
bench=bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p') ×$(nproc), load $(uptime | sed 's/.*load average: //')"

table() { # runner.tsv pytorch.tsv: the markdown table with ratios
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
rows = [dict((l.split("\t")[0], l.rstrip("\n").split("\t")) for l in open(f)) for f in sys.argv[1:3]]
ratio = lambda py, rs: "n/a" if "n/a" in (py, rs) else f"{float(py) / float(rs):.2f}"
print(f"| arch | runner fwd | PyTorch fwd | fwd ratio | runner train | PyTorch train | train ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for arch, r in rows[0].items():
    p = rows[1].get(arch, [arch, "n/a", "n/a", "n/a", "n/a", "0"])
    train = lambda row: "n/a" if row[3] == "n/a" else f"{row[3]} ±{row[4]}"
    print(f"| {arch} | {r[1]} ±{r[2]} | {p[1]} ±{p[2]} | {ratio(p[1], r[1])} | {train(r)} | {train(p)} | {ratio(p[3], r[3])} |")
PY
}

if [[ -n "$archs" ]]; then
  args=(--batch "${BATCH:-8}" --size "${SIZE:-128}" "${timing[@]}" --weights "$out/weights")
  /usr/bin/python3 bench/pytorch_models.py "$archs" "${args[@]}" > "$out/pytorch.tsv" 2> "$out/pytorch.err"
  dotnet "$bench" models "$archs" "${args[@]}" > "$out/runner.tsv" 2> "$out/runner.err"
  echo
  echo "batch ${BATCH:-8}, ${SIZE:-128}×${SIZE:-128}, $threads threads, median ± IQR of ${ITERATIONS:-10} after ${WARMUP:-3} warm-up (ms)"
  echo "PyTorch: $(head -1 "$out/pytorch.err")"
  echo "runner: $(head -1 "$out/runner.err")"
  table "$out/runner.tsv" "$out/pytorch.tsv"
fi

if [[ -n "$modern" ]]; then
  args=(--batch 1 --size 224 "${timing[@]}" --weights "$out/weights" --forward-only)
  : > "$out/modern-pytorch.tsv"
  : > "$out/modern-runner.tsv"
  for arch in ${modern//,/ }; do
    /usr/bin/python3 bench/pytorch_models.py "$arch" "${args[@]}" >> "$out/modern-pytorch.tsv" 2> "$out/pytorch.err"
    dotnet "$bench" models "$arch" "${args[@]}" >> "$out/modern-runner.tsv" 2> "$out/runner.err"
  done
  echo
  echo "forward, batch 1, 224×224, $threads threads, median ± IQR of ${ITERATIONS:-10} after ${WARMUP:-3} warm-up (ms); load $(uptime | sed 's/.*load average: //')"
  echo "PyTorch: $(head -1 "$out/pytorch.err")"
  echo "runner: $(head -1 "$out/runner.err")"
  table "$out/modern-runner.tsv" "$out/modern-pytorch.tsv"
fi
