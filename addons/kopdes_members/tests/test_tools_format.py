from datetime import date

from odoo.tests import TransactionCase, tagged

from odoo.addons.kopdes_members.models.kopdes_format import kopdes_format_amount
from odoo.addons.kopdes_members.tools.dates import add_months

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestSharedHelpers(TransactionCase):
    def test_add_months_clamps_and_keeps_the_anchor(self):
        self.assertEqual(add_months(date(2026, 1, 31), 1), date(2026, 2, 28))
        self.assertEqual(add_months(date(2024, 1, 31), 1), date(2024, 2, 29))
        self.assertEqual(add_months(date(2026, 3, 31), -1), date(2026, 2, 28))
        self.assertEqual(add_months(date(2026, 11, 15), 14), date(2028, 1, 15))
        self.assertEqual(add_months(date(2026, 2, 28), 1, anchor_day=31), date(2026, 3, 31))
        self.assertEqual(add_months(date(2026, 1, 15), -13), date(2024, 12, 15))

    def test_rupiah_are_whole_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        idr = self.env.ref("base.IDR")
        idr.active = True
        env = self.env(context=dict(self.env.context, lang="id_ID"))
        self.assertEqual(kopdes_format_amount(env, 20_000, idr), f"Rp{NBSP}20.000")
        self.assertEqual(kopdes_format_amount(env, 1_234_567.4, idr), f"Rp{NBSP}1.234.567")
        usd = self.env.ref("base.USD")
        self.assertEqual(kopdes_format_amount(env, 20_000, usd), f"${NBSP}20.000,00")
