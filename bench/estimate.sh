#!/usr/bin/env bash
# Estimate vs actual training time per backbone: `runner plan --estimate` from an empty RUNNER_HOME (so the throughput
# probes are measured), then the quickstart's train tasks (with the data task they need), comparing each train task's
# estimate with its wall-clock seconds. Target: actual ÷ estimate within 2.5x either way. Not a timed test; the machine
# may be shared, so its load is printed before and after.
#   bench/estimate.sh [experiment.yaml]      (default experiments/quickstart.yaml)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
experiment="${1:-experiments/quickstart.yaml}"
home="$(mktemp -d /tmp/runner-estimate-bench.XXXXXX)"
trap 'rm -rf "$home"' EXIT
export RUNNER_HOME="$home"
cd "$root"

echo "# bench/estimate.sh $experiment"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); nproc: $(nproc); $(uptime | sed 's/^ *//')"
echo "command: RUNNER_HOME=<empty> ./runner plan $experiment --estimate --json; ./runner run $experiment --only 'train:*' --json"
./runner plan "$experiment" --estimate --json > "$home/plan.json" 2> "$home/plan.err"
./runner run "$experiment" --only 'train:*' --json --progress plain > "$home/run.json" 2> "$home/run.err"
echo "load after: $(uptime | sed 's/.*load/load/')"
python3 - "$home/plan.json" "$home/run.json" <<'PY'
import json, sys
plan = {t["id"]: t for t in json.load(open(sys.argv[1]))["tasks"]}
run = {t["id"]: t for t in json.load(open(sys.argv[2]))}
print(f"{'task':28} {'estimate s':>11} {'actual s':>9} {'actual/estimate':>16}  within 2.5x")
for id, t in run.items():
    if not id.startswith("train:"): continue
    est, act = plan[id].get("estimate_seconds"), t["seconds"]
    ratio = act / est if est else float("nan")
    print(f"{id:28} {est:11.1f} {act:9.1f} {ratio:16.2f}  {'yes' if 1/2.5 <= ratio <= 2.5 else 'NO'}")
PY
