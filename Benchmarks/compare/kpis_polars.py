#!/usr/bin/env python3
"""Five KPIs of /work/shared/spec/KPIS.md in Polars (lazy API): recovery_rate, liquidation, dso,
contact_effectiveness and promise_adherence — same parameters, columns, rows and values as
kpis_duckdb.py (see its module docstring for the shared conventions and each function's choices; this
file repeats only what is specific to Polars).

Tables are a dict name → polars DataFrame (or LazyFrame) with DATA.md's types: dates pl.Date, money
pl.Decimal(18, 2), ts pl.Datetime("us", "UTC"); `load_csv(dir)` reads a book's CSV files so.
Local time: Polars converts a column to one zone at a time (`dt.convert_time_zone(str)`), so contacts are
split by their account's zone, converted, and concatenated.
"""
import datetime as dt

import polars as pl

from kpis_duckdb import (ACCOUNT_DIMS, check_dims, CONTACT_DIMS, RPC_OUTCOMES, Result, last_complete_month, month_end,
                         month_index, month_start, resolve_period, to_date)

KPI_NAMES = ["recovery_rate", "liquidation", "dso", "contact_effectiveness", "promise_adherence"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONEY = pl.Decimal(18, 2)

SCHEMAS = {
    "accounts": {"account_id": pl.String, "debtor_id": pl.String, "portfolio": pl.String, "opened_date": pl.Date,
                 "due_date": pl.Date, "placed_date": pl.Date, "principal": MONEY, "region": pl.String,
                 "timezone": pl.String, "agent_id": pl.String, "credit_score": pl.Int32, "status": pl.String,
                 "status_date": pl.Date},
    "contacts": {"contact_id": pl.String, "account_id": pl.String, "ts": pl.String, "channel": pl.String,
                 "direction": pl.String, "outcome": pl.String, "agent_id": pl.String, "duration_s": pl.Int32},
    "payments": {"payment_id": pl.String, "account_id": pl.String, "paid_date": pl.Date, "amount": MONEY,
                 "method": pl.String},
    "promises": {"promise_id": pl.String, "account_id": pl.String, "created_date": pl.Date, "due_date": pl.Date,
                 "amount": MONEY},
}


def load_csv(data_dir, columns=None):
    """The four tables as DataFrames with DATA.md's types (ts: ISO 8601 with Z or an offset, seconds optional).
    `columns` (name → list) loads only those columns."""
    out = {}
    for t, schema in SCHEMAS.items():
        df = pl.read_csv(f"{data_dir}/{t}.csv", schema=schema, columns=(columns or {}).get(t))
        if "ts" in df.columns:
            s = pl.col("ts")
            df = df.with_columns(pl.coalesce(s.str.to_datetime("%Y-%m-%dT%H:%M:%S%#z", time_zone="UTC", strict=False),
                                             s.str.to_datetime("%Y-%m-%dT%H:%M%#z", time_zone="UTC", strict=False))
                                 .dt.cast_time_unit("us").alias("ts"))
            if df["ts"].null_count():
                raise RuntimeError(f"contacts.ts: {df['ts'].null_count()} unparsed timestamps")
        out[t] = df
    return out


def _lf(tables, name):
    x = tables[name]
    return x.lazy() if isinstance(x, pl.DataFrame) else x


# ---- as of, local time, dims ----

def _zones(tables):
    return sorted(_lf(tables, "accounts").select(pl.col("timezone").unique()).collect()["timezone"].to_list())


def _localize(lf, zones):
    """lf has ts (UTC) and timezone: adds lts (local wall time, naive) and ld (its date), zone by zone."""
    parts = [lf.filter(pl.col("timezone") == z)
               .with_columns(pl.col("ts").dt.convert_time_zone(z).dt.replace_time_zone(None).alias("lts"))
             for z in zones]
    return pl.concat(parts).with_columns(pl.col("lts").dt.date().alias("ld"))


def default_as_of(tables, zones=None):
    """As kpis_duckdb.default_as_of: only contacts within 4 days of the latest instant are converted."""
    zones = zones or _zones(tables)
    acc = _lf(tables, "accounts")
    con = _lf(tables, "contacts")
    last = con.select(pl.col("ts").max()).collect().item()
    cands = [acc.select(pl.col("opened_date").max()), acc.select(pl.col("placed_date").max()),
             _lf(tables, "payments").select(pl.col("paid_date").max()),
             _lf(tables, "promises").select(pl.col("created_date").max())]
    vals = [c.collect().item() for c in cands]
    if last is not None:
        recent = (con.filter(pl.col("ts") >= last - dt.timedelta(days=4)).select("account_id", "ts")
                  .join(acc.select("account_id", "timezone"), on="account_id"))
        vals.append(_localize(recent, zones).select(pl.col("ld").max()).collect().item())
    vals = [v for v in vals if v is not None]
    if not vals:
        raise ValueError("the book is empty: no as-of date")
    return max(vals)


def resolve_as_of(tables, as_of, zones=None):
    a = to_date(as_of)
    return a if a is not None else default_as_of(tables, zones)


DIM_EXPR = {
    "portfolio": pl.col("portfolio"), "region": pl.col("region"), "agent_id": pl.col("agent_id"),
    "cohort": pl.col("placed_date").dt.strftime("%Y-%m"),
    "channel": pl.col("channel"), "local_hour": pl.col("lts").dt.hour().cast(pl.Int64),
    "local_weekday": pl.col("lts").dt.weekday().cast(pl.Int64),  # 1 = mon … 7 = sun, mapped after sorting
}


def _dims(by, contact=False, first=None):
    return check_dims(by, contact, first)


def _with_dims(lf, dims):
    return lf.with_columns([DIM_EXPR[d].alias(f"__{d}") for d in dims])


def _agg(lf, dims, aggs):
    """Group by the dim keys (or the whole frame when there are none) and sort the groups."""
    keys = [f"__{d}" for d in dims]
    if not keys:  # the whole frame is one group, present only when it has rows
        return lf.select(aggs + [pl.len().alias("__n")]).filter(pl.col("__n") > 0)
    return lf.group_by(keys).agg(aggs).sort(keys, nulls_last=False)


def _finish(df, dims, cols):
    """Output rows: dims under their names (weekday mapped), then cols."""
    exprs = []
    for d in dims:
        e = pl.col(f"__{d}")
        if d == "local_weekday":
            e = e.replace_strict(list(range(1, 8)), WEEKDAYS, return_dtype=pl.String)
        exprs.append(e.alias(d))
    out = df.select(exprs + [pl.col(c) for c in cols])
    return Result(dims + cols, [tuple(r) for r in out.rows()])


def _rate(num, den):
    d = den.cast(pl.Float64)
    return pl.when(d != 0).then(num.cast(pl.Float64) / d).otherwise(None)


def _money(e):
    return e.fill_null(0).cast(pl.Decimal(38, 2))


def _counted_payments(pay, acc, upto):
    """Payments of accounts in `acc` with placed_date <= paid_date <= upto."""
    return (pay.join(acc.select("account_id", "placed_date"), on="account_id")
            .filter((pl.col("paid_date") >= pl.col("placed_date")) & (pl.col("paid_date") <= upto)))


# ---- the KPIs ----

def recovery_rate(tables, as_of=None, by=(), zones=None):
    a = resolve_as_of(tables, as_of, zones)
    dims = _dims(by)
    acc = _lf(tables, "accounts").filter(pl.col("placed_date") <= a)
    col = (_counted_payments(_lf(tables, "payments"), acc, a)
           .group_by("account_id").agg(pl.col("amount").sum().alias("s")))
    x = _with_dims(acc.join(col, on="account_id", how="left"), dims)
    g = _agg(x, dims, [pl.len().cast(pl.Int64).alias("accounts"), _money(pl.col("principal").sum()).alias("placed"),
                       _money(pl.col("s").sum()).alias("collected")])
    g = g.with_columns(_rate(pl.col("collected"), pl.col("placed")).alias("recovery_rate"))
    return _finish(g.collect(), dims, ["accounts", "placed", "collected", "recovery_rate"])


def liquidation(tables, as_of=None, by=(), zones=None):
    a = resolve_as_of(tables, as_of, zones)
    dims = _dims(by, first="cohort")
    keys = [f"__{d}" for d in dims]
    lm = last_complete_month(a)
    mi = lambda c: pl.col(c).dt.year().cast(pl.Int64) * 12 + pl.col(c).dt.month().cast(pl.Int64) - 1
    acc = (_lf(tables, "accounts").filter(pl.col("placed_date") <= a)
           .with_columns(mi("placed_date").alias("cm")).filter(pl.col("cm") <= lm))
    acc = _with_dims(acc, dims)
    grp = acc.group_by(keys).agg(pl.col("cm").min(), pl.col("principal").sum().alias("placed"))
    pk = (_lf(tables, "payments").join(acc.select(["account_id", "placed_date", "cm"] + keys), on="account_id")
          .filter((pl.col("paid_date") >= pl.col("placed_date")) & (mi("paid_date") <= lm))
          .with_columns((mi("paid_date") - pl.col("cm")).alias("k"))
          .group_by(keys + ["k"]).agg(pl.col("amount").sum().alias("s")))
    grid = grp.with_columns(pl.int_ranges(0, lm - pl.col("cm") + 1).alias("k")).explode("k")
    w = (grid.join(pk, on=keys + ["k"], how="left", nulls_equal=True)
         .sort(keys + ["k"], nulls_last=False)
         .with_columns(_money(pl.col("s")).cum_sum().over(keys).alias("collected_cum")))
    w = w.with_columns(pl.col("k").alias("months_on_book"), _money(pl.col("placed")).alias("placed"),
                       _rate(pl.col("collected_cum"), pl.col("placed")).alias("liquidation_rate"))
    return _finish(w.collect(), dims, ["months_on_book", "placed", "collected_cum", "liquidation_rate"])


def dso(tables, as_of=None, from_=None, to=None, by=(), zones=None):
    a = resolve_as_of(tables, as_of, zones)
    f, t = resolve_period(a, from_, to)
    dims = _dims(by)
    keys = [f"__{d}" for d in dims]
    D = (t - f).days + 1
    mt = month_index(t)
    acc = _lf(tables, "accounts").filter(pl.col("placed_date") <= a)
    pay = _counted_payments(_lf(tables, "payments"), acc, t).group_by("account_id").agg(pl.col("amount").sum().alias("s"))
    zero = pl.lit(0).cast(MONEY)
    b = _with_dims(acc.join(pay, on="account_id", how="left"), dims).with_columns(
        pl.when(pl.col("placed_date") <= t)
        .then((pl.col("principal") - pl.col("s").fill_null(0)).clip(lower_bound=0)).otherwise(zero).alias("o"))
    # groups: those with an account in the book at `to` or opened in P (see kpis_duckdb.dso)
    b = b.with_columns(((pl.col("placed_date") <= t) | pl.col("opened_date").is_between(f, t)).alias("member"))
    aggs = [pl.col("member").any().alias("member"), _money(pl.col("o").sum()).alias("ar"),
            _money(pl.col("o").filter(pl.col("due_date") >= t).sum()).alias("cur"),
            _money(pl.col("principal").filter(pl.col("opened_date").is_between(f, t)).sum()).alias("cs")]
    g = (b.group_by(keys).agg(aggs) if keys else b.select(aggs)).filter(pl.col("member"))
    # countback: 36 months back from to's month, month 0 up to `to`.
    cbm = pl.LazyFrame({"i": list(range(36)), "days": [t.day] + [month_end(mt - i).day for i in range(1, 36)]},
                       schema={"i": pl.Int64, "days": pl.Int64})
    m = (b.filter((pl.col("opened_date") <= t) & (pl.col("opened_date") >= month_start(mt - 35)))
         .with_columns((mt - (pl.col("opened_date").dt.year().cast(pl.Int64) * 12
                              + pl.col("opened_date").dt.month().cast(pl.Int64) - 1)).alias("i"))
         .group_by(keys + ["i"]).agg(pl.col("principal").sum().alias("s")))
    grid = g.select(keys + ["ar"]).join(cbm, how="cross")
    w = (grid.join(m, on=keys + ["i"], how="left", nulls_equal=True)
         .with_columns(_money(pl.col("s")).alias("s"))
         .sort(keys + ["i"], nulls_last=False))
    prev = (pl.col("s").cum_sum() - pl.col("s"))
    w = w.with_columns((pl.col("ar") - (prev.over(keys) if keys else prev)).alias("rem"))
    rem, s = pl.col("rem"), pl.col("s")
    w = w.with_columns(pl.when(rem <= 0).then(0.0)
                       .when(rem >= s).then(pl.col("days").cast(pl.Float64))
                       .otherwise(rem.cast(pl.Float64) / s.cast(pl.Float64) * pl.col("days")).alias("part"))
    cb = w.group_by(keys).agg(pl.col("part").sum().alias("countback_dso")) if keys else \
        w.select(pl.col("part").sum().alias("countback_dso"))
    r = g.join(cb, on=keys, how="left", nulls_equal=True) if keys else g.join(cb, how="cross")
    r = r.with_columns((_rate(pl.col("ar"), pl.col("cs")) * D).alias("dso"),
                       (_rate(pl.col("cur"), pl.col("cs")) * D).alias("best_possible_dso"),
                       pl.lit(D, dtype=pl.Int64).alias("days"))
    r = r.with_columns((pl.col("dso") - pl.col("best_possible_dso")).alias("add"),
                       pl.col("ar").alias("ar_end"), pl.col("cs").alias("credit_sales"))
    if keys:
        r = r.sort(keys, nulls_last=False)
    return _finish(r.collect(), dims, ["ar_end", "credit_sales", "days", "dso", "best_possible_dso", "add",
                                       "countback_dso"])


def _local_contacts(tables, a, lo, hi, zones):
    """Contacts of accounts known at A with placed_date <= local date and lo <= local date <= hi; the UTC
    range is narrowed first (offsets are within ±26 h), then converted zone by zone."""
    utc = lambda d: dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)
    acc = _lf(tables, "accounts").filter(pl.col("placed_date") <= a).select(
        "account_id", "timezone", "placed_date", "portfolio", "region", "agent_id")
    c = (_lf(tables, "contacts")
         .filter((pl.col("ts") >= utc(lo - dt.timedelta(days=2))) & (pl.col("ts") < utc(hi + dt.timedelta(days=3))))
         .select("contact_id", "account_id", "ts", "channel", "direction", "outcome")
         .join(acc, on="account_id"))
    c = _localize(c, zones)
    return c.filter((pl.col("ld") >= pl.max_horizontal(pl.lit(lo), pl.col("placed_date"))) & (pl.col("ld") <= hi))


