#!/usr/bin/env bash
# `make load`: wrk on loopback against GET /v1/queues/{name}?limit=100 and GET /v1/scores/{id} of a
# running `recoup serve` over a 1M-account store with scores. See docs/PERFORMANCE.md, "HTTP service".
#   LOAD_STORE   store to serve (default Benchmarks/data/book-1000000/recoup-store; made when missing)
#   LOAD_ACCOUNTS accounts of a generated book (default 1000000)
#   LOAD_SECONDS  seconds per endpoint (default 20); LOAD_CONNECTIONS (32); LOAD_THREADS (2)
#   LOAD_PORT     (default 18080); RECOUP=binary to use (default: build release into .build-release)
set -euo pipefail
cd "$(dirname "$0")/../.."
ACCOUNTS=${LOAD_ACCOUNTS:-1000000}
STORE=${LOAD_STORE:-Benchmarks/data/book-$ACCOUNTS/recoup-store}
SECONDS_EACH=${LOAD_SECONDS:-20}
CONNECTIONS=${LOAD_CONNECTIONS:-32}
THREADS=${LOAD_THREADS:-2}
PORT=${LOAD_PORT:-18080}
RECOUP=${RECOUP:-}
QUEUES=${LOAD_QUEUES:-queues.yaml}
WORK=$(mktemp -d)

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: run sudo apt-get install -y wrk"; exit 1
  fi
fi
if [ -z "$RECOUP" ]; then
  swift build -c release --product recoup --scratch-path .build-release 2>&1 | tail -1
  RECOUP=.build-release/release/recoup
fi

if [ ! -f "$STORE/FORMAT" ]; then
  book=$(dirname "$STORE")/csv
  [ -f "$book/accounts.csv" ] || "$RECOUP" generate --accounts "$ACCOUNTS" --seed 42 --out "$book"
  "$RECOUP" import --store "$STORE" "$book"
fi
if ! ls "$STORE"/scores/*.json >/dev/null 2>&1; then
  ls "$STORE"/models/* >/dev/null 2>&1 || "$RECOUP" train --store "$STORE"
  "$RECOUP" score --store "$STORE" --format csv >/dev/null
fi

TOKEN=$("$RECOUP" token create --store "$STORE" --name "load-$$" --scope scores:read 2>/dev/null)
"$RECOUP" query --store "$STORE" --format csv 'from scores | select account_id' > "$WORK/ids.txt"
QUEUE=$(awk '/^  - name:/ { print $3; exit }' "$QUEUES")

"$RECOUP" serve --store "$STORE" --queues "$QUEUES" --host 127.0.0.1 --port "$PORT" --log-level warning 2>"$WORK/serve.log" &
SERVER=$!
cleanup() {
  kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  "$RECOUP" token revoke --store "$STORE" "load-$$" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 1200); do
  curl -sf "http://127.0.0.1:$PORT/v1/health" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.5
done
echo "serving: $(curl -s "http://127.0.0.1:$PORT/v1/health")"
echo "queue $QUEUE: $(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/queues" | head -c 600)"
echo

run() {
  echo "== wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_EACH}s --latency $1"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -s Benchmarks/load/rotate.lua "http://127.0.0.1:$PORT" -- "$2" "$TOKEN" "$3" \
    | tee "$WORK/wrk.txt" | grep -E 'Requests/sec|Latency|99%|RESULT|Non-2xx|Socket errors'
}
run "GET /v1/queues/$QUEUE?limit=100" queue "$QUEUE"
run "GET /v1/scores/{id} (rotating over $(wc -l < "$WORK/ids.txt") ids)" scores "$WORK/ids.txt"
