#!/usr/bin/env python3
"""`recoup fit` against LightGBM and scikit-learn's LogisticRegression on the same synthetic CSV files.

Writes a train and a test table (ROWS × 30 features: 27 numeric, 3 categorical, some values missing,
with non-linear effects and interactions in the true log-odds), then:
  * runs `recoup fit --format json` on them and reads its training times and test metrics;
  * trains LightGBM with the same settings (num_leaves 31, learning_rate 0.05, min_data_in_leaf 20,
    lambda_l2 1, 255 bins, 2 threads, at most 1000 rounds, early stopping after 50 on a random 10% of the
    train rows; it fits on 80%, as `recoup fit` does, and its probabilities are not calibrated);
  * trains LogisticRegression (C = 1, i.e. λ = 1 on the summed log loss, like Recoup's baseline) on all
    train rows: numeric columns mean-imputed with missing indicators and standardised, categoricals
    one-hot over their 20 most frequent values.
Training time excludes reading the CSV files for every library.

Needs: pip install numpy lightgbm scikit-learn (into Benchmarks/.venv).
Usage: Benchmarks/.venv/bin/python Benchmarks/compare/fit_compare.py --recoup .build/release/recoup
"""
import argparse
import json
import os
import subprocess
import sys
import time

try:
    import numpy as np
    import lightgbm as lgb
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score, log_loss, brier_score_loss
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
except ImportError as e:  # pragma: no cover
    sys.exit(f"fit_compare.py: {e}; run: Benchmarks/.venv/bin/pip install numpy lightgbm scikit-learn")

NUMERIC = 27
CATEGORICAL = {"region": 12, "portfolio": 5, "agency": 40}


def generate(rows, seed):
    """Features (numeric matrix with NaN, categorical code matrix) and labels."""
    rng = np.random.default_rng(seed)
    x = np.empty((rows, NUMERIC))
    x[:, 0:8] = rng.normal(size=(rows, 8))
    x[:, 8:14] = rng.uniform(-1, 1, size=(rows, 6))
    x[:, 14:20] = rng.lognormal(mean=6, sigma=1, size=(rows, 6))  # balance-like
    x[:, 20:27] = rng.poisson(3, size=(rows, 7))  # counts
    cats = np.stack([rng.integers(0, k, size=rows) for k in CATEGORICAL.values()], axis=1)
    # The category effects are part of the true model: the same for every seed.
    fixed = np.random.default_rng(20260101)
    region_effect = np.linspace(-0.6, 0.6, 12)[fixed.permutation(12)]
    agency_effect = fixed.normal(0, 0.5, size=40)
    logit = (
        -1.0
        + 0.8 * x[:, 0]
        - 0.5 * x[:, 1]
        + 0.7 * np.sin(2 * x[:, 2])
        + 0.9 * ((x[:, 8] > 0) ^ (x[:, 9] > 0))
        + 0.35 * np.log(x[:, 14] / 400)
        - 0.15 * x[:, 20]
        + 0.25 * x[:, 3] * x[:, 4]
        + region_effect[cats[:, 0]]
        + 0.3 * (cats[:, 1] == 2)
        + agency_effect[cats[:, 2]]
    )
    # x5 is missing for 20% of rows, more often for payers; x10 is missing at random (5%).
    p = 1 / (1 + np.exp(-logit))
    y = (rng.uniform(size=rows) < p).astype(np.int8)
    miss5 = rng.uniform(size=rows) < np.where(y == 1, 0.3, 0.15)
    x[miss5, 5] = np.nan
    x[rng.uniform(size=rows) < 0.05, 10] = np.nan
    return x, cats, y


def write_csv(path, x, cats, y):
    names = [f"x{i}" for i in range(NUMERIC)] + list(CATEGORICAL) + ["paid"]
    levels = [[f"{name[:3]}{k:02d}" for k in range(n)] for name, n in CATEGORICAL.items()]
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        num = [["" if np.isnan(v) else repr(round(float(v), 6)) for v in x[:, j]] for j in range(NUMERIC)]
        cat = [[levels[j][c] for c in cats[:, j]] for j in range(cats.shape[1])]
        for i in range(len(y)):
            f.write(",".join([num[j][i] for j in range(NUMERIC)] + [cat[j][i] for j in range(len(cat))]
                             + [str(int(y[i]))]) + "\n")


def ece(p, y, bins=10):
    b = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for k in range(bins):
        m = b == k
        if m.any():
            total += abs(p[m].mean() - y[m].mean()) * m.sum()
    return total / len(y)


def lift(p, y, frac=0.1):
    k = int(np.ceil(len(y) * frac))
    order = np.argsort(-p, kind="stable")[:k]
    return y[order].mean() / y.mean()


