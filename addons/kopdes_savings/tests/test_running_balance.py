from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestRunningBalance(KopdesSavingsCommon):
    """ "Saldo Setelah" is the passbook's running balance, whatever the posting path."""

    def assertRunningBalances(self, account):
        """Every posted transaction's balance after equals the passbook line of the same
        transaction, and the passbook's last line equals the account balance."""
        self.env.invalidate_all()
        lines = account._kopdes_passbook_lines()
        posted = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", account.id), ("state", "=", "posted")]
        )
        by_name = {tx.name: tx for tx in posted}
        self.assertEqual(len(lines), len(posted))
        for line in lines:
            self.assertAlmostEqual(
                by_name[line["name"]].balance_after,
                line["balance"],
                msg=f"balance after of {line['name']} ({line['date']})",
            )
        self.assertAlmostEqual(lines[-1]["balance"], account.balance)
        # the list shows the same order as the passbook, newest first
        self.assertEqual(posted.mapped("name"), [line["name"] for line in reversed(lines)])
        return lines

    def teller_withdrawal(self, account, amount, day):
        """A withdrawal typed and posted by the teller (above the limit it waits)."""
        tx = (
            self.env["kopdes.savings.transaction"]
            .with_user(self.user_petugas)
            .create(
                {
                    "account_id": account.id,
                    "type": "withdrawal",
                    "amount": amount,
                    "date": day,
                    "payment_journal_id": self.cash_journal.id,
                }
            )
        )
        tx.action_post()
        return tx

    def test_back_dated_deposit_moves_later_rows(self):
        account = self.account(self.member_a, "sukarela")
        self.deposit(self.member_a, "sukarela", 1_000_000, day=date(2025, 3, 1))
        self.withdraw(self.member_a, "sukarela", 200_000, day=date(2025, 3, 10))
        self.deposit(self.member_a, "sukarela", 50_000, day=date(2025, 3, 20))
        back = self.deposit(self.member_a, "sukarela", 300_000, day=date(2025, 3, 5))
        lines = self.assertRunningBalances(account)
        self.assertEqual(
            [line["balance"] for line in lines], [1_000_000, 1_300_000, 1_100_000, 1_150_000]
        )
        self.assertEqual(back.balance_after, 1_300_000)

    def test_withdrawal_approved_later(self):
        self.company.kopdes_savings_approval_limit = 500_000
        account = self.account(self.member_a, "sukarela")
        self.deposit(self.member_a, "sukarela", 2_000_000, day=date(2025, 4, 1))
        big = self.teller_withdrawal(account, 800_000, date(2025, 4, 2))
        self.assertEqual(big.state, "to_approve")
        # meanwhile other transactions are posted, on the same day and later
        self.deposit(self.member_a, "sukarela", 100_000, day=date(2025, 4, 2))
        self.deposit(self.member_a, "sukarela", 100_000, day=date(2025, 4, 6))
        big.with_user(self.user_pengurus).action_approve()
        self.assertEqual(big.state, "posted")
        lines = self.assertRunningBalances(account)
        # same day: the deposit was posted first, the approved withdrawal after it
        self.assertEqual(
            [line["balance"] for line in lines], [2_000_000, 2_100_000, 1_300_000, 1_400_000]
        )

    def test_reversal_and_interest_keep_running_balance(self):
        account = self.account(self.member_b, "sukarela")
        first = self.deposit(self.member_b, "sukarela", 500_000, day=date(2025, 1, 3))
        self.deposit(self.member_b, "sukarela", 250_000, day=date(2025, 1, 20))
        first.action_reverse(date=date(2025, 1, 25))
        self.deposit(self.member_b, "sukarela", 1_000_000, day=date(2025, 1, 10))
        self.assertRunningBalances(account)

    def test_back_dated_withdrawal_cannot_make_history_negative(self):
        account = self.account(self.member_b, "sukarela")
        self.deposit(self.member_b, "sukarela", 100_000, day=date(2025, 2, 1))
        self.deposit(self.member_b, "sukarela", 900_000, day=date(2025, 2, 20))
        # the balance today is 1.000.000, but on 10/02 it was only 100.000
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "not enough"):
            self.withdraw(self.member_b, "sukarela", 500_000, day=date(2025, 2, 10))
        self.withdraw(self.member_b, "sukarela", 100_000, day=date(2025, 2, 10))
        self.assertRunningBalances(account)

    def test_pending_withdrawals_reserve_the_balance(self):
        self.company.kopdes_savings_approval_limit = 500_000
        account = self.account(self.member_a, "sukarela")
        self.deposit(self.member_a, "sukarela", 1_500_000, day=date(2025, 5, 1))
        first = self.teller_withdrawal(account, 900_000, date(2025, 5, 2))
        self.assertEqual(first.state, "to_approve")
        account.invalidate_recordset(["available_balance"])
        self.assertEqual(account.available_balance, 600_000)
        Transaction = self.env["kopdes.savings.transaction"].with_user(self.user_petugas)
        second = Transaction.create(
            {
                "account_id": account.id,
                "type": "withdrawal",
                "amount": 800_000,
                "date": date(2025, 5, 2),
                "payment_journal_id": self.cash_journal.id,
            }
        )
        # the teller hears at once, not the manager at approval
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "not enough"):
            second.action_post()
        self.assertEqual(second.state, "draft")
        first.with_user(self.user_pengurus).action_approve()
        self.assertEqual(first.state, "posted")
        self.assertEqual(account.balance, 600_000)

    def test_demo_accounts_agree_with_their_passbooks(self):
        """The demo history (posted by the demo generator and the interest runs)."""
        accounts = self.env["kopdes.savings.account"].search(
            [("transaction_ids.state", "=", "posted")], limit=60
        )
        self.assertGreater(len(accounts), 20, "the demo cooperative has a savings history")
        for account in accounts:
            self.assertRunningBalances(account)
