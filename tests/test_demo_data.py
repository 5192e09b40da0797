"""The demo cooperative shows every screen: a regression here means a demo file failed to load
(Odoo then installs the addon without its demo data and only logs a warning)."""

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestDemoCooperative(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("kopdes_members.demo_company_sokoduwet")
        cls.members = cls.env["kopdes.member"].search([("company_id", "=", cls.company.id)])

    def test_members(self):
        self.assertGreaterEqual(len(self.members), 30)
        states = set(self.members.mapped("state"))
        self.assertTrue({"applicant", "active", "suspended", "resigned"} <= states, states)
        self.assertEqual(self.company.currency_id, self.env.ref("base.IDR"))
        self.assertEqual(self.company.chart_template, "id")
        self.assertTrue(
            self.env["kopdes.consent"].search_count([("company_id", "=", self.company.id)])
        )

    def test_point_of_sale(self):
        config = self.env.ref("kopdes_members.pos_config_sokoduwet")
        self.assertEqual(config.company_id, self.company)
        self.assertIn(self.company.kopdes_member_pricelist_id, config.available_pricelist_ids)
        self.assertIn("Simpanan Sukarela", config.payment_method_ids.mapped("name"))

    def test_savings(self):
        accounts = self.env["kopdes.savings.account"].search([("company_id", "=", self.company.id)])
        self.assertTrue({"pokok", "wajib", "sukarela"} <= set(accounts.mapped("kind")))
        self.assertGreater(sum(accounts.mapped("balance")), 0)
        transactions = self.env["kopdes.savings.transaction"].search(
            [("company_id", "=", self.company.id), ("state", "=", "posted")]
        )
        self.assertGreater(len(transactions), 100)
        self.assertTrue(
            {"deposit", "withdrawal", "interest", "reversal"} <= set(transactions.mapped("type"))
        )

    def test_loans_in_every_state(self):
        loans = self.env["kopdes.loan"].search([("company_id", "=", self.company.id)])
        states = set(loans.mapped("state"))
        expected = {
            "draft",
            "submitted",
            "approved",
            "active",
            "closed",
            "written_off",
            "rejected",
            "cancelled",
        }
        self.assertEqual(states, expected)
        late = loans.filtered(lambda loan: loan.state == "active" and loan.days_past_due > 0)
        self.assertGreaterEqual(len(late), 2)
        self.assertTrue(loans.filtered(lambda loan: loan.days_past_due > 30))