def metrics(p, y):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return {"auc": roc_auc_score(y, p), "log_loss": log_loss(y, p), "brier": brier_score_loss(y, p),
            "ece": ece(p, y), "top_decile_lift": lift(p, y)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recoup", default=".build/release/recoup")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--test-rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", default="Benchmarks/data/fit")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    tag = f"{args.rows}-{args.test_rows}-{args.seed}"
    train_csv, test_csv = os.path.join(args.dir, f"train-{tag}.csv"), os.path.join(args.dir, f"test-{tag}.csv")
    xtr, ctr, ytr = generate(args.rows, args.seed)
    xte, cte, yte = generate(args.test_rows, args.seed + 1000)
    if not (os.path.exists(train_csv) and os.path.exists(test_csv)):
        write_csv(train_csv, xtr, ctr, ytr)
        write_csv(test_csv, xte, cte, yte)
    results = []

    # Recoup.
    t = time.perf_counter()
    out = subprocess.run([args.recoup, "fit", "--train", train_csv, "--test", test_csv, "--label", "paid",
                          "--categorical", ",".join(CATEGORICAL), "--seed", str(args.seed), "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    r = json.loads(out)
    for m in r["models"]:
        results.append({"model": "Recoup " + m["model"], "seconds": m.get("train_seconds"),
                        "trees": m.get("trees"), **{k: m[k] for k in ("auc", "log_loss", "brier", "ece", "top_decile_lift")}})
    print(f"recoup fit: {wall:.1f} s in all, of which {r['load_seconds']:.1f} s reading the CSV files; "
          f"{r['rounds_trained']} rounds", file=sys.stderr)

    # LightGBM on the same rows: fit 80%, early stopping on 10% (its own random split), 10% unused.
    perm = np.random.default_rng(args.seed).permutation(args.rows)
    cal, val, fit = perm[: args.rows // 10], perm[args.rows // 10: args.rows // 5], perm[args.rows // 5:]
    xall = np.hstack([xtr, ctr.astype(float)])
    xtest = np.hstack([xte, cte.astype(float)])
    cat_idx = list(range(NUMERIC, NUMERIC + len(CATEGORICAL)))
    # Two threads, then one: LightGBM's OpenMP threads spin while they wait, and on a busy 2-core
    # machine the two-thread run can be several times slower than the one-thread run.
    for threads in (2, 1):
        params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.05, "min_data_in_leaf": 20,
                  "lambda_l2": 1.0, "max_bin": 255, "num_threads": threads, "verbose": -1, "seed": args.seed,
                  "deterministic": True}
        t = time.perf_counter()
        dfit = lgb.Dataset(xall[fit], ytr[fit], categorical_feature=cat_idx, free_raw_data=False)
        dval = lgb.Dataset(xall[val], ytr[val], reference=dfit, categorical_feature=cat_idx)
        booster = lgb.train(params, dfit, num_boost_round=1000, valid_sets=[dval],
                            callbacks=[lgb.early_stopping(50, verbose=False)])
        lgb_time = time.perf_counter() - t
        p = booster.predict(xtest, num_iteration=booster.best_iteration)
        results.append({"model": f"LightGBM ({threads} thread{'s' if threads > 1 else ''})", "seconds": lgb_time,
                        "trees": booster.best_iteration, **metrics(p, yte)})

    # scikit-learn logistic regression on all train rows.
    num_cols = list(range(NUMERIC))
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="mean", add_indicator=True), StandardScaler()), num_cols),
        ("cat", OneHotEncoder(max_categories=20, handle_unknown="ignore"), cat_idx),
    ])
    t = time.perf_counter()
    pipe = Pipeline([("pre", pre), ("lr", LogisticRegression(C=1.0, max_iter=1000))])
    pipe.fit(xall, ytr)
    sk_time = time.perf_counter() - t
    p = pipe.predict_proba(xtest)[:, 1]
    results.append({"model": "sklearn LogisticRegression", "seconds": sk_time, "trees": None, **metrics(p, yte)})

    print(f"{args.rows} train rows, {args.test_rows} test rows, 30 features")
    print(f"{'model':38} {'AUC':>7} {'logloss':>8} {'Brier':>7} {'ECE':>7} {'lift10':>7} {'train s':>8} {'trees':>6}")
    for r in results:
        trees = "" if r["trees"] is None else str(r["trees"])
        print(f"{r['model']:38} {r['auc']:7.4f} {r['log_loss']:8.4f} {r['brier']:7.4f} {r['ece']:7.4f} "
              f"{r['top_decile_lift']:7.2f} {r['seconds']:8.2f} {trees:>6}")


if __name__ == "__main__":
    main()
