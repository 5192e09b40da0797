from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsTransactions(KopdesSavingsCommon):
    def test_deposit_posts_journal_entry(self):
        tx = self.deposit(self.member_a, "wajib", 60000)
        self.assertEqual(tx.state, "posted")
        self.assertTrue(tx.name.startswith("SMP/"))
        move = tx.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.wajib.journal_id)
        self.assertEqual(move.kopdes_savings_transaction_ids, tx)
        self.assertEqual(move.ref, tx.name)
        lines = {line.account_id: line for line in move.line_ids}
        self.assertEqual(len(lines), 2)
        savings_line = lines[self.wajib.account_id]
        cash_line = lines[self.cash_journal.default_account_id]
        self.assertEqual((savings_line.debit, savings_line.credit), (0.0, 60000.0))
        self.assertEqual((cash_line.debit, cash_line.credit), (60000.0, 0.0))
        self.assertEqual(move.line_ids.partner_id, self.member_a.partner_id)
        account = tx.account_id
        self.assertEqual(account.balance, 60000.0)
        self.assertEqual(tx.balance_after, 60000.0)
        self.assertEqual(self.gl_balance(self.wajib.account_id, self.member_a.partner_id), 60000.0)

    def test_withdrawal_and_balance_is_sum_of_posted(self):
        self.deposit(self.member_a, "sukarela", 500000)
        self.deposit(self.member_a, "sukarela", 250000)
        tx = self.withdraw(self.member_a, "sukarela", 300000)
        account = tx.account_id
        self.assertEqual(account.balance, 450000.0)
        self.assertEqual(tx.balance_after, 450000.0)
        self.assertEqual(tx.signed_amount, -300000.0)
        lines = {line.account_id: line for line in tx.move_id.line_ids}
        self.assertEqual(lines[self.sukarela.account_id].debit, 300000.0)
        self.assertEqual(lines[self.cash_journal.default_account_id].credit, 300000.0)
        posted = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", account.id), ("state", "=", "posted")]
        )
        self.assertEqual(sum(posted.mapped("signed_amount")), account.balance)
        self.assertEqual(self.gl_balance(self.sukarela.account_id), 450000.0)
        self.assertEqual(self.member_a.savings_balance_sukarela, 450000.0)
        self.assertEqual(self.member_a.savings_balance_total, 450000.0)

    def test_overdraft_refused_books_unchanged(self):
        self.deposit(self.member_a, "sukarela", 100000)
        account = self.account(self.member_a, "sukarela")
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "is not enough"):
                account._kopdes_withdraw(100001)
        # the minimum balance of the product stays in the account
        self.sukarela.minimum_balance = 10000
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "is not enough"):
                account._kopdes_withdraw(95000)
        account._kopdes_withdraw(90000)
        self.assertEqual(account.balance, 10000.0)

    def test_forbidden_withdrawals_refused(self):
        self.deposit(self.member_a, "pokok", 100000)
        self.deposit(self.member_a, "wajib", 40000)
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "when the member leaves"):
                self.withdraw(self.member_a, "pokok", 1000)
            with self.assertRaisesMessage(UserError, "when the member leaves"):
                self.withdraw(self.member_a, "wajib", 1000)
        # a wajib product may allow withdrawals
        self.wajib.withdrawal_policy = "anytime"
        self.withdraw(self.member_a, "wajib", 1000)
        self.assertEqual(self.account(self.member_a, "wajib").balance, 39000.0)
        with self.assertRaises(ValidationError):
            self.pokok.withdrawal_policy = "anytime"

    def test_time_deposit_only_at_maturity(self):
        account = self.member_a._kopdes_savings_account("berjangka", create=True)
        self.assertEqual(account.open_date, kopdes_today(self.env))
        # 12 months by default
        self.assertEqual(account.maturity_date.year, kopdes_today(self.env).year + 1)
        self.assertEqual(account.maturity_date.month, kopdes_today(self.env).month)
        account._kopdes_deposit(1000000)
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "matures on"):
                account._kopdes_withdraw(1000)
        account.maturity_date = kopdes_today(self.env)
        account._kopdes_withdraw(1000000)
        self.assertEqual(account.balance, 0.0)

    def test_zero_and_negative_amounts_refused(self):
        account = self.account(self.member_a, "sukarela")
        for amount in (0, -5000, 0.001):
            with self.subTest(amount=amount), self.assertBooksUnchanged():
                with self.assertRaises(UserError):
                    account._kopdes_deposit(amount)
                with self.assertRaises(UserError):
                    account._kopdes_withdraw(amount)

    def test_posting_twice_refused(self):
        tx = self.deposit(self.member_a, "sukarela", 50000)
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "Only draft transactions"):
                tx.action_post()
            with self.assertRaisesMessage(UserError, "already been posted"):
                tx._kopdes_post()

    def test_posted_transaction_is_immutable(self):
        tx = self.deposit(self.member_a, "sukarela", 50000)
        with self.assertBooksUnchanged():
            for vals in (
                {"amount": 1},
                {"date": date(2020, 1, 1)},
                {"state": "draft"},
                {"account_id": self.account(self.member_b, "sukarela").id},
            ):
                with (
                    self.subTest(vals=vals),
                    self.assertRaisesMessage(UserError, "cannot be changed"),
                ):
                    tx.write(vals)
            with self.assertRaisesMessage(UserError, "never deleted"):
                tx.unlink()
            # nor can its journal entry be touched from Accounting
            with self.assertRaisesMessage(UserError, "reverse the savings transaction"):
                tx.move_id.button_draft()
            with self.assertRaisesMessage(UserError, "reverse the savings transaction"):
                tx.move_id._reverse_moves()
            with self.assertRaisesMessage(UserError, "reverse the savings transaction"):
                tx.move_id.button_cancel()
        self.assertEqual(tx.amount, 50000)
        # the chatter can still be used
        tx.message_post(body="Setoran dihitung ulang bersama anggota.")

    def test_reversal(self):
        deposit = self.deposit(self.member_a, "sukarela", 80000)
        self.deposit(self.member_a, "sukarela", 20000)
        reversal = deposit.action_reverse()
        self.assertEqual(reversal.type, "reversal")
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.signed_amount, -80000.0)
        self.assertEqual(reversal.reversal_of_id, deposit)
        self.assertEqual(deposit.reversed_by_id, reversal)
        self.assertEqual(deposit.account_id.balance, 20000.0)
        lines = {line.account_id: line for line in reversal.move_id.line_ids}
        self.assertEqual(lines[self.sukarela.account_id].debit, 80000.0)
        self.assertEqual(lines[self.cash_journal.default_account_id].credit, 80000.0)
        self.assertEqual(self.gl_balance(self.sukarela.account_id), 20000.0)
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "already been reversed"):
                deposit.action_reverse()
            with self.assertRaisesMessage(UserError, "itself a reversal"):
                reversal.action_reverse()
        # reversing a withdrawal puts the money back
        withdrawal = self.withdraw(self.member_a, "sukarela", 15000)
        withdrawal.action_reverse()
        self.assertEqual(deposit.account_id.balance, 20000.0)

    def test_reversal_cannot_overdraw(self):
        deposit = self.deposit(self.member_a, "sukarela", 80000)
        self.withdraw(self.member_a, "sukarela", 50000)
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "is not enough"):
                deposit.action_reverse()

    def test_pokok_paid_once(self):
        self.deposit(self.member_a, "pokok", 60000)
        self.deposit(self.member_a, "pokok", 40000)
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "Simpanan pokok is"):
                self.deposit(self.member_a, "pokok", 1)

    def test_future_dates_and_closed_accounts_refused(self):
        account = self.account(self.member_a, "sukarela")
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "future"):
                account._kopdes_deposit(1000, date=kopdes_today(self.env) + timedelta(days=1))
        account._kopdes_close()
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "closed"):
                account._kopdes_deposit(1000)

    def test_manual_interest_and_exit_refund_refused(self):
        self.deposit(self.member_a, "sukarela", 1000)
        account = self.account(self.member_a, "sukarela")
        with self.assertBooksUnchanged():
            for tx_type, message in (("interest", "month-end"), ("exit_refund", "exit settlement")):
                tx = self.env["kopdes.savings.transaction"].create(
                    {
                        "account_id": account.id,
                        "type": tx_type,
                        "amount": 10,
                        "counterpart_account_id": self.cash_journal.default_account_id.id,
                    }
                )
                with self.subTest(tx_type=tx_type), self.assertRaisesMessage(UserError, message):
                    tx.action_post()
                tx.unlink()

    def test_approval_above_limit(self):
        self.company.kopdes_savings_approval_limit = 1000000
        self.deposit(self.member_a, "sukarela", 3000000)
        account = self.account(self.member_a, "sukarela")
        Transaction = self.env["kopdes.savings.transaction"]
        small = Transaction.with_user(self.user_petugas).create(
            {
                "member_id": self.member_a.id,
                "kind": "sukarela",
                "type": "withdrawal",
                "amount": 1000000,
            }
        )
        small.action_post()
        self.assertEqual(small.state, "posted")
        big = Transaction.with_user(self.user_petugas).create(
            {
                "member_id": self.member_a.id,
                "kind": "sukarela",
                "type": "withdrawal",
                "amount": 1500000,
            }
        )
        self.assertTrue(big.needs_approval)
        with self.assertBooksUnchanged():
            big.action_post()
        self.assertEqual(big.state, "to_approve")
        self.assertFalse(big.move_id)
        self.assertEqual(account.balance, 2000000.0)
        with self.assertRaises(AccessError):
            big.with_user(self.user_petugas).action_approve()
        big.with_user(self.user_pengurus).action_approve()
        self.assertEqual(big.state, "posted")
        self.assertEqual(big.approved_by_id, self.user_pengurus)
        self.assertEqual(account.balance, 500000.0)
        # an impossible one is refused at once, and a refused one never posts
        with self.assertRaisesMessage(UserError, "is not enough"):
            Transaction.with_user(self.user_petugas).create(
                {
                    "member_id": self.member_a.id,
                    "kind": "sukarela",
                    "type": "withdrawal",
                    "amount": 1500000,
                }
            ).action_post()
        again = Transaction.with_user(self.user_petugas).create(
            {
                "member_id": self.member_a.id,
                "kind": "sukarela",
                "type": "withdrawal",
                "amount": 1200000,
            }
        )
        self.deposit(self.member_a, "sukarela", 1000000)
        again.action_post()
        self.assertEqual(again.state, "to_approve")
        again.with_user(self.user_pengurus).action_reject()
        self.assertEqual(again.state, "cancelled")
        self.assertEqual(account.balance, 1500000.0)
        # without four eyes, a manager's own withdrawal needs no approval
        self.company.kopdes_four_eyes = False
        own = Transaction.with_user(self.user_pengurus).create(
            {
                "member_id": self.member_a.id,
                "kind": "sukarela",
                "type": "withdrawal",
                "amount": 1200000,
            }
        )
        own.action_post()
        self.assertEqual(own.state, "posted")

    def test_teller_form(self):
        """A teller types the member number, picks the kind and posts."""
        Transaction = self.env["kopdes.savings.transaction"].with_user(self.user_petugas)
        form = Form(Transaction.with_context(default_type="deposit", default_kind="wajib"))
        form.member_id = self.member_b
        self.assertEqual(form.account_id, self.account(self.member_b, "wajib"))
        form.kind = "sukarela"
        self.assertFalse(form.account_id, "member_b has no sukarela account yet")
        form.kind = "wajib"
        form.amount = 20000
        self.assertEqual(form.payment_journal_id, self.cash_journal)
        tx = form.save()
        tx.action_post()
        self.assertEqual(tx.state, "posted")
        self.assertEqual(tx.posted_by_id, self.user_petugas)
        found = (
            self.env["kopdes.member"]
            .with_user(self.user_petugas)
            .name_search(self.member_b.member_number)
        )
        self.assertEqual([row[0] for row in found], [self.member_b.id])

    def test_member_with_savings_has_money_attached(self):
        self.assertFalse(self.member_b._kopdes_money_attached())
        self.deposit(self.member_b, "wajib", 20000)
        self.assertEqual(self.member_b._kopdes_money_attached(), self.member_b)
        self.assertFalse((self.member_a | self.member_b)._kopdes_money_attached() - self.member_b)

    def test_member_with_savings_cannot_just_resign(self):
        self.deposit(self.member_b, "wajib", 20000)
        with self.assertRaisesMessage(UserError, "Exit Settlement"):
            self.member_b._kopdes_change_state("resigned", kopdes_today(self.env), "Pindah")
        self.assertEqual(self.member_b.state, "active")
        # without savings they can
        self.member_a._kopdes_change_state("resigned", kopdes_today(self.env), "Pindah")
        self.assertEqual(self.member_a.state, "resigned")

    def test_receipt_and_passbook(self):
        self.deposit(self.member_a, "sukarela", 125000)
        tx = self.withdraw(self.member_a, "sukarela", 25000)
        account = tx.account_id
        lines = account._kopdes_passbook_lines()
        self.assertEqual([line["balance"] for line in lines], [125000.0, 100000.0])
        self.assertEqual([line["out"] for line in lines], [0.0, 25000.0])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("kopdes_savings.action_report_kopdes_savings_passbook", account.ids)[
                0
            ]
            .decode()
        )
        self.assertIn(account.name, html)
        self.assertIn("125,000.00", html)
        self.assertIn("100,000.00", html)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("kopdes_savings.action_report_kopdes_savings_receipt", tx.ids)[0]
            .decode()
        )
        self.assertIn(tx.name, html)
        self.assertIn("25,000.00", html)
        # PDF reports (wkhtmltopdf renders the same HTML; it is not installed on every runner)
        for xmlid in ("passbook", "receipt"):
            report = self.env.ref(f"kopdes_savings.action_report_kopdes_savings_{xmlid}")
            self.assertEqual(report.report_type, "qweb-pdf")
        with self.assertRaisesMessage(UserError, "Only posted"):
            self.env["kopdes.savings.transaction"].create(
                {"account_id": account.id, "type": "deposit", "amount": 5}
            ).action_print_receipt()
