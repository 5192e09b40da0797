import hashlib
from datetime import date

import numpy as np

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from ..models.kopdes_scoring_common import scoring_system
from ..models.kopdes_scoring_feature import model_input
from ..tools.scorecard import ExpertScorecard


class ScoringWorkflowChecks:
    """Scores, applications, overrides, objections and security (mixed into
    test_scoring.TestScoring)."""

    def score(self, members, day=None):
        return self.env["kopdes.score"]._kopdes_score_members(members, day or date(2026, 11, 30))

    def test_points_sum_to_the_score_and_are_deterministic(self):
        members = self.member_a | self.member_c | self.member_d
        first = self.score(members)
        self.assertEqual(len(first), 3)
        for score in first:
            total = sum(item["points"] for item in score.points_detail.values())
            self.assertEqual(total, score.score, score.member_id.name)
            self.assertTrue(score.reasons)
            self.assertEqual(score.model_kind, "expert")
            self.assertTrue(score.is_latest)
            self.assertEqual(score.member_id.sudo().kopdes_score_id, score)
        again = self.score(members)
        for one, two in zip(first, again, strict=True):
            self.assertEqual(
                (one.score, one.grade, one.points_detail, one.reasons),
                (two.score, two.grade, two.points_detail, two.reasons),
            )
        self.assertFalse(first.filtered("is_latest"))

    def test_reasons_in_plain_words(self):
        score_a = self.score(self.member_a)
        self.assertIn("days late", score_a.reasons)
        score_c = self.score(self.member_c)
        self.assertIn("Mandatory savings", score_c.reasons)

    def test_thin_file_is_neutral_and_flagged(self):
        score = self.score(self.member_d)
        self.assertTrue(score.thin_file)
        for feature in ("rep_max_dpd", "rep_late_count", "sav_months_behind"):
            self.assertIsNone(score.points_detail[feature]["value"])
            self.assertEqual(score.points_detail[feature]["points"], 0, feature)
        self.assertNotIn("No history yet", score.reasons or "")

    def test_expert_points_are_monotone_in_the_drivers(self):
        _model, scorecard = self.env["kopdes.scoring.model"]._kopdes_active_scorer(self.company)
        self.assertIsInstance(scorecard, ExpertScorecard)
        frame = self.features(self.member_a, date(2026, 11, 30))
        for feature, direction in (
            ("rep_max_dpd", -1),
            ("sav_months_behind", -1),
            ("tenure_months", 1),
            ("sav_voluntary_balance", 1),
        ):
            grid = frame.loc[frame.index.repeat(40)].reset_index(drop=True)
            grid[feature] = np.linspace(0, 10_000_000 if "balance" in feature else 400, 40)
            points = scorecard.points(grid)[feature].to_numpy()
            self.assertTrue((np.diff(points) * direction >= 0).all(), feature)

    def test_submitting_scores_and_deciding_against_the_grade_needs_a_reason(self):
        loan = self.make_loan(self.member_a, day=date(2026, 11, 20))
        loan.with_user(self.user_pengurus).action_override_overdue("Tunggakan dijadwal ulang")
        loan.with_user(self.user_officer).action_submit()
        score = loan.sudo().score_id
        self.assertTrue(score)
        self.assertEqual(
            (score.origin, score.date, score.loan_id), ("application", loan.application_date, loan)
        )
        self.assertIn(score.grade, ("D", "E"))
        # approving a D/E grade without a written reason is refused, nothing changes
        with self.assertRaisesMessage(UserError, "against the score"):
            loan.with_user(self.user_pengurus).action_approve("Usaha lancar")
        self.assertEqual(loan.state, "submitted")
        with self.assertRaisesMessage(UserError, "against the score"):
            loan.with_user(self.user_pengurus).action_score_override("  ")
        self.assertFalse(loan.sudo().score_override_reason)
        # the approval form shows the score and asks for the reason
        wizard = Form(
            self.env["kopdes.loan.approve.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_loan_id=loan.id)
        )
        self.assertEqual(wizard.score_grade, score.grade)
        self.assertTrue(wizard.against_score)
        wizard.reason = "Agunan BPKB cukup"
        wizard.score_override_reason = "Tunggakan lama sudah diselesaikan, usaha kembali jalan"
        wizard.save().action_confirm()
        self.assertEqual(loan.state, "approved")
        self.assertEqual(
            loan.sudo().score_override_reason,
            "Tunggakan lama sudah diselesaikan, usaha kembali jalan",
        )
        self.assertEqual(loan.score_override_by_id, self.user_pengurus)

    def test_objection_means_human_review_only(self):
        with self.assertRaisesMessage(UserError, "objecting"):
            self.member_c.with_user(self.user_teller).action_object_scoring("")
        self.assertFalse(self.member_c.scoring_objection)
        loan = self.make_loan(self.member_c, day=date(2026, 11, 20))
        self.member_c.with_user(self.user_teller).action_object_scoring("Tidak mau dinilai mesin")
        loan.with_user(self.user_officer).action_submit()
        self.assertTrue(loan.scoring_human_review)
        self.assertFalse(loan.sudo().score_id)
        self.assertFalse(self.score(self.member_c))
        # nor by the monthly batch
        self.env["kopdes.member"]._cron_kopdes_score_batch()
        self.assertFalse(self.env["kopdes.score"].search([("member_id", "=", self.member_c.id)]))
        self.assertTrue(self.member_a.sudo().kopdes_score_id)

    def test_scores_are_for_officers_managers_accountants_only(self):
        score = self.score(self.member_a)
        for user in (self.user_officer, self.user_pengurus, self.user_accountant):
            self.assertEqual(score.with_user(user).read(["grade"])[0]["grade"], score.grade)
        for user in (self.user_teller, self.cashier):
            with self.assertRaises(AccessError):
                score.with_user(user).read(["grade"])
            with self.assertRaises(AccessError):
                self.env["kopdes.score"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.member_a.with_user(self.user_teller).read(["kopdes_grade"])
        # nobody enters or edits scores by hand, whatever the context says
        with self.assertRaises(AccessError):
            score.with_user(self.user_pengurus).write({"score": 900})
        with self.assertRaises(AccessError):
            self.env["kopdes.score"].with_user(self.user_pengurus).with_context(
                kopdes_scoring_system=True
            ).create({"member_id": self.member_a.id, "company_id": self.company.id})
        with self.assertRaises(AccessError):
            self.score(self.member_a).with_user(self.user_teller)._kopdes_score_members(
                self.member_a
            )

    def test_other_cooperative_is_refused_and_invisible(self):
        other = self.env["res.company"].create({"name": "KKMP Lain"})
        self.env.user.company_ids = [(4, other.id)]
        stranger = self._create_member(9201, "Anggota Lain", company=other)
        with self.assertRaisesMessage(UserError, "another cooperative"):
            self.env["kopdes.score"].with_user(self.user_officer)._kopdes_score_members(stranger)
        theirs = (
            self.env["kopdes.score"]
            .with_company(other)
            .with_context(allowed_company_ids=other.ids)
            ._kopdes_score_members(stranger)
        )
        self.assertEqual(theirs.company_id, other)
        self.assertFalse(
            self.env["kopdes.score"].with_user(self.user_officer).search([("id", "=", theirs.id)])
        )

    def test_training_falls_back_then_trains_and_guards_activation(self):
        Model = self.env["kopdes.scoring.model"]
        model, message = Model._kopdes_train(self.company)
        self.assertFalse(model)
        self.assertIn("expert scorecard keeps serving", message)
        self.assertFalse(Model.search([("company_id", "=", self.company.id)]))
        # a generated history (SQL, like a migrated paper ledger): enough outcomes
        self.company.write({"kopdes_scoring_min_loans": 40, "kopdes_scoring_min_bad": 5})
        self.env["kopdes.scoring.history"]._kopdes_generate(self.company, 120, seed=3)
        frame, target = Model._kopdes_training_set(self.company, Model._kopdes_today())
        self.assertGreaterEqual(len(target), 40)
        self.assertGreaterEqual(int(target.sum()), 5)
        # (the WoE part of the library's ensemble: the suite runs on a loaded 2-core machine)
        model, message = Model.with_user(self.user_officer)._kopdes_train(
            self.company, components=("woe",)
        )
        self.assertEqual(model.state, "active")
        self.assertTrue(model.has_metrics)
        self.assertEqual(model.n_train + model.n_test, len(target))
        self.assertEqual(model.n_train_bad + model.n_test_bad, int(target.sum()))
        self.assertGreater(model.auc, 0.5)
        self.assertTrue(model.calibration)
        self.assertIn("sav_voluntary_balance", model.feature_names)
        # the learned points are monotone in the declared drivers
        scorecard = model._kopdes_load()
        for feature, direction in (("rep_max_dpd", -1), ("tenure_months", 1)):
            grid = frame.iloc[[0] * 30].reset_index(drop=True)
            grid[feature] = np.linspace(0, 300, 30)
            X = model_input(grid, model.feature_names.split(","))
            points = scorecard.points(X)[feature].to_numpy()
            self.assertTrue((np.diff(points) * direction >= 0).all(), feature)
        self.assertEqual(hashlib.sha256(model.attachment_id.raw).hexdigest(), model.checksum)
        score = self.score(self.member_a)
        self.assertEqual((score.model_kind, score.model_id), ("trained", model))
        total = sum(item["points"] for item in score.points_detail.values())
        self.assertEqual(total, score.score)
        # a worse model on the same hold-out is not activated automatically
        worse, message = Model._kopdes_train(
            self.company, features=["village"], components=("woe",)
        )
        self.assertEqual(worse.state, "candidate")
        self.assertIn("not activated", message)
        self.assertGreater(worse.active_auc_on_holdout, worse.auc)
        self.assertEqual(model.state, "active")
        with self.assertRaises(AccessError):
            worse.with_user(self.user_officer).action_activate()
        worse.with_user(self.user_pengurus).action_activate()
        self.assertEqual((worse.state, model.state), ("active", "retired"))
        # a model without metrics cannot be activated
        empty = scoring_system(Model).create({"company_id": self.company.id, "version": 99})
        with self.assertRaisesMessage(UserError, "no hold-out metrics"):
            empty.with_user(self.user_pengurus).action_activate()
        self.assertEqual(empty.state, "candidate")
        # drift of today's members against the training window
        model.with_user(self.user_pengurus).action_activate()
        model._kopdes_check_drift(date(2026, 11, 30))
        self.assertTrue(model.drift_state)
        worst = max([model.drift_psi, *model.drift_features.values()])
        expected = "alert" if worst > 0.25 else "warning" if worst > 0.10 else "ok"
        self.assertEqual(model.drift_state, expected)
        self.assertEqual(bool(model.activity_ids), expected == "alert")
