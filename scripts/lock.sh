#!/usr/bin/env bash
# Refresh requirements/app.txt and requirements/test.txt (pinned, with hashes) from the ranges
# in pyproject.toml. Run it with `make lock`, then run the suite and commit the files.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
TOOLS=.venv-lock
if [ ! -x "$TOOLS/bin/uv" ]; then
  "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install -q uv
fi
compile() {
  "$TOOLS/bin/uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --no-header --annotation-style line "$@"
}
compile pyproject.toml requirements/build.in -o requirements/app.txt
compile pyproject.toml requirements/build.in --extra test -o requirements/test.txt
echo "requirements/app.txt and requirements/test.txt refreshed; run the suite, then commit them."
