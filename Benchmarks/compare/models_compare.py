#!/usr/bin/env python3
"""Recoup's propensity model against LightGBM and scikit-learn on the very same feature matrix.

1. `recoup evaluate --export DIR --format json` on a store: Recoup builds the training rows (month-end
   snapshots), fits its boosted trees (80 % fit, 10 % early stopping, 10 % isotonic calibration: the
   `split` column), fits its logistic baseline on all rows, predicts the held-out later snapshot, and
   writes train.csv, test.csv (with its predictions p_boosted, p_logistic) and features.json.
2. LightGBM with Recoup's settings (learning rate 0.1, at most 300 rounds, early stopping after 50 on
   the same validation rows, 31 leaves, min_data_in_leaf 20, lambda_l2 1, 255 bins, the same
   categorical features and categorical settings, 2 threads) fits the same `fit` rows; reported raw and
   isotonic-calibrated on the same `calibration` rows (scikit-learn's IsotonicRegression).
3. scikit-learn LogisticRegression (C = 1) on all training rows: numeric columns mean-imputed with
   missing indicators and standardised, categoricals one-hot.
Every model's metrics are computed here by the same Python code on test.csv (Recoup's own numbers
from its JSON are printed beside them as a cross-check): ROC AUC, log loss, Brier, ECE (10 equal-width
bins), top-decile lift, and the share of next-30-day collections captured by the top 20 % of accounts
ranked by expected value (p × outstanding). Training time excludes reading CSV files: the tree learners
are timed `--runs` times, alternating (this machine is noisy), Recoup's with `recoup fit` on train.csv
(same seed and row count, so the same split and model as in `recoup evaluate`), and medians reported.

Usage: Benchmarks/.venv/bin/python Benchmarks/compare/models_compare.py --recoup .build/release/recoup \
           --store Benchmarks/data/book-1000000/recoup-store --dir Benchmarks/data/models-1000000
"""
import argparse
import json
import os
import subprocess
import sys
import time

try:
    import numpy as np
    import pyarrow.csv as pacsv
    import lightgbm as lgb
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score, log_loss, brier_score_loss
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
except ImportError as e:  # pragma: no cover
    sys.exit(f"models_compare.py: {e}; run: make venv")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fit_compare import ece, lift  # noqa: E402  (the same metric code for both comparisons)


def capture(p, y, outstanding, collected, frac=0.2):
    """Share of the payers' next-30-day collections in the top `frac` by expected value."""
    ev = p * outstanding
    k = int(np.ceil(len(y) * frac))
    top = np.argsort(-ev, kind="stable")[:k]
    total = collected[y == 1].sum()
    return collected[top][y[top] == 1].sum() / total


def metrics(p, y, outstanding, collected):
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return {"auc": roc_auc_score(y, p), "log_loss": log_loss(y, q), "brier": brier_score_loss(y, p),
            "ece": ece(p, y), "top_decile_lift": lift(p, y), "capture_top20": capture(p, y, outstanding, collected)}


