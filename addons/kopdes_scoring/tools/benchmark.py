"""Benchmark of the scorecard against the usual alternatives on the same splits.

``run(X, y, seeds)`` fits, for every seed, a stratified 70/30 split and four models:

* ``scorecard``: :class:`~.scorecard.Scorecard` (WoE logistic regression + additive
  monotone boosting, compiled to points, calibrated),
* ``onehot_lr``: one-hot encoded categories + standardised numbers, logistic regression,
* ``woe_scorecard``: the classic weight-of-evidence scorecard (the same binning, one
  logistic regression on the WoE values, no ensemble),
* ``gbm``: unconstrained histogram gradient boosting (scikit-learn defaults, native
  categorical support).

and reports AUC, Gini, KS, Brier and the calibration table of each on the 30 % hold-out.
"""

import time

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from . import scorecard as sc

MODELS = ("scorecard", "onehot_lr", "woe_scorecard", "gbm")


def _split_columns(X):
    cats = [c for c in X.columns if sc._is_categorical(X[c])]
    nums = [c for c in X.columns if c not in cats]
    return cats, nums


def _as_text(X, cats):
    """Categorical columns as plain object text with missing as NaN (for sklearn encoders)."""
    out = X.copy()
    for c in cats:
        out[c] = pd.Series(sc._cat_keys(X[c]), index=X.index, dtype=object)
    return out


class OneHotLogistic:
    """Baseline: one-hot categories + standardised numbers, L2 logistic regression."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        self.cats, self.nums = _split_columns(X)
        pre = ColumnTransformer(
            [
                (
                    "cat",
                    make_pipeline(
                        SimpleImputer(strategy="constant", fill_value="(missing)"),
                        OneHotEncoder(handle_unknown="ignore"),
                    ),
                    self.cats,
                ),
                ("num", make_pipeline(SimpleImputer(), StandardScaler()), self.nums),
            ]
        )
        self.model = make_pipeline(pre, LogisticRegression(C=self.C, max_iter=5000))
        self.model.fit(_as_text(X, self.cats), y)
        return self

    def predict_proba(self, X):
        return self.model.predict_proba(_as_text(X, self.cats))[:, 1]


class UnconstrainedGBM:
    """Baseline: HistGradientBoostingClassifier with its defaults (interactions allowed, no
    monotonic constraints), categories handled natively."""

    def __init__(self, random_state=0):
        self.random_state = random_state

    def _frame(self, X):
        out = X.copy()
        for c in self.cats:
            out[c] = pd.Categorical(sc._cat_keys(X[c]), categories=self.levels[c])
        return out

    def fit(self, X, y):
        from sklearn.ensemble import HistGradientBoostingClassifier

        self.cats, _nums = _split_columns(X)
        self.levels = {
            c: sorted({k for k in sc._cat_keys(X[c]) if k is not None}) for c in self.cats
        }
        self.model = HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=self.random_state
        )
        self.model.fit(self._frame(X), y)
        return self

    def predict_proba(self, X):
        return self.model.predict_proba(self._frame(X))[:, 1]


def make(name, seed, monotone=None):
    if name == "scorecard":
        return sc.Scorecard(monotone=monotone, random_state=seed)
    if name == "woe_scorecard":
        return sc.Scorecard(monotone=monotone, random_state=seed, components=("woe",))
    if name == "onehot_lr":
        return OneHotLogistic()
    if name == "gbm":
        return UnconstrainedGBM(random_state=seed)
    raise ValueError(name)


def run(X, y, seeds=range(10), models=MODELS, monotone=None, test_size=0.3):
    """Per model: list of per-seed metrics, plus mean/std of auc, gini, ks, brier and the
    mean fit time. Returns ``{"per_seed": {model: [metrics...]}, "summary": {model: {...}}}``."""
    from sklearn.model_selection import train_test_split

    y = np.asarray(y)
    per_seed = {m: [] for m in models}
    fitted = {m: [] for m in models}
    for seed in seeds:
        idx_tr, idx_te = train_test_split(
            np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed
        )
        Xtr, Xte = X.iloc[idx_tr], X.iloc[idx_te]
        for m in models:
            t0 = time.perf_counter()
            with threadpool_limits(limits=1):  # the same conditions for every model
                model = make(m, seed, monotone).fit(Xtr, y[idx_tr])
                elapsed = time.perf_counter() - t0
                res = sc.metrics(y[idx_te], model.predict_proba(Xte))
            res["fit_seconds"] = elapsed
            res["seed"] = seed
            per_seed[m].append(res)
            fitted[m].append((model, idx_te))
    summary = {}
    for m in models:
        rows = per_seed[m]
        summary[m] = {
            k: float(np.mean([r[k] for r in rows])) for k in ("auc", "gini", "ks", "brier")
        }
        summary[m]["auc_std"] = float(np.std([r["auc"] for r in rows]))
        summary[m]["fit_seconds"] = float(np.mean([r["fit_seconds"] for r in rows]))
        # calibration pooled over seeds: bin-wise means
        cal = np.array([[c[1], c[2], c[3]] for r in rows for c in r["calibration"]])
        nb = len(rows[0]["calibration"])
        cal = cal.reshape(len(rows), nb, 3).mean(axis=0)
        summary[m]["calibration"] = [
            (i + 1, float(c[0]), float(c[1]), float(c[2])) for i, c in enumerate(cal)
        ]
    return {"per_seed": per_seed, "summary": summary, "fitted": fitted}


def format_summary(summary):
    lines = [f"{'model':<15}{'AUC':>8}{'±':>7}{'Gini':>8}{'KS':>8}{'Brier':>8}{'fit s':>8}"]
    for m, s in summary.items():
        lines.append(
            f"{m:<15}{s['auc']:>8.4f}{s['auc_std']:>7.3f}{s['gini']:>8.4f}"
            f"{s['ks']:>8.4f}{s['brier']:>8.4f}{s['fit_seconds']:>8.2f}"
        )
    for m, s in summary.items():
        cal = "  ".join(f"{p:.2f}/{o:.2f}" for _b, _n, p, o in s["calibration"])
        lines.append(f"calibration {m} (predicted/observed by decile): {cal}")
    return "\n".join(lines)
