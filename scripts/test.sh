#!/usr/bin/env bash
# Runs the whole test suite against both databases: SQLite (temporary files) and the local
# PostgreSQL server, which this script starts if it is not running.
set -euo pipefail
cd "$(dirname "$0")/.."

PG="${NIAGA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"

# The signature page's browser test drives Debian's headless Chromium (no download at test
# time). On a fresh machine, install it; refresh the package lists only if that fails.
if [ -z "${NIAGA_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the browser test"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
fi

# The PDF tests read rendered documents back with poppler (pdftotext, pdfinfo, pdftoppm).
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing poppler-utils for the PDF tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends poppler-utils >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends poppler-utils >/dev/null; }
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
fi

# Each test makes its own database named niaga_test_*; drop those of earlier runs.
psql "$PG/postgres" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'niaga\_test\_%'" |
  while read -r db; do
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  done
rm -f "${TMPDIR:-/tmp}"/niaga_test_*.db*

cargo test --workspace "$@"
