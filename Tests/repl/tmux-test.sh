#!/usr/bin/env bash
# Drives `recoup repl` in a detached tmux session the way a person would (typing, Tab, Up,
# Ctrl-C) and checks what the screen shows after each step. Run by `make repl-test`.
#
# Two groups of checks:
#   shell  — the REPL itself: prompts, meta-commands, completion, history, Ctrl-C, piped input,
#            `recoup query` usage errors. These pass without a working query engine.
#   engine — steps that need real query results (QueryEngine.run, QueryEngine.schema).
#
# Environment: RECOUP_BIN=path uses that binary and skips the build; KEEP=1 keeps the temp folder;
# ONLY=shell runs only the first group.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/recoup-repl-test.XXXXXX")
SOCKET="recoup-repl-test-$$"
SESSION=repl
WIDTH=120
HEIGHT=40
TIMEOUT=${TIMEOUT:-15}

tm() { tmux -L "$SOCKET" "$@"; }

cleanup() {
    tm kill-server >/dev/null 2>&1
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

command -v tmux >/dev/null || { echo "tmux is not installed"; exit 2; }

if [ -n "${RECOUP_BIN:-}" ]; then
    BIN=$RECOUP_BIN
else
    echo "building the debug recoup…"
    (cd "$ROOT" && swift build --product recoup 2>&1 | tail -3) || { echo "build failed"; exit 2; }
    BIN="$ROOT/.build/debug/recoup"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN"; exit 2; }

echo "generating and importing a small book into $WORK/store…"
"$BIN" generate --accounts 2000 --seed 3 --out "$WORK/book" >/dev/null || { echo "generate failed"; exit 2; }
"$BIN" import --store "$WORK/store" "$WORK/book" >/dev/null || { echo "import failed"; exit 2; }

# ---------------------------------------------------------------------------------------------
# helpers

declare -A PASSED FAILED
PASSED[shell]=0; FAILED[shell]=0; PASSED[engine]=0; FAILED[engine]=0
GROUP=shell
FAILURES=()

pass() { PASSED[$GROUP]=$((PASSED[$GROUP] + 1)); printf '  ok    %s\n' "$1"; }
fail() {
    FAILED[$GROUP]=$((FAILED[$GROUP] + 1))
    FAILURES+=("[$GROUP] $1")
    printf '  FAIL  %s\n' "$1"
    if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/        | /' | tail -25; fi
}

# The whole pane history, wrapped lines joined.
screen() { tm capture-pane -p -J -S - -t "$SESSION"; }
# The visible pane, as it is.
visible() { tm capture-pane -p -t "$SESSION"; }

# Everything from the last line that contains the fixed string $1 to the end.
since() { screen | awk -v m="$1" 'index($0, m) { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' | sed -n '/./,$p'; }

# Types text literally (a trailing `;` would otherwise end the tmux command).
type_text() {
    local t=$1
    case $t in *\;) t="${t%;}\\;" ;; esac
    tm send-keys -t "$SESSION" -l -- "$t"
}
key() { tm send-keys -t "$SESSION" "$@"; }
# Types a line and Enter.
enter() { type_text "$1"; key Enter; }

