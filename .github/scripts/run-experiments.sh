#!/usr/bin/env bash
# Runs each experiment file given: its whole graph, or with SHARD=K/N its K-th share, then hands its finished entries on:
#   with RUNNER_REMOTE (the repository's remote cache), the run uploads each task as it finishes; `runner cache push`
#     then sends whatever it could not (say, during an outage), and no archive is needed;
#   with ARCHIVES=DIR, when there is no remote or that push failed, the entries the run used are exported to
#     DIR/<experiment>-<K>of<N>.tar.gz for the job that gathers the shards.
# Both happen after a failed run too, so the gathering job (and the next push) gets everything that finished. Exits with
# the last failing run's status (a remote that is down is not a failure: the archive carries the work instead).
# Env: RUNNER_CLI (default ./runner), DEVICE (default auto), SHARD, ARCHIVES, RUNNER_REMOTE (+ AWS_*); RUNNER_HOME as runner reads it.
set -uo pipefail
read -ra runner <<< "${RUNNER_CLI:-./runner}"
status=0
for file; do
  echo "::group::runner run $file ${SHARD:+(shard $SHARD)}"
  "${runner[@]}" weights fetch --for "$file" || status=$?
  "${runner[@]}" run "$file" --device "${DEVICE:-auto}" --progress plain ${SHARD:+--shard "$SHARD"} || status=$?
  if [[ -n "${RUNNER_REMOTE:-}" ]] && "${runner[@]}" cache push "$file"; then
    echo "run-experiments: the entries of $file are on the remote cache $RUNNER_REMOTE"
  elif [[ -n "${ARCHIVES:-}" ]]; then
    mkdir -p "$ARCHIVES"
    name="$(basename "$file")" shard="${SHARD:-1/1}"
    "${runner[@]}" cache export "$file" --out "$ARCHIVES/${name%.*}-${shard/\//of}.tar.gz" || status=$?
  fi
  echo "::endgroup::"
done
exit "$status"
