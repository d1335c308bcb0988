#!/usr/bin/env python3
"""The `query` suite of compare.py: typical ad-hoc queries in Recoup's language (QUERY.md) and in DuckDB SQL.

Each query is written once in each language with the same meaning and run on the same book:
- Recoup: `recoup query --store STORE 'TEXT' --format csv` (or `-f FILE.rq`), each run a fresh process;
  time = its wall time, peak RSS = the process's.
- DuckDB: on the .duckdb file the import suite wrote, each run a fresh child (`queries_bench.py --child DB
  NAME`); time = connect + query + fetch measured inside the child (Python start-up and `import duckdb`
  excluded), as in the kpi suite. A query that uses today() also finds the as-of date inside the timed part
  (kpis_duckdb.default_as_of), as Recoup does.
Both sides' rows are then compared: the header, money exactly as decimals, floats to 1e-9 (relative, and
absolute near 0), dates, ints and strings exactly, and the row order where the query sorts (rows with equal
sort keys may come in any order). Differences are printed row by row, matched by the query's key columns.

Semantics the SQL follows (Sources/RecoupQuery/Exec): a date compared with a timestamp is its midnight UTC;
local_hour(ts, account) is the hour of ts's wall time in the account's zone; int / int is a float division;
sort puts null first ascending (so last descending) and orders strings by code point; `join` is an inner
join on the key.
"""
import csv
import datetime as dt
import io
import json
import math
import os
import sys
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

RPC_OUTCOMES = ("right_party", "promise", "refused", "dispute", "replied")


class Query:
    """One benchmark query.
    recoup: the query text, or ("-f", path relative to the repository).
    duckdb(con): the SQL (it may look things up on the connection: zones, the as-of date).
    types: per output column, 'str', 'int', 'float', 'money' or 'date'.
    key: the columns that identify a row (to match rows when reporting differences).
    sort: the columns the query sorts by, in order (None: the order is not part of the answer)."""

    def __init__(self, name, title, recoup, duckdb, types, key, sort):
        self.name, self.title, self.recoup, self.duckdb = name, title, recoup, duckdb
        self.types, self.key, self.sort = types, key, sort

    def recoup_argv(self, recoup, store):
        if isinstance(self.recoup, tuple):
            return [recoup, "query", "--store", store, self.recoup[0], os.path.join(REPO, self.recoup[1]),
                    "--format", "csv"]
        return [recoup, "query", "--store", store, self.recoup, "--format", "csv"]


def _local_ts(con):
    sys.path.insert(0, HERE)
    import kpis_duckdb
    return kpis_duckdb.local_ts(con, ts="c.ts", tz="a.timezone")


def _as_of(con):
    sys.path.insert(0, HERE)
    import kpis_duckdb
    return kpis_duckdb.default_as_of(con)


def sql_contacts_by_local_hour(con):
    return f"""
        SELECT c.channel AS channel, hour({_local_ts(con)}) AS hour, count(*) AS attempts
        FROM contacts c JOIN accounts a ON a.account_id = c.account_id
        WHERE c.direction = 'outbound'
        GROUP BY 1, 2
        ORDER BY channel ASC NULLS FIRST, hour ASC NULLS FIRST"""


def sql_payments_by_portfolio_month(con):
    return """
        SELECT a.portfolio AS portfolio, CAST(date_trunc('month', p.paid_date) AS DATE) AS month,
               sum(p.amount) AS collected, count(DISTINCT p.account_id) AS payers
        FROM payments p JOIN accounts a ON a.account_id = p.account_id
        WHERE p.paid_date >= DATE '2025-01-01' AND p.amount > 0
        GROUP BY 1, 2
        ORDER BY portfolio ASC NULLS FIRST, month ASC NULLS FIRST"""


def sql_top_card_payments(con):
    return """
        SELECT p.payment_id AS payment_id, p.account_id AS account_id, a.portfolio AS portfolio,
               p.paid_date AS paid_date, p.amount AS amount
        FROM payments p JOIN accounts a ON a.account_id = p.account_id
        WHERE p.amount > 500 AND p.method = 'card'
        ORDER BY p.amount DESC NULLS LAST, p.payment_id ASC NULLS FIRST
        LIMIT 100"""


