from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_system, kopdes_today
from odoo.addons.kopdes_members.tests.common import KopdesTourCase
from odoo.addons.kopdes_shop.models.kopdes_kasbon import KASBON_POSTING


@tagged("post_install", "-at_install")
class TestKasbonTour(KopdesTourCase):
    """The cashier of the demo shop sells on kasbon (headless Chromium): within the limit,
    above the limit (refused at the till), and to a member with overdue kasbon (refused)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_config = cls.env.ref("kopdes_members.pos_config_sokoduwet")
        cls.company = cls.pos_config.company_id
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.cashier = new_test_user(
            cls.env,
            login="kopdes_kasir_kasbon",
            password="kopdes_kasir_kasbon",
            name="Kasir Kasbon",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Asia/Jakarta",
        )
        cls.company.kopdes_kasbon_limit_mode = "fixed"
        cls.company.kopdes_kasbon_fixed_limit = 300000
        cls.slamet = cls.env.ref("kopdes_members.member_01")
        cls.rofiq = cls.env.ref("kopdes_members.member_07")
        cls.dewi = cls.env.ref("kopdes_members.member_08")
        cls.rofiq.write({"kasbon_own_limit": True, "kasbon_limit_amount": 50500})
        # Dewi bought on kasbon 40 days ago and has not repaid
        cls.dewi_kasbon = cls._old_kasbon(cls.dewi, 20000, 40)
        cls.method = cls.company._kopdes_kasbon_pos_payment_method()
        # the demo data adds it; a database whose demo shop predates the addon gets it here
        cls.pos_config.payment_method_ids = [Command.link(cls.method.id)]

    @classmethod
    def _old_kasbon(cls, member, amount, days):
        today = kopdes_today(cls.env, cls.company)
        kasbon = kopdes_system(cls.env["kopdes.kasbon"], KASBON_POSTING).create(
            {
                "name": "KASBON-LAMA",
                "company_id": cls.company.id,
                "member_id": member.id,
                "date": today - timedelta(days=days),
                "due_date": today - timedelta(days=days - 30),
                "amount": amount,
            }
        )
        kasbon._kopdes_post_sale()
        return kasbon

    def test_kasbon_tour(self):
        open_before = {m: m.kasbon_open for m in (self.slamet, self.rofiq, self.dewi)}
        self.pos_config.with_user(self.cashier).open_ui()
        self.start_tour(
            f"/pos/ui?config_id={self.pos_config.id}",
            "kopdes_shop_kasbon_tour",
            login="kopdes_kasir_kasbon",
        )
        session = self.pos_config.current_session_id
        paid = session.order_ids.filtered(lambda o: o.state == "paid")
        self.assertEqual(len(paid), 3)
        slamet_order = paid.filtered(lambda o: o.partner_id == self.slamet.partner_id)
        kasbon = slamet_order.kopdes_kasbon_ids
        self.assertEqual((kasbon.amount, kasbon.state, kasbon.over_limit), (72500, "open", False))
        self.assertEqual(slamet_order.member_id, self.slamet)
        self.env.invalidate_all()
        self.assertEqual(self.slamet.kasbon_open, open_before[self.slamet] + 72500)
        # the refused sales were paid in cash: no new kasbon
        for member in (self.rofiq, self.dewi):
            order = paid.filtered(lambda o, m=member: o.partner_id == m.partner_id)
            self.assertFalse(order.kopdes_kasbon_ids)
            self.assertEqual(order.payment_ids.payment_method_id.name, "Tunai")
            self.assertEqual(member.kasbon_open, open_before[member])
