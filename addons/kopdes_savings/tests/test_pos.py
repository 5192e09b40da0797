import uuid
from datetime import date

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.kopdes_members.tests.common import KopdesTourCase

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestPosSavingsPayment(KopdesSavingsCommon):
    """Orders paid from simpanan sukarela, as the POS sends them to the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.savings_method = cls.company._kopdes_savings_pos_payment_method()
        cls.cash_method = cls.env["pos.payment.method"].create(
            {"name": "Tunai Uji", "journal_id": cls.cash_journal.id, "company_id": cls.company.id}
        )
        cls.config = cls.env["pos.config"].create(
            {
                "name": "Gerai Uji",
                "company_id": cls.company.id,
                "payment_method_ids": [Command.set((cls.savings_method | cls.cash_method).ids)],
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Beras Uji 5 kg",
                "available_in_pos": True,
                "lst_price": 72500.0,
                "taxes_id": [Command.clear()],
                "company_id": cls.company.id,
            }
        )
        cls.cashier = new_test_user(
            cls.env,
            login="sav_pos_kasir",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.deposit_account = cls.member_a._kopdes_savings_account(
            "sukarela", create=True, open_date=date(2024, 1, 15)
        )
        cls.deposit_account._kopdes_deposit(100000)

    def setUp(self):
        super().setUp()
        self.config.with_user(self.cashier).open_ui()
        self.session = self.config.current_session_id

    def _order(self, partner, payments, qty=1):
        price = self.product.lst_price
        return {
            "amount_paid": sum(amount for _method, amount in payments),
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": price * qty,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": f"Order {uuid.uuid4()}",
            "last_order_preparation_change": "{}",
            "lines": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "price_unit": price,
                        "qty": qty,
                        "price_subtotal": price * qty,
                        "price_subtotal_incl": price * qty,
                        "tax_ids": [Command.clear()],
                        "pack_lot_ids": [],
                    }
                )
            ],
            "partner_id": partner and partner.id,
            "session_id": self.session.id,
            "sequence_number": 2,
            "payment_ids": [
                Command.create(
                    {
                        "amount": amount,
                        "name": fields.Datetime.now(),
                        "payment_method_id": method.id,
                    }
                )
                for method, amount in payments
            ],
            "uuid": str(uuid.uuid4()),
            "user_id": self.cashier.id,
            "to_invoice": False,
            "state": "paid",
        }

    def _sync(self, order):
        return self.env["pos.order"].with_user(self.cashier).sync_from_ui([order])

    def test_order_paid_from_savings(self):
        result = self._sync(self._order(self.member_a.partner_id, [(self.savings_method, 72500)]))
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        self.assertEqual(order.state, "paid")
        tx = order.kopdes_savings_transaction_ids
        self.assertEqual(len(tx), 1)
        self.assertEqual((tx.type, tx.state, tx.amount), ("withdrawal", "posted", 72500.0))
        self.assertEqual(order.payment_ids.kopdes_savings_transaction_id, tx)
        self.assertEqual(self.deposit_account.balance, 27500.0)
        receivable = self.member_a.partner_id.with_company(
            self.company
        ).property_account_receivable_id
        lines = {line.account_id: line for line in tx.move_id.line_ids}
        self.assertEqual(lines[self.sukarela.account_id].debit, 72500.0)
        self.assertEqual(lines[receivable].credit, 72500.0)
        self.assertEqual(lines[receivable].partner_id, self.member_a.partner_id)
        # syncing the same order again posts nothing twice
        self._sync(
            self._order(self.member_a.partner_id, [(self.savings_method, 72500)])
            | {"uuid": order.uuid}
        )
        self.assertEqual(self.deposit_account.balance, 27500.0)

        # closing the session: the sale debits the member's receivable, reconciled with the
        # withdrawal, so the member owes nothing and the savings are 72,500 lower
        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        self.assertEqual(self.gl_balance(receivable, self.member_a.partner_id), 0.0)
        open_lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", receivable.id),
                ("partner_id", "=", self.member_a.partner_id.id),
                ("reconciled", "=", False),
            ]
        )
        self.assertFalse(open_lines)
        self.assertEqual(self.gl_balance(self.sukarela.account_id), 27500.0)

    def test_posted_hook_sees_the_pos_payment(self):
        with self.watch("kopdes.savings.transaction", "_kopdes_transactions_posted") as posted:
            result = self._sync(
                self._order(self.member_a.partner_id, [(self.savings_method, 72500)])
            )
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        tx = order.kopdes_savings_transaction_ids
        self.assertEqual(tx.state, "posted")
        posted.assert_called_once()
        self.assertEqual(posted.call_args.args[1], tx)

    def test_short_balance_refuses_the_order(self):
        orders = self.env["pos.order"].search_count([])
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "not sufficient"):
                self._sync(
                    self._order(self.member_a.partner_id, [(self.savings_method, 145000)], qty=2)
                )
        self.assertEqual(self.env["pos.order"].search_count([]), orders)
        self.assertEqual(self.deposit_account.balance, 100000.0)

    def test_split_payment_and_refund(self):
        # 72,500 + 72,500: 100,000 from savings is too much, 50,000 savings + cash is fine
        result = self._sync(
            self._order(
                self.member_a.partner_id,
                [(self.savings_method, 50000), (self.cash_method, 95000)],
                qty=2,
            )
        )
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        self.assertEqual(order.kopdes_savings_transaction_ids.amount, 50000.0)
        self.assertEqual(self.deposit_account.balance, 50000.0)
        # a refund paid back to savings is a deposit
        refund = self._order(self.member_a.partner_id, [(self.savings_method, -72500)], qty=-1)
        refund["amount_total"] = -72500
        refund["lines"][0][2]["refunded_orderline_id"] = order.lines.id
        result = self._sync(refund)
        refund_order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        tx = refund_order.kopdes_savings_transaction_ids
        self.assertEqual((tx.type, tx.amount), ("deposit", 72500.0))
        self.assertEqual(self.deposit_account.balance, 122500.0)

    def test_customer_must_be_a_member(self):
        stranger = self.env["res.partner"].create({"name": "Pembeli Umum"})
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "not a member"):
                self._sync(self._order(stranger, [(self.savings_method, 72500)]))

    def test_payment_method_configuration(self):
        self.assertEqual(self.savings_method.type, "pay_later")
        self.assertTrue(self.savings_method.split_transactions)
        self.assertIn("kopdes_savings_payment", self.savings_method._load_pos_data_fields(False))
        with self.assertRaises(UserError):
            self.env["pos.payment.method"].create(
                {
                    "name": "Salah",
                    "company_id": self.company.id,
                    "journal_id": self.cash_journal.id,
                    "kopdes_savings_payment": True,
                }
            )


@tagged("post_install", "-at_install")
class TestPosSavingsTour(KopdesTourCase):
    """The cashier of the demo shop charges a member's voluntary savings (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_config = cls.env.ref(
            "kopdes_members.pos_config_sokoduwet", raise_if_not_found=False
        )
        if not cls.pos_config:
            return
        cls.company = cls.pos_config.company_id
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.cashier = new_test_user(
            cls.env,
            login="kopdes_kasir_simpanan",
            password="kopdes_kasir_simpanan",
            name="Kasir Simpanan",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Asia/Jakarta",
        )
        cls.slamet = cls.env.ref("kopdes_members.member_01")
        cls.siti = cls.env.ref("kopdes_members.member_02")
        cls.slamet_account = cls._balance(cls.slamet, 200000)
        cls.siti_account = cls._balance(cls.siti, 10000)

    @classmethod
    def _balance(cls, member, amount):
        """Give the member exactly ``amount`` on simpanan sukarela."""
        account = member.with_env(cls.env)._kopdes_savings_account("sukarela", create=True)
        if account.balance > amount:
            account._kopdes_withdraw(account.balance - amount)
        elif account.balance < amount:
            account._kopdes_deposit(amount - account.balance)
        return account

    def test_pos_savings_tour(self):
        if not self.pos_config:
            self.skipTest("the demo shop of kopdes_members is not installed")
        self.assertIn(
            self.company._kopdes_savings_pos_payment_method(), self.pos_config.payment_method_ids
        )
        self.pos_config.with_user(self.cashier).open_ui()
        self.start_tour(
            f"/pos/ui?config_id={self.pos_config.id}",
            "kopdes_savings_pos_tour",
            login="kopdes_kasir_simpanan",
        )
        session = self.pos_config.current_session_id
        paid = session.order_ids.filtered(lambda o: o.state == "paid")
        self.assertEqual(len(paid), 2)
        slamet_order = paid.filtered(lambda o: o.partner_id == self.slamet.partner_id)
        tx = slamet_order.kopdes_savings_transaction_ids
        self.assertEqual((tx.type, tx.state, tx.amount), ("withdrawal", "posted", 72500.0))
        self.assertEqual(self.slamet_account.balance, 200000 - 72500)
        siti_order = paid.filtered(lambda o: o.partner_id == self.siti.partner_id)
        self.assertFalse(siti_order.kopdes_savings_transaction_ids)
        self.assertEqual(siti_order.payment_ids.payment_method_id.name, "Tunai")
        self.assertEqual(self.siti_account.balance, 10000)


