#!/usr/bin/env python3
"""Cross-checks the KPIs of KPIS.md on one generated book:

1. DuckDB (kpis_duckdb.py) and Polars (kpis_polars.py) agree on the five KPIs both implement;
2. when `recoup kpi` exists, Recoup's CSV output agrees with DuckDB for every KPI and several parameter
   sets (default; by portfolio; by cohort; contact KPIs by channel / local_hour / local_weekday; earlier
   as-of dates; other periods, grace, month, summary).

Money must match exactly, counts and text exactly, rates / dso / days / cei to 1e-9 (relative above 1).
The first differing rows are printed. Exit status 0 when everything agrees.

    Benchmarks/.venv/bin/python Benchmarks/compare/test_kpis.py DIR            # DIR holds the four CSV files
        [--recoup .build/release/recoup] [--store STORE] [--kpi NAME,…] [--no-polars] [--show N]

Without --store the book is imported into a temporary store (removed afterwards).
"""
import argparse
import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import duckdb  # noqa: E402

import kpis_duckdb as KD  # noqa: E402

PERIOD_KPIS = {"dso", "days_to_collect", "cei", "contact_effectiveness", "promise_adherence",
               "collector_performance", "call_compliance"}
CONTACT_KPIS = {"contact_effectiveness", "call_compliance"}


def same(x, y):
    if isinstance(x, float) or isinstance(y, float):
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= 1e-9 * max(1.0, abs(y))
    return x == y


def same_row(x, y):
    return len(x) == len(y) and all(same(u, v) for u, v in zip(x, y))


def diff(label, cols_a, rows_a, cols_b, rows_b, names=("a", "b"), show=5):
    """None when equal, else a printable description with the first differing rows."""
    if cols_a != cols_b:
        return f"{label}: columns differ\n  {names[0]}: {cols_a}\n  {names[1]}: {cols_b}"
    bad = [(i, x, y) for i, (x, y) in enumerate(zip(rows_a, rows_b)) if not same_row(x, y)]
    if not bad and len(rows_a) == len(rows_b):
        return None
    w = max(len(n) for n in names)
    out = [f"{label}: {len(rows_a)} rows ({names[0]}) vs {len(rows_b)} ({names[1]}), "
           f"{len(bad)} of the first {min(len(rows_a), len(rows_b))} differ"]
    out.append("  columns: " + ",".join(cols_a))
    for i, x, y in bad[:show]:
        out.append(f"  row {i}:")
        out.append(f"    {names[0]:<{w}} " + ",".join(KD.format_value(v) for v in x))
        out.append(f"    {names[1]:<{w}} " + ",".join(KD.format_value(v) for v in y))
    if not bad or len(bad) < show:
        n = min(len(rows_a), len(rows_b))
        for nm, rows in zip(names, (rows_a, rows_b)):
            for i, r in enumerate(rows[n:n + show - len(bad[:show])]):
                out.append(f"  only {nm}, row {n + i}: " + ",".join(KD.format_value(v) for v in r))
    return "\n".join(out)


