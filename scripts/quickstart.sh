#!/bin/sh
# Install inspecpy in a virtual environment made here (.venv) and run its main job: the shipped ML
# security profile and the example profile against this machine. Arguments go to `inspecpy exec`.
#
# Works on a stock Debian/Ubuntu Python, which refuses `pip install` outside a virtual environment
# (PEP 668) and ships venv's pip bootstrap in the python3-venv package: installed here when missing
# (as root, or through sudo).
set -e
cd "$(dirname "$0")/.."
if ! python3 -c "import ensurepip" 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  echo "quickstart: installing python3-venv (Python's venv needs it on Debian/Ubuntu)" >&2
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[ml,dev]'
exec .venv/bin/inspecpy exec profiles/mlsvs profiles/example "$@"
