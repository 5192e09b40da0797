"""Kasbon repaid at the teller with QRIS, against the local QRIS provider over real HTTP:
the repayment posts once when the provider confirms, nothing when the code expires; paid
above what is still open (repaid meanwhile), the rest goes to voluntary savings."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.kopdes_bank.tests.cases_qris_teller import QrisTellerTests
from odoo.addons.kopdes_shop.tests.common import KopdesShopCommon


@tagged("post_install", "-at_install")
class TestKasbonQris(KopdesShopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        QrisTellerTests._setup_qris.__func__(cls)

    def start(self, member, amount, user=None):
        wizard = (
            self.env["kopdes.kasbon.repay.wizard"]
            .with_user(user or self.user_petugas)
            .create({"member_id": member.id, "source": "qris", "amount": amount})
        )
        action = wizard.action_confirm()
        self.assertEqual(action["res_model"], "kopdes.qris.payment")
        return self.env["kopdes.qris.payment"].browse(action["res_id"])

    def test_repayment_posts_once_when_paid(self):
        order = self.sell(self.member_a, 50000)
        kasbon = order.kopdes_kasbon_ids
        payment = self.start(self.member_a, 30000)
        self.assertEqual((payment.purpose, payment.state), ("kasbon_repayment", "waiting"))
        self.assertEqual(payment.qris_transaction_id.qris_amount, 30000)
        with self.assertBooksUnchanged():
            payment.with_user(self.user_petugas).action_check()
        self.assertEqual(kasbon.amount_residual, 50000)
        self.provider.pay(payment.qris_invoice_id)
        payment.with_user(self.user_petugas).action_check()
        self.assertEqual(payment.state, "paid")
        repayment = payment.kasbon_repayment_id
        self.assertTrue(repayment)
        self.assertEqual((repayment.amount, repayment.source), (30000, "bank"))
        self.assertEqual(repayment.journal_id, self.qris_journal)
        self.assertEqual(repayment.user_id, self.user_petugas)
        self.assertEqual(kasbon.amount_residual, 20000)
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 20000)
        self.assertEqual(
            repayment.move_id.line_ids.filtered("debit").account_id,
            self.qris_journal.default_account_id,
        )
        self.assertFalse(payment.kasbon_deposit_id)
        # the confirmation arrives again (button, then the cron): nothing more is posted
        with self.assertBooksUnchanged():
            payment.with_user(self.user_petugas).action_check()
            self.env["kopdes.qris.payment"]._cron_check_payments()
        self.assertEqual(kasbon.amount_residual, 20000)

    def test_expired_code_posts_nothing(self):
        order = self.sell(self.member_a, 40000)
        payment = self.start(self.member_a, 40000)
        self.env.cr.execute(
            "UPDATE kopdes_qris_payment SET expires_at = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=1), payment.id],
        )
        payment.invalidate_recordset(["expires_at"])
        with self.assertBooksUnchanged():
            self.env["kopdes.qris.payment"]._cron_check_payments()
        self.assertEqual(payment.state, "expired")
        self.provider.pay(payment.qris_invoice_id)
        with self.assertBooksUnchanged():
            payment.with_user(self.user_petugas).action_check()
        self.assertEqual(order.kopdes_kasbon_ids.amount_residual, 40000)

    def test_repaid_meanwhile_rest_to_savings(self):
        order = self.sell(self.member_a, 60000)
        payment = self.start(self.member_a, 60000)
        # the member repays 45.000 in cash at the teller while the code is open
        self.env["kopdes.kasbon.repay.wizard"].with_user(self.user_petugas).create(
            {"member_id": self.member_a.id, "source": "cash", "amount": 45000}
        ).action_confirm()
        sukarela = self.member_a._kopdes_savings_account("sukarela")
        balance = sukarela.balance
        self.provider.pay(payment.qris_invoice_id)
        payment.with_user(self.user_petugas).action_check()
        self.assertEqual(payment.state, "paid")
        self.assertEqual(payment.kasbon_repayment_id.amount, 15000)
        self.assertEqual(order.kopdes_kasbon_ids.state, "paid")
        deposit = payment.kasbon_deposit_id
        self.assertEqual((deposit.amount, deposit.state), (45000, "posted"))
        self.assertEqual(deposit.payment_journal_id, self.qris_journal)
        self.assertEqual(sukarela.balance, balance + 45000)
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 0)

    def test_refusals_change_nothing(self):
        self.sell(self.member_a, 20000)
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "more than that"):
            self.start(self.member_a, 25000)
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "more than zero"):
            self.start(self.member_a, 0)
        with self.assertRaises(AccessError):
            self.start(self.member_a, 10000, user=self.cashier)
        self.assertFalse(
            self.env["kopdes.qris.payment"].search([("member_id", "=", self.member_a.id)])
        )