def param_sets(name, a0):
    """(label, kwargs for kpis_duckdb.run) for one KPI."""
    early = a0 - dt.timedelta(days=137)                       # usually mid-month
    early_end = a0.replace(day=1) - dt.timedelta(days=1)      # the end of the month before A's
    early_end = (early_end.replace(day=1) - dt.timedelta(days=1)) if early_end == a0 else early_end
    sets = [("default", {}), ("as of 2000-01-31, before the book", {"as_of": dt.date(2000, 1, 31)})]
    if name == "call_compliance":
        sets += [("summary", {"summary": True}),
                 ("summary by portfolio", {"summary": True, "by": ["portfolio"]}),
                 ("summary by cohort", {"summary": True, "by": ["cohort"]}),
                 ("summary by channel", {"summary": True, "by": ["channel"]}),
                 ("summary by local_hour", {"summary": True, "by": ["local_hour"]}),
                 ("summary by agent_id,local_weekday", {"summary": True, "by": ["agent_id", "local_weekday"]}),
                 (f"as of {early}", {"as_of": early}),
                 (f"from {a0 - dt.timedelta(days=180)}", {"from_": a0 - dt.timedelta(days=180)})]
        return sets
    sets += [("by portfolio", {"by": ["portfolio"]}),
             ("by cohort", {"by": ["cohort"]}),
             (f"as of {early}", {"as_of": early}),
             (f"as of {early_end} by region", {"as_of": early_end, "by": ["region"]})]
    if name in CONTACT_KPIS:
        sets += [("by channel", {"by": ["channel"]}), ("by local_hour", {"by": ["local_hour"]}),
                 ("by local_weekday", {"by": ["local_weekday"]}),
                 ("by agent_id,channel,local_weekday", {"by": ["agent_id", "channel", "local_weekday"]})]
    if name in PERIOD_KPIS:
        q = a0 - dt.timedelta(days=89)
        sets += [(f"from {q} to {a0}", {"from_": q, "to": a0}),
                 (f"to {early_end}", {"to": early_end}),
                 (f"to {early_end} by cohort", {"to": early_end, "by": ["cohort"]}),
                 (f"from {early} by portfolio", {"from_": early, "by": ["portfolio"]})]
    if name == "promise_adherence":
        sets += [("grace 0", {"grace": 0, "from_": a0 - dt.timedelta(days=60)}),
                 ("grace 10", {"grace": 10, "from_": a0 - dt.timedelta(days=60)})]
    if name == "roll_rate":
        m = KD.month_index(a0) - 7
        sets += [(f"month {m // 12}-{m % 12 + 1:02d}", {"month": f"{m // 12}-{m % 12 + 1:02d}"}),
                 ("by agent_id", {"by": ["agent_id"]})]
    if name == "liquidation":
        sets += [("by portfolio,region", {"by": ["portfolio", "region"]})]
    if name == "dso":
        sets += [("by agent_id", {"by": ["agent_id"]})]
    return sets


def error_sets(a0):
    """(name, label, kwargs) that the contract makes an error: DuckDB raises ValueError, Recoup exits non-zero."""
    return [("dso", "to after as-of", {"as_of": a0 - dt.timedelta(days=10), "to": a0}),
            ("cei", "from after to", {"from_": a0, "to": a0 - dt.timedelta(days=1)}),
            ("recovery_rate", "contact dim on an account KPI", {"by": ["channel"]}),
            ("aging", "unknown dim", {"by": ["colour"]}),
            ("roll_rate", "month whose next month has not ended", {"month": f"{a0.year}-{a0.month:02d}"})]


def recoup_argv(recoup, store, name, kw):
    argv = [recoup, "kpi", name, "--format", "csv", "--store", store]
    if kw.get("as_of"):
        argv += ["--as-of", str(kw["as_of"])]
    if kw.get("from_"):
        argv += ["--from", str(kw["from_"])]
    if kw.get("to"):
        argv += ["--to", str(kw["to"])]
    if kw.get("by"):
        argv += ["--by", ",".join(kw["by"])]
    if kw.get("grace") is not None:
        argv += ["--grace", str(kw["grace"])]
    if kw.get("month"):
        argv += ["--month", kw["month"]]
    if kw.get("summary"):
        argv += ["--summary"]
    return argv


def parse_csv(text, like_rows):
    """Recoup's CSV as (columns, rows), each cell typed like the reference's column (Decimal money, int,
    float, text); empty = None."""
    rdr = csv.reader(io.StringIO(text))
    cols = next(rdr, [])
    kinds = []
    for j in range(len(cols)):
        k = str
        for r in like_rows:
            if j < len(r) and r[j] is not None:
                k = type(r[j])
                break
        kinds.append(k)
    rows = []
    for r in rdr:
        row = []
        for j, v in enumerate(r):
            k = kinds[j] if j < len(kinds) else str
            if v == "":
                row.append(None)
            elif k is Decimal:
                row.append(Decimal(v))
            elif k is int:
                row.append(int(v) if v.lstrip("-").isdigit() else v)
            elif k is float:
                row.append(float(v))
            else:
                row.append(v)
        rows.append(tuple(row))
    return cols, rows


