#!/usr/bin/env bash
# Install what the tests need and run every check CI runs: lint, format, types, docs, tests.
# Works on a fresh Debian machine with Python 3.11 (system packages, when needed, via apt as root).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

echo "== ruff (lint, format)"
.venv/bin/ruff check src tests scripts bench
.venv/bin/ruff format --check src tests scripts bench
echo "== mypy"
.venv/bin/mypy src
echo "== command reference is current"
.venv/bin/python scripts/cli_reference.py --check
echo "== pytest"
.venv/bin/python -m pytest -n 2 "$@"
