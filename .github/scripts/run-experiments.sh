#!/usr/bin/env bash
# Runs each experiment file given: its whole graph, or with SHARD=K/N its K-th share. With ARCHIVES=DIR, then exports
# the cache entries the run used to DIR/<experiment>-<K>of<N>.tar.gz, failed run or not, so the job that gathers the
# shards (and the next push) gets everything that finished. Exits with the last failing run's status.
# Env: RUNNER_CLI (default ./runner), DEVICE (default auto), SHARD, ARCHIVES; RUNNER_HOME as runner reads it.
set -uo pipefail
read -ra runner <<< "${RUNNER_CLI:-./runner}"
status=0
for file; do
  echo "::group::runner run $file ${SHARD:+(shard $SHARD)}"
  "${runner[@]}" weights fetch --for "$file" || status=$?
  "${runner[@]}" run "$file" --device "${DEVICE:-auto}" --progress plain ${SHARD:+--shard "$SHARD"} || status=$?
  if [[ -n "${ARCHIVES:-}" ]]; then
    mkdir -p "$ARCHIVES"
    name="$(basename "$file")" shard="${SHARD:-1/1}"
    "${runner[@]}" cache export "$file" --out "$ARCHIVES/${name%.*}-${shard/\//of}.tar.gz" || status=$?
  fi
  echo "::endgroup::"
done
exit "$status"
