#!/usr/bin/env bash
# The whole test suite, on a fresh machine: install what is missing, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
mkdir -p test-artifacts
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
