"""Weekly demand forecasting for a shop and a pharmacy (plain Python: numpy, pandas, sklearn).

Nothing here imports Odoo. The addon reads the history with SQL, hands it to
:func:`weekly_matrix`, and :func:`forecast` returns the forecasts, their intervals and the
backtest per product group that chose the method.

Vocabulary:

- a *key* is one product in one warehouse; a *group* is the product category of the key plus
  its demand class (``smooth`` or ``slow`` for intermittent demand, e.g. many medicines);
- ``demand[i, t]`` is the quantity of key ``i`` demanded in week ``t``; it is ``NaN`` when it
  cannot be observed: a week with a stock-out (zero on hand, what was sold is not what was
  wanted) or a week before the product was launched. Unknown weeks are left out of every mean
  and of the model's training, so a stock-out never lowers the forecast;
- an *origin* ``o`` is the last week known when a forecast is made; horizon ``h`` (1..8)
  forecasts week ``o + h``.

Methods, compared per group by a backtest on the last ``holdout`` weeks:

- ``mean4``: the mean of the last four known weeks (baseline);
- ``snaive``: the same week a year (52 weeks) before, else ``mean4`` (baseline);
- ``model``: a gradient-boosted regression pooled over all keys that predicts the ratio of the
  week's demand to the key's recent level from the Indonesian calendar (Ramadan, Idul Fitri,
  Idul Adha, school start, planting, harvest, aid weeks, paydays), the price against its recent
  price, the recent trend, last year's same week and the category; a key with little history
  (a product launched last month) takes its level from its category;
- ``croston``, ``sba`` (Syntetos-Boylan) and ``tsb`` (Teunter-Syntetos-Babai) for intermittent
  demand.

The method with the lowest WAPE (sum of absolute errors over sum of actuals) serves the group;
prediction intervals are empirical quantiles of the chosen method's backtest errors per group
and horizon, scaled by each key's level.
"""

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .calendar_features import FEATURE_KINDS, calendar_matrix

HORIZON = 8
SEASON = 52
BASELINES = ("mean4", "snaive")
INTERMITTENT_METHODS = ("croston", "sba", "tsb")
METHODS = BASELINES + ("model", "combo") + INTERMITTENT_METHODS
# the intermittent methods are tried with several smoothing constants; the backtest picks one
ALPHAS = (0.05, 0.1, 0.2, 0.3)
COLUMNS = (
    BASELINES + ("model", "combo") + tuple(f"{m}@{a}" for m in INTERMITTENT_METHODS for a in ALPHAS)
)


def method_of(column):
    """'sba@0.1' -> 'sba'."""
    return column.split("@")[0]


# ADI (average demand interval) above 1.32 weeks: intermittent (Syntetos-Boylan)
SLOW_NONZERO_SHARE = 1 / 1.32
NEW_KEY_WEEKS = 8  # fewer known weeks than this: the level leans on the category
SHRINK_WEEKS = 4  # weight of the category level, in weeks of own history
ALPHA = 0.1  # smoothing of Croston/SBA/TSB sizes
BETA = 0.1  # smoothing of TSB's demand probability
MIN_SCALE = 0.1
THREADS = int(os.environ.get("KOPDES_FORECAST_THREADS", "1"))


@dataclass
class DemandData:
    """Weekly demand of ``n`` keys over ``T`` consecutive weeks (see the module docstring)."""

    keys: np.ndarray
    categories: np.ndarray
    weeks: pd.DatetimeIndex
    demand: np.ndarray
    price: np.ndarray
    calendar: np.ndarray  # (T + horizon, len(FEATURE_KINDS)): known for the future weeks too
    sold: np.ndarray = field(default=None)

    @property
    def n(self):
        return self.demand.shape[0]

    @property
    def T(self):  # noqa: N802 (the usual name of a series' length)
        return self.demand.shape[1]


