from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KopdesScoringCommon

DAY = date(2025, 1, 1)


@tagged("post_install", "-at_install")
class TestRecommendation(KopdesScoringCommon):
    """Recommendation rules evaluated in batch on the scoring features; WhatsApp promotion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["kopdes.recommendation.rule"].with_user(cls.user_pengurus)
        cls.rule_wajib = Rule.create(
            {
                "name": "Rencana simpanan",
                "company_id": cls.company.id,
                "condition": "sav_wajib_on_time_rate is not None and sav_wajib_on_time_rate < 0.8",
                "product_kind": "savings",
                "savings_product_id": cls.wajib.id,
                "promotion": True,
                "wa_template": "promo_simpanan",
                "message": (
                    "Halo {member}, ketepatan wajib {sav_wajib_on_time_rate}: coba {product}."
                ),
                "sequence": 1,
            }
        )
        cls.rule_grade = Rule.create(
            {
                "name": "Pinjaman untuk risiko rendah",
                "company_id": cls.company.id,
                "condition": "rep_max_dpd is None or rep_max_dpd <= 7",
                "product_kind": "loan",
                "loan_product_id": cls.flat.id,
                "max_grade": "B",
                "message": "{member}: {product}",
                "sequence": 2,
            }
        )
        cls.members = cls.member_a | cls.member_b | cls.member_c

    def recommend(self, members=None):
        from ..models.kopdes_scoring_common import scoring_system

        return scoring_system(self.env["kopdes.recommendation"])._kopdes_recommend(
            self.company, as_of=DAY, members=members if members is not None else self.members
        )

    def test_batch_recommendations(self):
        recos = self.recommend()
        wajib = recos.filtered(lambda r: r.rule_id == self.rule_wajib)
        # C paid 5 of 11 dues on time; A paid all of them; B has no savings history
        self.assertIn(self.member_c, wajib.member_id)
        self.assertNotIn(self.member_a, wajib.member_id)
        wajib = wajib.filtered(lambda r: r.member_id == self.member_c)
        self.assertIn("Anggota Tiga", wajib.message)
        self.assertIn(self.wajib.name, wajib.message)
        self.assertIn("0.45", wajib.message)
        self.assertIn("Rencana simpanan", wajib.reason)
        self.assertIn(": 0.45", wajib.reason)
        self.assertEqual(wajib.product, self.wajib.name)
        # a rule with a worst grade: only members graded A or B (the others have no grade
        # or a worse one)
        graded = recos.filtered(lambda r: r.rule_id == self.rule_grade)
        self.assertEqual(
            graded.member_id, self.members.filtered(lambda m: m.kopdes_grade in ("A", "B"))
        )
        self.assertNotIn(self.member_d, recos.member_id)
        # a second run replaces the open recommendations, it does not add to them
        again = self.recommend()
        self.assertFalse(recos.exists())
        self.assertEqual(len(again), len(recos))
        # shown on the member
        self.assertEqual(
            self.member_c.kopdes_recommendation_ids,
            again.filtered(lambda r: r.member_id == self.member_c),
        )

    def test_grade_limit(self):
        self.env["kopdes.score"].with_user(self.user_officer)._kopdes_score_members(
            self.members, as_of=DAY, origin="manual"
        )
        recos = self.recommend().filtered(lambda r: r.rule_id == self.rule_grade)
        expected = self.members.filtered(lambda m: m.kopdes_grade in ("A", "B"))
        self.assertEqual(recos.member_id, expected)
        for reco in recos:
            self.assertIn(reco.grade, reco.reason)

    def test_query_count_does_not_grow(self):
        self.recommend(self.member_a | self.member_b)
        cr = self.env.cr
        self.env.invalidate_all()
        before = cr.sql_log_count
        self.recommend(self.member_a | self.member_b)
        small = cr.sql_log_count - before
        self.env.invalidate_all()
        before = cr.sql_log_count
        self.recommend(self.members | self.member_d)
        large = cr.sql_log_count - before
        self.assertEqual(small, large)

    def test_bad_rules_and_rights(self):
        Rule = self.env["kopdes.recommendation.rule"].with_user(self.user_pengurus)
        with self.assertRaisesRegex(ValidationError, "tidak valid|not valid"):
            Rule.create(
                {
                    "name": "Rusak",
                    "condition": "rep_max_dpd <=",
                    "message": "x",
                    "company_id": self.company.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "tidak valid|not valid"):
            Rule.create(
                {
                    "name": "Rusak",
                    "condition": "__import__('os')",
                    "message": "x",
                    "company_id": self.company.id,
                }
            )
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "name": "Tanpa produk",
                    "condition": "True",
                    "message": "x",
                    "product_kind": "loan",
                    "company_id": self.company.id,
                }
            )
        with self.assertRaises(AccessError):
            self.env["kopdes.recommendation.rule"].with_user(self.user_officer).create(
                {
                    "name": "Petugas",
                    "condition": "True",
                    "message": "x",
                    "company_id": self.company.id,
                }
            )
        with self.assertRaises(UserError):
            self.env["kopdes.recommendation"].with_user(self.user_pengurus).create(
                {
                    "member_id": self.member_a.id,
                    "rule_id": self.rule_wajib.id,
                    "company_id": self.company.id,
                    "date": DAY,
                }
            )
        with self.assertRaises(AccessError):
            self.env["kopdes.recommendation"].with_user(self.user_teller).action_refresh()
        with self.assertRaises(AccessError):
            self.env["kopdes.recommendation"].with_user(self.user_teller).search([])
        # an officer computes with the button (today's features)
        self.env["kopdes.recommendation"].with_user(self.user_officer).action_refresh()

    def test_whatsapp_promotion_needs_consent(self):
        if "kopdes.wa.message" not in self.env:
            with self.assertRaises(UserError):
                self.recommend().with_user(self.user_officer).action_send_whatsapp()
            return
        account = self.env["kopdes.wa.account"].create(
            {
                "name": "WhatsApp Rekomendasi",
                "company_id": self.company.id,
                "phone_number_id": "109000000000077",
                "business_account_id": "WABA-RECO",
                "api_base_url": "http://127.0.0.1:9",
                "access_token": "token",
                "app_secret": "secret",
                "verify_token": "verify",
            }
        )
        template = self.env["kopdes.wa.template"].create(
            {
                "name": "promo_simpanan",
                "account_id": account.id,
                "company_id": self.company.id,
                "category": "marketing",
                "body": "Halo {{1}}, ada rencana simpanan untuk Anda.",
                "variable_ids": [
                    (0, 0, {"sequence": 1, "source": "member", "expression": "{{ object.name }}"})
                ],
            }
        )
        template.write({"status": "approved"})
        # only C qualifies; without the promotion consent nothing is sent
        recos = self.recommend(self.member_a | self.member_c)
        wajib = recos.filtered(lambda r: r.rule_id == self.rule_wajib)
        wajib.with_user(self.user_officer).action_send_whatsapp()
        self.assertEqual(wajib.state, "new")
        self.assertFalse(
            self.env["kopdes.wa.message"].search([("member_id", "=", self.member_c.id)])
        )
        self.grant(self.member_c, "whatsapp_promotion", DAY)
        wajib.with_user(self.user_officer).action_send_whatsapp()
        self.assertEqual(wajib.state, "sent")
        message = self.env["kopdes.wa.message"].search([("member_id", "=", self.member_c.id)])
        self.assertEqual(len(message), 1)
        # sending again does not queue a second message
        wajib.with_user(self.user_officer).action_send_whatsapp()
        self.assertEqual(
            self.env["kopdes.wa.message"].search_count([("member_id", "=", self.member_c.id)]), 1
        )
