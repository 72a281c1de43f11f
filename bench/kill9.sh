#!/usr/bin/env bash
# Kill -9 campaign: SIGKILL `runner run` at many moments, then check that the next run completes, that no task whose
# cache entry was complete before the kill executes again, and that no entry is partial or differs from its manifest.
# Kill points: log lines as they appear (task starts, commits, training epochs), the cache's own crash points
# (RUNNER_TEST_KILL_AT: after an entry's manifest is written but before its rename, and right after the rename), and
# random delays. Every point changes the split and training seeds, so each run has fresh work from the data task on.
#   bench/kill9.sh            # SEED=1 (random delays) DELAYS=2 IMAGES=8 (per class)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/runner" --help >/dev/null # build once
runner=(dotnet "$root/src/Runner.Cli/bin/Release/net10.0/linux-x64/runner.dll")
work=$(mktemp -d /tmp/runner-kill9.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
export RUNNER_HOME="$work/.runner" # the campaign inspects .runner/cache of the working folder
for class in shirt tshirt_top; do
  mkdir -p "data/$class"
  ls "$root/data/fashion-mnist-shirts/$class" | head -n "${IMAGES:-8}" | while read -r f; do cp "$root/data/fashion-mnist-shirts/$class/$f" "data/$class/"; done
done

write_yaml() { # $1: seed
  cat > k.yaml <<YAML
name: kill9
dataset: { kind: folder, path: data, split: { validation: 0.25, test: 0.25, seed: $1 } }
defaults: { image_size: 16, epochs: 3, batch_size: 4, seed: $1, optimizer: { name: adam, lr: 1.0e-3 } }
backbones: [ mobilenet_v2 ]
timing: { warmup: 1, iterations: 3, batch_sizes: [1] }
report: { output: reports/kill9 }
YAML
}

# Prints "<complete> <corrupt> <partial>" for the cache and lists the complete entries' keys in $1.
check_cache() {
  /usr/bin/python3 - "$1" <<'PY'
import hashlib, json, os, sys
root = ".runner/cache"; complete = corrupt = partial = 0; keys = []
for kk in sorted(os.listdir(root)) if os.path.isdir(root) else []:
    if len(kk) != 2: continue
    for key in os.listdir(os.path.join(root, kk)):
        entry = os.path.join(root, kk, key); manifest = os.path.join(entry, "manifest.json")
        if not os.path.exists(manifest): partial += 1; continue
        m = json.load(open(manifest)); ok = True
        for f in m["files"]:
            p = os.path.join(entry, f["name"])
            if not os.path.exists(p) or os.path.getsize(p) != f["size"] or hashlib.sha256(open(p, "rb").read()).hexdigest() != f["sha256"]:
                ok = False
        if ok: complete += 1; keys.append(key)
        else: corrupt += 1
open(sys.argv[1], "w").write("\n".join(keys))
print(complete, corrupt, partial)
PY
}

# commits in order: 1 data, 2 train, 3 eval, 4 time, 5 report
points=("log:Running data" "log:Finished data" "log:Running train:mobilenet_v2" "log:train:mobilenet_v2 epoch 1:"
  "log:train:mobilenet_v2 epoch 2:" "log:Running eval:mobilenet_v2" "log:Running time:mobilenet_v2" "log:Running report"
  "crash:before-rename:1" "crash:before-rename:2" "crash:after-rename:3" "crash:before-rename:5")
RANDOM=${SEED:-1}
for _ in $(seq 1 "${DELAYS:-2}"); do points+=("delay:$((RANDOM % 10000 + 500))"); done

tried=0 landed=0 completed=0 reexecuted=0 corrupt_total=0 partial_total=0
printf '| # | kill point | killed | entries complete at kill | corrupt | partial | next run | re-executed |\n|---:|---|---|---:|---:|---:|---|---:|\n'
for point in "${points[@]}"; do
  tried=$((tried + 1))
  write_yaml $((100 + tried))
  kind=${point%%:*}; arg=${point#*:}
  logs_before=$(cat .runner/logs/runner-*.log 2>/dev/null | wc -l || true)
  env=(CI=1)
  [[ $kind == crash ]] && env+=("RUNNER_TEST_KILL_AT=$arg")
  env "${env[@]}" "${runner[@]}" run k.yaml --progress plain >/dev/null 2>&1 &
  pid=$!
  killed=no
  if [[ $kind == log ]]; then
    while kill -0 "$pid" 2>/dev/null; do
      if cat .runner/logs/runner-*.log 2>/dev/null | tail -n +$((logs_before + 1)) | grep -qF -- "$arg"; then kill -9 "$pid" 2>/dev/null && killed=yes; break; fi
      sleep 0.02
    done
  elif [[ $kind == delay ]]; then
    sleep "$(echo "$arg" | awk '{print $1 / 1000}')"
    kill -9 "$pid" 2>/dev/null && killed=yes
  fi
  wait "$pid" 2>/dev/null && status=0 || status=$?
  [[ $kind == crash && $status == 137 ]] && killed=yes
  [[ $killed == yes ]] && landed=$((landed + 1))
  read -r complete corrupt partial < <(check_cache before.keys)
  corrupt_total=$((corrupt_total + corrupt)); partial_total=$((partial_total + partial))

  CI=1 "${runner[@]}" run k.yaml --progress plain --json > next.out 2>&1 && next=0 || next=$?
  [[ $next == 0 ]] && completed=$((completed + 1))
  again=$(/usr/bin/python3 - before.keys next.out <<'PY'
import json, sys
before = set(open(sys.argv[1]).read().split())
lines = open(sys.argv[2]).read().splitlines()
start = lines.index("["); end = lines.index("]", start)
print(sum(1 for t in json.loads("\n".join(lines[start:end + 1])) if t["outcome"] == "ran" and t["key"] in before))
PY
)
  reexecuted=$((reexecuted + again))
  read -r _ corrupt_after partial_after < <(check_cache after.keys)
  corrupt_total=$((corrupt_total + corrupt_after)); partial_total=$((partial_total + partial_after))
  printf '| %d | %s | %s | %d | %d | %d | exit %d | %d |\n' "$tried" "$point" "$killed" "$complete" "$((corrupt + corrupt_after))" "$((partial + partial_after))" "$next" "$again"
done
echo
echo "points tried: $tried; kills landed mid-run: $landed; next runs completed: $completed/$tried; finished tasks re-executed: $reexecuted; corrupt entries: $corrupt_total; partial entries: $partial_total"
[[ $completed == "$tried" && $reexecuted == 0 && $corrupt_total == 0 && $partial_total == 0 ]]