def weekly_matrix(
    sales,
    weeks,
    categories,
    stockouts=None,
    launches=None,
    events=(),
    horizon=HORIZON,
    stockout_days=1,
):
    """Build :class:`DemandData`.

    - ``sales``: DataFrame with columns ``key``, ``week`` (a Monday), ``qty`` and optionally
      ``amount`` (revenue, for the average price); several rows per key and week are summed;
    - ``weeks``: the consecutive Mondays of the history;
    - ``categories``: mapping key -> category label, for every key to forecast (keys without
      sales are forecast too: from their category);
    - ``stockouts``: DataFrame ``key``, ``week``, ``days`` (days with nothing on hand); weeks
      with at least ``stockout_days`` such days are unknown demand, not zero demand;
    - ``launches``: mapping key -> first week the product was on sale (weeks before are unknown);
    - ``events``: calendar events ``(kind, date_start, date_end)``.
    """
    weeks = pd.DatetimeIndex(weeks)
    keys = np.array(sorted(categories), dtype=np.int64)
    cats = np.array([categories[k] for k in keys], dtype=object)
    n, T = len(keys), len(weeks)
    key_pos = pd.Series(np.arange(n), index=keys)
    week_pos = pd.Series(np.arange(T), index=weeks)
    sold = np.zeros((n, T))
    amount = np.zeros((n, T))
    price_qty = np.zeros((n, T))
    if sales is not None and len(sales):
        s = sales[sales["key"].isin(key_pos.index) & pd.to_datetime(sales["week"]).isin(weeks)]
        ii = key_pos.loc[s["key"].to_numpy()].to_numpy()
        tt = week_pos.loc[pd.to_datetime(s["week"]).to_numpy()].to_numpy()
        np.add.at(sold, (ii, tt), s["qty"].to_numpy(dtype=float))
        if "amount" in s:
            np.add.at(amount, (ii, tt), s["amount"].to_numpy(dtype=float))
            priced = s["price_qty"] if "price_qty" in s else s["qty"]
            np.add.at(price_qty, (ii, tt), priced.to_numpy(dtype=float))
    sold = np.maximum(sold, 0.0)  # a week of refunds is no negative demand
    demand = sold.copy()
    if stockouts is not None and len(stockouts):
        so = stockouts[
            stockouts["key"].isin(key_pos.index)
            & pd.to_datetime(stockouts["week"]).isin(weeks)
            & (stockouts["days"] >= stockout_days)
        ]
        ii = key_pos.loc[so["key"].to_numpy()].to_numpy()
        tt = week_pos.loc[pd.to_datetime(so["week"]).to_numpy()].to_numpy()
        demand[ii, tt] = np.nan
    if launches:
        for key, launch in launches.items():
            if key in key_pos.index and launch is not None:
                first = int(np.searchsorted(weeks.values, np.datetime64(pd.Timestamp(launch))))
                demand[key_pos[key], :first] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        price = np.where(price_qty > 0, amount / np.where(price_qty > 0, price_qty, 1), np.nan)
    price = pd.DataFrame(price).ffill(axis=1).bfill(axis=1).to_numpy()
    all_weeks = pd.date_range(weeks[0], periods=T + horizon, freq="7D") if T else weeks
    calendar = calendar_matrix(all_weeks, list(events))
    return DemandData(keys, cats, weeks, demand, price, calendar, sold)


# -- rolling statistics (all origins at once) -------------------------------------------------