def load(path, features, categorical):
    """A CSV written by `recoup evaluate --export` as numpy arrays (empty fields → NaN)."""
    types = {f: "float64" for f in features}
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True))
    x = np.column_stack([table.column(f).to_numpy(zero_copy_only=False).astype(np.float64) for f in features])
    return x, table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recoup", default=".build/release/recoup")
    ap.add_argument("--store", required=True)
    ap.add_argument("--dir", required=True, help="where the exported tables go")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--reuse-export", action="store_true",
                    help="use the tables and evaluate.json an earlier run left in --dir instead of exporting again")
    ap.add_argument("--runs", type=int, default=3,
                    help="time the two tree learners this many times, alternating, and report medians")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    saved = os.path.join(args.dir, "evaluate.json")
    if args.reuse_export and os.path.exists(saved):
        out = open(saved).read()
    else:
        t = time.perf_counter()
        out = subprocess.run([args.recoup, "evaluate", "--store", args.store, "--export", args.dir, "--seed", str(args.seed),
                              "--format", "json"], check=True, capture_output=True, text=True).stdout
        wall = time.perf_counter() - t
        with open(saved, "w") as f:
            f.write(out)
        print(f"recoup evaluate --export: {wall:.1f} s in all (features at 7 snapshots, both models, contact-time "
              f"evaluation, writing the CSV files)", file=sys.stderr)
    recoup_rows = {r["model"]: r for r in json.loads(out)}

    spec = json.load(open(os.path.join(args.dir, "features.json")))
    features, categorical = spec["features"], spec["categorical"]
    cat_idx = [features.index(c) for c in categorical]
    x, train = load(os.path.join(args.dir, "train.csv"), features, categorical)
    y = train.column("label").to_numpy().astype(np.int8)
    split = np.array(train.column("split").to_pylist())
    fit, val, cal = (split == "fit"), (split == "validation"), (split == "calibration")
    xt, test = load(os.path.join(args.dir, "test.csv"), features, categorical)
    yt = test.column("label").to_numpy().astype(np.int8)
    outstanding = test.column("test_outstanding").to_numpy().astype(np.float64)
    collected = test.column("collected_30d").to_numpy().astype(np.float64)
    print(f"{len(y)} training rows ({fit.sum()} fit, {val.sum()} validation, {cal.sum()} calibration), "
          f"{len(yt)} test rows, {len(features)} features ({len(categorical)} categorical)")

    results = []
    for name, col, key in (("Recoup boosted trees (calibrated)", "p_boosted", "boosted trees (calibrated)"),
                           ("Recoup logistic baseline", "p_logistic", "logistic baseline")):
        p = test.column(col).to_numpy().astype(np.float64)
        results.append({"model": name, "seconds": recoup_rows[key]["train_seconds"], **metrics(p, yt, outstanding, collected),
                        "recoup_auc": recoup_rows[key]["auc"]})

    params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.1, "min_data_in_leaf": 20,
              "lambda_l2": 1.0, "max_bin": 255, "num_threads": args.threads, "verbose": -1, "seed": args.seed,
              "deterministic": True, "max_cat_to_onehot": 4, "min_data_per_group": 50, "cat_smooth": 10.0,
              "cat_l2": 10.0, "max_cat_threshold": 32}

    def lightgbm_once():
        t = time.perf_counter()
        dfit = lgb.Dataset(x[fit], y[fit], categorical_feature=cat_idx, free_raw_data=False)
        dval = lgb.Dataset(x[val], y[val], reference=dfit, categorical_feature=cat_idx)
        booster = lgb.train(params, dfit, num_boost_round=300, valid_sets=[dval], callbacks=[lgb.early_stopping(50, verbose=False)])
        fitted = time.perf_counter()
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(
            booster.predict(x[cal], num_iteration=booster.best_iteration), y[cal])
        return booster, iso, fitted - t, time.perf_counter() - t

    # `recoup fit` on the same CSV rows: with the same seed and row count it draws the same fit /
    # validation / calibration rows as `recoup evaluate` (RowSplit), so it trains the same model.
    train_csv, test_csv = os.path.join(args.dir, "train.csv"), os.path.join(args.dir, "test.csv")
    fit_cmd = [args.recoup, "fit", "--train", train_csv, "--test", test_csv, "--label", "label", "--categorical", ",".join(categorical),
               "--ignore", "split,test_outstanding,collected_30d,p_boosted,p_logistic", "--seed", str(args.seed),
               "--learning-rate", "0.1", "--max-rounds", "300", "--format", "json"]

    def recoup_once():
        r = json.loads(subprocess.run(fit_cmd, check=True, capture_output=True, text=True).stdout)
        rows = {m["model"]: m for m in r["models"]}
        boosted = next(m for k, m in rows.items() if k.startswith("boosted trees + "))
        return rows["boosted trees"]["train_seconds"], boosted["train_seconds"], boosted["auc"], boosted.get("trees")

    lgb_fit, lgb_all, rc_fit, rc_all = [], [], [], []
    booster = iso = None
    for run in range(args.runs):
        for who in (("recoup", "lightgbm") if run % 2 == 0 else ("lightgbm", "recoup")):
            if who == "lightgbm":
                b, i, t_fit, t_all = lightgbm_once()
                booster, iso = booster or b, iso or i
                lgb_fit.append(t_fit); lgb_all.append(t_all)
            else:
                t_fit, t_all, auc, trees = recoup_once()
                rc_fit.append(t_fit); rc_all.append(t_all)
        print(f"run {run + 1}: recoup fit {rc_fit[-1]:.1f} s (+ isotonic {rc_all[-1]:.1f} s), LightGBM {lgb_fit[-1]:.1f} s "
              f"(+ isotonic {lgb_all[-1]:.1f} s); recoup fit AUC {auc:.4f}, {trees} trees", file=sys.stderr)
    med = lambda v: float(np.median(v))
    results[0]["seconds"] = med(rc_all)
    results[0]["seconds_runs"] = rc_all
    results[0]["seconds_in_evaluate"] = recoup_rows["boosted trees (calibrated)"]["train_seconds"]
    raw = booster.predict(xt, num_iteration=booster.best_iteration)
    results.append({"model": f"LightGBM raw ({args.threads} threads)", "seconds": med(lgb_fit), "seconds_runs": lgb_fit,
                    "trees": booster.best_iteration, **metrics(raw, yt, outstanding, collected)})
    results.append({"model": f"LightGBM + isotonic ({args.threads} threads)", "seconds": med(lgb_all), "seconds_runs": lgb_all,
                    "trees": booster.best_iteration, **metrics(iso.predict(raw), yt, outstanding, collected)})

    num_cols = [i for i in range(len(features)) if i not in cat_idx]
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="mean", add_indicator=True), StandardScaler()), num_cols),
        ("cat", OneHotEncoder(handle_unknown="ignore"), cat_idx),
    ])
    xc = x.copy()
    xc[:, cat_idx] = np.nan_to_num(xc[:, cat_idx], nan=-1)
    xtc = xt.copy()
    xtc[:, cat_idx] = np.nan_to_num(xtc[:, cat_idx], nan=-1)
    t = time.perf_counter()
    pipe = Pipeline([("pre", pre), ("lr", LogisticRegression(C=1.0, max_iter=1000))])
    pipe.fit(xc, y)
    sk_time = time.perf_counter() - t
    results.append({"model": "scikit-learn LogisticRegression", "seconds": sk_time,
                    **metrics(pipe.predict_proba(xtc)[:, 1], yt, outstanding, collected)})

    print(f"{'model':40} {'AUC':>7} {'logloss':>8} {'Brier':>7} {'ECE':>7} {'lift10':>7} {'cap20':>7} {'train s':>8}")
    for r in results:
        print(f"{r['model']:40} {r['auc']:7.4f} {r['log_loss']:8.4f} {r['brier']:7.4f} {r['ece']:7.4f} "
              f"{r['top_decile_lift']:7.2f} {r['capture_top20']:7.4f} {r['seconds']:8.1f}")
    ours, lgbm = results[0], results[3]
    print(f"goals: AUC {ours['auc']:.4f} vs LightGBM {lgbm['auc']:.4f} (≥ −0.005: "
          f"{'met' if ours['auc'] >= lgbm['auc'] - 0.005 else 'NOT met'}); ECE {ours['ece']:.4f} (≤ 0.02: "
          f"{'met' if ours['ece'] <= 0.02 else 'NOT met'}); training time ratio Recoup/LightGBM "
          f"{ours['seconds'] / lgbm['seconds']:.2f} ({'met' if ours['seconds'] <= lgbm['seconds'] else 'NOT met'})")
    print(f"training seconds are medians of {args.runs} alternating runs (Recoup: `recoup fit` on train.csv, fit + isotonic; "
          f"inside `recoup evaluate` it took {ours['seconds_in_evaluate']:.1f} s)")
    print(f"cross-check: Recoup's own AUC {ours['recoup_auc']:.6f}, recomputed here {ours['auc']:.6f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
