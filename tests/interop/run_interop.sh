#!/usr/bin/env bash
# Runs one interoperability test with the pinned virtual environment:
#   run_interop.sh PYTHON SCRIPT LIHOP SOURCE_DIR WORK_DIR [ARGS...]
# SCRIPT gets LIHOP SOURCE_DIR WORK_DIR [ARGS...]. Exit 77 (skip) when the venv
# is absent, with how to build it.
set -euo pipefail
py=$1; script=$2; shift 2
if [ ! -x "$py" ]; then
  echo "skip: no interop Python at $py; run .ci/install-deps to build .venv-interop"
  exit 77
fi
mkdir -p "$3"
export PYBAMM_DISABLE_TELEMETRY=true MPLBACKEND=Agg PYTHONDONTWRITEBYTECODE=1
exec "$py" "$script" "$@"
