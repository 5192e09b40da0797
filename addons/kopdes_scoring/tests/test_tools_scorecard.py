"""Plain-Python tests of tools/scorecard.py (no database): points that sum to the score,
monotone drivers, determinism, neutral thin files, serialisation, the expert scorecard,
metrics and PSI. The data is generated here (a small cooperative-like population with
numbers, text, categories, booleans and missing values) with a known risk formula."""

import functools
import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase

from odoo.addons.kopdes_scoring.tools import scorecard as s
from odoo.addons.kopdes_scoring.tools.scorecard import ExpertScorecard, Scorecard, psi

MONOTONE = {"dpd_max": -1, "tenure_months": +1, "savings_regularity": +1}


def population(n=600, seed=7):
    """Members with a known risk: late payment and irregular savings are bad, tenure is
    good, traders slightly better; a fifth have no repayment history (NaN) or "no_history"."""
    rng = np.random.default_rng(seed)
    dpd = rng.gamma(1.2, 12.0, n).round()
    thin = rng.random(n) < 0.2
    dpd[thin] = np.nan
    tenure = rng.integers(1, 120, n).astype(float)
    regularity = rng.uniform(0, 1, n).round(2)
    business = rng.choice(["petani", "pedagang", "jasa", "nelayan"], n, p=[0.4, 0.3, 0.25, 0.05])
    village = pd.Categorical(rng.choice(["Sukamaju", "Cibodas", "Mekarsari"], n))
    phone = rng.random(n) < 0.7
    logit = (
        -1.0
        + 0.05 * np.nan_to_num(dpd, nan=12.0)
        - 0.01 * tenure
        - 1.5 * regularity
        + np.select([business == "pedagang", business == "petani"], [-0.4, 0.2], 0.0)
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    status = np.where(thin, "no_history", np.where(dpd > 30, "late", "ok"))
    X = pd.DataFrame(
        {
            "dpd_max": dpd,
            "tenure_months": tenure,
            "savings_regularity": regularity,
            "business": business.astype(object),
            "village": village,
            "has_phone": phone,
            "history": pd.array(status, dtype="string"),
        }
    )
    return X, y


@functools.cache
def fitted():
    """One fitted scorecard shared by every test class (fitting is the slow part)."""
    X, y = population()
    sc = Scorecard(monotone=MONOTONE, neutral_values={"history": ["no_history"]}, random_state=0)
    return X, y, sc.fit(X, y)


class ScorecardCase(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.X, cls.y, cls.sc = fitted()


class TestPointsAndScore(ScorecardCase):
    def test_points_sum_to_score(self):
        pts = self.sc.points(self.X)
        self.assertEqual(list(pts.columns), list(self.X.columns))
        self.assertTrue(pts.index.equals(self.X.index))
        self.assertTrue(all(dt.kind == "i" for dt in pts.dtypes))
        score = self.sc.score(self.X)
        self.assertTrue(((pts.sum(axis=1) + self.sc.base_points) == score).all())
        self.assertEqual(score.dtype.kind, "i")

    def test_scale_600_at_50_to_1_and_20_pdo(self):
        self.assertAlmostEqual(float(s.score_to_proba(600)), 1 / 51)
        self.assertAlmostEqual(float(s.score_to_proba(620)), 1 / 101)
        self.assertAlmostEqual(float(s.score_to_proba(580)), 1 / 26)
        self.assertAlmostEqual(float(s.logit_to_score(-math.log(50))), 600.0)
        # the probability is the score's on that scale
        p = self.sc.predict_proba(self.X)
        np.testing.assert_allclose(p, s.score_to_proba(self.sc.score(self.X)))

    def test_higher_score_is_safer_and_ranks(self):
        m = self.sc.metrics(self.X, self.y)
        self.assertGreater(m["auc"], 0.7)
        self.assertAlmostEqual(m["gini"], 2 * m["auc"] - 1)
        score = self.sc.score(self.X)
        low = self.y[score.to_numpy() < score.median()].mean()
        high = self.y[score.to_numpy() >= score.median()].mean()
        self.assertGreater(low, high)

    def test_calibrated(self):
        # hold-out calibration on fresh data from the same process
        X2, y2 = population(n=3000, seed=11)
        m = self.sc.metrics(X2, y2)
        self.assertLess(abs(self.sc.predict_proba(X2).mean() - y2.mean()), 0.04)
        for _b, n, predicted, observed in m["calibration"]:
            self.assertEqual(n, 300)
            self.assertLess(abs(predicted - observed), 0.12)

    def test_row_order_and_index_do_not_matter(self):
        Xs = self.X.sample(frac=1.0, random_state=3)
        Xs.index = [f"m{i}" for i in range(len(Xs))]
        a = self.sc.points(Xs).to_numpy()
        b = self.sc.points(self.X.loc[self.X.sample(frac=1.0, random_state=3).index]).to_numpy()
        np.testing.assert_array_equal(a, b)
        self.assertEqual(list(self.sc.score(Xs).index), list(Xs.index))


class TestMonotone(ScorecardCase):
    def test_tables_follow_the_declared_direction(self):
        for f, direction in MONOTONE.items():
            values = np.asarray(self.sc.tables[f].values)
            self.assertTrue((np.diff(values) * direction >= 0).all(), (f, values))
            self.assertGreater(len(values), 1, f)  # the driver really scores

    def test_more_days_past_due_never_earns_points(self):
        row = self.X.iloc[[0] * 400].copy()
        row["dpd_max"] = np.linspace(0, 400, 400)
        row["tenure_months"] = np.linspace(0, 200, 400)
        pts = self.sc.points(row)
        self.assertTrue((np.diff(pts["dpd_max"]) <= 0).all())
        self.assertTrue((np.diff(pts["tenure_months"]) >= 0).all())
        self.assertLess(pts["dpd_max"].iloc[-1], pts["dpd_max"].iloc[0])

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        a=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        b=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        feature=st.sampled_from(sorted(MONOTONE)),
    )
    def test_monotone_for_any_values(self, a, b, feature):
        lo, hi = sorted((a, b))
        rows = self.X.iloc[[5, 5]].copy()
        rows[feature] = [lo, hi]
        pts = self.sc.points(rows)[feature].to_numpy()
        self.assertGreaterEqual((pts[1] - pts[0]) * MONOTONE[feature], 0)

    def test_monotone_on_a_categorical_feature_is_refused(self):
        with self.assertRaises(ValueError):
            Scorecard(monotone={"business": 1}).fit(self.X, self.y)
        with self.assertRaises(ValueError):
            Scorecard(monotone={"nope": 1}).fit(self.X, self.y)
        with self.assertRaises(ValueError):
            Scorecard(monotone={"dpd_max": 2})


class TestNeutralThinFile(ScorecardCase):
    def test_missing_value_scores_zero(self):
        thin = self.X["dpd_max"].isna()
        self.assertTrue(thin.any())
        self.assertTrue((self.sc.points(self.X)["dpd_max"][thin] == 0).all())
        # and zero is the average applicant, not the worst bin
        known = self.sc.raw_points(self.X[~thin])["dpd_max"]
        self.assertLess(known.min(), -1)
        self.assertGreater(known.max(), 1)
        self.assertLess(abs(known.mean()), 1.0)

    def test_neutral_value_scores_zero(self):
        pts = self.sc.points(self.X)["history"]
        self.assertTrue((pts[self.X["history"] == "no_history"] == 0).all())

    def test_unseen_category_and_unknown_column_are_neutral(self):
        row = self.X.iloc[[0]].copy()
        row["business"] = "pengrajin"  # not in the training data
        self.assertEqual(int(self.sc.points(row)["business"].iloc[0]), 0)
        row = row.drop(columns=["village"])
        self.assertEqual(int(self.sc.points(row)["village"].iloc[0]), 0)

    def test_nothing_known_scores_the_base_points(self):
        empty = pd.DataFrame({f: [np.nan, None] for f in self.X.columns})
        self.assertEqual(list(self.sc.score(empty)), [self.sc.base_points] * 2)
        self.assertTrue((self.sc.points(empty) == 0).all().all())

    def test_thin_file_is_not_a_reason(self):
        thin = self.X[self.X["dpd_max"].isna()]
        for reasons in self.sc.reasons(thin):
            self.assertNotIn("dpd_max", [r[0] for r in reasons])

    def test_withholding_a_feature_removes_exactly_its_points(self):
        # e.g. shop data of a member without consent: the caller passes NaN, and the score
        # is the rest of the points, whatever the shop data would have been
        rows = self.X.head(50)
        pts = self.sc.points(rows)
        for f in ("savings_regularity", "business", "has_phone"):
            hidden = rows.assign(**{f: np.nan})
            expected = self.sc.score(rows) - pts[f]
            pd.testing.assert_series_equal(self.sc.score(hidden), expected, check_names=False)


class TestReasons(ScorecardCase):
    def test_one_to_four_reasons_costing_the_most(self):
        reasons = self.sc.reasons(self.X, k=4)
        self.assertEqual(len(reasons), len(self.X))
        pts = self.sc.points(self.X)
        best = {f: int(round(t.best())) for f, t in self.sc.tables.items()}
        for (idx, row), rs in zip(self.X.iterrows(), reasons, strict=True):
            self.assertTrue(1 <= len(rs) <= 4)
            losses = [r[2] for r in rs]
            self.assertEqual(losses, sorted(losses, reverse=True))
            for feature, value, lost in rs:
                self.assertEqual(lost, best[feature] - pts.at[idx, feature])
                self.assertTrue(value is row[feature] or value == row[feature] or pd.isna(value))
            # nothing left out costs more than the last reason given
            if rs[-1][2] > 0 and len(rs) == 4:
                named = {r[0] for r in rs}
                others = [
                    best[f] - pts.at[idx, f]
                    for f in self.sc.features
                    if f not in named and not pd.isna(row[f]) and row[f] != "no_history"
                ]
                self.assertLessEqual(max(others, default=0), rs[-1][2])

    def test_k_limits_and_validation(self):
        self.assertTrue(all(1 <= len(r) <= 2 for r in self.sc.reasons(self.X.head(50), k=2)))
        with self.assertRaises(ValueError):
            self.sc.reasons(self.X, k=0)

    def test_a_perfect_applicant_still_gets_one_reason(self):
        best_row = {}
        for f, t in self.sc.tables.items():
            if t.kind == "numeric":
                i = int(np.argmax(t.values))
                best_row[f] = t.edges[i - 1] if i else (t.edges[0] - 1 if t.edges else 0)
            else:
                best_row[f] = max(t.values, key=t.values.get)
        reasons = self.sc.reasons(pd.DataFrame([best_row]))[0]
        self.assertEqual(len(reasons), 1)
        self.assertEqual(reasons[0][2], 0)


class TestDeterminismAndStorage(ScorecardCase):
    def test_same_data_same_model_same_points_and_reasons(self):
        again = Scorecard(
            monotone=MONOTONE, neutral_values={"history": ["no_history"]}, random_state=0
        ).fit(self.X.copy(), self.y.copy())
        self.assertEqual(again.dumps(), self.sc.dumps())
        self.assertEqual(again.checksum(), self.sc.checksum())
        pd.testing.assert_frame_equal(again.points(self.X), self.sc.points(self.X))
        self.assertEqual(again.reasons(self.X), self.sc.reasons(self.X))

    def test_dumps_loads_round_trip(self):
        data = self.sc.dumps()
        self.assertIsInstance(data, bytes)
        back = Scorecard.loads(data)
        self.assertIsInstance(back, Scorecard)
        self.assertEqual(back.dumps(), data)
        self.assertEqual(back.base_points, self.sc.base_points)
        pd.testing.assert_frame_equal(back.points(self.X), self.sc.points(self.X))
        np.testing.assert_array_equal(back.predict_proba(self.X), self.sc.predict_proba(self.X))
        self.assertEqual(back.reasons(self.X.head(20)), self.sc.reasons(self.X.head(20)))
        # the generic loader knows the kind
        self.assertIsInstance(s._TableScorecard.loads(data), Scorecard)
        with self.assertRaises(ValueError):
            ExpertScorecard.loads(data)
        with self.assertRaises(ValueError):
            Scorecard.loads(b'{"format": 99}')

    def test_another_seed_or_data_gives_another_checksum(self):
        X2, y2 = population(seed=8)
        other = Scorecard(monotone=MONOTONE, random_state=0).fit(X2, y2)
        self.assertNotEqual(other.checksum(), self.sc.checksum())

    def test_table_for_display(self):
        table = self.sc.table()
        self.assertEqual(list(table.columns), ["feature", "bin", "points"])
        self.assertEqual(set(table["feature"]), set(self.X.columns))
        self.assertTrue((table[table["bin"] == "(kosong)"]["points"] == 0).all())


class TestInputs(BaseCase):
    def test_dtypes_and_missing_without_preparation(self):
        X, y = population(n=400, seed=3)
        X["business"] = X["business"].astype("category")
        X.loc[X.index[:30], "business"] = np.nan
        X.loc[X.index[30:60], "tenure_months"] = np.nan
        X["village"] = X["village"].astype(object)
        X.loc[X.index[60:70], "village"] = None
        X["code"] = np.arange(len(X)) % 3  # numbers treated as categories on request
        sc = Scorecard(monotone={"tenure_months": 1}, categorical=["code", "business", "village"])
        sc.fit(X, y)
        self.assertEqual(sc.tables["code"].kind, "categorical")
        self.assertEqual(sc.tables["tenure_months"].kind, "numeric")
        self.assertEqual(sc.tables["has_phone"].kind, "numeric")
        pts = sc.points(X)
        self.assertTrue((pts["business"].iloc[:30] == 0).all())
        self.assertTrue((pts["tenure_months"].iloc[30:60] == 0).all())
        self.assertTrue(((pts.sum(axis=1) + sc.base_points) == sc.score(X)).all())
        p = sc.predict_proba(X)
        self.assertTrue(((p > 0) & (p < 1)).all())

    def test_a_column_without_values_is_left_out(self):
        X, y = population(n=300, seed=4)
        X["empty"] = np.nan
        sc = Scorecard(components=("woe",)).fit(X, y)
        self.assertNotIn("empty", sc.features)
        self.assertEqual(int(sc.points(X.head(1)).shape[1]), len(X.columns) - 1)

    def test_bad_input_is_refused(self):
        X, y = population(n=200, seed=5)
        with self.assertRaises(ValueError):
            Scorecard().fit(X.to_numpy(), y)
        with self.assertRaises(ValueError):
            Scorecard().fit(X, np.where(y == 1, "bad", "good"))
        with self.assertRaises(ValueError):
            Scorecard().fit(X, np.zeros(len(X), dtype=int))
        with self.assertRaises(ValueError):
            Scorecard().fit(X, y[:-1])
        with self.assertRaises(ValueError):
            Scorecard().fit(X, y * 2)
        with self.assertRaises(ValueError):
            Scorecard(components=("magic",))
        with self.assertRaises(ValueError):
            Scorecard().points(X)  # not fitted
        with self.assertRaises(ValueError):
            Scorecard().fit(pd.DataFrame({"a": [np.nan] * len(y)}), y)

    def test_each_component_alone_is_a_scorecard(self):
        X, y = population(n=500, seed=6)
        for comp in ("woe", "gam", "lin"):
            sc = Scorecard(monotone=MONOTONE, components=(comp,)).fit(X, y)
            self.assertGreater(sc.metrics(X, y)["auc"], 0.65, comp)
            for f, d in MONOTONE.items():
                self.assertTrue((np.diff(sc.tables[f].values) * d >= 0).all(), (comp, f))


RULES = {
    "dpd_max": {"edges": [1, 30, 90], "points": [30, 0, -40, -90], "monotone": -1},
    "tenure_months": {"edges": [12, 36], "points": [-10, 0, 15], "monotone": 1},
    "business": {"points": {"pedagang": 10, "petani": 5}, "other": -5},
    "history": {"points": {"ok": 10, "late": -30}, "neutral": ["no_history"]},
}


class TestExpertScorecard(BaseCase):
    def test_points_score_reasons_proba(self):
        ex = ExpertScorecard(RULES, base_points=600)
        X = pd.DataFrame(
            {
                "dpd_max": [0, 45, np.nan, 200],
                "tenure_months": [48, 5, 20, np.nan],
                "business": ["pedagang", "jasa", None, "petani"],
                "history": ["ok", "late", "no_history", "late"],
            },
            index=[10, 11, 12, 13],
        )
        pts = ex.points(X)
        self.assertEqual(pts.loc[10].tolist(), [30, 15, 10, 10])
        self.assertEqual(pts.loc[11].tolist(), [-40, -10, -5, -30])
        self.assertEqual(pts.loc[12].tolist(), [0, 0, 0, 0])  # thin file: neutral
        self.assertEqual(pts.loc[13].tolist(), [-90, 0, 5, -30])
        self.assertEqual(ex.score(X).tolist(), [665, 515, 600, 485])
        np.testing.assert_allclose(ex.predict_proba(X)[2], 1 / 51)
        self.assertEqual(ex.base_points, 600)
        r = ex.reasons(X, k=4)
        self.assertEqual(r[1][0], ("dpd_max", 45, 70))
        self.assertEqual([x[0] for x in r[1]], ["dpd_max", "history", "tenure_months", "business"])
        self.assertEqual(r[1][3][2], 15)
        # thin file with nothing known: one reason, nothing lost on a known value
        self.assertEqual(len(r[2]), 1)
        self.assertEqual([x[0] for x in r[3]][:2], ["dpd_max", "history"])
        m = ex.metrics(X, [0, 1, 0, 1])
        self.assertEqual(m["auc"], 1.0)

    def test_round_trip_and_kind(self):
        ex = ExpertScorecard(RULES, base_points=590)
        back = ExpertScorecard.loads(ex.dumps())
        self.assertEqual(back.dumps(), ex.dumps())
        self.assertEqual(back.base_points, 590)
        self.assertEqual(back.kind, "expert")
        with self.assertRaises(ValueError):
            Scorecard.loads(ex.dumps())

    def test_bad_rules_are_refused(self):
        bad = [
            {},
            {"x": {"edges": [1, 2], "points": [1, 2]}},  # one point short
            {"x": {"edges": [2, 1], "points": [1, 2, 3]}},  # not ascending
            {"x": {"edges": [1], "points": [1.5, 2]}},  # not whole points
            {"x": {"edges": [1], "points": [5, 10], "monotone": -1}},  # against monotone
            {"x": {"points": {"a": 1}, "monotone": 1}},  # monotone on categories
            {"x": {"points": "a lot"}},
        ]
        for rules in bad:
            with self.assertRaises(ValueError, msg=rules):
                ExpertScorecard(rules)


class TestMetricsAndPsi(BaseCase):
    def test_metrics_by_hand(self):
        y = [0, 0, 1, 1]
        p = [0.1, 0.4, 0.35, 0.8]
        m = s.metrics(y, p, n_bins=2)
        self.assertAlmostEqual(m["auc"], 0.75)
        self.assertAlmostEqual(m["gini"], 0.5)
        self.assertAlmostEqual(m["ks"], 0.5)
        self.assertAlmostEqual(m["brier"], (0.01 + 0.16 + 0.4225 + 0.04) / 4)
        self.assertEqual([c[:2] for c in m["calibration"]], [(1, 2), (2, 2)])
        np.testing.assert_allclose([c[2:] for c in m["calibration"]], [[0.225, 0.5], [0.6, 0.5]])

    def test_psi(self):
        rng = np.random.default_rng(0)
        a = rng.normal(0, 1, 5000)
        self.assertLess(psi(a, rng.normal(0, 1, 5000)), 0.02)
        self.assertGreater(psi(a, rng.normal(1, 1, 5000)), 0.25)
        mid = psi(a, rng.normal(0.35, 1, 5000))
        self.assertTrue(0.05 < mid < 0.25, mid)
        # categorical by hand: 50/50 -> 80/20
        exp = ["a"] * 50 + ["b"] * 50
        act = ["a"] * 80 + ["b"] * 20
        by_hand = (0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5)
        self.assertAlmostEqual(psi(exp, act), by_hand)
        # a value missing in one of them does not give infinity
        self.assertTrue(math.isfinite(psi([1, 2, 3, np.nan], [np.nan] * 4)))
        with self.assertRaises(ValueError):
            psi([], [1, 2])