def recoup_has_kpi(recoup):
    try:
        r = subprocess.run([recoup, "kpi", "--help"], capture_output=True, text=True, timeout=60)
    except OSError:
        return False
    return r.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="a book's folder with the four CSV files")
    ap.add_argument("--recoup", default=os.path.join(HERE, "..", "..", ".build", "release", "recoup"))
    ap.add_argument("--store", help="an existing Recoup store of this book (default: import into a temporary one)")
    ap.add_argument("--kpi", default="", help="only these KPIs (comma separated)")
    ap.add_argument("--no-polars", action="store_true")
    ap.add_argument("--show", type=int, default=5, help="differing rows to print per mismatch")
    args = ap.parse_args()
    only = [k for k in args.kpi.split(",") if k] or KD.KPI_NAMES
    failures = 0
    checks = 0

    t0 = time.perf_counter()
    con = duckdb.connect()
    KD.load_csv(con, args.dir)
    a0 = KD.default_as_of(con)
    print(f"book {args.dir}: DuckDB loaded in {time.perf_counter() - t0:.1f}s, default as-of {a0}", flush=True)

    if not args.no_polars:
        import kpis_polars as KP
        t0 = time.perf_counter()
        tables = KP.load_csv(args.dir)
        zones = KP._zones(tables)
        print(f"== DuckDB vs Polars (Polars loaded in {time.perf_counter() - t0:.1f}s)", flush=True)
        for name in [n for n in KP.KPI_NAMES if n in only]:
            for label, kw in param_sets(name, a0):
                checks += 1
                rd = KD.run(con, name, **kw)
                rp = KP.run(tables, name, zones=zones, **kw)
                d = diff(f"{name} [{label}]", rd.columns, rd.rows, rp.columns, rp.rows, ("duckdb", "polars"), args.show)
                if d:
                    failures += 1
                    print("FAIL " + d, flush=True)
                else:
                    print(f"ok   {name} [{label}]: {len(rd.rows)} rows", flush=True)

    recoup = os.path.abspath(args.recoup)
    if not (os.path.exists(recoup) and recoup_has_kpi(recoup)):
        print(f"== Recoup vs DuckDB: skipped — `{recoup} kpi` is not available yet")
    else:
        tmp = None
        store = args.store
        if not store:
            tmp = tempfile.mkdtemp(prefix="recoup-kpi-test-")
            store = os.path.join(tmp, "store")
            t0 = time.perf_counter()
            r = subprocess.run([recoup, "import", "--store", store, args.dir], capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"recoup import failed: {r.stderr.strip()}")
            print(f"== Recoup vs DuckDB (imported into {store} in {time.perf_counter() - t0:.1f}s)", flush=True)
        else:
            print(f"== Recoup vs DuckDB (store {store})", flush=True)
        try:
            for name in only:
                for label, kw in param_sets(name, a0):
                    checks += 1
                    ref = KD.run(con, name, **kw)
                    argv = recoup_argv(recoup, store, name, kw)
                    t0 = time.perf_counter()
                    r = subprocess.run(argv, capture_output=True, text=True)
                    secs = time.perf_counter() - t0
                    if r.returncode != 0:
                        failures += 1
                        print(f"FAIL {name} [{label}]: `{' '.join(argv[1:])}` exited {r.returncode}: "
                              f"{r.stderr.strip()[:500]}", flush=True)
                        continue
                    cols, rows = parse_csv(r.stdout, ref.rows)
                    d = diff(f"{name} [{label}]", cols, rows, ref.columns, ref.rows, ("recoup", "duckdb"), args.show)
                    if d:
                        failures += 1
                        print("FAIL " + d + f"\n  (recoup command: {' '.join(argv[1:])})", flush=True)
                    else:
                        print(f"ok   {name} [{label}]: {len(rows)} rows, recoup {secs:.2f}s", flush=True)
            for name, label, kw in error_sets(a0):
                if name not in only:
                    continue
                checks += 1
                try:
                    KD.run(con, name, **kw)
                    ref_err = False
                except ValueError:
                    ref_err = True
                argv = recoup_argv(recoup, store, name, kw)
                r = subprocess.run(argv, capture_output=True, text=True)
                if ref_err and r.returncode != 0:
                    print(f"ok   {name} [{label}]: an error in both ({r.stderr.strip().splitlines()[0][:100] if r.stderr.strip() else r.returncode})", flush=True)
                else:
                    failures += 1
                    print(f"FAIL {name} [{label}]: duckdb {'error' if ref_err else 'no error'}, recoup exit {r.returncode}"
                          f"\n  (recoup command: {' '.join(argv[1:])})", flush=True)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n{checks - failures} of {checks} checks agree" + ("" if not failures else f"; {failures} FAILED"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
