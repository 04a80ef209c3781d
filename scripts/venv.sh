#!/usr/bin/env bash
# Create .venv (if needed) and install plekken into it, editable, from the pinned requirements.
#   scripts/venv.sh        the app            (requirements/app.txt)
#   scripts/venv.sh test   the app and its test tools (requirements/test.txt)
# With PLEKKEN_UNLOCKED=1 it builds .venv-unlocked from the newest releases that pyproject.toml
# allows instead, to see early what the next `make lock` will meet.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
kind="app"
extra=""
if [ "${1:-}" = "test" ]; then kind="test"; extra="[test]"; fi

if [ -n "${PLEKKEN_UNLOCKED:-}" ]; then
  VENV=.venv-unlocked
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip setuptools wheel
  "$VENV/bin/python" -m pip install -q --upgrade --upgrade-strategy eager -e ".$extra"
  exit 0
fi

VENV=.venv
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
# Exactly the pinned versions, each checked against its hash; then plekken itself, which
# needs nothing more (its build tools are pinned too).
"$VENV/bin/python" -m pip install -q --require-hashes --no-deps -r "requirements/$kind.txt"
"$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