def contact_effectiveness(tables, as_of=None, from_=None, to=None, by=(), zones=None):
    zones = zones or _zones(tables)
    a = resolve_as_of(tables, as_of, zones)
    f, t = resolve_period(a, from_, to)
    dims = _dims(by, contact=True)
    c = _local_contacts(tables, a, f, t, zones).with_columns(
        (pl.col("direction") == "outbound").alias("ob"), pl.col("outcome").is_in(RPC_OUTCOMES).alias("rpc"),
        (pl.col("outcome") == "promise").alias("pr"))
    pos = _lf(tables, "payments").filter((pl.col("amount") > 0) & (pl.col("paid_date") <= a)).select(
        "account_id", "paid_date")
    conv = (c.filter(pl.col("ob") & pl.col("rpc")).select("contact_id", "account_id", "ld")
            .join(pos, on="account_id")
            .filter((pl.col("paid_date") >= pl.col("ld")) & (pl.col("paid_date") <= pl.col("ld") + pl.duration(days=7)))
            .select("contact_id").unique().with_columns(pl.lit(True).alias("cv")))
    x = _with_dims(c.join(conv, on="contact_id", how="left"), dims).with_columns(pl.col("cv").fill_null(False))
    ob, rpc = pl.col("ob"), pl.col("rpc")
    g = _agg(x, dims, [ob.sum().cast(pl.Int64).alias("attempts"), (ob & rpc).sum().cast(pl.Int64).alias("rpc"),
                       (ob & pl.col("pr")).sum().cast(pl.Int64).alias("promises"),
                       (ob & rpc & pl.col("cv")).sum().cast(pl.Int64).alias("cv"),
                       (~ob).sum().cast(pl.Int64).alias("inbound")])
    g = g.with_columns(_rate(pl.col("rpc"), pl.col("attempts")).alias("rpc_rate"),
                       _rate(pl.col("promises"), pl.col("rpc")).alias("promise_rate"),
                       _rate(pl.col("cv"), pl.col("rpc")).alias("conversion_7d"))
    return _finish(g.collect(), dims, ["attempts", "rpc", "rpc_rate", "promises", "promise_rate", "conversion_7d",
                                       "inbound"])


