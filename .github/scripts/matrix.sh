#!/usr/bin/env bash
# The shard matrix for the experiments workflow: every experiment file given × shards 1..SHARDS, as the JSON that
# strategy.matrix takes ({"include":[{"file":…,"shard":"1/2"},…]}); empty arguments are ignored.
set -euo pipefail
shards="${SHARDS:-1}"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "matrix: SHARDS must be a positive number, not '$shards'" >&2; exit 2; }
rows=()
for file; do
  [[ -n "$file" ]] || continue
  [[ "$file" != *[\"\\]* ]] || { echo "matrix: file name with a quote or backslash: $file" >&2; exit 2; }
  for ((k = 1; k <= shards; k++)); do rows+=("{\"file\":\"$file\",\"shard\":\"$k/$shards\"}"); done
done
(IFS=,; echo "{\"include\":[${rows[*]}]}")
