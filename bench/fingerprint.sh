#!/usr/bin/env bash
# The content-addressed data key on a Kaggle dogs-vs-cats-sized folder: IMAGES JPEGs of about 25 KB (made once under
# bench/out/fingerprint/, by bench/make_jpegs.py) fingerprinted with an empty digest memo, with a warm one, and after a
# touch of every file, beside the stat-only pass the old size+mtime key cost. The files are in the page cache
# (just written or read), so "cold" measures hashing, not the disk.
#   bench/fingerprint.sh          # IMAGES=25000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images=${IMAGES:-25000}
out="$root/bench/out/fingerprint"
data="$out/train"
if [[ "$(find "$data" -name '*.jpg' 2>/dev/null | wc -l)" -ne "$images" ]]; then
  rm -rf "$data"
  echo "making $images JPEGs in $data ..." >&2
  /usr/bin/python3 "$root/bench/make_jpegs.py" "$data" "$images"
fi
dotnet build "$root/bench/Runner.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -n), $(nproc) cores: bench/fingerprint.sh (IMAGES=$images)"
RUNNER_HOME="$out/home" dotnet "$root/bench/Runner.Bench/bin/Release/net10.0/linux-x64/Runner.Bench.dll" fingerprint "$data"