def promise_adherence(tables, as_of=None, from_=None, to=None, by=(), grace=3, zones=None):
    a = resolve_as_of(tables, as_of, zones)
    f, t = resolve_period(a, from_, to)
    dims = _dims(by)
    g_ = int(grace)
    acc = _lf(tables, "accounts").filter(pl.col("placed_date") <= a).select(
        "account_id", "placed_date", "portfolio", "region", "agent_id")
    pr = (_lf(tables, "promises").join(acc, on="account_id")
          .filter(pl.col("due_date").is_between(f, t) & (pl.col("created_date") >= pl.col("placed_date"))
                  & (pl.col("created_date") <= a))
          .with_columns((pl.col("due_date") + pl.duration(days=g_) > a).alias("pending")))
    paid = (pr.filter(~pl.col("pending")).select("promise_id", "account_id", "created_date", "due_date")
            .join(_lf(tables, "payments").select("account_id", "paid_date", pl.col("amount").alias("y")), on="account_id")
            .filter((pl.col("paid_date") >= pl.col("created_date"))
                    & (pl.col("paid_date") <= pl.col("due_date") + pl.duration(days=g_)))
            .group_by("promise_id").agg(pl.col("y").sum().alias("paid")))
    j = _with_dims(pr.join(paid, on="promise_id", how="left"), dims).with_columns(_money(pl.col("paid")).alias("paid"))
    judged = ~pl.col("pending")
    kept_part = pl.min_horizontal(pl.col("paid").clip(lower_bound=0), pl.col("amount").cast(pl.Decimal(38, 2)))
    g = _agg(j, dims, [pl.len().cast(pl.Int64).alias("promises"), pl.col("pending").sum().cast(pl.Int64).alias("pending"),
                       judged.sum().cast(pl.Int64).alias("judged"),
                       (judged & (pl.col("paid") >= pl.col("amount"))).sum().cast(pl.Int64).alias("kept"),
                       _money(pl.col("amount").filter(judged).sum()).alias("promised_amount"),
                       _money(kept_part.filter(judged).sum()).alias("kept_amount")])
    g = g.with_columns(_rate(pl.col("kept"), pl.col("judged")).alias("kept_rate"),
                       _rate(pl.col("kept_amount"), pl.col("promised_amount")).alias("amount_kept_rate"))
    return _finish(g.collect(), dims, ["promises", "pending", "kept", "kept_rate", "promised_amount", "kept_amount",
                                       "amount_kept_rate"])


FUNCTIONS = {n: globals()[n] for n in KPI_NAMES}


def run(tables, name, as_of=None, from_=None, to=None, by=(), grace=None, month=None, summary=False, zones=None):
    import inspect
    fn = FUNCTIONS[name]
    accepted = inspect.signature(fn).parameters
    given = {"as_of": as_of, "from_": from_, "to": to, "by": tuple(by or ()), "grace": grace, "month": month,
             "summary": summary}
    kwargs = {"zones": zones}
    for k, v in given.items():
        if v is None or v is False or v == ():
            continue
        if k not in accepted:
            raise ValueError(f"{name} does not take {k}")
        kwargs[k] = v
    return fn(tables, **kwargs)