def window_mean(values, width):
    """(n, T): mean of the known values of weeks ``o - width + 1 .. o`` for every origin ``o``
    (``NaN`` when none is known)."""
    known = ~np.isnan(values)
    cs = np.cumsum(np.where(known, values, 0.0), axis=1)
    cc = np.cumsum(known, axis=1)
    cs = np.concatenate([np.zeros((values.shape[0], 1)), cs], axis=1)
    cc = np.concatenate([np.zeros((values.shape[0], 1)), cc], axis=1)
    hi = np.arange(1, values.shape[1] + 1)
    lo = np.maximum(hi - width, 0)
    total = cs[:, hi] - cs[:, lo]
    count = cc[:, hi] - cc[:, lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def window_count(values, width):
    known = (~np.isnan(values)).astype(float)
    cc = np.concatenate([np.zeros((values.shape[0], 1)), np.cumsum(known, axis=1)], axis=1)
    hi = np.arange(1, values.shape[1] + 1)
    return cc[:, hi] - cc[:, np.maximum(hi - width, 0)]


def _first_known(*arrays):
    out = arrays[0].copy()
    for arr in arrays[1:]:
        out = np.where(np.isnan(out), arr, out)
    return out


def intermittent_paths(demand, alpha=ALPHA, beta=BETA):
    """Croston, SBA and TSB forecasts made at every origin: three (n, T) arrays.

    Unknown weeks (stock-outs) are skipped: they neither update the sizes nor count as a
    week without demand."""
    n, T = demand.shape
    size = np.full(n, np.nan)
    interval = np.full(n, np.nan)
    since = np.ones(n)
    prob = np.full(n, np.nan)
    croston = np.full((n, T), np.nan)
    tsb = np.full((n, T), np.nan)
    for t in range(T):
        y = demand[:, t]
        known = ~np.isnan(y)
        pos = known & (y > 0)
        first = pos & np.isnan(size)
        size = np.where(first, y, size)
        interval = np.where(first, since, interval)
        upd = pos & ~first
        size = np.where(upd, size + alpha * (y - size), size)
        interval = np.where(upd, interval + alpha * (since - interval), interval)
        since = np.where(pos, 1.0, np.where(known, since + 1, since))
        prob = np.where(
            known & np.isnan(prob),
            pos.astype(float),
            np.where(known, prob + beta * (pos - prob), prob),
        )
        croston[:, t] = size / interval
        tsb[:, t] = np.where(np.isnan(size), 0.0, size) * prob
    sba = croston * (1 - alpha / 2)
    return croston, sba, tsb


# -- the pooled model --------------------------------------------------------------------------


class FeatureBuilder:
    """Features of (key, origin, horizon) rows, computed once for all origins."""

    def __init__(self, data):
        self.data = data
        d = data.demand
        self.m4 = window_mean(d, 4)
        self.m8 = window_mean(d, 8)
        self.m13 = window_mean(d, 13)
        self.m26 = window_mean(d, 26)
        self.m52 = window_mean(d, 52)
        self.count = window_count(d, 10_000)
        self.nonzero = window_mean(np.where(np.isnan(d), np.nan, (d > 0).astype(float)), 52)
        self.price_level = window_mean(data.price, 8)
        own = _first_known(self.m8, self.m26, self.m52)
        self.level = self._pool_by_category(own)
        self.mean4 = _first_known(self.m4, self.m13, self.m52, self.level)
        cal = data.calendar
        csum = np.concatenate([np.zeros((1, cal.shape[1])), np.cumsum(cal, axis=0)])
        idx = np.arange(1, data.T + 1)
        self.cal_window = (csum[idx] - csum[np.maximum(idx - 8, 0)]) / np.minimum(idx, 8)[:, None]
        cats = pd.Categorical(data.categories)
        self.cat_codes = cats.codes.astype(float)
        self.intermittent = {a: intermittent_paths(d, alpha=a, beta=a) for a in ALPHAS}

    def _pool_by_category(self, own):
        """The level of each key at each origin; keys with little history lean on the median
        level of the established keys of their category, so a new product is not forecast 0."""
        count = self.count
        cats = self.data.categories
        level = own.copy()
        established = count >= NEW_KEY_WEEKS
        frame = pd.DataFrame(np.where(established, own, np.nan))
        cat_level = frame.groupby(cats).median()  # (categories, T)
        overall = frame.median(axis=0).to_numpy()  # NaN-safe, no warning on empty weeks
        cat_rows = cat_level.reindex(cats).to_numpy()
        cat_rows = np.where(np.isnan(cat_rows), overall[None, :], cat_rows)
        weight = np.minimum(count, NEW_KEY_WEEKS) / (
            np.minimum(count, NEW_KEY_WEEKS) + SHRINK_WEEKS
        )
        own0 = np.where(np.isnan(own), 0.0, own)
        pooled = np.where(
            np.isnan(own), cat_rows, weight * own0 + (1 - weight) * np.nan_to_num(cat_rows)
        )
        level = np.where(established, own, pooled)
        return np.where(np.isnan(level), 0.0, level)

    def scale(self, i, o):
        return np.maximum(self.level[i, o], MIN_SCALE)

    def calendar_index(self, max_t):
        """Per category, the uplift of each calendar kind learned from the weeks up to
        ``max_t``: a least-squares fit of (demand / the key's 26-week mean before the week) - 1
        on the week's calendar shares, pooled over the category's keys. One Ramadan or one
        school start a year is enough to see its size. Returns (categories, kinds)."""
        d = self.data.demand
        base = np.concatenate([np.full((d.shape[0], 1), np.nan), self.m26[:, :-1]], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = d / base - 1.0
        ratio[:, max_t + 1 :] = np.nan
        ratio[base <= 0] = np.nan
        ratio = np.clip(ratio, -1.0, 5.0)
        cal = self.data.calendar[: d.shape[1]]
        codes = self.cat_codes.astype(int)
        n_cat = int(codes.max()) + 1 if len(codes) else 0
        coef = np.zeros((n_cat, cal.shape[1]))
        for c in range(n_cat):
            r = ratio[codes == c]
            known = ~np.isnan(r)
            if known.sum() < 20:
                continue
            # mean ratio per week over the category's keys, then least squares over weeks
            count = known.sum(axis=0)
            weekly = np.where(known, r, 0.0).sum(axis=0) / np.maximum(count, 1)
            sel = count > 0
            x = np.column_stack([np.ones(sel.sum()), cal[sel]])
            gram = x.T @ x + 0.5 * np.eye(x.shape[1])
            gram[0, 0] -= 0.5
            beta = np.linalg.solve(gram, x.T @ weekly[sel])
            coef[c] = beta[1:]
        return coef

    def rows(self, i, o, h, index=None):
        """Feature matrix of rows (i, o, h) (numpy arrays of equal length); ``index`` is the
        category calendar index of :meth:`calendar_index`."""
        d = self.data
        t = o + h
        lvl = self.scale(i, o)
        ly = np.where(t - SEASON >= 0, d.demand[i, np.maximum(t - SEASON, 0)], np.nan)
        ly_level = np.where(o - SEASON >= 0, self.m8[i, np.maximum(o - SEASON, 0)], np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            price_t = d.price[i, np.minimum(t, d.T - 1)]
            cols = [
                self.m4[i, o] / lvl,
                self.m13[i, o] / lvl,
                self.m52[i, o] / lvl,
                ly / lvl,
                ly / ly_level,
                price_t / self.price_level[i, o],
                self.nonzero[i, o],
                np.minimum(self.count[i, o], 60.0),
                h.astype(float),
                self.cat_codes[i],
            ]
        cal_t = d.calendar[t]
        cal_w = self.cal_window[o]
        if index is None:
            index = np.zeros((int(self.cat_codes.max()) + 1, cal_t.shape[1]))
        coef = index[self.cat_codes[i].astype(int)]
        idx_t = 1 + np.sum(coef * cal_t, axis=1)
        idx_o = 1 + np.sum(coef * cal_w, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cols += [idx_t, idx_t / np.maximum(idx_o, 0.05)]
        x = np.column_stack(cols + [cal_t, cal_w])
        x[~np.isfinite(x)] = np.nan
        return x

    @staticmethod
    def categorical_mask():
        mask = np.zeros(12 + 2 * len(FEATURE_KINDS), dtype=bool)
        mask[9] = True
        return mask


def _grid(keys_idx, origins, horizon, max_t):
    i, o, h = np.meshgrid(keys_idx, origins, np.arange(1, horizon + 1), indexing="ij")
    i, o, h = i.ravel(), o.ravel(), h.ravel()
    keep = (o + h) <= max_t
    return i[keep], o[keep], h[keep]


def fit_model(fb, max_t, horizon=HORIZON, step=2, max_rows=250_000, random_state=0):
    """Fit the pooled model on rows whose target week is at most ``max_t``."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    data = fb.data
    origins = np.arange(NEW_KEY_WEEKS // 2, max_t, step)
    i, o, h = _grid(np.arange(data.n), origins, horizon, max_t)
    y = data.demand[i, o + h]
    keep = ~np.isnan(y) & (fb.count[i, o] > 0)
    i, o, h, y = i[keep], o[keep], h[keep], y[keep]
    rng = np.random.default_rng(random_state)
    if len(y) > max_rows:
        pick = rng.choice(len(y), max_rows, replace=False)
        i, o, h, y = i[pick], o[pick], h[pick], y[pick]
    scale = fb.scale(i, o)
    model = HistGradientBoostingRegressor(
        max_iter=150,
        learning_rate=0.08,
        max_leaf_nodes=31,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=fb.categorical_mask(),
        random_state=random_state,
    )
    if len(y) < 50:
        return None
    index = fb.calendar_index(max_t)
    # weighted by the level, the squared error of the ratio is the squared error in units;
    # OpenMP threads spin when the cores are busy: KOPDES_FORECAST_THREADS (default 1)
    with threadpool_limits(limits=THREADS):
        x = fb.rows(i, o, h, index)
        # a feature never known in training (last year's week in a first year) is left out
        unknown = np.isnan(x).all(axis=0)
        x[:, unknown] = 0.0
        model.fit(x, y / scale, sample_weight=scale)
    model.kopdes_calendar_index = index
    model.kopdes_unknown = unknown
    return model


def method_forecasts(fb, model, i, o, h):
    """Forecasts of every method for rows (i, o, h): dict method -> array."""
    d = fb.data
    t = o + h
    mean4 = fb.mean4[i, o]
    season = t - SEASON
    snaive = np.where(
        (season >= 0) & (season <= o), d.demand[i, np.clip(season, 0, d.T - 1)], np.nan
    )
    out = {
        "mean4": mean4,
        "snaive": np.where(np.isnan(snaive), mean4, snaive),
    }
    for a, paths in fb.intermittent.items():
        for name, path in zip(INTERMITTENT_METHODS, paths, strict=True):
            out[f"{name}@{a}"] = np.nan_to_num(_first_known(path[i, o], mean4))
    if model is not None and len(i):
        with threadpool_limits(limits=THREADS):
            x = fb.rows(i, o, h, model.kopdes_calendar_index)
            x[:, model.kopdes_unknown] = 0.0
            ratio = model.predict(x)
        out["model"] = np.maximum(ratio, 0.0) * fb.scale(i, o)
    else:
        out["model"] = mean4
    # forecast combination: the model and last year's same week, where there is one
    out["combo"] = np.where(np.isnan(snaive), out["model"], 0.5 * (out["model"] + snaive))
    # a new key has no own history for the baselines: they fall back to its category level
    for name, values in out.items():
        out[name] = np.maximum(np.where(np.isnan(values), fb.level[i, o], values), 0.0)
    return out


def wape(actual, forecast):
    total = float(np.sum(actual))
    return float(np.sum(np.abs(actual - forecast)) / total) if total > 0 else float("nan")


def bias(actual, forecast):
    total = float(np.sum(actual))
    return float(np.sum(forecast - actual) / total) if total > 0 else float("nan")


def demand_class(data):
    """'slow' (intermittent) or 'smooth' per key, from its known weeks."""
    d = data.demand
    known = ~np.isnan(d)
    count = known.sum(axis=1)
    nonzero = np.where(known, d > 0, False).sum(axis=1)
    share = np.where(count > 0, nonzero / np.maximum(count, 1), 1.0)
    return np.where(share < SLOW_NONZERO_SHARE, "slow", "smooth")


@dataclass
class ForecastResult:
    forecasts: pd.DataFrame  # key, h, week, forecast, lower, upper, method, group
    groups: pd.DataFrame  # group, category, demand_class, n_keys, method, wape_*, bias_*, ...
    keys: pd.DataFrame  # key, group, method, level, demand_class
    backtest: pd.DataFrame = field(default=None)  # rows of the holdout (key, o, h, y, f_*)


def forecast(data, horizon=HORIZON, holdout=26, interval=0.8, step=2, max_rows=250_000):
    """Backtest every method per group, choose, and forecast ``horizon`` weeks ahead.

    ``interval`` is the nominal coverage of the prediction intervals (0.8: 10 %..90 %)."""
    fb = FeatureBuilder(data)
    T = data.T
    holdout = int(min(holdout, max(T - 2 * NEW_KEY_WEEKS, 0)))
    classes = demand_class(data)
    group_of = np.array([f"{c}|{k}" for c, k in zip(data.categories, classes, strict=True)])
    keys_idx = np.arange(data.n)
    split = T - holdout
    bt = None
    if holdout >= 4:
        model_bt = fit_model(fb, split - 1, horizon, step, max_rows)
        i, o, h = _grid(keys_idx, np.arange(split - 1, T - 1), horizon, T - 1)
        y = data.demand[i, o + h]
        keep = ~np.isnan(y)
        i, o, h, y = i[keep], o[keep], h[keep], y[keep]
        preds = method_forecasts(fb, model_bt, i, o, h)
        bt = pd.DataFrame({"i": i, "o": o, "h": h, "y": y, "group": group_of[i]})
        for name in COLUMNS:
            bt[name] = preds[name]
        bt["level"] = fb.level[i, o]
    groups = _choose(bt, group_of, data, classes)
    chosen = groups.set_index("group")["column"].to_dict()
    quant = _interval_quantiles(bt, chosen, interval, horizon)
    if bt is not None and len(bt):
        groups = groups.merge(_coverage(bt, chosen, interval, horizon), on="group", how="left")
    else:
        groups["coverage"] = np.nan
    model = fit_model(fb, T - 1, horizon, step, max_rows) if T > NEW_KEY_WEEKS else None
    i, o, h = _grid(keys_idx, np.array([T - 1]), horizon, T - 1 + horizon)
    preds = method_forecasts(fb, model, i, o, h)
    method_rows = np.array([chosen.get(g, "model") for g in group_of[i]])
    f = np.zeros(len(i))
    for name in COLUMNS:
        sel = method_rows == name
        f[sel] = preds[name][sel]
    scale = _error_scale(f, fb.level[i, o])
    lo_q, hi_q = _lookup_quantiles(quant, group_of[i], h, interval)
    future_weeks = data.weeks[-1] + pd.to_timedelta(7 * h, unit="D")
    forecasts = pd.DataFrame(
        {
            "key": data.keys[i],
            "h": h,
            "week": future_weeks,
            "forecast": f,
            "lower": np.maximum(f + lo_q * scale, 0.0),
            "upper": np.maximum(f + hi_q * scale, f),
            "method": [method_of(c) for c in method_rows],
            "group": group_of[i],
        }
    )
    keys = pd.DataFrame(
        {
            "key": data.keys,
            "group": group_of,
            "category": data.categories,
            "demand_class": classes,
            "method": [method_of(chosen.get(g, "model")) for g in group_of],
            "level": fb.level[:, T - 1] if T else np.zeros(data.n),
            "known_weeks": fb.count[:, T - 1] if T else np.zeros(data.n),
        }
    )
    return ForecastResult(forecasts, groups, keys, bt)


def _error_scale(forecast_values, level):
    """Errors are relative to the larger of the forecast and half the key's level: a seasonal
    peak has a wider interval than a quiet week."""
    return np.maximum(np.maximum(forecast_values, 0.5 * level), MIN_SCALE)


def _choose(bt, group_of, data, classes):
    rows = []
    cats = dict(zip(group_of, data.categories, strict=True))
    cls = dict(zip(group_of, classes, strict=True))
    counts = pd.Series(group_of).value_counts()
    by_group = dict(list(bt.groupby("group"))) if bt is not None and len(bt) else {}
    for group in sorted(set(group_of)):
        row = {
            "group": group,
            "category": cats[group],
            "demand_class": cls[group],
            "n_keys": int(counts[group]),
        }
        part = by_group.get(group)
        scores = {}
        for column in COLUMNS:
            name = method_of(column)
            if part is not None and part["y"].sum() > 0:
                score = wape(part["y"].to_numpy(), part[column].to_numpy())
                if name in scores and scores[name][0] <= score:
                    continue  # a better smoothing constant of the same method
                scores[name] = (score, column)
                row[f"wape_{name}"] = score
                row[f"bias_{name}"] = bias(part["y"].to_numpy(), part[column].to_numpy())
                row[f"alpha_{name}"] = float(column.split("@")[1]) if "@" in column else np.nan
            else:
                row[f"wape_{name}"] = row[f"bias_{name}"] = row[f"alpha_{name}"] = np.nan
        row["n_rows"] = 0 if part is None else len(part)
        if scores:
            # ties go to the simpler method (the order of METHODS)
            best = min(scores, key=lambda m: (round(scores[m][0], 6), METHODS.index(m)))
            row["method"], row["column"] = best, scores[best][1]
            row["alpha"] = row[f"alpha_{best}"]
        else:
            row["method"] = row["column"] = "model"
            row["alpha"] = np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _scaled_errors(bt, chosen):
    f = np.zeros(len(bt))
    methods = bt["group"].map(chosen).fillna("model").to_numpy()
    for name in COLUMNS:
        sel = methods == name
        f[sel] = bt[name].to_numpy()[sel]
    return f, (bt["y"].to_numpy() - f) / _error_scale(f, bt["level"].to_numpy())


def _interval_quantiles(bt, chosen, interval, horizon):
    """{(group, h) or (group, None) or (None, None): (lo, hi)} scaled-error quantiles."""
    lo_p, hi_p = (1 - interval) / 2, (1 + interval) / 2
    out = {(None, None): (-1.0, 1.0)}
    if bt is None or not len(bt):
        return out
    _f, err = _scaled_errors(bt, chosen)
    frame = pd.DataFrame({"group": bt["group"].to_numpy(), "h": bt["h"].to_numpy(), "e": err})
    out[(None, None)] = tuple(np.quantile(err, [lo_p, hi_p]))
    for group, part in frame.groupby("group"):
        out[(group, None)] = tuple(np.quantile(part["e"], [lo_p, hi_p]))
        for h, hpart in part.groupby("h"):
            if len(hpart) >= 30:
                out[(group, int(h))] = tuple(np.quantile(hpart["e"], [lo_p, hi_p]))
    return out


def _lookup_quantiles(quant, groups, hs, interval):
    lo = np.empty(len(groups))
    hi = np.empty(len(groups))
    for n, (g, h) in enumerate(zip(groups, hs, strict=True)):
        q = quant.get((g, int(h))) or quant.get((g, None)) or quant[(None, None)]
        lo[n], hi[n] = q
    return lo, hi


def _coverage(bt, chosen, interval, horizon):
    """Share of held-out actuals inside intervals calibrated on earlier origins only: the
    first half of the backtest origins calibrates, the second half is checked."""
    origins = np.sort(bt["o"].unique())
    cut = origins[len(origins) // 2]
    calib, check = bt[bt["o"] < cut], bt[bt["o"] >= cut]
    rows = []
    if not len(calib) or not len(check):
        return pd.DataFrame({"group": [], "coverage": []})
    quant = _interval_quantiles(calib, chosen, interval, horizon)
    f, _e = _scaled_errors(check, chosen)
    lo_q, hi_q = _lookup_quantiles(
        quant, check["group"].to_numpy(), check["h"].to_numpy(), interval
    )
    scale = _error_scale(f, check["level"].to_numpy())
    lo = np.maximum(f + lo_q * scale, 0.0)
    hi = np.maximum(f + hi_q * scale, f)
    y = check["y"].to_numpy()
    inside = (y >= lo - 1e-9) & (y <= hi + 1e-9)
    frame = pd.DataFrame({"group": check["group"].to_numpy(), "inside": inside})
    for group, part in frame.groupby("group"):
        rows.append({"group": group, "coverage": float(part["inside"].mean())})
    return pd.DataFrame(rows)
