#!/usr/bin/env bash
# The remote cache (README, "Remote cache") against a loopback S3-compatible server: s3rver from .tools/ (installed by
# ./setup.sh --for test; a node test server on the local disk, so these figures bound runner's side, not a real store's).
#  1. The quickstart in home A with RUNNER_REMOTE set (each task uploaded as it finishes); `plan` in an empty home B
#     (every task cached (remote)); `run` in B (nothing executes, same metrics); with the server stopped, the
#     quickstart in an empty home C (exit 0, one warning).
#  2. Explicit sync of the quickstart's entries: `cache push` of home A to an empty prefix, `cache pull` into an empty home.
#  3. One large checkpoint (efficientnet_b7's train entry, about 255 MB): `cache push` and `cache pull`, wall time and peak
#     RSS (/usr/bin/time), beside the same commands with nothing left to transfer.
#   bench/remote.sh            # SKIP_QUICKSTART=1: only 3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/runner" --help >/dev/null # build once, before anything is timed
runner=(dotnet "$root/src/Runner.Cli/bin/Release/net10.0/linux-x64/runner.dll")
work=$(mktemp -d /tmp/runner-remote.XXXXXX)
server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
export CI=1 AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1

start_server() {
  node "$root/.tools/node_modules/s3rver/bin/s3rver.js" --directory "$work/s3" --address 127.0.0.1 --port 0 --silent \
    --configure-bucket bench > "$work/s3rver.out" 2>&1 &
  server=$!
  until grep -q "listening" "$work/s3rver.out"; do sleep 0.2; done
  export AWS_ENDPOINT_URL="http://127.0.0.1:$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$work/s3rver.out")"
}

# A checkout of FILE with N images per class of the quickstart's data (default all); its runner home is .runner in it.
checkout() { # $1: folder, $2: experiment file, $3: images per class
  local images=${3:-100000}
  mkdir -p "$1"
  cp "$2" "$1/"
  for class in shirt tshirt_top; do
    mkdir -p "$1/data/fashion-mnist-shirts/$class"
    local files=("$root/data/fashion-mnist-shirts/$class"/*)
    ln -s "${files[@]:0:$images}" "$1/data/fashion-mnist-shirts/$class/"
  done
}

# Runs runner in a checkout with its own home; prints wall seconds and peak RSS, keeps the output in $1/last.out.
timed() { # $1: folder, then runner's arguments
  local folder=$1
  shift
  (cd "$folder" && RUNNER_HOME="$folder/.runner" /usr/bin/time -f "%e %M" -o "$folder/time.txt" "${runner[@]}" "$@" > "$folder/last.out" 2>&1) \
    && status=0 || status=$?
  read -r seconds kb < "$folder/time.txt"
  printf '%s s, peak RSS %.0f MB, exit %s' "$seconds" "$((kb / 1024))" "$status"
}

metrics() { python3 -c 'import json,sys; print(json.dumps([(b["name"], b["metrics"]) for b in json.load(open(sys.argv[1]))["backbones"]], sort_keys=True))' "$1"; }

start_server
echo "# bench/remote.sh, $(date -u +%Y-%m-%d), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD), s3rver $(node -p "require('$root/.tools/node_modules/s3rver/package.json').version") on loopback"
echo
if [[ -z ${SKIP_QUICKSTART:-} ]]; then
  for home in a b c d e; do checkout "$work/$home" "$root/experiments/quickstart.yaml"; done
  export RUNNER_REMOTE=s3://bench/quickstart
  echo "## 1. Two homes, one remote"
  echo "- home A, \`run\` (uploads each task): $(timed "$work/a" run quickstart.yaml)"
  grep -E "^[0-9]+ tasks:|^All|^Remote cache" "$work/a/last.out" | sed 's/^/    /'
  echo "- home B (empty), \`plan\`: $(timed "$work/b" plan quickstart.yaml)"
  echo "    $(grep -c '^  cached (remote)' "$work/b/last.out") tasks cached (remote), $(grep -c '^  stale' "$work/b/last.out") stale"
  grep -E "^  stale" "$work/b/last.out" | sed 's/^/    /' || true
  echo "- home B, \`run\`: $(timed "$work/b" run quickstart.yaml)"
  grep -E "^[0-9]+ tasks:|^All|^Remote cache" "$work/b/last.out" | sed 's/^/    /'
  [[ "$(metrics "$work/a/reports/quickstart/results.json")" == "$(metrics "$work/b/reports/quickstart/results.json")" ]] \
    && echo "    metrics of every backbone in B's results.json equal A's" || echo "    METRICS DIFFER between A and B"

  echo
  echo "## 2. Explicit sync of the quickstart's entries"
  echo "- home A, \`cache push\` to an empty prefix: $(RUNNER_REMOTE=s3://bench/pushed timed "$work/a" cache push)"
  grep -E "^Remote cache" "$work/a/last.out" | sed 's/^/    /'
  echo "- home D (empty), \`cache pull quickstart.yaml\`: $(RUNNER_REMOTE=s3://bench/pushed timed "$work/d" cache pull quickstart.yaml)"
  grep -E "^Remote cache" "$work/d/last.out" | sed 's/^/    /'

  echo
  echo "## 1 (end). Server stopped"
  kill "$server"
  wait "$server" 2>/dev/null || true
  echo "- home C (empty), \`run\`: $(timed "$work/c" run quickstart.yaml)"
  grep -E "^[0-9]+ tasks:|^All|^Remote cache|WARNING" "$work/c/last.out" | sed 's/^/    /'
  echo "    $(grep -c WARNING "$work/c/last.out") warning line(s)"
  start_server
  echo
fi

echo "## 3. One large checkpoint"
cat > "$work/big.yaml" <<YAML
name: big
dataset: { kind: folder, path: data/fashion-mnist-shirts, split: { validation: 0.25, test: 0.25, seed: 1 } }
defaults: { image_size: 32, epochs: 1, batch_size: 4, optimizer: { name: adam, lr: 1.0e-3 } }
backbones: [ efficientnet_b7 ]
YAML
checkout "$work/big" "$work/big.yaml" 8
checkout "$work/big2" "$work/big.yaml" 8
export RUNNER_REMOTE=s3://bench/big
echo "- home A, \`run --only 'train:*' --no-remote\`: $(timed "$work/big" run big.yaml --only 'train:*' --no-remote)"
ls -l "$work"/big/.runner/cache/??/*/model.bin 2>/dev/null | awk '{ printf "    checkpoint: %.1f MB\n", $5 / 1e6 }' || true
echo "- \`cache push\` (the checkpoint and the data entry): $(timed "$work/big" cache push)"
grep -E "^Remote cache" "$work/big/last.out" | sed 's/^/    /'
echo "- \`cache push\` again (nothing to send): $(timed "$work/big" cache push)"
echo "- home B (empty), \`cache pull big.yaml\`: $(timed "$work/big2" cache pull big.yaml)"
grep -E "^Remote cache" "$work/big2/last.out" | sed 's/^/    /'
echo "- \`cache pull big.yaml\` again (nothing to fetch): $(timed "$work/big2" cache pull big.yaml)"
