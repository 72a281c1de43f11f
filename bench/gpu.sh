#!/usr/bin/env bash
# timm-comparable throughput on a GPU runner: resnet50 and efficientnet_b0 at 224 px, batch 256, amp_fp16, NCHW and
# channels_last, inference and training (forward, loss, backward, SGD step), as a time task's `timing.throughput`
# measures it (the same ThroughputTiming: random input made on the GPU, every step synchronised, cuDNN autotuning on;
# out of memory steps the batch down 256 → 192 → 128 …, and the batch that ran is printed), with random weights and
# 1000 classes as timm's benchmark.py runs them. Printed beside timm's published inference figures.
#   bench/gpu.sh        # ARCHS=resnet50,efficientnet_b0 BATCH=256 SIZE=224 PRECISION=amp_fp16 WARMUP=10 ITERATIONS=40 DEVICE=cuda
# Needs the CUDA build of libtorch (TorchSharp-cuda-linux from nuget.org, several GB) and an NVIDIA GPU.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
archs=${ARCHS:-resnet50,efficientnet_b0}
precision=${PRECISION:-amp_fp16}
args=(--batch "${BATCH:-256}" --size "${SIZE:-224}" --precision "$precision" --warmup "${WARMUP:-10}" --iterations "${ITERATIONS:-40}"
      --device "${DEVICE:-cuda}" --threads "$(nproc)" --detail)
out=bench/out/gpu
mkdir -p "$out"

nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader
dotnet build bench/Runner.Bench -c Release -p:TorchBackend=cuda -nologo -v quiet -clp:ErrorsOnly
bench=bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname), load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" throughput "$archs" "${args[@]}" | tee "$out/nchw.tsv"
dotnet "$bench" throughput "$archs" "${args[@]}" --channels-last | tee "$out/channels_last.tsv"

/usr/bin/python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
# timm's results/benchmark-infer-amp-nchw-pt291-cu128-4090.csv: infer_samples_per_sec at batch 256, 224 px, AMP, NCHW, RTX 4090.
timm = {"resnet50": 4302.84, "efficientnet_b0": 8794.71}
print("\n| arch | precision | layout | infer batch | infer img/s | timm 4090 infer img/s (amp, NCHW) | ratio | train batch | train img/s | fwd / bwd / opt ms |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
for layout in ("nchw", "channels_last"):
    for line in open(f"{out}/{layout}.tsv"):
        f = line.rstrip("\n").split("\t")
        ref = timm.get(f[0])
        ratio = f"{float(f[4]) / ref:.2f}" if ref else "n/a"
        print(f"| {f[0]} | {f[1]} | {f[2]} | {f[3]} | {f[4]} | {ref or 'n/a'} | {ratio} | {f[6]} | {f[7]} | {f[9]} / {f[10]} / {f[11]} |")
print("\nThe ratio compares different GPUs unless this one is an RTX 4090; timm's figure is the reference point, not a target.")
PY
