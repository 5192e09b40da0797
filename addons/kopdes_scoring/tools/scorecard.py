"""Explainable points scorecards in plain Python (pandas, numpy, scikit-learn; no Odoo).

Two classes share one output interface (``points``, ``score``, ``reasons``,
``predict_proba``, ``metrics``, ``dumps``/``loads``):

* :class:`Scorecard` learns the points from data: every feature is turned into a table of
  bins with points, fitted as an *ensemble of additive models* (a weight-of-evidence
  logistic regression on monotone bins and a histogram gradient boosting model restricted
  to one feature per tree, with monotonic constraints), compiled into one table per
  feature and calibrated (Platt scaling on out-of-fold scores). The fitted object keeps
  only these tables: it is a readable scorecard, serialised as JSON.
* :class:`ExpertScorecard` reads the same tables from hand-set rules (before a cooperative
  has enough repaid and defaulted loans to learn from).

The scale: ``600`` points at odds of 50 good to 1 bad, ``20`` points to double the odds,
higher = safer. ``points(X)`` gives integer points per feature; for every row
``points(X).sum(axis=1) + base_points == score(X)`` exactly. A missing value (NaN/None) and
any value listed in ``neutral_values`` score ``0`` points on that feature: 0 is the average
applicant of the training data on that feature, so a member with no history ("thin file")
is neither rewarded nor punished for it. See ``readme/MODEL.md``.
"""

import hashlib
import json
import math

import numpy as np
import pandas as pd

BASE_SCORE = 600
BASE_ODDS = 50.0  # good:bad odds at BASE_SCORE
PDO = 20.0  # points to double the odds
FACTOR = PDO / math.log(2)
FORMAT_VERSION = 1


# ---------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------


def _is_categorical(series):
    return not (
        pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)
    )


def _as_float(series):
    return pd.to_numeric(series, errors="coerce").astype(float).to_numpy()


def _cat_keys(series):
    """Categorical values as strings (the keys of the JSON tables); missing -> None."""
    s = pd.Series(series).astype(object)
    miss = s.isna().to_numpy()
    out = s.map(str, na_action="ignore").to_numpy(dtype=object, copy=True)
    out[miss] = None
    return out


def _missing(value):
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _y_array(y):
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise ValueError("y must be numeric: 1 = bad, 0 = good")
    y = y.astype(int)
    if set(np.unique(y)) - {0, 1}:
        raise ValueError("y must contain only 0 (good) and 1 (bad)")
    if len(np.unique(y)) < 2:
        raise ValueError("y must contain both good (0) and bad (1) outcomes")
    return y


def score_to_proba(score):
    """P(bad) of a score on the 600 / 50:1 / 20 PDO scale."""
    score = np.asarray(score, dtype=float)
    odds_good = BASE_ODDS * np.power(2.0, (score - BASE_SCORE) / PDO)
    return 1.0 / (1.0 + odds_good)


def logit_to_score(logit_bad):
    """Exact (unrounded) score of a log-odds of bad."""
    return BASE_SCORE + FACTOR * (-np.asarray(logit_bad, dtype=float) - math.log(BASE_ODDS))


def _fmt(x):
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


# ---------------------------------------------------------------------------------------
# metrics and drift
# ---------------------------------------------------------------------------------------


def metrics(y, proba, n_bins=10):
    """AUC, Gini, KS, Brier and a calibration table of probabilities of bad.

    ``calibration`` is a list of ``(bin, n, predicted, observed)``: the rows sorted by
    predicted probability and cut into ``n_bins`` groups of (nearly) equal size; predicted
    is the mean probability of the group, observed its share of bad outcomes.
    """
    from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve

    y = _y_array(y)
    proba = np.asarray(proba, dtype=float)
    auc = float(roc_auc_score(y, proba))
    fpr, tpr, _thr = roc_curve(y, proba)
    order = np.argsort(proba, kind="mergesort")
    calibration = []
    for i, idx in enumerate(np.array_split(order, min(n_bins, len(order)))):
        if len(idx):
            calibration.append(
                (i + 1, int(len(idx)), float(proba[idx].mean()), float(y[idx].mean()))
            )
    return {
        "auc": auc,
        "gini": 2 * auc - 1,
        "ks": float(np.max(tpr - fpr)),
        "brier": float(brier_score_loss(y, proba)),
        "calibration": calibration,
        "n": int(len(y)),
        "n_bad": int(y.sum()),
    }


def psi(expected, actual, bins=10):
    """Population stability index of ``actual`` against ``expected``.

    Numeric values are cut at the deciles (``bins`` quantiles) of ``expected``; other
    values (text, categories) are compared category by category. Missing values form a
    bin of their own. Shares are floored at 0.0001 so an empty bin does not give infinity.
    Rule of thumb: < 0.10 stable, 0.10-0.25 moderate shift, > 0.25 major shift.
    """
    exp_s = pd.Series(expected).reset_index(drop=True)
    act_s = pd.Series(actual).reset_index(drop=True)
    if not len(exp_s) or not len(act_s):
        raise ValueError("psi needs at least one expected and one actual value")
    if _is_categorical(exp_s) or _is_categorical(act_s):
        e_keys = pd.Series(_cat_keys(exp_s)).fillna("\0missing")
        a_keys = pd.Series(_cat_keys(act_s)).fillna("\0missing")
        cats = sorted(set(e_keys) | set(a_keys))
        e_cnt = e_keys.value_counts().reindex(cats, fill_value=0).to_numpy(float)
        a_cnt = a_keys.value_counts().reindex(cats, fill_value=0).to_numpy(float)
    else:
        e = _as_float(exp_s)
        a = _as_float(act_s)
        finite = e[~np.isnan(e)]
        edges = (
            np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1)[1:-1]))
            if len(finite)
            else np.array([])
        )

        def counts(v):
            idx = np.where(np.isnan(v), len(edges) + 1, np.searchsorted(edges, v, side="right"))
            return np.bincount(idx.astype(int), minlength=len(edges) + 2).astype(float)

        e_cnt, a_cnt = counts(e), counts(a)
    e_pct = np.maximum(e_cnt / e_cnt.sum(), 1e-4)
    a_pct = np.maximum(a_cnt / a_cnt.sum(), 1e-4)
    return float(np.sum((a_pct - e_pct) * np.log(a_pct / e_pct)))


