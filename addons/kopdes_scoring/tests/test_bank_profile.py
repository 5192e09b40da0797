import json
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KopdesScoringCommon


@tagged("post_install", "-at_install")
class TestBankProfile(KopdesScoringCommon):
    """The bank-ready profile: consent, roles, no NIK in the JSON, masked NIK in the PDF,
    every export logged on the member."""

    def exports(self, member):
        return member.message_ids.filtered(lambda m: "Bank profile exported" in (m.body or ""))

    def test_profile_needs_consent_and_role(self):
        member = self.member_a.with_user(self.user_officer)
        with self.assertRaisesRegex(UserError, "consent|persetujuan"):
            member._kopdes_bank_profile_json()
        with self.assertRaises(UserError):
            member._kopdes_bank_profile_pdf()
        self.assertFalse(self.exports(self.member_a))
        self.grant(self.member_a, "bank_sharing", datetime(2025, 1, 1))
        with self.assertRaises(AccessError):
            self.member_a.with_user(self.user_teller)._kopdes_bank_profile_json()
        self.assertFalse(self.exports(self.member_a))

    def test_profile_json_and_pdf(self):
        self.env["kopdes.score"].with_user(self.user_officer)._kopdes_score_members(
            self.member_a, origin="manual"
        )
        self.grant(self.member_a, "bank_sharing", datetime(2025, 1, 1))
        nik = self.member_a.nik
        self.assertTrue(nik)
        data = self.member_a.with_user(self.user_accountant)._kopdes_bank_profile_json()
        text = json.dumps(data)
        self.assertNotIn(nik, text)
        self.assertNotIn("nik", {key.lower() for key in data})
        self.assertEqual(data["grade"], self.member_a.kopdes_grade)
        self.assertEqual(data["score"], self.member_a.kopdes_score_id.score)
        self.assertTrue(data["reasons"])
        # member A paid the fourth installment 40 days late and nothing after it
        self.assertGreaterEqual(data["repayment"]["rep_late_count"], 1.0)
        self.assertGreaterEqual(data["repayment"]["rep_max_dpd"], 40)
        today = self.env["kopdes.scoring.model"]._kopdes_today()
        row = self.features(self.member_a, today).iloc[0]
        self.assertEqual(data["repayment"]["rep_installments"], row["rep_installments"])
        self.assertAlmostEqual(
            data["savings"]["sav_wajib_on_time_rate"], row["sav_wajib_on_time_rate"], places=2
        )
        self.assertGreater(data["tenure_months"], 0)
        self.assertEqual(len(self.exports(self.member_a)), 1)
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.user_officer)
            ._render_qweb_html("kopdes_scoring.action_report_bank_profile", self.member_a.ids)
        )
        html = html.decode()
        self.assertNotIn(nik, html)
        self.assertIn(nik[:4] + "*" * 10 + nik[-2:], html)
        self.assertEqual(len(self.exports(self.member_a)), 2)
        member = self.member_a.with_user(self.user_officer)
        # the test mode renders HTML unless asked: render the real PDF (wkhtmltopdf)
        pdf = member.with_context(force_report_rendering=True)._kopdes_bank_profile_pdf()
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(self.exports(self.member_a)), 3)
