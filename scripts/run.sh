#!/usr/bin/env bash
# Install plekken and serve it on its embedded default: SQLite + the demo wijken in data/demo,
# with gunicorn (settings in plekken/server.py, PLEKKEN_WORKERS / PLEKKEN_THREADS / PLEKKEN_BIND).
# Then open http://127.0.0.1:5000 . Extra arguments go to gunicorn (e.g. --bind 0.0.0.0:8000).
# For development with reloading, run `.venv/bin/plekken run` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
.venv/bin/plekken init-db
.venv/bin/plekken load-demo
exec .venv/bin/gunicorn -c python:plekken.server "$@"
