"""Plain-Python tests of the forecasting tools (no database): stock-out masking, category
pooling for new products, intermittent methods, the calendar, reorder levels and FEFO."""

import csv
import os
from datetime import date

import numpy as np
import pandas as pd

from odoo.tests import BaseCase

from odoo.addons.kopdes_stock_forecast.tools import calendar_features as cf
from odoo.addons.kopdes_stock_forecast.tools import demand_generator as gen
from odoo.addons.kopdes_stock_forecast.tools import forecast as fc
from odoo.addons.kopdes_stock_forecast.tools import replenish

DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "kopdes.calendar.event.csv")
FIRST = date(2024, 12, 2)  # a Monday


def shipped_events():
    with open(DATA, encoding="utf-8") as f:
        return cf.events_from_rows(list(csv.DictReader(f)))


def frames(qty_by_key, out_by_key=None, categories=None, n_weeks=60):
    """Weekly sales (and stock-out weeks) as the history reader returns them."""
    weeks = cf.week_index(FIRST, n_weeks)
    rows, outs = [], []
    for key, qty in qty_by_key.items():
        for t, q in enumerate(qty):
            rows.append({"key": key, "week": weeks[t], "qty": float(q), "amount": 1000.0 * q})
        for t in (out_by_key or {}).get(key, ()):
            outs.append({"key": key, "week": weeks[t], "days": 4})
    cats = categories or {k: "sembako" for k in qty_by_key}
    return pd.DataFrame(rows), pd.DataFrame(outs, columns=["key", "week", "days"]), weeks, cats


class TestCalendar(BaseCase):
    def test_share_of_days(self):
        # Ramadan 2026 starts on Wednesday 18 February: 5 of that week's 7 days
        weeks = cf.week_index(date(2026, 2, 16), 6)
        cal = cf.calendar_matrix(
            weeks,
            [
                ("ramadan", date(2026, 2, 18), date(2026, 3, 19)),
                ("idul_fitri", date(2026, 3, 20), date(2026, 3, 21)),
            ],
        )
        col = {k: i for i, k in enumerate(cf.FEATURE_KINDS)}
        self.assertAlmostEqual(cal[0, col["ramadan"]], 5 / 7)
        self.assertAlmostEqual(cal[1, col["ramadan"]], 1.0)
        # the fourteen days before Idul Fitri are derived: 6..19 March
        self.assertAlmostEqual(cal[2, col["pre_lebaran"]], 3 / 7)  # 6..8 of Mon 2 .. Sun 8 March
        self.assertAlmostEqual(cal[3, col["pre_lebaran"]], 1.0)
        self.assertAlmostEqual(cal[4, col["idul_fitri"]], 2 / 7)
        # paydays: 25th to the 1st
        self.assertGreater(cal[1, col["payday"]], 0)  # 23 Feb .. 1 Mar

    def test_shipped_dates_cover_the_coming_years(self):
        events = shipped_events()
        years = {start.year for kind, start, _end in events if kind == "idul_fitri"}
        self.assertTrue(set(range(2024, 2031)) <= years)
        for kind, start, end in events:
            self.assertLessEqual(start, end)
            self.assertIn(kind, cf.EVENT_KINDS)
        # Idul Fitri 2026 is 20 March (1 Syawal 1447)
        self.assertIn(("idul_fitri", date(2026, 3, 20), date(2026, 3, 21)), events)


class TestMaskingAndPooling(BaseCase):
    def test_stockout_weeks_do_not_lower_the_forecast(self):
        rng = np.random.default_rng(0)
        steady = rng.poisson(20, 60).astype(float)
        emptied = steady.copy()
        emptied[-3:] = 0.0  # nothing on the shelf for the last three weeks
        peers = {k: rng.poisson(20, 60).astype(float) for k in range(2, 8)}
        forecast_of = {}
        for masked in (True, False):
            sales, outs, weeks, cats = frames(
                {0: steady, 1: emptied, **peers}, {1: [57, 58, 59]} if masked else None
            )
            data = fc.weekly_matrix(sales, weeks, cats, stockouts=outs)
            result = fc.forecast(data, holdout=8)
            f = result.forecasts.groupby("key")["forecast"].mean()
            forecast_of[masked] = f[1]
            if masked:
                self.assertTrue(np.isnan(data.demand[1, -3:]).all())
                self.assertGreater(f[1], 0.85 * f[0], "a stock-out lowered the forecast")
                self.assertGreater(f[1], 15)
            else:
                # the same zeros taken for demand do lower it: the masking is what helps
                self.assertLess(f[1], 0.95 * forecast_of[True])

    def test_new_product_gets_its_category_level(self):
        rng = np.random.default_rng(1)
        qty = {k: rng.poisson(30, 60).astype(float) for k in range(6)}
        qty.update({k: rng.poisson(3, 60).astype(float) for k in range(6, 12)})
        launched = np.zeros(60)
        launched[-4:] = [25, 33, 28, 31]  # launched a month ago
        unsold = np.zeros(60)  # launched this week: no sale yet
        qty[20], qty[21] = launched, unsold
        cats = {k: ("minyak" if k < 6 or k in (20, 21) else "obat") for k in qty}
        sales, outs, weeks, _cats = frames(qty, categories=cats)
        launches = {20: weeks[-4], 21: weeks[-1]}
        data = fc.weekly_matrix(sales, weeks, cats, launches=launches)
        self.assertTrue(np.isnan(data.demand[list(data.keys).index(20), :-4]).all())
        result = fc.forecast(data, holdout=8)
        f = result.forecasts.groupby("key")["forecast"].mean()
        self.assertGreater(f[20], 15)  # from the category (about 30), not zero
        self.assertGreater(f[21], 15)
        self.assertLess(f[21], 45)
        self.assertLess(f[7], 8)  # the medicines stay at their own level


