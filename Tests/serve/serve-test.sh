#!/usr/bin/env bash
# `recoup serve` as a process: tokens from the CLI, a request in flight when SIGTERM arrives finishes,
# the server exits 0, `recoup audit` reads what was served. Run by `make test` (after the Swift tests).
# Environment: RECOUP_BIN=path uses that binary and skips the build; KEEP=1 keeps the temp folder.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/recoup-serve-test.XXXXXX")
PORT=${PORT:-$((20000 + RANDOM % 20000))}
SERVER=
pass=0 fail=0
cleanup() {
    [ -n "$SERVER" ] && kill -KILL "$SERVER" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
check() { # name, condition result (0 = ok)
    if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
if [ -n "${RECOUP_BIN:-}" ]; then
    BIN=$RECOUP_BIN
else
    (cd "$ROOT" && swift build --product recoup 2>&1 | tail -1) || { echo "build failed"; exit 2; }
    BIN="$ROOT/.build/debug/recoup"
fi
S="$WORK/store"
"$BIN" generate --accounts 300 --seed 3 --out "$WORK/book" >/dev/null
"$BIN" import --store "$S" "$WORK/book" >/dev/null
# A hand-made score file for three accounts (the file form: money in cents).
mkdir -p "$S/scores"
ids=$("$BIN" query --store "$S" --format csv 'from accounts | where status == "open" | sort account_id | take 3 | select account_id' | tail -n +2)
first=$(echo "$ids" | head -1)
{
    echo '{"model_version":"p2p-sh","as_of":"2025-06-30","store_commit":1,"scores":['
    sep=""
    for id in $ids; do
        echo "$sep{\"account_id\":\"$id\",\"as_of\":\"2025-06-30\",\"model_version\":\"p2p-sh\",\"p_pay_30d\":0.5,\"expected_value\":1000,\"outstanding\":2000,\"best_slots\":[],\"reasons\":[]}"
        sep=","
    done
    echo ']}'
} > "$S/scores/000001.json"

TOKEN=$("$BIN" token create --store "$S" --name sh --scope scores:read --scope query:run 2>/dev/null)
check "token create prints rcp_<id>_<secret>" "$([[ $TOKEN =~ ^rcp_[0-9a-f]{12}_[0-9a-f]{48}$ ]]; echo $?)"
check "the token file has no secret" "$(grep -q "${TOKEN##*_}" "$S/api/tokens.json"; [ $? = 1 ]; echo $?)"
"$BIN" token list --store "$S" --format csv | grep -q '^[0-9a-f]*,sh,query:run scores:read,'; check "token list" $?

"$BIN" serve --store "$S" --queues "$ROOT/queues.yaml" --reports "$WORK/reports" --port "$PORT" 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/v1/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/v1/health" | grep -q '"model_version":"p2p-sh"'; check "health" $?
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v1/scores/$first"); check "401 without a token" "$([ "$code" = 401 ]; echo $?)"
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/scores/$first" | grep -q "\"account_id\":\"$first\""; check "a score" $?
grep -q '"message":"serving"' "$WORK/serve.log"; check "structured (JSON) logs" $?

code=$(head -c 3000000 /dev/zero | tr '\0' 'a' | curl -s -o "$WORK/big.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H "Transfer-Encoding: chunked" -H "Content-Type: application/json" --data-binary @- "http://127.0.0.1:$PORT/v1/scores:batch")
check "a 3 MB chunked body is a 413" "$([ "$code" = 413 ] && grep -q body_too_large "$WORK/big.json"; echo $?)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/scores/$(printf '%%%02X' "'${first:0:1}")${first:1}")
check "a percent-encoded id is decoded" "$([ "$code" = 200 ]; echo $?)"

# A slow request in flight when SIGTERM comes still gets its answer.
curl -s -H "Authorization: Bearer $TOKEN" -d '{"query":"from contacts | join accounts on account_id | join payments on account_id | summarize n = count() by portfolio"}' \
    "http://127.0.0.1:$PORT/v1/query" > "$WORK/inflight.json" &
CURL=$!
sleep 0.05
kill -TERM "$SERVER"
wait "$CURL"
wait "$SERVER"; rc=$?
SERVER=
check "exit 0 after SIGTERM" "$([ $rc = 0 ]; echo $?)"
grep -q '"columns"' "$WORK/inflight.json"; check "the request in flight was answered" $?

"$BIN" audit --store "$S" --token sh --account "$first" --format csv | grep -q "/v1/scores/$first"; check "recoup audit finds the read" $?
"$BIN" token revoke --store "$S" sh >/dev/null; check "token revoke" $?
"$BIN" token list --store "$S" --format csv | grep -q '^[0-9a-f]*,sh,.*,20[0-9-]*T.*Z$'; check "a revoked token shows when" $?

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
