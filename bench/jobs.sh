#!/usr/bin/env bash
# Wall time of the quickstart graph from an empty cache with each --jobs setting (default "1 2"), in a temporary
# working folder (the cache is .runner/cache under the folder runner runs in, so each setting starts from nothing).
#   bench/jobs.sh            # JOBS="1 2" EXTRA="--device-jobs 2 --threads 1" (optional extra flags for every run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/runner" --help >/dev/null # build once, before anything is timed
work=$(mktemp -d /tmp/runner-jobs.XXXXXX)
trap 'rm -rf "$work"' EXIT
ln -s "$root/data" "$work/data"
cp "$root/experiments/quickstart.yaml" "$work/"
cd "$work"
echo "| --jobs | flags | wall s | tasks |"
echo "|---:|---|---:|---|"
for jobs in ${JOBS:-1 2}; do
  rm -rf .runner reports
  start=$(date +%s.%N)
  CI=1 dotnet "$root/src/Runner.Cli/bin/Release/net10.0/linux-x64/runner.dll" run quickstart.yaml --jobs "$jobs" ${EXTRA:-} > run.out 2>&1
  end=$(date +%s.%N)
  printf '| %s | %s | %.1f | %s |\n' "$jobs" "${EXTRA:--}" "$(echo "$end - $start" | bc)" "$(grep -E '^[0-9]+ tasks:' run.out)"
done
