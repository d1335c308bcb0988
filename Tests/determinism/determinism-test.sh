#!/usr/bin/env bash
# The same command on the same commit prints the same bytes: every KPI, the saved queries and `stats`
# in table, CSV and JSON, and every shipped report, each run twice in separate processes (so with
# different hash seeds) and compared byte for byte; every JSON output parsed by a strict parser (no NaN,
# no Infinity, no trailing garbage). Reports are compared with their generation time masked, the one
# line that may differ. Run by `make test`. RECOUP_BIN=path uses that binary; KEEP=1 keeps the folder.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/recoup-determinism.XXXXXX")
pass=0 fail=0
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
check() { if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
BIN=${RECOUP_BIN:-$ROOT/.build/debug/recoup}
S="$WORK/store"
"$BIN" generate --accounts 2000 --seed 11 --out "$WORK/book" >/dev/null || { echo "generate failed"; exit 2; }
"$BIN" import --store "$S" "$WORK/book" >/dev/null || { echo "import failed"; exit 2; }

strict_json() { # file: exit 0 when it is one strict JSON document
    python3 -c '
import json, sys
def no_constant(c): raise ValueError("non-standard JSON constant " + c)
json.loads(open(sys.argv[1], encoding="utf-8").read(), parse_constant=no_constant)' "$1" 2>"$WORK/json-error"
}

twice() { # name, format, command…: runs the command twice and compares; JSON parsed strictly
    local name=$1 fmt=$2; shift 2
    "$@" >"$WORK/a.out" 2>&1; local ra=$?
    "$@" >"$WORK/b.out" 2>&1; local rb=$?
    cmp -s "$WORK/a.out" "$WORK/b.out" && [ $ra = $rb ]
    check "$name ($fmt) prints the same bytes twice" $?
    if [ "$fmt" = json ] && [ $ra = 0 ]; then
        strict_json "$WORK/a.out"; local rj=$?
        [ $rj = 0 ] || { echo "  $(cat "$WORK/json-error" | tail -1)"; head -c 300 "$WORK/a.out"; }
        check "$name (json) is strict JSON" $rj
    fi
}

KPIS="recovery_rate liquidation dso days_to_collect aging cei contact_effectiveness promise_adherence collector_performance roll_rate call_compliance"
for k in $KPIS; do
    for f in table csv json; do
        twice "kpi $k" $f "$BIN" kpi "$k" --store "$S" --format $f
        twice "kpi $k --by portfolio" $f "$BIN" kpi "$k" --store "$S" --by portfolio --format $f
    done
done
for f in table csv json; do
    twice "kpi call_compliance --summary" $f "$BIN" kpi call_compliance --store "$S" --summary --format $f
    twice "stats" $f "$BIN" stats --store "$S" --format $f
    for q in "$ROOT"/queries/*.rq; do
        twice "query $(basename "$q")" $f "$BIN" query --store "$S" --file "$q" --format $f
    done
done

# Reports: two runs into two folders, compared file by file with the generation time masked.
AS_OF=$("$BIN" query --store "$S" --format csv 'from payments | summarize d = max(paid_date)' | tail -1)
for def in "$ROOT"/reports/*.yaml; do
    name=$(basename "$def" .yaml)
    "$BIN" report run "$name" --store "$S" --reports "$ROOT/reports" --as-of "$AS_OF" --out "$WORK/r1-$name" >/dev/null 2>&1
    "$BIN" report run "$name" --store "$S" --reports "$ROOT/reports" --as-of "$AS_OF" --out "$WORK/r2-$name" >/dev/null 2>&1
    same=0
    # Each run's generation time, read once from its report.json and masked in all its files.
    g1=$(grep -o '"generated_at": *"[^"]*"' "$WORK/r1-$name/report.json" | sed 's/.*: *"//; s/"$//')
    g2=$(grep -o '"generated_at": *"[^"]*"' "$WORK/r2-$name/report.json" | sed 's/.*: *"//; s/"$//')
    for f1 in "$WORK/r1-$name"/*; do
        f2="$WORK/r2-$name/$(basename "$f1")"
        if ! cmp -s <(sed "s/$g1/GENERATED/g" "$f1") <(sed "s/$g2/GENERATED/g" "$f2"); then
            echo "  $name: $(basename "$f1") differs between runs"; same=1
        fi
        case "$f1" in *.json) strict_json "$f1"; r=$?; [ $r = 0 ] || echo "  $f1: $(tail -1 "$WORK/json-error")"; check "report $name $(basename "$f1") is strict JSON" $r ;; esac
    done
    [ -f "$WORK/r1-$name/report.html" ]; check "report $name rendered" $?
    check "report $name is the same twice" $same
done
echo "determinism: $pass passed, $fail failed"
[ "$fail" = 0 ]
