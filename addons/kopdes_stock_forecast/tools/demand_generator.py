"""Generated daily sales of a village shop and pharmacy (plain Python, no Odoo).

Used by the demo data (two years of POS history, written with SQL), the benchmark and the
tests. Clearly generated: a seeded random process, not real sales. Each product has a base
daily rate, a price with a few changes (demand reacts with the product's elasticity), and a
reaction to the calendar by its *profile*:

- ``staple`` (sembako): Ramadan +35 %, the two weeks before Idul Fitri +90 %, the Lebaran week
  itself -40 % (the shop closes days), Idul Adha +25 %, paydays +15 %, aid weeks +25 %;
- ``farm`` (pupuk, bibit): planting seasons +150 %, harvest -30 %;
- ``school``: the school-year start +200 %;
- ``medicine``: slow and intermittent, a little more in the rainy months (Nov-Mar).

Stock-outs are episodes of a few days with nothing on hand: nothing is sold on those days
although customers asked (the demand that is lost is what the forecast must not learn).
"""

from datetime import timedelta

import numpy as np

PROFILE_EFFECTS = {
    "staple": {
        "ramadan": 0.35,
        "pre_lebaran": 0.9,
        "idul_fitri": -0.4,
        "idul_adha": 0.25,
        "payday": 0.15,
        "aid": 0.25,
    },
    "farm": {"planting": 1.5, "harvest": -0.3, "pre_lebaran": 0.1},
    "school": {"school_start": 2.0, "pre_lebaran": 0.3, "payday": 0.1},
    "medicine": {"ramadan": -0.1, "idul_fitri": -0.3},
}


def day_features(first_day, n_days, events):
    """{kind: array(n_days) of 0/1} for the configured kinds plus pre_lebaran and payday."""
    days = [first_day + timedelta(days=d) for d in range(n_days)]
    out = {}
    for kind, start, end in events:
        arr = out.setdefault(kind, np.zeros(n_days))
        a, b = max((start - first_day).days, 0), min((end - first_day).days + 1, n_days)
        if a < b:
            arr[a:b] = 1.0
        if kind == "idul_fitri":
            pre = out.setdefault("pre_lebaran", np.zeros(n_days))
            a2, b2 = max(a - 14, 0), max(min(a, n_days), 0)
            if (start - first_day).days - 14 < n_days and a2 < b2:
                pre[a2:b2] = 1.0
    out["payday"] = np.array([1.0 if d.day >= 25 or d.day == 1 else 0.0 for d in days])
    out["rainy"] = np.array([1.0 if d.month in (11, 12, 1, 2, 3) else 0.0 for d in days])
    return out


def generate_daily(products, first_day, n_days, events, seed=0, launch_days=None):
    """Daily sales and stock-outs.

    ``products``: list of dicts with ``rate`` (units a day), ``profile``, ``price`` and
    optionally ``elasticity`` (default -1.2), ``stockouts`` (episodes, default 2);
    ``launch_days``: optional list of the first day index each product is on sale.
    Returns (qty, price, out_of_stock): arrays (n_products, n_days); qty are whole units.
    """
    rng = np.random.default_rng(seed)
    feats = day_features(first_day, n_days, events)
    n = len(products)
    qty = np.zeros((n, n_days))
    price = np.zeros((n, n_days))
    out = np.zeros((n, n_days), dtype=bool)
    weekday = np.array([(first_day + timedelta(days=d)).weekday() for d in range(n_days)])
    week_effect = np.where(weekday >= 5, 1.15, 0.95)  # market days at the weekend
    trend = np.linspace(0.0, 1.0, n_days)
    for p, prod in enumerate(products):
        effects = PROFILE_EFFECTS.get(prod.get("profile", "staple"), {})
        mult = np.ones(n_days)
        for kind, effect in effects.items():
            if kind in feats:
                mult *= 1 + effect * feats[kind]
        if prod.get("profile") == "medicine":
            mult *= 1 + 0.3 * feats["rainy"]
        # a few price changes: +-5..15 %, demand reacts with the elasticity
        base_price = float(prod.get("price", 10000))
        p_path = np.full(n_days, base_price)
        for _change in range(int(rng.integers(1, 4))):
            at = int(rng.integers(30, max(n_days - 30, 31)))
            p_path[at:] *= 1 + rng.uniform(-0.15, 0.15)
        p_path = np.round(p_path / 100.0) * 100.0
        elasticity = float(prod.get("elasticity", -1.2))
        mult *= (p_path / base_price) ** elasticity
        growth = float(prod.get("growth", rng.uniform(-0.15, 0.3)))
        lam = float(prod["rate"]) * mult * week_effect * (1 + growth * trend)
        q = rng.poisson(np.maximum(lam, 0.0)).astype(float)
        for _episode in range(int(prod.get("stockouts", 2))):
            start = int(rng.integers(0, max(n_days - 10, 1)))
            length = int(rng.integers(3, 11))
            out[p, start : start + length] = True
        if launch_days is not None and launch_days[p]:
            q[: launch_days[p]] = 0.0
        q[out[p]] = 0.0
        qty[p] = q
        price[p] = p_path
    return qty, price, out