# Waits until the text since marker $1 matches the extended regex $2.
wait_for() {
    local marker=$1 re=$2 i=0
    while [ $i -lt $((TIMEOUT * 10)) ]; do
        local region
        region=$(since "$marker")
        if printf '%s\n' "$region" | grep -Eq -- "$re"; then return 0; fi
        # No engine yet: do not wait out the timeout on every engine step.
        if printf '%s\n' "$region" | grep -q 'error\[RQ999\]'; then return 1; fi
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# check NAME MARKER REGEX: after MARKER (the line typed), the screen shows REGEX.
check() {
    if wait_for "$2" "$3"; then pass "$1"; else fail "$1 (wanted /$3/)" "$(since "$2")"; fi
}

# The last line of the visible pane that is not empty (the line being edited).
current_line() { visible | sed '/^[[:space:]]*$/d' | tail -1; }

# check_line NAME REGEX: the line being edited matches REGEX (waits for it).
check_line() {
    local i=0
    while [ $i -lt $((TIMEOUT * 10)) ]; do
        if current_line | grep -Eq -- "$2"; then pass "$1"; return; fi
        sleep 0.1; i=$((i + 1))
    done
    fail "$1 (wanted the line being edited to match /$2/)" "$(current_line)"
}

# Waits for a fresh main prompt after whatever ran.
wait_prompt() {
    local i=0
    while [ $i -lt $((TIMEOUT * 10)) ]; do
        if current_line | grep -Eq '^recoup> ?$'; then return 0; fi
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# A fresh session running the REPL; when it ends, the pane says how.
start_session() {
    tm kill-session -t "$SESSION" >/dev/null 2>&1
    tm -f /dev/null new-session -d -s "$SESSION" -x "$WIDTH" -y "$HEIGHT" \
        "env HOME=$WORK/home RECOUP_HISTORY=$1 TERM=xterm-256color $BIN repl --store $WORK/store; echo \"[recoup exited with status \$?]\""
    tm set-option -t "$SESSION" remain-on-exit on >/dev/null
    tm set-option -t "$SESSION" history-limit 20000 >/dev/null
}

# check_exit NAME: the REPL ended with status 0.
check_exit() {
    local i=0
    while [ $i -lt $((TIMEOUT * 10)) ]; do
        if screen | grep -q '^\[recoup exited with status 0\]$'; then pass "$1"; return; fi
        sleep 0.1; i=$((i + 1))
    done
    fail "$1" "$(visible | sed '/^$/d' | tail -5)"
}

# ---------------------------------------------------------------------------------------------
echo "starting recoup repl in tmux (${WIDTH}x${HEIGHT})…"
mkdir -p "$WORK/home"
printf 'from payments | take 1;\n' > "$WORK/one.rq"
start_session "$WORK/history"

echo "shell (needs no query engine):"
GROUP=shell
if wait_prompt; then pass "main prompt 'recoup> ' appears"; else fail "main prompt 'recoup> ' appears" "$(visible)"; fi

enter ".tables"
check ".tables lists every source with row counts" "recoup> .tables" '^accounts +2000'
check ".tables shows payments and KPI sources" "recoup> .tables" 'kpi sources: .*recovery_rate'
wait_prompt

enter ".help"
check ".help lists the meta-commands" "recoup> .help" '\.schema \[TABLE'
wait_prompt

enter ".tabels"
check "an unknown meta-command suggests the right one" "recoup> .tabels" 'did you mean \.tables'
wait_prompt

type_text "from pay"; key Tab
check_line "Tab completes a table name (from pay → payments)" '^recoup> from payments ?$'
key C-c
wait_prompt && pass "Ctrl-C at the prompt gives a fresh prompt" || fail "Ctrl-C at the prompt gives a fresh prompt" "$(visible | tail -5)"
enter ".timer"
check "Ctrl-C cleared the half-typed line" "recoup> .timer" '^timer is on$'
wait_prompt

type_text ".sch"; key Tab
check_line "Tab completes a meta-command (.sch → .schema)" '^recoup> \.schema ?$'
type_text "pro"; key Tab
check_line "Tab completes a table after .schema" '^recoup> \.schema promises ?$'
key C-u
wait_prompt

type_text "from kpi reco"; key Tab
check_line "Tab completes a KPI name after kpi" '^recoup> from kpi recovery_rate ?$'
key C-u

enter ".format csv"
enter ".format"
check ".format csv switches the format" "recoup> .format" '^format is csv$'
enter ".format table"
wait_prompt
enter ".timer off"
enter ".timer"
check ".timer off" "recoup> .timer" '^timer is off$'
enter ".timer on"
wait_prompt

# A multi-line statement: the continuation prompt, then `;` runs it.
enter "from payments"
check_line "a query without ';' continues on '   ...> '" '^   \.\.\.> ?$'
enter "| summarize n = count(), total = sum(amount)"
enter "| take 5;"
sleep 0.5
wait_prompt
key Up
check_line "Up recalls the previous statement as one line" '^recoup> from payments \| summarize n = count\(\), total = sum\(amount\) \| take 5;$'
key C-u
wait_prompt

enter ".read $WORK/one.rq"
check ".read runs the file's statements" "recoup> .read" '(account_id|error\[)'
wait_prompt

# Ctrl-D (an empty line) leaves; the history file then holds the statements.
enter ".quit"
check_exit ".quit leaves with status 0"
if grep -q 'summarize' "$WORK/history" 2>/dev/null; then pass "history is saved to \$RECOUP_HISTORY"; else fail "history is saved to \$RECOUP_HISTORY" "$(cat "$WORK/history" 2>&1)"; fi

# A second session: Ctrl-D leaves, and the saved history is there for Up.
start_session "$WORK/history"
wait_prompt
key Up
check_line "a new session recalls the saved history" '^recoup> \.quit$'
key C-u
key C-d
check_exit "Ctrl-D leaves with status 0"

# Piped standard input: no prompts, no escape codes.
out=$(printf '.tables\n.timer\n' | "$BIN" repl --store "$WORK/store" 2>&1)
if printf '%s' "$out" | grep -q 'recoup>'; then fail "piped input prints no prompts" "$out"; else pass "piped input prints no prompts"; fi
if printf '%s' "$out" | grep -q $'\x1b'; then fail "piped input prints no escape codes" "$out"; else pass "piped input prints no escape codes"; fi
if printf '%s' "$out" | grep -q '^payments'; then pass "piped .tables works"; else fail "piped .tables works" "$out"; fi

# `recoup query` usage errors.
"$BIN" query --store "$WORK/store" >/dev/null 2>&1; rc=$?
[ $rc = 64 ] && pass "query without a query exits 64" || fail "query without a query exits 64 (got $rc)"
"$BIN" query --store "$WORK/store" -f "$WORK/missing.rq" >/dev/null 2>&1; rc=$?
[ $rc = 66 ] && pass "query -f with a missing file exits 66" || fail "query -f with a missing file exits 66 (got $rc)"
"$BIN" query --store "$WORK/store" --param nonsense 'from payments' >/dev/null 2>&1; rc=$?
[ $rc = 64 ] && pass "--param without = exits 64" || fail "--param without = exits 64 (got $rc)"
"$BIN" query --store "$WORK/nostore" 'from payments' >/dev/null 2>&1; rc=$?
[ $rc = 66 ] && pass "a missing store exits 66" || fail "a missing store exits 66 (got $rc)"

# ---------------------------------------------------------------------------------------------
if [ "${ONLY:-}" != shell ]; then
echo "engine (needs QueryEngine.run and QueryEngine.schema):"
GROUP=engine
start_session "$WORK/history2"
wait_prompt

enter ".schema payments"
check ".schema payments lists columns and types" "recoup> .schema payments" '^  amount +money'
wait_prompt

type_text "from payments | where am"; key Tab
check_line "Tab completes a column of the table (am → amount)" '^recoup> from payments \| where amount ?$'
key C-u
wait_prompt

enter "from payments"
enter "| summarize n = count(), total = sum(amount)"
enter "| take 5;"
check "a multi-line query prints its table" "| take 5;" '^ *n +total$'
check "the table has a footer with the row count" "| take 5;" '^\(1 row\)$'
check "money is printed with two decimals, right-aligned" "| take 5;" '^ *3857 +[0-9]+\.[0-9]{2}$'
check ".timer is on by default: Time: … s" "| take 5;" '^Time: [0-9]+\.[0-9]{3} s$'
wait_prompt

enter "from payments | where ammount > 0;"
if wait_for "recoup> from payments | where ammount" '\^'; then
    region=$(since "recoup> from payments | where ammount")
    src=$(printf '%s\n' "$region" | grep -E '^ *[0-9]+ \| from payments' | head -1)
    caret=$(printf '%s\n' "$region" | grep -E '^ *\| +\^' | head -1)
    want=$(awk -v s="$src" 'BEGIN { print index(s, "ammount") }')
    got=$(awk -v s="$caret" 'BEGIN { print index(s, "^") }')
    if [ -n "$src" ] && [ "$want" -gt 0 ] && [ "$want" = "$got" ]; then
        pass "the error's caret is under the misspelt column (col $got)"
    else
        fail "the error's caret is under the misspelt column (want $want, got $got)" "$region"
    fi
else
    fail "a bad query prints an error with a caret" "$(since "recoup> from payments | where ammount")"
fi
check "the error names the column" "recoup> from payments | where ammount" 'ammount'
wait_prompt
enter ".timer"
check "the session goes on after an error" "recoup> .timer" '^timer is on$'
wait_prompt

enter ".format csv"
enter "from payments | select account_id, amount | take 2;"
check ".format csv prints CSV" "recoup> from payments | select account_id, amount | take 2;" '^account_id,amount$'
check "CSV rows have money with two decimals" "recoup> from payments | select account_id, amount | take 2;" '^[^,]+,-?[0-9]+\.[0-9]{2}$'
wait_prompt
enter ".format json"
enter "from payments | select account_id, amount | take 2;"
check ".format json prints the /v1/query shape" "recoup> from payments | select account_id, amount | take 2;" '^\{"columns":\[\{"name":"account_id","type":"[a-z]+"\},\{"name":"amount","type":"money"\}\],"rows":\['
wait_prompt
enter ".format table"

enter ".timer off"
enter "from accounts | summarize n = count();"
sleep 1
if since "recoup> from accounts | summarize n = count();" | grep -q '^Time:'; then
    fail ".timer off prints no time" "$(since "recoup> from accounts | summarize n = count();")"
else
    check ".timer off: the query still runs" "recoup> from accounts | summarize n = count();" '^ *2000$'
fi
enter ".timer on"
enter "from accounts | summarize n = count();"
check ".timer on prints Time: … s" "recoup> .timer on" '^Time: [0-9]+\.[0-9]{3} s$'
wait_prompt

# A table wider than the terminal is cut to fit: at 60 columns no line is longer (joined lines).
tm resize-window -t "$SESSION" -x 60 -y "$HEIGHT" >/dev/null 2>&1
sleep 0.3
enter "from accounts | take 3;"
if wait_for "recoup> from accounts | take 3;" '^\(3 rows\)$'; then
    # (characters, not bytes: ─ and … are one column each)
    long=$(since "recoup> from accounts | take 3;" | sed 's/─/-/g; s/…/./g' | awk 'length($0) > 60' | wc -l)
    cut=$(since "recoup> from accounts | take 3;" | grep -cE '…|more columns? not shown')
    [ "$long" = 0 ] && [ "$cut" -gt 0 ] && pass "wide tables are cut to the terminal width" \
        || fail "wide tables are cut to the terminal width" "$(since "recoup> from accounts | take 3;")"
else
    fail "from accounts | take 3 prints three rows" "$(since "recoup> from accounts | take 3;")"
fi
tm resize-window -t "$SESSION" -x "$WIDTH" -y "$HEIGHT" >/dev/null 2>&1
wait_prompt

enter ".read $WORK/one.rq"
check ".read runs a file's queries" "recoup> .read" '^\(1 row\)$'
wait_prompt

enter '.explain from payments | where amount > 100 | sort amount desc | take 3'
check ".explain prints the scan with its pushed filter" "recoup> .explain from payments" '^ +filter: amount > 100$'
check ".explain lists the rules that fired" "recoup> .explain from payments" '^rules: top-k, filter pushdown'
wait_prompt
enter '.explain from payments | where amount > "x"'
check ".explain reports a type error with a caret" "recoup> .explain from payments | where amount >" 'error\[RQ304\]'
wait_prompt

enter ".param big=1000.00"
enter "from payments | where amount >= \$big | summarize n = count();"
check ".param gives \$big a value" "recoup> from payments | where amount >= \$big" '^ *[0-9]+$'
wait_prompt
enter ".quit"
check_exit ".quit after queries leaves with status 0"

# `recoup query`
out=$("$BIN" query --store "$WORK/store" --format csv 'from accounts | summarize n = count()' 2>&1); rc=$?
[ $rc = 0 ] && printf '%s' "$out" | grep -q '^2000$' && pass "recoup query prints csv" || fail "recoup query prints csv (rc $rc)" "$out"
out=$("$BIN" query --store "$WORK/store" 'from payments | where ammount > 0' 2>&1); rc=$?
[ $rc = 65 ] && printf '%s' "$out" | grep -q '\^' && pass "recoup query: a bad query exits 65 with a caret" || fail "recoup query: a bad query exits 65 with a caret (rc $rc)" "$out"
out=$(printf 'from accounts | summarize n = count();\n' | "$BIN" repl --store "$WORK/store" 2>&1); rc=$?
[ $rc = 0 ] && printf '%s' "$out" | grep -q '^2000$' && pass "piped queries print csv" || fail "piped queries print csv (rc $rc)" "$out"
fi

# ---------------------------------------------------------------------------------------------
# Ctrl-C while a query runs: needs a book big enough for a query to take a while, so only with
# CANCEL=1 (generates 300,000 accounts; a minute or two in a debug build).
if [ "${CANCEL:-0}" = 1 ] && [ "${ONLY:-}" != shell ]; then
echo "cancel (CANCEL=1):"
GROUP=engine
"$BIN" generate --accounts 300000 --seed 5 --out "$WORK/bigbook" >/dev/null && "$BIN" import --store "$WORK/bigstore" "$WORK/bigbook" >/dev/null
tm kill-session -t "$SESSION" >/dev/null 2>&1
tm -f /dev/null new-session -d -s "$SESSION" -x "$WIDTH" -y "$HEIGHT" \
    "env HOME=$WORK/home RECOUP_HISTORY=$WORK/history3 $BIN repl --store $WORK/bigstore; echo \"[recoup exited with status \$?]\""
tm set-option -t "$SESSION" remain-on-exit on >/dev/null
wait_prompt
SLOW="from contacts | join accounts on account_id | derive h = local_hour(ts) | summarize n = count(), m = median(duration_s) by h, portfolio;"
enter "$SLOW"
sleep 1
key C-c
check "Ctrl-C cancels the running query" "recoup> from contacts | join accounts" '^cancelled$'
wait_prompt && pass "the session goes on after Ctrl-C" || fail "the session goes on after Ctrl-C" "$(visible | sed '/^$/d' | tail -5)"
enter ".quit"
check_exit ".quit after a cancelled query leaves with status 0"
fi

# ---------------------------------------------------------------------------------------------
total_pass=$((PASSED[shell] + PASSED[engine]))
total_fail=$((FAILED[shell] + FAILED[engine]))
echo
echo "shell: ${PASSED[shell]} passed, ${FAILED[shell]} failed; engine: ${PASSED[engine]} passed, ${FAILED[engine]} failed"
for f in "${FAILURES[@]+"${FAILURES[@]}"}"; do echo "  failed: $f"; done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