def sql_rpc_rate_by_local_hour(con):
    # queries/rpc_rate_by_local_hour_and_channel.rq: ts >= today() - 90 compares with that date's midnight UTC.
    since = _as_of(con) - dt.timedelta(days=90)
    rpc = "(" + ", ".join(f"'{o}'" for o in RPC_OUTCOMES) + ")"
    return f"""
        WITH x AS (SELECT c.channel AS channel, hour({_local_ts(con)}) AS hour,
                          CASE WHEN c.outcome IN {rpc} THEN 1 ELSE 0 END AS rpc
                   FROM contacts c JOIN accounts a ON a.account_id = c.account_id
                   WHERE c.direction = 'outbound' AND c.ts >= TIMESTAMPTZ '{since.isoformat()} 00:00:00+00')
        SELECT channel, hour, count(*) AS attempts, sum(rpc) AS rpcs,
               CAST(sum(rpc) AS DOUBLE) / CAST(count(*) AS DOUBLE) AS rpc_rate
        FROM x
        GROUP BY 1, 2
        ORDER BY channel ASC NULLS FIRST, hour ASC NULLS FIRST"""


def sql_accounts_never_paid(con):
    return """
        SELECT a.portfolio AS portfolio, count(*) AS accounts, sum(a.principal) AS principal
        FROM accounts a LEFT JOIN payments p ON p.account_id = a.account_id
        WHERE p.payment_id IS NULL
        GROUP BY 1
        ORDER BY portfolio ASC NULLS FIRST"""


def sql_accounts_contacted_by_month(con):
    return """
        SELECT CAST(date_trunc('month', c.ts) AS DATE) AS month, count(DISTINCT c.account_id) AS accounts,
               count(*) AS contacts
        FROM contacts c
        GROUP BY 1
        ORDER BY month ASC NULLS FIRST"""


def sql_payment_quantiles_by_method(con):
    return """
        SELECT p.method AS method, count(*) AS payments,
               quantile_cont(CAST(p.amount AS DOUBLE), 0.5) AS p50,
               quantile_cont(CAST(p.amount AS DOUBLE), 0.9) AS p90
        FROM payments p
        WHERE p.amount > 0
        GROUP BY 1
        ORDER BY method ASC NULLS FIRST"""


def sql_calls_by_local_weekday_hour(con):
    rpc = "(" + ", ".join(f"'{o}'" for o in RPC_OUTCOMES) + ")"
    return f"""
        WITH x AS (SELECT lower(strftime({_local_ts(con)}, '%a')) AS weekday, hour({_local_ts(con)}) AS hour,
                          CASE WHEN c.outcome IN {rpc} THEN 1 ELSE 0 END AS rpc
                   FROM contacts c JOIN accounts a ON a.account_id = c.account_id
                   WHERE c.channel = 'call' AND c.direction = 'outbound')
        SELECT weekday, hour, count(*) AS calls, sum(rpc) AS rpcs
        FROM x
        GROUP BY 1, 2
        ORDER BY weekday ASC NULLS FIRST, hour ASC NULLS FIRST"""


def sql_longest_calls(con):
    return """
        SELECT c.contact_id AS contact_id, c.account_id AS account_id, c.agent_id AS agent_id,
               c.duration_s AS duration_s
        FROM contacts c
        WHERE c.channel = 'call'
        ORDER BY c.duration_s DESC NULLS LAST, c.contact_id ASC NULLS FIRST
        LIMIT 20"""


def sql_paid_within_promise_window(con):
    return """
        SELECT a.portfolio AS portfolio, count(DISTINCT r.promise_id) AS promises, sum(p.amount) AS paid
        FROM promises r
        JOIN accounts a ON a.account_id = r.account_id
        JOIN payments p ON p.account_id = r.account_id
        WHERE p.paid_date >= r.created_date AND p.paid_date <= r.due_date + 3
        GROUP BY 1
        ORDER BY portfolio ASC NULLS FIRST"""


