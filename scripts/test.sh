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

# The document store's tests run on S3 too, against moto_server (an S3 stand-in from PyPI,
# in memory) in a virtualenv at .venv (git-ignored), installed on first use. This script
# starts it on a free port and hands its URL to the tests in NIAGA_TEST_S3; if it cannot, it
# says so and the S3 tests fail naming NIAGA_TEST_S3 (a bare `cargo test`, with the variable
# unset, skips them with a notice instead).
if [ ! -x .venv/bin/moto_server ]; then
  echo "installing moto[server] into .venv for the S3 document store tests"
  { python3 -m venv .venv && .venv/bin/pip install -q 'moto[server]'; } ||
    echo "cannot install moto[server] into .venv" >&2
fi
export NIAGA_TEST_S3="unavailable: scripts/test.sh could not start .venv/bin/moto_server"
if [ -x .venv/bin/moto_server ]; then
  moto_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  .venv/bin/moto_server -H 127.0.0.1 -p "$moto_port" >"${TMPDIR:-/tmp}/niaga_moto_server.log" 2>&1 &
  moto_pid=$!
  trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$moto_port") 2>/dev/null; then
      export NIAGA_TEST_S3="http://127.0.0.1:$moto_port"
      break
    fi
    sleep 0.5
  done
fi
echo "S3 stand-in for the document store tests: $NIAGA_TEST_S3"
# Throwaway keys: moto accepts any, and real ones never reach a test.
export AWS_ACCESS_KEY_ID=niaga-test AWS_SECRET_ACCESS_KEY=niaga-test
unset AWS_SESSION_TOKEN AWS_PROFILE

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
