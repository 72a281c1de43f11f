#!/usr/bin/env bash
# Which experiment files a workflow run runs, one per line on stdout (none: nothing to run).
#   workflow_dispatch: the file asked for (INPUT, default experiments/all.yaml).
#   push of a branch: experiment files added, changed, renamed or copied since the pushed branch's previous head
#     (BEFORE); for a new branch (BEFORE all zeros) or a force push whose old head is gone, since where the branch
#     left the default branch; without any common history, every experiment file.
#   push of a tag (or anything not a branch): nothing.
# Env: EVENT, REF (github.ref), BEFORE, SHA, DEFAULT_BRANCH, INPUT. Needs the history (checkout fetch-depth: 0).
set -euo pipefail
experiments=('experiments/*.yaml' 'experiments/*.yml')

if [[ "${EVENT:-push}" == workflow_dispatch ]]; then
  echo "${INPUT:-experiments/all.yaml}"
  exit 0
fi
if [[ "${REF:-}" != refs/heads/* ]]; then
  echo "changed-experiments: ${REF:-no ref} is not a branch: nothing to run" >&2
  exit 0
fi

base="${BEFORE:-}"
if [[ -z "$base" || "$base" =~ ^0+$ ]] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  base="$(git merge-base "origin/${DEFAULT_BRANCH:-main}" "$SHA" 2>/dev/null || true)"
  echo "changed-experiments: comparing with ${base:-nothing} (where the branch left ${DEFAULT_BRANCH:-main})" >&2
fi
if [[ -z "$base" ]]; then
  git ls-tree -r --name-only "$SHA" -- "${experiments[@]}"
else
  git diff --name-only --find-renames --diff-filter=ACMR "$base" "$SHA" -- "${experiments[@]}"
fi