QUERIES = [
    Query("contacts_by_local_hour", "outbound contacts by local hour and channel",
          'from contacts | where direction == "outbound" | derive hour = local_hour(ts, account) '
          '| summarize attempts = count() by channel, hour | sort channel, hour',
          sql_contacts_by_local_hour, ["str", "int", "int"], key=[0, 1], sort=[0, 1]),
    Query("payments_by_portfolio_month", "payments ⋈ accounts by portfolio and month",
          'from payments | where paid_date >= @2025-01-01 and amount > 0 | join accounts on account_id '
          '| derive month = month(paid_date) '
          '| summarize collected = sum(amount), payers = count_distinct(account_id) by portfolio, month '
          '| sort portfolio, month',
          sql_payments_by_portfolio_month, ["str", "date", "money", "int"], key=[0, 1], sort=[0, 1]),
    Query("top_card_payments", "top 100 card payments > 500 ⋈ accounts",
          'from payments | where amount > 500 and method == "card" | join accounts on account_id '
          '| select payment_id, account_id, portfolio, paid_date, amount | sort amount desc, payment_id | take 100',
          sql_top_card_payments, ["str", "str", "str", "date", "money"], key=[0], sort=[4, 0]),
    Query("rpc_rate_by_local_hour", "RPC rate by local hour and channel, 90 days (saved query)",
          ("-f", "queries/rpc_rate_by_local_hour_and_channel.rq"),
          sql_rpc_rate_by_local_hour, ["str", "int", "int", "int", "float"], key=[0, 1], sort=[0, 1]),
    # Issue 11: a left join, count_distinct by month, quantiles, a local-time grouping over contacts, a top-k
    # over contacts and a join of three tables.
    Query("accounts_never_paid", "accounts with no payment, by portfolio (left join)",
          'from accounts | join left payments on account_id | where payment_id is null '
          '| summarize accounts = count(), principal = sum(principal) by portfolio | sort portfolio',
          sql_accounts_never_paid, ["str", "int", "money"], key=[0], sort=[0]),
    Query("accounts_contacted_by_month", "distinct accounts contacted by month",
          'from contacts | summarize accounts = count_distinct(account_id), contacts = count() by month = month(ts) '
          '| sort month',
          sql_accounts_contacted_by_month, ["date", "int", "int"], key=[0], sort=[0]),
    Query("payment_quantiles_by_method", "median and 90th percentile payment by method",
          'from payments | where amount > 0 '
          '| summarize payments = count(), p50 = median(amount), p90 = quantile(amount, 0.9) by method | sort method',
          sql_payment_quantiles_by_method, ["str", "int", "float", "float"], key=[0], sort=[0]),
    Query("calls_by_local_weekday_hour", "outbound calls and RPCs by local weekday and hour",
          'from contacts | where channel == "call" and direction == "outbound" '
          '| derive weekday = local_weekday(ts, account), hour = local_hour(ts, account), '
          'rpc = if(outcome in ("right_party", "promise", "refused", "dispute", "replied"), 1, 0) '
          '| summarize calls = count(), rpcs = sum(rpc) by weekday, hour | sort weekday, hour',
          sql_calls_by_local_weekday_hour, ["str", "int", "int", "int"], key=[0, 1], sort=[0, 1]),
    Query("longest_calls", "the 20 longest calls (top-k over contacts)",
          'from contacts | where channel == "call" | sort duration_s desc, contact_id | take 20 '
          '| select contact_id, account_id, agent_id, duration_s',
          sql_longest_calls, ["str", "str", "str", "int"], key=[0], sort=[3, 0]),
    Query("paid_within_promise_window", "payments inside each promise's window, by portfolio (three tables)",
          'from promises | join accounts on account_id | join payments on account_id '
          '| where paid_date >= created_date and paid_date <= due_date + 3 '
          '| summarize promises = count_distinct(promise_id), paid = sum(payments_amount) by portfolio | sort portfolio',
          sql_paid_within_promise_window, ["str", "int", "money"], key=[0], sort=[0]),
]
BY_NAME = {q.name: q for q in QUERIES}


# ---- the DuckDB child ----

