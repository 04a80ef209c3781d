#!/usr/bin/env bash
# Install everything and run the whole test suite (the README's test command; CI runs it).
#   - Debian packages: PostgreSQL 15 + PostGIS 3, Chromium (for the browser tests), npm if absent
#   - a virtualenv in .venv with plekken and its test dependencies
#   - axe-core from the npm registry into test-assets/ (the accessibility checks)
#   - starts PostGIS, then runs ruff and pytest on SQLite and PostGIS
# Extra arguments go to pytest, e.g. scripts/test.sh -k api
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for pkg in postgresql-15 postgresql-15-postgis-3 chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# npm fetches axe-core for the accessibility checks (any Node.js with npm will do).
command -v npm >/dev/null || missing+=("npm")
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

VENV=.venv
if [ -n "${PLEKKEN_UNLOCKED:-}" ]; then VENV=.venv-unlocked; fi
echo "== python environment ($VENV)"
bash scripts/venv.sh test

echo "== axe-core (accessibility checks of the browser tests)"
bash scripts/fetch-axe.sh

echo "== PostgreSQL + PostGIS"
PLEKKEN_TEST_POSTGIS_URL="$(bash scripts/setup-postgis.sh plekken_test plekken plekken | tail -n 1)"
export PLEKKEN_TEST_POSTGIS_URL
export PLEKKEN_TEST_REQUIRE_ALL=1

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

echo "== pytest"
"$VENV/bin/python" -m pytest "$@"