@tagged("post_install", "-at_install")
class TestTellerTour(KopdesTourCase):
    """A teller of the demo cooperative records a deposit in the web client."""

    def _demo_teller_account(self):
        """The demo member AGT-00001, a teller of its cooperative and the member's
        sukarela account."""
        member = self.env.ref("kopdes_members.member_01", raise_if_not_found=False)
        if not member:
            self.skipTest("the demo cooperative of kopdes_members is not installed")
        company = member.company_id
        new_test_user(
            self.env,
            login="kopdes_teller_tour",
            password="kopdes_teller_tour",
            groups="kopdes_members.group_kopdes_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        return member.with_company(company)._kopdes_savings_account("sukarela", create=True)

    def test_teller_deposit_tour(self):
        account = self._demo_teller_account()
        before = account.balance
        action = self.env.ref("kopdes_savings.kopdes_savings_transaction_action_deposit")
        self.start_tour(
            f"/odoo/action-{action.id}/new",
            "kopdes_savings_teller_tour",
            login="kopdes_teller_tour",
        )
        account.invalidate_recordset()
        self.assertEqual(account.balance, before + 50000)
        last = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", account.id)], order="id desc", limit=1
        )
        self.assertEqual((last.type, last.state, last.amount), ("deposit", "posted", 50000.0))
        self.assertEqual(last.posted_by_id.login, "kopdes_teller_tour")

    def test_member_form_tour(self):
        member = self.env.ref("kopdes_members.member_01", raise_if_not_found=False)
        if not member:
            self.skipTest("the demo cooperative of kopdes_members is not installed")
        company = member.company_id
        new_test_user(
            self.env,
            login="kopdes_pengurus_tour",
            password="kopdes_pengurus_tour",
            groups="kopdes_members.group_kopdes_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        action = self.env.ref("kopdes_members.kopdes_member_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{member.id}",
            "kopdes_savings_member_form_tour",
            login="kopdes_pengurus_tour",
        )
        self.assertEqual(member.state, "active")

    def test_withdrawal_approval_tour(self):
        account = self._demo_teller_account()
        account.company_id.kopdes_savings_approval_limit = 1_000_000
        account._kopdes_deposit(2_000_000)
        before = account.balance
        action = self.env.ref("kopdes_savings.kopdes_savings_transaction_action_withdrawal")
        self.start_tour(
            f"/odoo/action-{action.id}/new",
            "kopdes_savings_approval_tour",
            login="kopdes_teller_tour",
        )
        account.invalidate_recordset()
        self.assertEqual(account.balance, before, "nothing is paid out before the approval")
        request = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", account.id)], order="id desc", limit=1
        )
        self.assertEqual((request.type, request.state), ("withdrawal", "to_approve"))
        self.assertEqual(request.requested_by_id.login, "kopdes_teller_tour")
        self.assertTrue(request.activity_ids, "a manager got an activity")