def _jsonable(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return repr(v)  # exact round trip, also nan / inf
    if isinstance(v, (Decimal, dt.date, dt.datetime)):
        return str(v)
    return str(v)


def child_duckdb(db, name):
    import duckdb
    q = BY_NAME[name]
    t0 = time.perf_counter()
    con = duckdb.connect(db, read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    cur = con.execute(q.duckdb(con))
    rows = cur.fetchall()
    secs = time.perf_counter() - t0
    columns = [d[0] for d in cur.description]
    print(json.dumps({"seconds": secs, "columns": columns, "rows": [[_jsonable(v) for v in r] for r in rows]}))


# ---- comparing the answers ----

def _typed(v, t):
    """A cell (Recoup CSV text, or the DuckDB child's JSON value) as a comparable Python value."""
    if v is None or v == "":  # CSV prints null as an empty field
        return None
    if t == "str":
        return str(v)
    if t == "int":
        return int(v)
    if t == "money":
        return Decimal(str(v))
    if t == "float":
        return float(v)
    if t == "date":
        return dt.date.fromisoformat(str(v)[:10])
    raise ValueError(t)


def _same(a, b, t):
    if a is None or b is None:
        return a is None and b is None
    if t == "float":
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _rows_same(r, d, types):
    return len(r) == len(d) and all(_same(x, y, t) for x, y, t in zip(r, d, types))


def _fmt(row):
    return "(" + ", ".join("null" if v is None else str(v) for v in row) + ")"


def compare_rows(q, r_cols, r_rows, d_cols, d_rows, limit=20):
    """Differences between Recoup's and DuckDB's answers, as lines of text (empty when they agree)."""
    out = []
    if r_cols != d_cols:
        out.append(f"columns differ: recoup {r_cols}, duckdb {d_cols}")
    types = q.types
    r = [tuple(_typed(v, t) for v, t in zip(row, types)) for row in r_rows]
    d = [tuple(_typed(v, t) for v, t in zip(row, types)) for row in d_rows]
    if len(r) != len(d):
        out.append(f"row count differs: recoup {len(r)}, duckdb {len(d)}")
    # Match rows by key: values that differ, rows only on one side.
    kf = lambda row: tuple(row[i] for i in q.key)
    rk, dk = {}, {}
    for i, row in enumerate(r):
        rk.setdefault(kf(row), []).append(i)
    for i, row in enumerate(d):
        dk.setdefault(kf(row), []).append(i)
    diffs = []
    for k in list(rk) + [k for k in dk if k not in rk]:
        ri, di = rk.get(k, []), dk.get(k, [])
        if len(ri) != 1 or len(di) != 1:
            if len(ri) != len(di) or not all(_rows_same(r[a], d[b], types) for a, b in zip(ri, di)):
                diffs.append(f"key {_fmt(k)}: recoup {[_fmt(r[a]) for a in ri] or 'no row'}, "
                             f"duckdb {[_fmt(d[b]) for b in di] or 'no row'}")
            continue
        a, b = r[ri[0]], d[di[0]]
        if not _rows_same(a, b, types):
            cols = [f"{d_cols[c] if c < len(d_cols) else c}: recoup {a[c]}, duckdb {b[c]}"
                    for c in range(len(types)) if not _same(a[c], b[c], types[c])]
            diffs.append(f"key {_fmt(k)}: " + "; ".join(cols))
    out += diffs[:limit] + ([f"… and {len(diffs) - limit} more rows differ"] if len(diffs) > limit else [])
    # Row order: the sequence of sort-key values must agree (rows with equal sort keys may come in any order).
    if q.sort and not diffs and len(r) == len(d):
        sk = lambda row: tuple(row[i] for i in q.sort)
        for i, (a, b) in enumerate(zip(r, d)):
            if sk(a) != sk(b):
                out.append(f"row order differs at row {i + 1}: recoup {_fmt(a)}, duckdb {_fmt(b)}")
                break
    return out


# ---- the suite ----

def duckdb_cli():
    """The DuckDB CLI from PyPI (duckdb-cli), beside this Python."""
    path = os.path.join(os.path.dirname(sys.executable), "duckdb")
    return path if os.path.exists(path) else None


def cli_sql(duckdb_file):
    """Each query's SQL as text for the CLI (the zones and the as-of date looked up once, here)."""
    import duckdb
    con = duckdb.connect(duckdb_file, read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    out = {q.name: "SET TimeZone = 'UTC';\n" + q.duckdb(con) + ";" for q in QUERIES}
    con.close()
    return out


def run_suite(args, store, duckdb_file, accounts, run_measured):
    """Runs every query `args.runs` times on each side, checks the rows, prints the Markdown table.
    Each run is interleaved: the Recoup process, the DuckDB child (time inside it), and the DuckDB CLI as a
    whole process (`duckdb -readonly FILE -csv -c SQL`, the whole process timed as Recoup's is)."""
    me = [sys.executable, os.path.abspath(__file__), "--child", duckdb_file]
    cli = duckdb_cli()
    sql = cli_sql(duckdb_file) if cli else {}
    results = {}
    for q in QUERIES:
        rt, rrss, dt_, dwall, drss, ct = [], [], [], [], [], []
        r_out, d_out, failed = None, None, None
        for _ in range(args.runs):
            # Interleave the two systems so drift on a noisy machine hits them alike.
            try:
                s, rss, out = run_measured(q.recoup_argv(args.recoup, store))
                rt.append(s); rrss.append(rss); r_out = out
            except SystemExit:  # this query failed in Recoup: n/a for it; run it once more to say why
                failed = _why_failed(q.recoup_argv(args.recoup, store))
                rt = []
                break
            s, rss, out = run_measured(me + [q.name])
            j = json.loads(out)
            dt_.append(j["seconds"]); dwall.append(s); drss.append(rss); d_out = j
            if cli:
                s, _, _ = run_measured([cli, "-readonly", duckdb_file, "-csv", "-c", sql[q.name]])
                ct.append(s)
        if failed:
            print(f"  {q.name}: recoup failed ({failed})", flush=True)
        while len(dt_) < args.runs:
            s, rss, out = run_measured(me + [q.name])
            j = json.loads(out)
            dt_.append(j["seconds"]); dwall.append(s); drss.append(rss); d_out = j
        res = {"title": q.title, "recoup": None,
               "duckdb": {"seconds": median(dt_), "process_seconds": median(dwall), "peak_rss_mib": max(drss),
                          "rows": len(d_out["rows"])},
               "duckdb_cli": {"seconds": median(ct)} if ct else None}
        mismatches = []
        if rt:
            parsed = list(csv.reader(io.StringIO(r_out)))
            r_cols, r_rows = (parsed[0], parsed[1:]) if parsed else ([], [])
            res["recoup"] = {"seconds": median(rt), "peak_rss_mib": max(rrss), "rows": len(r_rows)}
            try:
                mismatches = compare_rows(q, r_cols, r_rows, d_out["columns"], d_out["rows"])
            except (ValueError, ArithmeticError) as e:
                mismatches = [f"cannot compare: {e}"]
        res["same_rows"] = None if not rt else not mismatches
        res["mismatches"] = mismatches
        results[q.name] = res
        span = lambda xs: f" ({min(xs):.3f}–{max(xs):.3f})" if len(xs) > 1 else ""
        fmt = lambda x, xs: "n/a" if x is None else f"{x['seconds']:.3f}s" + span(xs)
        print(f"  {q.name}: recoup {fmt(res['recoup'], rt)}, duckdb {fmt(res['duckdb'], dt_)}, "
              f"duckdb cli {fmt(res['duckdb_cli'], ct)}, "
              f"rows {res['duckdb']['rows']}" + ("" if not rt else (", same rows" if not mismatches else ", ROWS DIFFER")),
              flush=True)
        for m in mismatches:
            print(f"    {m}", flush=True)

    cell = lambda x: "n/a" if x is None else f"{x['seconds']:.3f}"
    mem = lambda x: "" if x is None else f"{x['peak_rss_mib']:.0f} MiB"
    print()
    print(f"| query on {accounts:,} accounts, median of {args.runs} | Recoup s | peak RSS | DuckDB s | peak RSS "
          f"| Recoup/DuckDB | DuckDB CLI s | Recoup/CLI | rows | same rows |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, r in results.items():
        ratio = f"{r['recoup']['seconds'] / r['duckdb']['seconds']:.2f}" if r["recoup"] else "n/a"
        cli_ratio = (f"{r['recoup']['seconds'] / r['duckdb_cli']['seconds']:.2f}"
                     if r["recoup"] and r["duckdb_cli"] else "n/a")
        same = "n/a" if r["same_rows"] is None else ("yes" if r["same_rows"] else "**no**")
        print(f"| {name} | {cell(r['recoup'])} | {mem(r['recoup'])} | {cell(r['duckdb'])} | {mem(r['duckdb'])} "
              f"| {ratio} | {cell(r['duckdb_cli'])} | {cli_ratio} | {r['duckdb']['rows']} | {same} |")
    print()
    print("Recoup: whole `recoup query … --format csv` process per run. DuckDB: fresh child per run on the loaded "
          ".duckdb file, connect + query + fetch timed inside it. DuckDB CLI: the whole `duckdb -readonly FILE -csv "
          "-c SQL` process (duckdb-cli from PyPI), as Recoup's is timed. Peak RSS: whole child process.")
    for q in QUERIES:
        print(f"- {q.name}: " + (f"`recoup query -f {q.recoup[1]}`" if isinstance(q.recoup, tuple) else f"`{q.recoup}`"))
    bad = [n for n, r in results.items() if r["same_rows"] is False]
    if bad:
        print(f"\nrows differ between Recoup and DuckDB in: {', '.join(bad)} (see above)")
    return results


def _why_failed(argv):
    import subprocess
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"{' '.join(argv)}: {e}"
    err = p.stderr.strip().splitlines()
    return (f"exit {p.returncode}" + (f": {' / '.join(err[:6])}" if err else "")
            + (" (it succeeded when run again)" if p.returncode == 0 else ""))


def median(xs):
    import statistics
    return statistics.median(xs)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child_duckdb(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: queries_bench.py --child DB.duckdb QUERY  (the suite runs from compare.py --suite query)")
