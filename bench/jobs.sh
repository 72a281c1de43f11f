#!/usr/bin/env bash
# Wall time of the quickstart graph from an empty cache with each --jobs setting (default "1 2"), in a temporary
# working folder (RUNNER_HOME is .runner of that folder, so each setting starts from nothing).
# IMAGES=N keeps N images per class and EPOCHS=N sets every backbone's epochs (timing shrinks to 2 + 5 calls): the
# same graph, smaller, for a loaded machine.
#   bench/jobs.sh            # JOBS="1 2" EXTRA="--device-jobs 2 --threads 1" (optional extra flags for every run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/runner" --help >/dev/null # build once, before anything is timed
work=$(mktemp -d /tmp/runner-jobs.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$root/experiments/quickstart.yaml" "$work/"
cd "$work"
export RUNNER_HOME="$work/.runner" # cache and decoded images in the working folder, so each setting starts from nothing
mkdir -p data/fashion-mnist-shirts
for class in shirt tshirt_top; do
  mkdir -p "data/fashion-mnist-shirts/$class"
  ls "$root/data/fashion-mnist-shirts/$class" | head -n "${IMAGES:-100000}" | while read -r f; do
    ln -s "$root/data/fashion-mnist-shirts/$class/$f" "data/fashion-mnist-shirts/$class/$f"; done
done
if [[ -n ${EPOCHS:-} ]]; then
  sed -i -E "s/epochs: [0-9]+/epochs: $EPOCHS/g; s/warmup: [0-9]+, iterations: [0-9]+/warmup: 2, iterations: 5/" quickstart.yaml
fi
echo "| --jobs | flags | wall s | tasks |"
echo "|---:|---|---:|---|"
for jobs in ${JOBS:-1 2}; do
  rm -rf .runner reports
  start=$(date +%s.%N)
  CI=1 dotnet "$root/src/Runner.Cli/bin/Release/net10.0/linux-x64/runner.dll" run quickstart.yaml --jobs "$jobs" ${EXTRA:-} > run.out 2>&1
  end=$(date +%s.%N)
  printf '| %s | %s | %.1f | %s |\n' "$jobs" "${EXTRA:--}" "$(echo "$end - $start" | bc)" "$(grep -E '^[0-9]+ tasks:' run.out)"
done
