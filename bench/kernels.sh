#!/usr/bin/env bash
# Where the kernel time of one training epoch goes, runner vs the PyTorch loop of bench/epoch.sh: both sides run one
# epoch with oneDNN's verbose log on (ONEDNN_VERBOSE / DNNL_VERBOSE), and the time of every oneDNN primitive is summed by
# kind, implementation and direction (top rows), then, for the KIND/IMPL given, by problem shape. Also each side's
# minor page faults and system time (/usr/bin/time). Run bench/epoch.sh once first with the same IMAGES: it makes the data.
#   bench/kernels.sh      # ARCH=resnet18 SIZE=32 IMAGES=2600 THREADS=$(nproc) KIND=reorder IMPL=jit:blk
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/experiment.sh"
arch=${ARCH:-resnet18}
size=${SIZE:-32}
images=${IMAGES:-2600}
threads=${THREADS:-$(nproc)}
work="$root/bench/out/epoch/run-$images"
data="$root/bench/out/epoch/shirts-$images"
[[ -f "$data/.complete" ]] || { echo "no data in $data: run IMAGES=$images bench/epoch.sh first" >&2; exit 1; }
export RUNNER_HOME="$work/home"
one_backbone_experiment kernel-bench "$data" 0.1 0.1 "$arch" "$size" 1 64 > "$work/kernels.yaml"
log="$work/kernels"

echo "== $arch, ${size} px, batch 64, 1 epoch, $threads threads; $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$work" && ONEDNN_VERBOSE=1 /usr/bin/time -v "$root/runner" run kernels.yaml --device cpu --threads "$threads" \
  --progress plain --only 'train:*' --force 'train:*' > "$log-runner.log" 2>&1)
DNNL_VERBOSE=1 /usr/bin/time -v /usr/bin/python3 "$root/bench/pytorch_epoch.py" "$(ls -t $(find "$work" -name split.json) | head -1)" \
  "$arch" --size "$size" --batch 64 --epochs 1 --threads "$threads" > "$log-pytorch.log" 2>&1
echo "PyTorch: $(grep -m1 '^torch ' "$log-pytorch.log")"
/usr/bin/python3 - "$log-runner.log" "$log-pytorch.log" "${KIND:-reorder}" "${IMPL:-jit:blk}" <<'PY'
import collections, re, sys
def primitives(path):
    """(kind, impl, direction, shape) -> [calls, ms] from oneDNN 3.x (runner) or 2.x (PyTorch 1.13) verbose lines."""
    table = collections.defaultdict(lambda: [0, 0.0])
    for line in open(path):
        f = line.rstrip().split(",")
        if "exec" not in f or not f[-1].replace(".", "", 1).isdigit():
            continue
        i = f.index("exec")
        row = table[(f[i + 2], f[i + 3], f[i + 4], f[-2])]
        row[0] += 1
        row[1] += float(f[-1])
    return table
def usage(path):
    text = open(path).read()
    return {k: re.search(rf"{k}.*: (\S+)", text).group(1) for k in ("Minor", "System time")}
sides = {"runner": primitives(sys.argv[1]), "pytorch": primitives(sys.argv[2])}
for name, path in (("runner", sys.argv[1]), ("pytorch", sys.argv[2])):
    u = usage(path)
    print(f"{name}: oneDNN total {sum(v[1] for v in sides[name].values()):.0f} ms; "
          f"{u['Minor']} minor page faults, {u['System time']} s system time (whole process)")
def by(key):
    out = collections.defaultdict(lambda: {s: [0, 0.0] for s in sides})
    for s, table in sides.items():
        for k, (n, ms) in table.items():
            if key(k) is not None:
                out[key(k)][s][0] += n
                out[key(k)][s][1] += ms
    return sorted(out.items(), key=lambda kv: -max(v[1] for v in kv[1].values()))
print(f"\n{'runner ms':>10} {'calls':>6} {'pytorch ms':>11} {'calls':>6}  kind implementation direction")
for k, v in by(lambda k: k[:3])[:12]:
    print(f"{v['runner'][1]:10.0f} {v['runner'][0]:6d} {v['pytorch'][1]:11.0f} {v['pytorch'][0]:6d}  {' '.join(k)}")
kind, impl = sys.argv[3], sys.argv[4]
print(f"\n{'runner ms':>10} {'calls':>6} {'pytorch ms':>11} {'calls':>6}  {kind} {impl} by direction and shape")
for k, v in by(lambda k: (k[2], k[3]) if k[:2] == (kind, impl) else None)[:12]:
    print(f"{v['runner'][1]:10.0f} {v['runner'][0]:6d} {v['pytorch'][1]:11.0f} {v['pytorch'][0]:6d}  {k[0]} {k[1]}")
PY
