#!/usr/bin/env bash
# Install (from Debian's packages), start and prepare PostgreSQL 15 + PostGIS 3 for plekken.
# Idempotent: safe to run again. Needs root (or sudo).
#
#   scripts/setup-postgis.sh [DBNAME] [USER] [PASSWORD]
#
# Prints the SQLAlchemy URL of the database on its last line.
set -euo pipefail

DB="${1:-plekken}"
DB_USER="${2:-plekken}"
DB_PASS="${3:-plekken}"
PG_VERSION=15
PORT="${PLEKKEN_PG_PORT:-5432}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_packages=()
for pkg in "postgresql-$PG_VERSION" "postgresql-$PG_VERSION-postgis-3"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || need_packages+=("$pkg")
done
if [ "${#need_packages[@]}" -gt 0 ]; then
  echo "installing ${need_packages[*]}" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${need_packages[@]}" >&2
fi

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$PG_VERSION main$"; then
  $SUDO pg_createcluster "$PG_VERSION" main -p "$PORT" >&2
fi
if ! $SUDO pg_ctlcluster "$PG_VERSION" main status >/dev/null 2>&1; then
  $SUDO pg_ctlcluster "$PG_VERSION" main start >&2
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2

psql_as_postgres() {
  (cd / && $SUDO runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$PORT" "$@")
}

psql_as_postgres <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$DB_USER', '$DB_PASS')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$DB_USER')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
SQL
psql_as_postgres -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
# Tests create and drop scratch schemas; the owner of the database may do so.
psql_as_postgres -d "$DB" -c "ALTER SCHEMA public OWNER TO \"$DB_USER\"" >/dev/null

echo "postgresql+psycopg://$DB_USER:$DB_PASS@127.0.0.1:$PORT/$DB"
