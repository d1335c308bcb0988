#!/usr/bin/env python3
"""Recoup side by side with DuckDB, Parquet (zstd) and Polars on one generated book.

Every system loads the same CSV files. Each measurement runs in a fresh child
process (so peak RSS is that run's own), several times; medians and ratios are
printed, and a Markdown table is written for docs/PERFORMANCE.md.

Suites: `import` (default), `kpi` (every KPI of KPIS.md: Recoup `recoup kpi` vs DuckDB SQL in
kpis_duckdb.py vs Polars in kpis_polars.py; see the KPI suite section for what is timed), `query`
(typical ad-hoc queries: `recoup query` vs the same query in DuckDB SQL, rows checked to agree; see
queries_bench.py), `all` (import, kpi, then query). `--accounts-large 10000000` repeats the suites on a
second, larger book and prints the time growth.

    make bench-compare                      # 1M accounts
    make bench-compare BENCH_ACCOUNTS=100000
    compare.py --recoup .build/release/recoup --accounts 1000000 --suite kpi --runs 3
    compare.py --recoup .build/release/recoup --accounts 1000000 --suite query --runs 5
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = ["accounts", "contacts", "payments", "promises"]

# The data contract's types, for the engines that need them spelled out (kpis_duckdb.py loads with them).
from kpis_duckdb import COLUMNS as DUCKDB_COLUMNS  # noqa: E402


def run_measured(argv):
    """Runs argv in a child and returns (seconds, peak RSS MiB, stdout) using wait4."""
    t0 = time.perf_counter()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    secs = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return secs, usage.ru_maxrss / 1024.0, b"".join(chunks).decode()


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def median(xs):
    return statistics.median(xs)


# ---- children: one load each, run as `compare.py --child KIND ...` ----

def child_duckdb_load(data, db):
    # kpis_duckdb.load_csv: DATA.md's types; contacts.ts is parsed from text because DuckDB's TIMESTAMPTZ
    # reader turns ISO 8601 without seconds (`2025-03-04T14:05Z`) into NULL without an error.
    import duckdb
    sys.path.insert(0, HERE)
    import kpis_duckdb
    if os.path.exists(db):
        os.remove(db)
    con = duckdb.connect(db)
    kpis_duckdb.load_csv(con, data)
    con.execute("CHECKPOINT")
    con.close()


def child_parquet_write(data, out):
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    import pyarrow as pa
    os.makedirs(out, exist_ok=True)
    types = {"VARCHAR": pa.string(), "DATE": pa.date32(), "DECIMAL(18,2)": pa.decimal128(18, 2),
             "INTEGER": pa.int32(), "TIMESTAMPTZ": pa.timestamp("s", tz="UTC")}
    for t in TABLES:
        conv = pacsv.ConvertOptions(column_types={k: types[v] for k, v in DUCKDB_COLUMNS[t].items()})
        table = pacsv.read_csv(f"{data}/{t}.csv", convert_options=conv)
        pq.write_table(table, f"{out}/{t}.parquet", compression="zstd")


def child_polars_load(data):
    import polars as pl
    for t in TABLES:
        pl.read_csv(f"{data}/{t}.csv", try_parse_dates=True)


# ---- suites ----

def suite_import(args, data, work):
    rows = []
    recoup_t, recoup_rss, duck_t, duck_rss, pq_t, pl_t = [], [], [], [], [], []
    store = os.path.join(work, "recoup-store")
    duckdb_file = os.path.join(work, "book.duckdb")
    parquet_dir = os.path.join(work, "parquet")
    me = [sys.executable, os.path.abspath(__file__), "--child"]
    for i in range(args.runs):
        # Interleave the systems so drift on a noisy machine hits them alike.
        shutil.rmtree(store, ignore_errors=True)
        s, rss, _ = run_measured([args.recoup, "import", "--store", store, data])
        recoup_t.append(s); recoup_rss.append(rss)
        s, rss, _ = run_measured(me + ["duckdb", data, duckdb_file])
        duck_t.append(s); duck_rss.append(rss)
        shutil.rmtree(parquet_dir, ignore_errors=True)
        s, _, _ = run_measured(me + ["parquet", data, parquet_dir])
        pq_t.append(s)
        s, _, _ = run_measured(me + ["polars", data])
        pl_t.append(s)
        print(f"  run {i + 1}: recoup {recoup_t[-1]:.2f}s, duckdb {duck_t[-1]:.2f}s, parquet {pq_t[-1]:.2f}s, polars {pl_t[-1]:.2f}s", flush=True)
    csv_bytes = sum(os.path.getsize(f"{data}/{t}.csv") for t in TABLES)
    recoup_bytes = dir_bytes(store)
    duck_bytes = os.path.getsize(duckdb_file)
    pq_bytes = dir_bytes(parquet_dir)
    result = {
        "csv_bytes": csv_bytes,
        "recoup": {"seconds": median(recoup_t), "peak_rss_mib": max(recoup_rss), "bytes": recoup_bytes},
        "duckdb": {"seconds": median(duck_t), "peak_rss_mib": max(duck_rss), "bytes": duck_bytes},
        "parquet_zstd": {"seconds": median(pq_t), "bytes": pq_bytes},
        "polars_read_csv": {"seconds": median(pl_t)},
    }
    mib = lambda b: f"{b / 2**20:.1f} MiB"
    print()
    print(f"| import of {args.accounts:,} accounts ({mib(csv_bytes)} CSV), median of {args.runs} | seconds | peak RSS | bytes on disk |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| Recoup `recoup import` | {median(recoup_t):.2f} | {max(recoup_rss):.0f} MiB | {mib(recoup_bytes)} |")
    print(f"| DuckDB CSV → .duckdb file | {median(duck_t):.2f} | {max(duck_rss):.0f} MiB | {mib(duck_bytes)} |")
    print(f"| pyarrow CSV → Parquet zstd | {median(pq_t):.2f} | | {mib(pq_bytes)} |")
    print(f"| Polars read_csv (no storage) | {median(pl_t):.2f} | | |")
    print()
    print(f"ratios: Recoup/DuckDB import time = {median(recoup_t) / median(duck_t):.2f} (goal ≤ 0.50); "
          f"Recoup/Parquet-zstd bytes = {recoup_bytes / pq_bytes:.2f} (goal ≤ 0.90); "
          f"Recoup/DuckDB bytes = {recoup_bytes / duck_bytes:.2f}")
    return result


# ---- KPI suite ----
#
# Every KPI of KPIS.md with its default parameters (as of the latest date, period = month of A):
# - Recoup: `recoup kpi NAME --format csv --store STORE`, each run a fresh process; time = its wall time.
# - DuckDB: kpis_duckdb.py on the .duckdb file the import suite wrote (tables already loaded), each run a
#   fresh child process; time = connect + query + fetch, measured inside the child (Python start-up and
#   `import duckdb` excluded, about 0.1 s more per run in wall time).
# - Polars: kpis_polars.py (five KPIs); one child per KPI loads the CSV files once (load excluded), then
#   runs the KPI `runs` times in-process on the in-memory DataFrames; time = the lazy query + collect.
# Peak RSS: of the whole child process (for Polars it includes the loaded tables).

POLARS_COLUMNS = {  # what the five Polars KPIs read
    "accounts": ["account_id", "portfolio", "opened_date", "due_date", "placed_date", "principal", "region",
                 "timezone", "agent_id"],
    "contacts": ["contact_id", "account_id", "ts", "channel", "direction", "outcome"],
    "payments": ["account_id", "paid_date", "amount"],
    "promises": ["promise_id", "account_id", "created_date", "due_date", "amount"],
}


POLARS_MIB_PER_ACCOUNT = 1.9 * 1024 / 1e6  # peak RSS of a Polars KPI child: ~1.7 GiB per 1M accounts, plus margin


def mem_available_mib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")


def polars_fits(accounts):
    """Whether the Polars child (all tables in memory) fits in 80% of the available memory."""
    return POLARS_MIB_PER_ACCOUNT * accounts <= 0.8 * mem_available_mib()


def child_duckdb_kpi(db, name):
    import duckdb
    sys.path.insert(0, HERE)
    import kpis_duckdb
    t0 = time.perf_counter()
    con = duckdb.connect(db, read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    r = kpis_duckdb.run(con, name)
    secs = time.perf_counter() - t0
    print(json.dumps({"seconds": secs, "rows": len(r.rows)}))


def child_polars_kpi(data, name, runs):
    sys.path.insert(0, HERE)
    import kpis_polars
    tables = kpis_polars.load_csv(data, columns=POLARS_COLUMNS)
    secs, rows = [], 0
    for _ in range(int(runs)):
        t0 = time.perf_counter()
        r = kpis_polars.run(tables, name)
        secs.append(time.perf_counter() - t0)
        rows = len(r.rows)
    print(json.dumps({"seconds": secs, "rows": rows}))


def recoup_has_kpi(recoup):
    try:
        return subprocess.run([recoup, "kpi", "--help"], capture_output=True, timeout=60).returncode == 0
    except OSError:
        return False


def duckdb_file_ok(path):
    """The .duckdb file exists and holds every contact's ts (files from the old loader lost 2% of them)."""
    if not os.path.exists(path):
        return False
    try:
        import duckdb
        con = duckdb.connect(path, read_only=True)
        n, nts = con.execute("SELECT count(*), count(ts) FROM contacts").fetchone()
        con.close()
        return n == nts
    except Exception:
        return False


