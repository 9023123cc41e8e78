#!/usr/bin/env bash
# Build the built-in demo archive (demo.db) and serve the reading room on http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/prinkipo serve --db "${PRINKIPO_DB:-demo.db}" "$@"