class TestIntermittent(BaseCase):
    def test_croston_sba_tsb_by_hand(self):
        demand = np.array([[0.0, 4.0, 0.0, 0.0, 6.0, np.nan, 0.0]])
        croston, sba, tsb = fc.intermittent_paths(demand, alpha=0.5, beta=0.5)
        # first demand 4 after an interval of 2 weeks: 4 / 2
        self.assertAlmostEqual(croston[0, 1], 2.0)
        # then 6 after 3 weeks: size 5, interval 2.5 -> 2.0
        self.assertAlmostEqual(croston[0, 4], 5.0 / 2.5)
        self.assertAlmostEqual(sba[0, 4], 2.0 * 0.75)
        # the stock-out week (NaN) changes nothing
        self.assertAlmostEqual(croston[0, 5], croston[0, 4])
        self.assertAlmostEqual(tsb[0, 5], tsb[0, 4])
        # TSB: probability 0 -> .5 (w1) -> .25 -> .125 -> .5625 (w4); size 4 -> 5
        self.assertAlmostEqual(tsb[0, 4], 0.5625 * 5.0)

    def test_wape_and_bias(self):
        y = np.array([10.0, 0.0, 10.0])
        f = np.array([8.0, 2.0, 10.0])
        self.assertAlmostEqual(fc.wape(y, f), 4 / 20)
        self.assertAlmostEqual(fc.bias(y, f), 0.0)


class TestBacktest(BaseCase):
    def test_generated_history_beats_the_baselines(self):
        """Two years of a small generated shop: per group the chosen method is not a baseline
        and beats both on WAPE; intervals cover about their nominal 80 %."""
        rng = np.random.default_rng(5)
        products = [
            {"rate": float(rng.uniform(5, 25)), "profile": p, "price": 10000}
            for p in ("staple",) * 8 + ("farm",) * 6
        ]
        n_days = 728
        qty, _price, out = gen.generate_daily(products, FIRST, n_days, shipped_events(), seed=2)
        weeks = cf.week_index(FIRST, n_days // 7)
        wk = np.arange(n_days) // 7
        n = len(products)
        daily = pd.DataFrame(
            {
                "key": np.repeat(np.arange(n), n_days),
                "week": np.tile(weeks[wk], n),
                "qty": qty.ravel(),
                "days": out.ravel().astype(int),
            }
        )
        sales = daily.groupby(["key", "week"], as_index=False)["qty"].sum()
        outs = daily.groupby(["key", "week"], as_index=False)["days"].sum()
        cats = {k: products[k]["profile"] for k in range(n)}
        data = fc.weekly_matrix(sales, weeks, cats, stockouts=outs, events=shipped_events())
        result = fc.forecast(data)
        for row in result.groups.itertuples():
            with self.subTest(group=row.group):
                self.assertNotIn(row.method, fc.BASELINES)
                chosen = getattr(row, f"wape_{row.method}")
                self.assertLess(chosen, row.wape_mean4)
                self.assertLess(chosen, row.wape_snaive)
                self.assertGreater(row.coverage, 0.65)
                self.assertLess(row.coverage, 0.95)
        f = result.forecasts
        self.assertTrue((f["lower"] <= f["forecast"]).all() and (f["forecast"] <= f["upper"]).all())
        self.assertEqual(len(f), n * fc.HORIZON)


class TestReplenish(BaseCase):
    def test_min_max_from_lead_time_and_service(self):
        f = np.full((1, 8), 70.0)  # 10 a day
        z80 = 1.2815515655446004
        lo, hi = f - 10 * z80, f + 10 * z80  # sigma 10 a week
        mn, mx, safety = replenish.reorder_levels(f, lo, hi, [14], [0.95], interval=0.8)
        # demand over 14 days = 140; safety = z95 * 10 * sqrt(3 weeks of cover)
        self.assertAlmostEqual(safety[0], 1.6448536 * 10 * np.sqrt(3), places=3)
        self.assertAlmostEqual(mn[0], 140 + safety[0], places=3)
        self.assertAlmostEqual(mx[0], 210 + safety[0], places=3)
        mn2, _mx2, _s2 = replenish.reorder_levels(f, lo, hi, [14], [0.99], interval=0.8)
        self.assertGreater(mn2[0], mn[0])  # a higher service level keeps more

    def test_expiry_caps_the_maximum(self):
        f = np.full((1, 8), 7.0)  # 1 a day
        mn, mx, _s = replenish.reorder_levels(f, f - 1, f + 1, [30], [0.95], shelf_days=[20])
        self.assertLessEqual(mx[0], 20.0 + 1e-9)  # no more than sells in 20 days
        self.assertLessEqual(mn[0], mx[0])

    def test_fefo_unsold(self):
        weekly = np.full(8, 7.0)  # 1 a day
        # lot A: 10 expiring in 5 days (5 sell), lot B: 10 in 30 days (all sell)
        unsold = replenish.expiring_unsold([(30, 10.0), (5, 10.0)], weekly)
        self.assertAlmostEqual(unsold[1], 5.0)
        self.assertAlmostEqual(unsold[0], 0.0)

    def test_cumulative_demand_beyond_the_horizon(self):
        weekly = np.array([[7.0, 14.0]])
        self.assertAlmostEqual(replenish.cumulative_demand(weekly, [10.5])[0], 7 + 7)
        self.assertAlmostEqual(replenish.cumulative_demand(weekly, [21])[0], 21 + 10.5)
