#!/usr/bin/env bash
# Install plekken and run it on its embedded default: SQLite + the demo wijken in data/demo.
# Then open http://127.0.0.1:5000 . Extra arguments go to `plekken run` (e.g. --port 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
.venv/bin/plekken init-db
.venv/bin/plekken load-demo
exec .venv/bin/plekken run "$@"
