#!/usr/bin/env python3
"""Recoup side by side with DuckDB, Parquet (zstd) and Polars on one generated book.

Every system loads the same CSV files. Each measurement runs in a fresh child
process (so peak RSS is that run's own), several times; medians and ratios are
printed, and a Markdown table is written for docs/PERFORMANCE.md.

    make bench-compare                      # 1M accounts
    make bench-compare BENCH_ACCOUNTS=100000
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

# The data contract's types, for the engines that need them spelled out.
DUCKDB_COLUMNS = {
    "accounts": {"account_id": "VARCHAR", "debtor_id": "VARCHAR", "portfolio": "VARCHAR", "opened_date": "DATE",
                 "due_date": "DATE", "placed_date": "DATE", "principal": "DECIMAL(18,2)", "region": "VARCHAR",
                 "timezone": "VARCHAR", "agent_id": "VARCHAR", "credit_score": "INTEGER", "status": "VARCHAR",
                 "status_date": "DATE"},
    "contacts": {"contact_id": "VARCHAR", "account_id": "VARCHAR", "ts": "TIMESTAMPTZ", "channel": "VARCHAR",
                 "direction": "VARCHAR", "outcome": "VARCHAR", "agent_id": "VARCHAR", "duration_s": "INTEGER"},
    "payments": {"payment_id": "VARCHAR", "account_id": "VARCHAR", "paid_date": "DATE", "amount": "DECIMAL(18,2)",
                 "method": "VARCHAR"},
    "promises": {"promise_id": "VARCHAR", "account_id": "VARCHAR", "created_date": "DATE", "due_date": "DATE",
                 "amount": "DECIMAL(18,2)"},
}


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
    import duckdb
    if os.path.exists(db):
        os.remove(db)
    con = duckdb.connect(db)
    for t in TABLES:
        cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in DUCKDB_COLUMNS[t].items()) + "}"
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_csv('{data}/{t}.csv', header=true, columns={cols})")
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


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind = sys.argv[2]
        {"duckdb": lambda: child_duckdb_load(sys.argv[3], sys.argv[4]),
         "parquet": lambda: child_parquet_write(sys.argv[3], sys.argv[4]),
         "polars": lambda: child_polars_load(sys.argv[3])}[kind]()
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recoup", required=True)
    ap.add_argument("--accounts", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(HERE, "..", "data"))
    ap.add_argument("--suite", default="import", choices=["import"])
    args = ap.parse_args()
    work = os.path.abspath(os.path.join(args.work, f"book-{args.accounts}"))
    data = os.path.join(work, "csv")
    if not os.path.exists(os.path.join(data, "promises.csv")):
        print(f"generating {args.accounts:,} accounts into {data}", flush=True)
        secs, _, out = run_measured([args.recoup, "generate", "--accounts", str(args.accounts), "--seed", str(args.seed), "--out", data])
        print(f"  generated in {secs:.1f}s", flush=True)
    results = {"accounts": args.accounts, "cores": os.cpu_count()}
    print(f"== import ({args.runs} runs each, {os.cpu_count()} cores)", flush=True)
    results["import"] = suite_import(args, data, work)
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(f"\nresults: {os.path.join(work, 'results.json')}")


if __name__ == "__main__":
    main()