# ---------------------------------------------------------------------------------------
# the compiled tables shared by both scorecards
# ---------------------------------------------------------------------------------------


class _Table:
    """Points of one feature.

    numeric: ``edges`` ascending, ``values`` has len(edges)+1 points; bin i holds
    ``edges[i-1] <= x < edges[i]``. categorical: ``values`` maps the category (as text) to
    points; an unseen category scores ``other`` points (0 = neutral unless set).
    Missing values and ``neutral`` values score ``missing`` points (0 = neutral).
    """

    def __init__(self, name, kind, edges=None, values=None, other=0.0, missing=0.0, neutral=()):
        self.name = name
        self.kind = kind
        self.edges = [float(e) for e in (edges or [])]
        if kind == "numeric":
            self.values = [float(v) for v in values]
            if len(self.values) != len(self.edges) + 1:
                raise ValueError(f"{name}: a numeric table needs len(edges) + 1 points")
            if len(self.edges) > 1 and (np.diff(self.edges) <= 0).any():
                raise ValueError(f"{name}: edges must be strictly ascending")
        elif kind == "categorical":
            self.values = {str(k): float(v) for k, v in values.items()}
        else:
            raise ValueError(f"{name}: kind must be 'numeric' or 'categorical'")
        self.other = float(other)
        self.missing = float(missing)
        self.neutral = [str(v) for v in neutral]

    # -- evaluation --------------------------------------------------------------------
    def _neutral_mask(self, series):
        if not self.neutral:
            return np.zeros(len(series), dtype=bool)
        return np.isin(_cat_keys(series), self.neutral)

    def raw(self, series):
        """(exact points, bin labels) of a column."""
        neutral = self._neutral_mask(series)
        if self.kind == "numeric":
            x = _as_float(series)
            miss = np.isnan(x) | neutral
            idx = np.searchsorted(np.asarray(self.edges), np.where(miss, 0.0, x), side="right")
            pts = np.asarray(self.values)[idx]
            pts = np.where(miss, self.missing, pts)
            labels = np.where(miss, None, idx)
            return pts, labels
        keys = _cat_keys(series)
        miss = pd.isna(keys).astype(bool) | neutral
        pts = pd.Series(keys, dtype=object).map(self.values).astype(float).to_numpy()
        pts = np.where(np.isnan(pts), self.other, pts)
        pts = np.where(miss, self.missing, pts)
        return pts.astype(float), np.where(miss, None, keys)

    def best(self):
        vals = list(self.values) if self.kind == "numeric" else list(self.values.values())
        return max(vals + [self.other if self.kind == "categorical" else -np.inf, self.missing])

    def bin_label(self, i):
        e = self.edges
        if not e:
            return "semua nilai"
        if i == 0:
            return f"< {_fmt(e[0])}"
        if i == len(e):
            return f">= {_fmt(e[-1])}"
        return f"{_fmt(e[i - 1])} - <{_fmt(e[i])}"

    def rows(self):
        """The table as (bin, points) pairs, for display."""
        if self.kind == "numeric":
            out = [(self.bin_label(i), v) for i, v in enumerate(self.values)]
        else:
            out = sorted(self.values.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append(("(lainnya)", self.other))
        out.append(("(kosong)", self.missing))
        return out

    def to_dict(self):
        return {
            "name": self.name,
            "kind": self.kind,
            "edges": self.edges,
            "values": self.values,
            "other": self.other,
            "missing": self.missing,
            "neutral": self.neutral,
        }

    @classmethod
    def from_dict(cls, d):
        return cls(
            d["name"],
            d["kind"],
            d.get("edges"),
            d["values"],
            d.get("other", 0.0),
            d.get("missing", 0.0),
            d.get("neutral", ()),
        )


class _TableScorecard:
    """Scoring from compiled tables: the common output interface of both scorecards."""

    kind = None

    def __init__(self):
        self.tables = {}
        self.base_exact = float(BASE_SCORE)
        self.monotone = {}
        self.info = {}

    # -- public API ------------------------------------------------------------------------
    @property
    def features(self):
        return list(self.tables)

    @property
    def base_points(self):
        """Integer points every applicant starts with: ``score = base_points + sum(points)``."""
        return int(round(self.base_exact))

    def _check_fitted(self):
        if not self.tables:
            raise ValueError("the scorecard has no features: fit it (or give rules) first")

    def _frame(self, X):
        self._check_fitted()
        if isinstance(X, dict):
            X = pd.DataFrame([X])
        if not isinstance(X, pd.DataFrame):
            raise ValueError("X must be a pandas DataFrame")
        missing = [f for f in self.features if f not in X.columns]
        if missing:
            # a feature the caller does not know is missing for every row: neutral
            X = X.assign(**{f: np.nan for f in missing})
        return X

    def raw_points(self, X):
        """Exact (unrounded) points per feature, as floats."""
        X = self._frame(X)
        return pd.DataFrame(
            {f: t.raw(X[f])[0] for f, t in self.tables.items()},
            index=X.index,
            columns=self.features,
        )

    def points(self, X):
        """Integer points per feature (rows = X.index, columns = features, nothing else).

        ``points(X).sum(axis=1) + base_points == score(X)`` for every row.
        """
        return self.raw_points(X).round().astype(int)

    def score(self, X):
        """Integer score per row (higher = safer), the exact sum of the points."""
        pts = self.points(X)
        return (pts.sum(axis=1) + self.base_points).astype(int).rename("score")

    def exact_score(self, X):
        return self.raw_points(X).sum(axis=1).to_numpy() + self.base_exact

    def predict_proba(self, X):
        """Probability of bad (1-D array), from the exact score on the 600/50:1/20 scale."""
        return score_to_proba(self.exact_score(X))

    def reasons(self, X, k=4):
        """Per row, 1..k ``(feature, value, points_lost)`` tuples: the features whose value
        cost the applicant the most points against the best bin of that feature, largest
        loss first. Features left neutral (missing / no history) are listed only when there
        is nothing else to say; a row that lost nothing anywhere gets its weakest feature with
        0 points lost, so every row has at least one reason.
        """
        if k < 1:
            raise ValueError("k must be at least 1")
        X = self._frame(X)
        pts = self.points(X)
        best = {f: int(round(t.best())) for f, t in self.tables.items()}
        neutral = {}
        for f, t in self.tables.items():
            _p, labels = t.raw(X[f])
            neutral[f] = np.array([lab is None for lab in labels])
        out = []
        feats = self.features
        lost = np.column_stack([best[f] - pts[f].to_numpy() for f in feats])
        neu = np.column_stack([neutral[f] for f in feats])
        for r, idx in enumerate(X.index):
            # sort: lost > 0 and not neutral first, by loss desc, then feature order
            order = sorted(
                range(len(feats)),
                key=lambda j, r=r: (neu[r, j] or lost[r, j] <= 0, -lost[r, j], j),
            )
            chosen = [j for j in order if lost[r, j] > 0 and not neu[r, j]][:k]
            if not chosen:
                chosen = [j for j in order if lost[r, j] > 0][:k] or order[:1]
            out.append([(feats[j], _native(X.at[idx, feats[j]]), int(lost[r, j])) for j in chosen])
        return out

    def metrics(self, X, y, n_bins=10):
        return metrics(y, self.predict_proba(X), n_bins=n_bins)

    def table(self):
        """The scorecard as a DataFrame (feature, bin, points), for display and reports."""
        rows = []
        for f, t in self.tables.items():
            for label, v in t.rows():
                rows.append({"feature": f, "bin": label, "points": int(round(v))})
        return pd.DataFrame(rows, columns=["feature", "bin", "points"])

    # -- serialisation ---------------------------------------------------------------------
    def to_dict(self):
        self._check_fitted()
        return {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "base_exact": self.base_exact,
            "monotone": self.monotone,
            "info": self.info,
            "tables": [t.to_dict() for t in self.tables.values()],
        }

    @classmethod
    def from_dict(cls, d):
        if d.get("format") != FORMAT_VERSION:
            raise ValueError("unknown scorecard format")
        kind = d.get("kind")
        target = {"learned": Scorecard, "expert": ExpertScorecard}.get(kind)
        if target is None:
            raise ValueError(f"unknown scorecard kind {kind!r}")
        if cls not in (_TableScorecard, target):
            raise ValueError(f"this is a {kind} scorecard, not a {cls.__name__}")
        obj = target.__new__(target)
        _TableScorecard.__init__(obj)
        obj._restore(d)
        return obj

    def _restore(self, d):
        self.base_exact = float(d["base_exact"])
        self.monotone = dict(d.get("monotone") or {})
        self.info = dict(d.get("info") or {})
        self.tables = {t["name"]: _Table.from_dict(t) for t in d["tables"]}

    def dumps(self):
        """Canonical JSON bytes (same model -> same bytes -> same checksum)."""
        return json.dumps(
            self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_json
        ).encode()

    @classmethod
    def loads(cls, data):
        if isinstance(data, bytes | bytearray):
            data = data.decode()
        return cls.from_dict(json.loads(data))

    def checksum(self):
        return hashlib.sha256(self.dumps()).hexdigest()


def _native(value):
    """A plain Python value (numpy scalars and pandas missing values unwrapped)."""
    if _missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _json(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot serialise {type(value)}")


# ---------------------------------------------------------------------------------------
# binning (weight of evidence)
# ---------------------------------------------------------------------------------------


def _woe(bad, good, n_bad, n_good):
    return np.log((bad + 0.5) / (n_bad + 0.5)) - np.log((good + 0.5) / (n_good + 0.5))


def _merge_pair(edges, bad, good, i):
    """Merge bin i with bin i+1 (edges[i] is the edge between them)."""
    bad = np.concatenate([bad[:i], [bad[i] + bad[i + 1]], bad[i + 2 :]])
    good = np.concatenate([good[:i], [good[i] + good[i + 1]], good[i + 2 :]])
    edges = edges[:i] + edges[i + 1 :]
    return edges, bad, good


def _chi2(b1, g1, b2, g2):
    n = b1 + g1 + b2 + g2
    tb, tg = b1 + b2, g1 + g2
    out = 0.0
    for obs, row, col in (
        (b1, b1 + g1, tb),
        (g1, b1 + g1, tg),
        (b2, b2 + g2, tb),
        (g2, b2 + g2, tg),
    ):
        exp = row * col / n if n else 0.0
        if exp > 0:
            out += (obs - exp) ** 2 / exp
    return out


def bin_numeric(x, y, monotone=0, max_bins=6, min_frac=0.05, init_bins=20, min_chi2=0.0):
    """Edges of a monotone-able WoE binning of a numeric column (NaN ignored).

    Quantile pre-bins, merged until every bin holds ``min_frac`` of the rows, then (when
    ``monotone`` is +1: higher value = safer, or -1) merged until the bad rate is monotone,
    then chi-merged down to ``max_bins`` (and while adjacent bins differ by less than
    ``min_chi2``).
    """
    ok = ~np.isnan(x)
    x, y = x[ok], y[ok]
    if not len(x):
        return []
    uniq = np.unique(x)
    if len(uniq) <= init_bins:
        edges = list((uniq[1:] + uniq[:-1]) / 2.0)
    else:
        qs = np.unique(np.quantile(x, np.linspace(0, 1, init_bins + 1)[1:-1]))
        # cut between distinct values so that a threshold is never a data value
        edges = []
        for q in qs:
            above = uniq[uniq > q]
            if len(above):
                lo = uniq[uniq <= q].max()
                edges.append((lo + above.min()) / 2.0)
        edges = sorted(set(edges))
    idx = np.searchsorted(np.asarray(edges), x, side="right")
    nb = len(edges) + 1
    bad = np.bincount(idx, weights=y, minlength=nb).astype(float)
    tot = np.bincount(idx, minlength=nb).astype(float)
    good = tot - bad
    min_n = max(min_frac * len(x), 1.0)

    # 1. small bins
    while len(bad) > 1 and (bad + good).min() < min_n:
        i = int(np.argmin(bad + good))
        if i == 0:
            j = 0
        elif i == len(bad) - 1:
            j = i - 1
        else:
            rate = bad / np.maximum(bad + good, 1)
            j = i - 1 if abs(rate[i] - rate[i - 1]) <= abs(rate[i] - rate[i + 1]) else i
        edges, bad, good = _merge_pair(edges, bad, good, j)
    # 2. monotone bad rate (+1: bad rate must fall as x grows)
    if monotone:
        changed = True
        while changed and len(bad) > 1:
            changed = False
            rate = bad / np.maximum(bad + good, 1)
            diffs = np.diff(rate) * monotone
            viol = np.where(diffs > 0)[0]
            if len(viol):
                i = int(viol[np.argmax(diffs[viol])])
                edges, bad, good = _merge_pair(edges, bad, good, i)
                changed = True
    # 3. chi-merge
    while len(bad) > 1:
        chis = [_chi2(bad[i], good[i], bad[i + 1], good[i + 1]) for i in range(len(bad) - 1)]
        i = int(np.argmin(chis))
        if len(bad) > max_bins or chis[i] < min_chi2:
            edges, bad, good = _merge_pair(edges, bad, good, i)
        else:
            break
    return [float(e) for e in edges]


def bin_categorical(keys, y, max_bins=6, min_frac=0.05, min_chi2=0.0):
    """Groups of categories (lists of keys) with similar bad rates; rare ones pooled."""
    ok = np.array([k is not None for k in keys])
    keys, y = keys[ok], y[ok]
    if not len(keys):
        return []
    df = pd.DataFrame({"k": keys, "y": y})
    agg = df.groupby("k", sort=True)["y"].agg(["sum", "count"])
    min_n = max(min_frac * len(keys), 1.0)
    groups = []
    rare = [k for k, row in agg.iterrows() if row["count"] < min_n]
    for k, row in agg.iterrows():
        if row["count"] >= min_n:
            groups.append(([k], float(row["sum"]), float(row["count"] - row["sum"])))
    if rare:
        sub = agg.loc[rare]
        groups.append((rare, float(sub["sum"].sum()), float(sub["count"].sum() - sub["sum"].sum())))
    groups.sort(key=lambda g: (g[1] / max(g[1] + g[2], 1), g[0]))
    while len(groups) > 1:
        chis = [
            _chi2(groups[i][1], groups[i][2], groups[i + 1][1], groups[i + 1][2])
            for i in range(len(groups) - 1)
        ]
        i = int(np.argmin(chis))
        small = min(groups[i][1] + groups[i][2], groups[i + 1][1] + groups[i + 1][2]) < min_n
        if len(groups) > max_bins or chis[i] < min_chi2 or small:
            a, b = groups[i], groups[i + 1]
            groups[i : i + 2] = [(a[0] + b[0], a[1] + b[1], a[2] + b[2])]
        else:
            break
    return [g[0] for g in groups]


# ---------------------------------------------------------------------------------------
# the learned scorecard
# ---------------------------------------------------------------------------------------


class Scorecard(_TableScorecard):
    """A points scorecard learned from data (``y``: 1 = bad, 0 = good).

    Parameters
    ----------
    monotone : dict feature -> +1 / -1
        +1: a higher value never costs points (e.g. tenure, savings regularity);
        -1: a higher value never earns points (e.g. days past due). Numeric features only.
    categorical : list of feature names, or None
        Columns to treat as categories; None: every non-numeric column (object, string,
        category dtype). Numeric columns listed here are treated as categories too.
    neutral_values : dict feature -> list of values
        Values that mean "no information" (e.g. ``"no_history"``): scored 0 points like a
        missing value.
    components : tuple of "woe", "gam"
        The additive models averaged (on the log-odds scale) before calibration. ``("woe",)``
        alone is a classic WoE scorecard.
    random_state : int
        Seed of the boosting and of the calibration folds (same data + seed -> same model).
    weights : dict component -> weight, or None (equal weights)
    max_bins, min_bin_frac : the WoE binning (at most ``max_bins`` bins per feature, each
        with at least ``min_bin_frac`` of the rows).
    woe_C, lin_C : inverse L2 strength of the two logistic regressions.
    gam_params : overrides of the HistGradientBoostingClassifier settings of "gam".
    calibration_folds : folds of the out-of-fold scores the Platt scaling is fitted on.
    max_table_bins : at most this many bins per numeric feature in the final table
        (neighbours merged), so the card stays readable.
    """

    kind = "learned"

    def __init__(
        self,
        monotone=None,
        categorical=None,
        neutral_values=None,
        random_state=0,
        components=("lin", "gam"),
        weights=None,
        max_bins=6,
        min_bin_frac=0.05,
        woe_C=1.0,
        lin_C=0.1,
        gam_params=None,
        calibration_folds=3,
        max_table_bins=8,
    ):
        super().__init__()
        self.monotone = {str(k): int(v) for k, v in (monotone or {}).items()}
        for f, v in self.monotone.items():
            if v not in (-1, 1):
                raise ValueError(f"monotone[{f!r}] must be +1 or -1")
        self.categorical = None if categorical is None else list(categorical)
        self.neutral_values = {k: [str(v) for v in vs] for k, vs in (neutral_values or {}).items()}
        self.random_state = random_state
        self.components = tuple(components)
        if not self.components or set(self.components) - {"woe", "gam", "lin"}:
            raise ValueError("components must be a non-empty subset of ('woe', 'gam', 'lin')")
        self.weights = weights
        self.max_bins = max_bins
        self.min_bin_frac = min_bin_frac
        self.woe_C = woe_C
        self.lin_C = lin_C
        self.gam_params = dict(gam_params or {})
        self.calibration_folds = calibration_folds
        self.max_table_bins = max_table_bins

    # -- fitting -----------------------------------------------------------------------
    def _prepare(self, X):
        """(kinds, numeric arrays / categorical keys) with neutral values as missing."""
        cols = {}
        kinds = {}
        cat = set(self.categorical) if self.categorical is not None else None
        for f in X.columns:
            s = X[f]
            is_cat = (f in cat) if cat is not None else _is_categorical(s)
            if is_cat and f in self.monotone:
                raise ValueError(f"monotone constraint on the categorical feature {f!r}")
            neutral = set(self.neutral_values.get(f, ()))
            if is_cat:
                keys = _cat_keys(s)
                if neutral:
                    keys = np.array([None if k in neutral else k for k in keys], dtype=object)
                cols[f] = keys
                kinds[f] = "categorical"
            else:
                x = _as_float(s)
                if neutral:
                    x = np.where(np.isin(_cat_keys(s), list(neutral)), np.nan, x)
                cols[f] = x
                kinds[f] = "numeric"
        return kinds, cols

    def fit(self, X, y):
        """Learn the tables from X (DataFrame, any mix of numbers and text, missing values
        allowed) and y (1 = bad, 0 = good). Returns self."""
        from threadpoolctl import threadpool_limits

        # one thread: on small data OpenMP threads cost more than they bring, and the
        # result does not depend on the machine's load
        with threadpool_limits(limits=1):
            return self._fit(X, y)

    def _fit(self, X, y):
        if not isinstance(X, pd.DataFrame):
            raise ValueError("X must be a pandas DataFrame")
        X = X.copy()
        X.columns = [str(c) for c in X.columns]
        unknown = set(self.monotone) - set(X.columns)
        if unknown:
            raise ValueError(f"monotone names unknown features: {sorted(unknown)}")
        y = _y_array(y)
        if len(y) != len(X):
            raise ValueError("X and y have different lengths")
        kinds, cols = self._prepare(X)
        usable = [
            f
            for f in X.columns
            if (
                np.any(~np.isnan(cols[f]))
                if kinds[f] == "numeric"
                else any(k is not None for k in cols[f])
            )
        ]
        if not usable:
            raise ValueError("no feature has any value")
        self.kinds = {f: kinds[f] for f in usable}
        # cross-fitting: one model per fold, each scores the rows it did not see (the
        # Platt calibration is fitted on these out-of-fold scores); the card is the mean
        # of the fold models' tables
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        folds = min(self.calibration_folds, int(min(np.bincount(y))))
        if folds >= 2:
            oof = np.zeros(len(y))
            fold_tables = []
            skf = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            for tr, te in skf.split(np.zeros(len(y)), y):
                t_tables = self._fit_raw({f: cols[f][tr] for f in usable}, y[tr], usable)
                oof[te] = self._eval_logit(t_tables, {f: cols[f][te] for f in usable})
                fold_tables.append(t_tables)
            calib_x = oof
            tables = {"__const__": float(np.mean([t["__const__"] for t in fold_tables]))}
            for f in usable:
                tables[f] = _combine(
                    f, self.kinds[f], [(1.0 / folds, t[f]) for t in fold_tables], cols[f]
                )
                if self.max_table_bins:
                    _compact(tables[f], cols[f], self.max_table_bins)
                tables["__const__"] += _center(tables[f], cols[f])
        else:
            tables = self._fit_raw(cols, y, usable)
            calib_x = self._eval_logit(tables, cols)
        platt = LogisticRegression(C=1e6, max_iter=1000)
        platt.fit(calib_x.reshape(-1, 1), y)
        slope = float(platt.coef_[0, 0])
        intercept = float(platt.intercept_[0])
        if slope <= 0:  # the model ranks nothing: fall back to the uncalibrated scale
            slope, intercept = 1.0, 0.0
        # logit_bad = intercept + slope * (const + sum_j g_j)
        const = tables.pop("__const__")
        self.tables = {}
        for f in usable:
            t = tables[f]
            # whole points: the table is the model (the probability is read from the score)
            if t.kind == "numeric":
                pts = [int(round(-FACTOR * slope * v)) for v in t.values]
                edges, vals = [], pts[:1]
                for e, v in zip(t.edges, pts[1:], strict=True):
                    if v != vals[-1]:
                        edges.append(e)
                        vals.append(v)
                t.edges, t.values = edges, [float(v) for v in vals]
            else:
                t.values = {k: float(round(-FACTOR * slope * v)) for k, v in t.values.items()}
            t.missing = 0.0
            t.other = 0.0
            t.neutral = list(self.neutral_values.get(f, ()))
            self.tables[f] = t
        self.base_exact = float(round(float(logit_to_score(intercept + slope * const))))
        self.info = {
            "n": int(len(y)),
            "n_bad": int(y.sum()),
            "components": list(self.components),
            "calibration": {"slope": slope, "intercept": intercept, "folds": folds},
        }
        return self

    @staticmethod
    def _eval_logit(tables, cols):
        """const + sum of the (uncalibrated) table values: the ensemble's log-odds of bad."""
        total = np.full(len(next(iter(cols.values()))), tables["__const__"], dtype=float)
        for f, col in cols.items():
            total += tables[f].raw(pd.Series(col))[0]
        return total

    def _fit_raw(self, cols, y, usable):
        """Fit the components on (cols, y); return the tables in logit-of-bad units,
        centered on the training mean, with the constant under "__const__"."""
        weights = self.weights or {c: 1.0 / len(self.components) for c in self.components}
        parts = []
        if "woe" in self.components:
            parts.append((weights["woe"], self._fit_woe(cols, y, usable)))
        if "gam" in self.components:
            parts.append((weights["gam"], self._fit_gam(cols, y, usable)))
        if "lin" in self.components:
            parts.append((weights["lin"], self._fit_lin(cols, y, usable)))
        tables = {"__const__": sum(w * p["__const__"] for w, p in parts)}
        for f in usable:
            tabs = [(w, p[f]) for w, p in parts]
            tables[f] = _combine(f, self.kinds[f], tabs, cols[f])
            if f in self.monotone:
                _make_monotone(tables[f], cols[f], self.monotone[f])
            if self.max_table_bins:
                _compact(tables[f], cols[f], self.max_table_bins)
            shift = _center(tables[f], cols[f])
            tables["__const__"] += shift
        return tables

    def _fit_woe(self, cols, y, usable):
        from sklearn.linear_model import LogisticRegression

        n_bad, n_good = float(y.sum()), float(len(y) - y.sum())
        maps = {}
        design = []
        for f in usable:
            if self.kinds[f] == "numeric":
                x = cols[f]
                edges = bin_numeric(x, y, self.monotone.get(f, 0), self.max_bins, self.min_bin_frac)
                idx = np.searchsorted(np.asarray(edges), np.nan_to_num(x), side="right")
                ok = ~np.isnan(x)
                nb = len(edges) + 1
                bad = np.bincount(idx[ok], weights=y[ok], minlength=nb)
                tot = np.bincount(idx[ok], minlength=nb)
                woe = _woe(bad, tot - bad, n_bad, n_good)
                col = np.where(ok, woe[idx], 0.0)
                maps[f] = ("numeric", edges, woe)
            else:
                keys = cols[f]
                groups = bin_categorical(keys, y, self.max_bins, self.min_bin_frac)
                kmap = {}
                for g in groups:
                    m = np.isin(keys, g)
                    b = float(y[m].sum())
                    w = float(_woe(b, m.sum() - b, n_bad, n_good))
                    for k in g:
                        kmap[k] = w
                col = np.array([kmap.get(k, 0.0) if k is not None else 0.0 for k in keys])
                maps[f] = ("categorical", None, kmap)
            design.append(col)
        D = np.column_stack(design)
        active = list(range(len(usable)))
        while True:
            lr = LogisticRegression(C=self.woe_C, max_iter=2000)
            lr.fit(D[:, active], y)
            coef = lr.coef_[0]
            if (coef >= 0).all() or len(active) == 1:
                break
            # a negative weight would reverse the bins' meaning (and monotonicity): drop it
            active = [a for a, c in zip(active, coef, strict=True) if c >= 0] or active[:1]
        beta = dict(zip([usable[a] for a in active], np.maximum(coef, 0.0), strict=True))
        out = {"__const__": float(lr.intercept_[0])}
        for f in usable:
            kind, edges, woe = maps[f]
            b = float(beta.get(f, 0.0))
            if kind == "numeric":
                out[f] = _Table(f, "numeric", edges, list(b * np.asarray(woe)))
            else:
                out[f] = _Table(f, "categorical", values={k: b * v for k, v in woe.items()})
        return out

    def _fit_lin(self, cols, y, usable):
        """L2 logistic regression on one-hot categories and, per number, a standardised
        linear term plus indicators of its WoE bins; read back as one step function per
        feature over the distinct training values."""
        from sklearn.linear_model import LogisticRegression

        blocks, specs = [], []
        for f in usable:
            if self.kinds[f] == "numeric":
                x = cols[f]
                ok = ~np.isnan(x)
                mu = float(x[ok].mean())
                sd = float(x[ok].std()) or 1.0
                edges = bin_numeric(x, y, self.monotone.get(f, 0), self.max_bins, self.min_bin_frac)
                z = np.where(ok, (x - mu) / sd, 0.0)
                idx = np.searchsorted(np.asarray(edges), np.nan_to_num(x), side="right")
                onehot = np.zeros((len(x), len(edges) + 1))
                onehot[np.arange(len(x))[ok], idx[ok]] = 1.0
                blocks.append(np.column_stack([z, onehot]))
                specs.append((f, "numeric", (mu, sd, edges), 1 + len(edges) + 1))
            else:
                keys = cols[f]
                cats = sorted({k for k in keys if k is not None})
                cmap = {k: i for i, k in enumerate(cats)}
                onehot = np.zeros((len(keys), len(cats)))
                code = pd.Series(keys, dtype=object).map(cmap).to_numpy(dtype=float)
                ok = ~np.isnan(code)
                onehot[np.flatnonzero(ok), code[ok].astype(int)] = 1.0
                blocks.append(onehot)
                specs.append((f, "categorical", cats, len(cats)))
        D = np.hstack(blocks)
        lr = LogisticRegression(C=self.lin_C, max_iter=5000)
        lr.fit(D, y)
        coef = lr.coef_[0]
        out = {"__const__": float(lr.intercept_[0])}
        pos = 0
        for f, kind, spec, width in specs:
            c = coef[pos : pos + width]
            pos += width
            if kind == "numeric":
                mu, sd, edges = spec
                x = cols[f]
                u = np.unique(x[~np.isnan(x)])
                vals = (
                    c[0] * (u - mu) / sd
                    + c[1:][np.searchsorted(np.asarray(edges), u, side="right")]
                )
                out[f] = _steps(f, u, vals)
            else:
                out[f] = _Table(
                    f, "categorical", values={k: float(c[i]) for i, k in enumerate(spec)}
                )
        return out

    def _fit_gam(self, cols, y, usable):
        """Additive boosting: one feature per tree, monotone where declared; read back as
        one step function per feature (by evaluating each feature alone)."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        params = {
            "learning_rate": 0.15,
            "max_iter": 60,
            "max_leaf_nodes": 4,
            "min_samples_leaf": 20,
            "l2_regularization": 1.0,
        }
        params.update(self.gam_params)
        mats = []
        cat_mask = []
        codes = {}
        mono = []
        for f in usable:
            if self.kinds[f] == "numeric":
                mats.append(cols[f])
                cat_mask.append(False)
                # sklearn: +1 = prediction (P(bad)) increases with x; ours: +1 = safer
                mono.append(-self.monotone.get(f, 0))
            else:
                cats = sorted({k for k in cols[f] if k is not None})
                cmap = {k: i for i, k in enumerate(cats)}
                codes[f] = cmap
                mats.append(pd.Series(cols[f], dtype=object).map(cmap).to_numpy(dtype=float))
                cat_mask.append(True)
                mono.append(0)
        M = np.column_stack(mats).astype(float)
        clf = HistGradientBoostingClassifier(
            interaction_cst="no_interactions",
            monotonic_cst=mono,
            categorical_features=np.array(cat_mask),
            random_state=self.random_state,
            early_stopping=False,
            **params,
        )
        clf.fit(M, y)
        # evaluate every feature alone against a reference row
        ref = np.nanmedian(np.where(np.isnan(M), np.nan, M), axis=0)
        ref = np.where(np.isnan(ref), 0.0, ref)
        grids = []
        for f in usable:
            if self.kinds[f] == "numeric":
                x = cols[f]
                u = np.unique(x[~np.isnan(x)])
                if len(u) > 1024:
                    # the booster cuts a number into at most 255 bins: 1024 probes at the
                    # quantiles find its steps without evaluating every distinct value
                    u = np.unique(np.quantile(u, np.linspace(0, 1, 1024), method="nearest"))
                grids.append(u)
            else:
                grids.append(np.arange(len(codes[f]), dtype=float))
        rows = [ref.reshape(1, -1)]
        for j, g in enumerate(grids):
            block = np.repeat(ref.reshape(1, -1), len(g), axis=0)
            block[:, j] = g
            rows.append(block)
        R = np.vstack(rows)
        pred = clf.decision_function(R)
        base = pred[0]
        out = {}
        pos = 1
        const = base
        for j, f in enumerate(usable):
            g = grids[j]
            vals = pred[pos : pos + len(g)] - base
            pos += len(g)
            # g_j(ref_j) is inside base; subtract it so const + sum_j g_j(x_j) = f(x)
            if self.kinds[f] == "numeric":
                out[f] = _steps(f, g, vals)
            else:
                inv = {i: k for k, i in codes[f].items()}
                out[f] = _Table(
                    f, "categorical", values={inv[i]: float(vals[i]) for i in range(len(g))}
                )
        out["__const__"] = float(const)
        return out


def _steps(name, u, vals):
    """A numeric table from values ``vals`` at the sorted distinct points ``u`` (edges half
    way between neighbours whose values differ)."""
    if not len(u):
        return _Table(name, "numeric", [], [0.0])
    vals = np.asarray(vals, dtype=float)
    change = np.flatnonzero(np.abs(np.diff(vals)) > 1e-12) + 1
    edges = ((u[change] + u[change - 1]) / 2.0).tolist()
    steps = [float(vals[0])] + vals[change].tolist()
    return _Table(name, "numeric", edges, steps)


def _make_monotone(table, col, direction):
    """Project the steps of a numeric table on the monotone ones (weighted by the training
    rows in each bin): +1 = points never fall as x grows, i.e. log-odds of bad never rise."""
    from sklearn.isotonic import IsotonicRegression

    if table.kind != "numeric" or len(table.values) < 2:
        return
    x = col[~np.isnan(col)]
    idx = np.searchsorted(np.asarray(table.edges), x, side="right")
    w = np.bincount(idx, minlength=len(table.values)).astype(float) + 1e-6
    iso = IsotonicRegression(increasing=direction < 0)
    vals = iso.fit_transform(np.arange(len(table.values)), table.values, sample_weight=w)
    keep_e, keep_v = [], [float(vals[0])]
    for i, e in enumerate(table.edges):
        if abs(vals[i + 1] - keep_v[-1]) > 1e-12:
            keep_e.append(e)
            keep_v.append(float(vals[i + 1]))
    table.edges, table.values = keep_e, keep_v


def _compact(table, col, max_bins):
    """Merge neighbouring bins of a numeric table until at most ``max_bins`` remain, each
    time the pair whose merge changes the training rows' values the least (Ward's
    criterion); the merged bin takes the rows' mean. Merging neighbours keeps monotone
    tables monotone."""
    if table.kind != "numeric" or len(table.values) <= max_bins:
        return
    x = col[~np.isnan(col)]
    idx = np.searchsorted(np.asarray(table.edges), x, side="right")
    w = np.bincount(idx, minlength=len(table.values)).astype(float) + 1e-9
    v = np.asarray(table.values, dtype=float)
    edges = list(table.edges)
    if len(v) > 8 * max_bins:
        # first pool runs of neighbours into 8 * max_bins groups of equal weight
        start = np.cumsum(w) - w
        group = np.minimum((start / w.sum() * 8 * max_bins).astype(int), 8 * max_bins - 1)
        gw = np.bincount(group, weights=w)
        gv = np.bincount(group, weights=w * v) / np.maximum(gw, 1e-12)
        keep = np.flatnonzero(np.diff(group)) if len(group) > 1 else np.array([], dtype=int)
        edges = [edges[i] for i in keep]
        present = gw > 0
        v, w = gv[present], gw[present]
    while len(v) > max_bins:
        cost = w[:-1] * w[1:] / (w[:-1] + w[1:]) * (v[:-1] - v[1:]) ** 2
        i = int(np.argmin(cost))
        merged = (w[i] * v[i] + w[i + 1] * v[i + 1]) / (w[i] + w[i + 1])
        v = np.concatenate([v[:i], [merged], v[i + 2 :]])
        w = np.concatenate([w[:i], [w[i] + w[i + 1]], w[i + 2 :]])
        del edges[i]
    table.edges, table.values = edges, [float(a) for a in v]


def _combine(name, kind, weighted_tables, col):
    """Weighted sum of step functions of one feature, as one table."""
    if kind == "numeric":
        edges = sorted({e for _w, t in weighted_tables for e in t.edges})
        probes = _probes(edges)
        values = np.zeros(len(probes))
        for w, t in weighted_tables:
            idx = np.searchsorted(np.asarray(t.edges), probes, side="right")
            values += w * np.asarray(t.values)[idx]
        # merge equal neighbours
        change = np.flatnonzero(np.abs(np.diff(values)) > 1e-12)
        keep_e = [edges[i] for i in change]
        keep_v = [float(values[0])] + values[change + 1].tolist()
        return _Table(name, "numeric", keep_e, keep_v)
    keys = sorted({k for _w, t in weighted_tables for k in t.values})
    return _Table(
        name,
        "categorical",
        values={k: float(sum(w * t.values.get(k, 0.0) for w, t in weighted_tables)) for k in keys},
    )


def _probes(edges):
    """One value inside each bin of ``edges``."""
    if not edges:
        return np.array([0.0])
    e = np.asarray(edges)
    mids = (e[1:] + e[:-1]) / 2.0
    return np.concatenate([[e[0] - 1.0], mids, [e[-1] + 1.0]])


def _center(table, col):
    """Shift a table so its mean over the non-missing training rows is 0; return the shift
    (to be added to the constant)."""
    s = pd.Series(col)
    pts, labels = table.raw(s)
    ok = np.array([lab is not None for lab in labels])
    shift = float(pts[ok].mean()) if ok.any() else 0.0
    if table.kind == "numeric":
        table.values = [v - shift for v in table.values]
    else:
        table.values = {k: v - shift for k, v in table.values.items()}
    return shift


# ---------------------------------------------------------------------------------------
# the expert scorecard
# ---------------------------------------------------------------------------------------


class ExpertScorecard(_TableScorecard):
    """A scorecard from hand-set points, with the same outputs as :class:`Scorecard`.

    ``rules`` maps each feature to one of::

        {"edges": [0, 30, 90], "points": [20, 0, -40, -80]}   # numeric: len(edges)+1 points,
                                                             # bin i: edges[i-1] <= x < edges[i]
        {"points": {"petani": 5, "pedagang": 10}, "other": 0}  # categorical

    plus optional ``"missing"`` (points of a missing value, default 0 = neutral),
    ``"neutral"`` (values that mean no information, scored like missing) and
    ``"monotone"`` (+1/-1, checked: the numeric points must follow it).
    ``base_points`` is the score of an applicant with 0 points everywhere; the
    probability of bad is read from the score on the 600 / 50:1 / 20 PDO scale.
    """

    kind = "expert"

    def __init__(self, rules, base_points=BASE_SCORE):
        super().__init__()
        if not isinstance(rules, dict) or not rules:
            raise ValueError("rules must be a non-empty dict feature -> rule")
        self.base_exact = float(base_points)
        self.rules = rules
        for f, rule in rules.items():
            f = str(f)
            pts = rule.get("points")
            if isinstance(pts, dict):
                t = _Table(
                    f,
                    "categorical",
                    values=pts,
                    other=rule.get("other", 0),
                    missing=rule.get("missing", 0),
                    neutral=rule.get("neutral", ()),
                )
            elif isinstance(pts, list | tuple):
                t = _Table(
                    f,
                    "numeric",
                    rule.get("edges", []),
                    pts,
                    missing=rule.get("missing", 0),
                    neutral=rule.get("neutral", ()),
                )
            else:
                raise ValueError(f"{f}: 'points' must be a list (numeric) or a dict (categorical)")
            for label, v in t.rows():
                if float(v) != round(float(v)):
                    raise ValueError(f"{f}: points must be whole numbers ({label}: {v})")
            mono = rule.get("monotone")
            if mono:
                if t.kind != "numeric" or mono not in (-1, 1):
                    raise ValueError(f"{f}: monotone is +1 or -1 on a numeric rule")
                d = np.diff(t.values) * mono
                if (d < 0).any():
                    raise ValueError(f"{f}: the points do not follow monotone={mono}")
                self.monotone[f] = mono
            self.tables[f] = t

    def _restore(self, d):
        res = super()._restore(d)
        self.rules = None
        return res

    def fit(self, X=None, y=None):
        """Nothing to learn: the points are the rules."""
        return self
