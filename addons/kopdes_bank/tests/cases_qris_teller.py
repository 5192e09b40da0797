"""QRIS at the teller through Odoo's own QRIS machinery, against the local QRIS provider over
real HTTP: a deposit or an installment posts once when the provider confirms, nothing when the
code expires, once when the confirmation arrives twice; refusals change nothing."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.kopdes_bank.tools.fake_qris import FakeQrisProvider
from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today


class QrisTellerTests:
    """Mixed into :class:`TestKopdesBank` (one cooperative for all the tests)."""

    @classmethod
    def _setup_qris(cls):
        cls.provider = FakeQrisProvider(api_key="test-key", merchant_id="test-mid").start()
        cls.addClassCleanup(cls.provider.stop)
        company = cls.company
        company.partner_id.country_id = cls.env.ref("base.id")
        company.qr_code = True
        bank_account = cls.env["res.partner.bank"].create(
            {
                "acc_number": "1234567890",
                "partner_id": company.partner_id.id,
                "company_id": company.id,
                "l10n_id_qris_api_key": "test-key",
                "l10n_id_qris_mid": "test-mid",
                "kopdes_qris_api_url": cls.provider.url,
            }
        )
        cls.qris_journal = cls.env["account.journal"].create(
            {
                "name": "QRIS Uji",
                "code": "QRU",
                "type": "bank",
                "company_id": company.id,
                "bank_account_id": bank_account.id,
            }
        )
        company.kopdes_qris_journal_id = cls.qris_journal
        cls.today = kopdes_today(cls.env, company)
        cls.sukarela_a = cls.account(cls, cls.member_a, "sukarela")

    def draft_deposit(self, amount=125000):
        return (
            self.env["kopdes.savings.transaction"]
            .with_user(self.user_petugas)
            .create({"account_id": self.sukarela_a.id, "type": "deposit", "amount": amount})
        )

    def start_deposit(self, amount=125000):
        deposit = self.draft_deposit(amount)
        action = deposit.action_pay_qris()
        payment = self.env["kopdes.qris.payment"].browse(action["res_id"])
        return deposit, payment

    def test_deposit_posts_once_when_paid(self):
        balance = self.sukarela_a.balance
        deposit, payment = self.start_deposit(125000)
        self.assertEqual(payment.state, "waiting")
        self.assertTrue(payment.qris_content)
        self.assertIn("barcode_type=QR", payment.qr_image_url)
        # Odoo's own QRIS transaction record holds the provider's invoice
        self.assertEqual(payment.qris_transaction_id.qris_amount, 125000)
        self.assertEqual(payment.qris_transaction_id.model, "kopdes.qris.payment")
        created = [p for path, p in self.provider.requests if path.endswith("show_qris.php")]
        self.assertEqual(created[-1]["cliTrxAmount"], "125000")
        self.assertEqual(created[-1]["cliTrxNumber"], payment.name)
        # not paid yet: checking posts nothing, the teller cannot post it by hand
        with self.assertBooksUnchanged():
            payment.with_user(self.user_petugas).action_check()
        self.assertEqual(payment.state, "waiting")
        with self.assertRaisesMessage(UserError, "QRIS"):
            deposit.with_user(self.user_petugas).action_post()
        with self.assertRaisesMessage(UserError, "QRIS"):
            deposit.with_user(self.user_petugas).amount = 200000
        self.provider.pay(payment.qris_invoice_id)
        payment.with_user(self.user_petugas).action_check()
        self.assertEqual(payment.state, "paid")
        self.assertEqual(deposit.state, "posted")
        self.assertEqual(deposit.posted_by_id, self.user_petugas)
        self.assertEqual(deposit.payment_journal_id, self.qris_journal)
        self.assertEqual(self.sukarela_a.balance, balance + 125000)
        self.assertEqual(
            deposit.move_id.line_ids.filtered(lambda line: line.debit).account_id,
            self.qris_journal.default_account_id,
        )
        # the confirmation arrives again (button, then the cron): nothing more is posted
        with self.assertBooksUnchanged():
            payment.with_user(self.user_petugas).action_check()
            self.env["kopdes.qris.payment"]._cron_check_payments()
        self.assertEqual(self.sukarela_a.balance, balance + 125000)

    def test_expired_code_posts_nothing(self):
        deposit, payment = self.start_deposit(80000)
        self.env.cr.execute(
            "UPDATE kopdes_qris_payment SET expires_at = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=1), payment.id],
        )
        payment.invalidate_recordset(["expires_at"])
        with self.assertBooksUnchanged():
            self.env["kopdes.qris.payment"]._cron_check_payments()
        self.assertEqual(payment.state, "expired")
        self.assertEqual(deposit.state, "draft")
        # paid after it expired: the expired code posts nothing
        self.provider.pay(payment.qris_invoice_id)
        with self.assertBooksUnchanged():
            payment.with_user(self.user_petugas).action_check()
        self.assertEqual(deposit.state, "draft")
        # the teller shows a new code for the same deposit
        action = deposit.with_user(self.user_petugas).action_pay_qris()
        self.assertNotEqual(action["res_id"], payment.id)

    def test_cancel_checks_first(self):
        deposit, payment = self.start_deposit(60000)
        self.provider.pay(payment.qris_invoice_id)
        # the member paid just before the teller cancelled: the payment is posted, not lost
        payment.with_user(self.user_petugas).action_cancel()
        self.assertEqual(payment.state, "paid")
        self.assertEqual(deposit.state, "posted")
        deposit2, payment2 = self.start_deposit(70000)
        payment2.with_user(self.user_petugas).action_cancel()
        self.assertEqual(payment2.state, "cancelled")
        self.assertEqual(deposit2.state, "draft")

    def test_loan_installment_by_qris(self):
        loan = self.active_loan(day=self.today - timedelta(days=40))
        wizard = (
            self.env["kopdes.loan.payment.wizard"]
            .with_user(self.user_officer)
            .create({"loan_id": loan.id, "amount": 150000})
        )
        action = wizard.action_pay_qris()
        payment = self.env["kopdes.qris.payment"].browse(action["res_id"])
        self.assertEqual(payment.purpose, "loan_payment")
        self.assertFalse(loan.payment_ids.filtered(lambda p: p.state == "posted"))
        self.provider.pay(payment.qris_invoice_id)
        self.env["kopdes.qris.payment"]._cron_check_payments()
        self.env["kopdes.qris.payment"]._cron_check_payments()
        posted = loan.payment_ids.filtered(lambda p: p.state == "posted")
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.amount, 150000)
        self.assertEqual(posted.journal_id, self.qris_journal)
        self.assertEqual(payment.loan_payment_id, posted)
        self.assertLedgerMatchesLoans()

    def test_refusals_change_nothing(self):
        deposit = self.draft_deposit(50000)
        # a client cannot create or settle a QRIS payment by RPC
        with self.assertBooksUnchanged(), self.assertRaises(UserError):
            self.env["kopdes.qris.payment"].with_user(self.user_petugas).with_context(
                kopdes_qris_posting=True
            ).create(
                {
                    "purpose": "savings_deposit",
                    "member_id": self.member_a.id,
                    "savings_transaction_id": deposit.id,
                    "amount": 50000,
                    "journal_id": self.qris_journal.id,
                    "state": "paid",
                }
            )
        deposit2, payment = self.start_deposit(55000)
        with self.assertRaises(UserError):
            payment.with_user(self.user_petugas).write({"state": "paid"})
        # a loan officer without teller... every Koperasi role is staff; an outsider is not
        outsider = self.env["res.users"].create(
            {
                "name": "Orang Luar",
                "login": "qris_outsider",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            payment.with_user(outsider).action_check()
        # not configured: a clear message, nothing created
        self.company.kopdes_qris_journal_id = False
        count = self.env["kopdes.qris.payment"].search_count([])
        with self.assertRaisesMessage(UserError, "QRIS"):
            deposit.with_user(self.user_petugas).action_pay_qris()
        self.assertEqual(self.env["kopdes.qris.payment"].search_count([]), count)
        self.company.kopdes_qris_journal_id = self.qris_journal
        # only a draft deposit; a withdrawal is not paid with QRIS
        withdrawal = (
            self.env["kopdes.savings.transaction"]
            .with_user(self.user_petugas)
            .create({"account_id": self.sukarela_a.id, "type": "withdrawal", "amount": 1000})
        )
        with self.assertRaisesMessage(UserError, "draft deposit"):
            withdrawal.with_user(self.user_petugas).action_pay_qris()