def ensure_stores(args, data, work):
    """The Recoup store and the .duckdb file of this book, as the import suite leaves them (made once if missing)."""
    store = os.path.join(work, "recoup-store")
    duckdb_file = os.path.join(work, "book.duckdb")
    if not os.path.isdir(store) or not os.listdir(store):
        shutil.rmtree(store, ignore_errors=True)
        s, _, _ = run_measured([args.recoup, "import", "--store", store, data])
        print(f"  imported into the Recoup store in {s:.1f}s", flush=True)
    if not duckdb_file_ok(duckdb_file):
        s, _, _ = run_measured([sys.executable, os.path.abspath(__file__), "--child", "duckdb", data, duckdb_file])
        print(f"  loaded into {duckdb_file} in {s:.1f}s", flush=True)
    return store, duckdb_file


def suite_kpi(args, data, work, accounts, base=None):
    sys.path.insert(0, HERE)
    from kpis_duckdb import KPI_NAMES
    from kpis_polars import KPI_NAMES as POLARS_KPIS
    store, duckdb_file = ensure_stores(args, data, work)
    have_recoup = recoup_has_kpi(args.recoup)
    if not have_recoup:
        print("  recoup: n/a (`recoup kpi` is not available)", flush=True)
    me = [sys.executable, os.path.abspath(__file__), "--child"]
    results = {}
    for name in KPI_NAMES:
        r = {"recoup": None, "duckdb": None, "polars": None}
        rt, rrss, dt_, dwall, drss, rows = [], [], [], [], [], {}
        for _ in range(args.runs):
            if have_recoup:
                try:
                    s, rss, out = run_measured([args.recoup, "kpi", name, "--format", "csv", "--store", store])
                    rt.append(s); rrss.append(rss)
                    rows["recoup"] = max(0, len(out.splitlines()) - 1)
                except SystemExit as e:  # this KPI failed in Recoup: n/a for it
                    print(f"  {e}", flush=True)
                    rt = []
                    break
        for _ in range(args.runs):
            s, rss, out = run_measured(me + ["duckdb-kpi", duckdb_file, name])
            j = json.loads(out)
            dt_.append(j["seconds"]); dwall.append(s); drss.append(rss)
            rows["duckdb"] = j["rows"]
        if rt:
            r["recoup"] = {"seconds": median(rt), "peak_rss_mib": max(rrss), "rows": rows.get("recoup")}
        r["duckdb"] = {"seconds": median(dt_), "process_seconds": median(dwall), "peak_rss_mib": max(drss),
                       "rows": rows["duckdb"]}
        if name in POLARS_KPIS and not polars_fits(accounts):
            if name == POLARS_KPIS[0]:
                print(f"  polars: skipped, the in-memory tables need ~{POLARS_MIB_PER_ACCOUNT * accounts / 1024:.0f} GiB "
                      f"(MemAvailable {mem_available_mib() / 1024:.0f} GiB)", flush=True)
        elif name in POLARS_KPIS:
            s, rss, out = run_measured(me + ["polars-kpi", data, name, str(args.runs)])
            j = json.loads(out)
            r["polars"] = {"seconds": median(j["seconds"]), "peak_rss_mib": rss, "rows": j["rows"]}
        results[name] = r
        fmt = lambda x: "n/a" if x is None else f"{x['seconds']:.3f}s"
        print(f"  {name}: recoup {fmt(r['recoup'])}, duckdb {fmt(r['duckdb'])}, polars {fmt(r['polars'])}"
              + ("" if not r["recoup"] or r["recoup"]["rows"] == r["duckdb"]["rows"]
                 else f"  (rows differ: recoup {r['recoup']['rows']}, duckdb {r['duckdb']['rows']})"), flush=True)

    cell = lambda x: "n/a" if x is None else f"{x['seconds']:.3f}"
    mem = lambda x: "" if x is None else f"{x['peak_rss_mib']:.0f} MiB"
    print()
    print(f"| KPI on {accounts:,} accounts, default parameters, median of {args.runs} | Recoup s | peak RSS "
          f"| DuckDB s | peak RSS | Polars s | peak RSS | Recoup/DuckDB |" + (" growth R / D / P |" if base else ""))
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if base else ""))
    for name, r in results.items():
        ratio = f"{r['recoup']['seconds'] / r['duckdb']['seconds']:.2f}" if r["recoup"] else "n/a"
        line = (f"| {name} | {cell(r['recoup'])} | {mem(r['recoup'])} | {cell(r['duckdb'])} | {mem(r['duckdb'])} "
                f"| {cell(r['polars'])} | {mem(r['polars'])} | {ratio} |")
        if base:
            b = base.get(name, {})
            g = lambda k: (f"{r[k]['seconds'] / b[k]['seconds']:.1f}×" if r.get(k) and b.get(k) else "n/a")
            line += f" {g('recoup')} / {g('duckdb')} / {g('polars')} |"
        print(line)
    print()
    print("Recoup: whole process per run. DuckDB: fresh child per run on the loaded .duckdb file, connect + query + "
          "fetch timed inside it. Polars: in-process after loading the CSV files (load excluded). "
          "Peak RSS: whole child process.")
    if base:
        print(f"growth: time at {accounts:,} accounts / time at the base size (Recoup / DuckDB / Polars)")
    if not have_recoup:
        print("recoup: n/a")
    return results


