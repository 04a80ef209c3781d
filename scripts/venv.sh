#!/usr/bin/env bash
# Create .venv (if needed) and install plekken into it, editable.
#   scripts/venv.sh        the app
#   scripts/venv.sh test   the app and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
extra=""
if [ "${1:-}" = "test" ]; then extra="[test]"; fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".$extra"
