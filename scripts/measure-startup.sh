#!/usr/bin/env bash
# Start-up time to /readyz = 200 and idle RSS of `niaga serve` on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build first: cargo build --release -p niaga-api
bin=${1:-target/release/niaga}
port=18080
runs=${RUNS:-5}
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s%N)
  NIAGA_DATA_DIR=$dir NIAGA_BIND=127.0.0.1:$port "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.002; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 2
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "run $i: ready in ${ready} ms, idle RSS ${rss} kB (fresh data dir)"
  rm -rf "$dir"
done