# ---- query suite ----
#
# Typical ad-hoc queries (queries_bench.QUERIES), each in Recoup's language and in DuckDB SQL, timed as in the
# KPI suite (Recoup: whole `recoup query --format csv` process; DuckDB: connect + query + fetch inside a fresh
# child on the .duckdb file), and both answers compared row by row.

def suite_query(args, data, work, accounts):
    sys.path.insert(0, HERE)
    import queries_bench
    store, duckdb_file = ensure_stores(args, data, work)
    return queries_bench.run_suite(args, store, duckdb_file, accounts, run_measured)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind = sys.argv[2]
        {"duckdb": lambda: child_duckdb_load(sys.argv[3], sys.argv[4]),
         "parquet": lambda: child_parquet_write(sys.argv[3], sys.argv[4]),
         "polars": lambda: child_polars_load(sys.argv[3]),
         "duckdb-kpi": lambda: child_duckdb_kpi(sys.argv[3], sys.argv[4]),
         "polars-kpi": lambda: child_polars_kpi(sys.argv[3], sys.argv[4], sys.argv[5])}[kind]()
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recoup", required=True)
    ap.add_argument("--accounts", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(HERE, "..", "data"))
    ap.add_argument("--suite", default="import", choices=["import", "kpi", "query", "all"],
                    help="import, kpi (every KPI of KPIS.md), query (ad-hoc queries, queries_bench.py), "
                         "or all (import, kpi, then query)")
    ap.add_argument("--accounts-large", type=int, default=0,
                    help="also run the chosen suites on a book of this size (e.g. 10000000) and print time growth")
    args = ap.parse_args()
    base_kpi = None
    for accounts in [args.accounts] + ([args.accounts_large] if args.accounts_large else []):
        work = os.path.abspath(os.path.join(args.work, f"book-{accounts}"))
        data = os.path.join(work, "csv")
        if not os.path.exists(os.path.join(data, "promises.csv")):
            print(f"generating {accounts:,} accounts into {data}", flush=True)
            secs, _, out = run_measured([args.recoup, "generate", "--accounts", str(accounts), "--seed", str(args.seed), "--out", data])
            print(f"  generated in {secs:.1f}s", flush=True)
        path = os.path.join(work, "results.json")
        results = {}
        if os.path.exists(path):
            with open(path) as f:
                results = json.load(f)
        results.update({"accounts": accounts, "cores": os.cpu_count()})
        args.accounts = accounts
        if args.suite in ("import", "all"):
            print(f"== import of {accounts:,} accounts ({args.runs} runs each, {os.cpu_count()} cores)", flush=True)
            results["import"] = suite_import(args, data, work)
        if args.suite in ("kpi", "all"):
            print(f"\n== kpi on {accounts:,} accounts ({args.runs} runs each, {os.cpu_count()} cores)", flush=True)
            results["kpi"] = suite_kpi(args, data, work, accounts, base=base_kpi)
            base_kpi = base_kpi or results["kpi"]
        if args.suite in ("query", "all"):
            print(f"\n== query on {accounts:,} accounts ({args.runs} runs each, {os.cpu_count()} cores)", flush=True)
            results["query"] = suite_query(args, data, work, accounts)
        with open(path, "w") as f:
            json.dump(results, f, indent=2)
        print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
