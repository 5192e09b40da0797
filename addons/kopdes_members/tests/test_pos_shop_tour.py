"""The demo shop of KKMP Sokoduwet: its customers are the cooperative's, its quick-cash
buttons are rupiah notes."""

from odoo.tests import HttpCase, tagged

from .common import KopdesPosDemoShopCase


@tagged("post_install", "-at_install")
class TestPosDemoShop(KopdesPosDemoShopCase):
    cashier_login = "kopdes_kasir_toko"
    cashier_name = "Kasir Toko"

    def _session_data(self):
        config = self.pos_config.with_user(self.cashier).with_company(self.company)
        config.open_ui()
        return config.current_session_id.load_data([])

    def test_customers_are_the_cooperatives(self):
        data = self._session_data()
        partners = self.env["res.partner"].browse(
            [row["id"] for row in data["res.partner"]["data"]]
        )
        members = self.env["kopdes.member"].search(
            [("company_id", "=", self.company.id), ("state", "=", "active")],
            order="member_number",
        )
        # the till loads at most 100 customers: the active members first, by number
        self.assertLessEqual(members[:90].partner_id, partners)
        strangers = partners.filtered(
            lambda p: (
                p.company_id != self.company and p.partner_share and p not in members.partner_id
            )
        )
        self.assertFalse(strangers, strangers.mapped("name"))
        # the cashier does not find them through the server either ("Search more")
        found = (
            self.env["res.partner"]
            .with_user(self.cashier)
            .with_company(self.company)
            .search([("name", "ilike", "Deco Addict")])
        )
        self.assertFalse(found)

    def test_bills_of_the_shop(self):
        data = self._session_data()
        bills = {row["value"]: row for row in data["pos.bill"]["data"]}
        self.assertEqual(sorted(bills), [1000, 2000, 5000, 10000, 20000, 50000, 100000])
        quick = sorted(value for value, row in bills.items() if row["kopdes_quick_cash"])
        self.assertEqual(quick, [20000, 50000, 100000])

    def test_pos_shop_tour(self):
        self.pos_config.with_user(self.cashier).open_ui()
        before = self.pos_config.current_session_id.order_ids  # other addons' demo sales
        self.start_tour(
            f"/pos/ui?config_id={self.pos_config.id}",
            "kopdes_members_pos_shop_tour",
            login="kopdes_kasir_toko",
        )
        order = (self.pos_config.current_session_id.order_ids - before).filtered(
            lambda o: o.state == "paid"
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.amount_total, 72500)
        self.assertEqual(order.amount_paid, 72500)
        self.assertEqual(order.amount_return, 17500)


@tagged("post_install", "-at_install")
class TestHomeAction(HttpCase):
    def test_staff_land_on_koperasi(self):
        action = self.env.ref("kopdes_members.kopdes_member_action")
        for xmlid in ("base.user_admin", "base.user_demo"):
            with self.subTest(user=xmlid):
                self.assertEqual(self.env.ref(xmlid).action_id.id, action.id)
        root = self.env.ref("kopdes_members.menu_kopdes_root")
        demo = self.env.ref("base.user_demo")
        apps = self.env["ir.ui.menu"].with_user(demo).load_menus(False)["root"]["children"]
        self.assertEqual(apps[0], root.id)
