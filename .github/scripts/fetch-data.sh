#!/usr/bin/env bash
# Fetches Kaggle's "Dogs vs. Cats Redux" for the given experiment files that read data/dogs-vs-cats, unless it is
# already there (in the checkout or under the data root, where runner looks for it: RUNNER_DATA, else RUNNER_HOME,
# else ~/.cache/runner). Needs KAGGLE_USERNAME and KAGGLE_KEY (repository secrets) only when it has to download;
# installs the Kaggle CLI into a virtual environment under the data root when it is not on PATH. The download is
# unpacked beside the target and renamed into place, so an interrupted fetch is never taken for the dataset.
set -euo pipefail
data_root="${RUNNER_DATA:-${RUNNER_HOME:-$HOME/.cache/runner}}"
dataset=data/dogs-vs-cats
competition=dogs-vs-cats-redux-kernels-edition

needed=no
for file; do grep -q "$dataset" "$file" && needed=yes; done
[[ "$needed" == yes ]] || exit 0
if [[ -d "$dataset/train" || -d "$data_root/$dataset/train" ]]; then
  echo "fetch-data: $dataset is present"
  exit 0
fi
if [[ -z "${KAGGLE_USERNAME:-}" || -z "${KAGGLE_KEY:-}" ]]; then
  echo "fetch-data: $dataset is missing and KAGGLE_USERNAME / KAGGLE_KEY are not set: add them as repository secrets, or put the data in $data_root/$dataset (README, GitHub Actions)" >&2
  exit 2
fi
if ! command -v kaggle >/dev/null; then
  python3 -m venv "$data_root/.kaggle-venv"
  "$data_root/.kaggle-venv/bin/pip" install --quiet kaggle
  PATH="$data_root/.kaggle-venv/bin:$PATH"
fi
partial="$data_root/$dataset.partial.$$"
trap 'rm -rf "$partial"' EXIT
mkdir -p "$partial"
kaggle competitions download -c "$competition" -p "$partial"
(
  cd "$partial"
  python3 -m zipfile -e "$competition.zip" .
  python3 -m zipfile -e train.zip .
  python3 -m zipfile -e test.zip .
  rm -f ./*.zip
)
mv "$partial" "$data_root/$dataset"
echo "fetch-data: $dataset fetched into $data_root/$dataset ($(find "$data_root/$dataset/train" -type f | wc -l) training images)"
