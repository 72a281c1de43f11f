#!/usr/bin/env bash
# Gathers and publishes: imports the shard archives in ARCHIVES (if any: shards write them only without a reachable
# remote cache), then for each experiment file runs what is left (the report and anything joining shards; every
# finished task comes from the local cache, the archives or, with RUNNER_REMOTE, the remote cache) and commits the
# report folder with `runner publish`, also after a failed run, so the report shows what finished. Exits with the last
# failing step's status.
# Env: RUNNER_CLI (default ./runner), DEVICE (default auto), ARCHIVES, RUNNER_REMOTE (+ AWS_*), COMMENT (default auto:
# the pull request of the branch if one is open, else the commit); GITHUB_* for publish.
set -uo pipefail
read -ra runner <<< "${RUNNER_CLI:-./runner}"
status=0
if [[ -n "${ARCHIVES:-}" ]]; then
  shopt -s nullglob
  archives=("$ARCHIVES"/*.tar.gz)
  ((${#archives[@]} == 0)) || "${runner[@]}" cache import "${archives[@]}" || status=$?
fi
for file; do
  echo "::group::report and publish $file"
  "${runner[@]}" run "$file" --device "${DEVICE:-auto}" --progress plain || status=$?
  "${runner[@]}" publish "$file" --comment "${COMMENT:-auto}" || status=$?
  echo "::endgroup::"
done
exit "$status"
