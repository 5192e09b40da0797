"""Cross-addon: the exit settlement of kopdes_savings deducts what the member still owes on
loans of kopdes_financing, and the deductions repay the loans."""

from datetime import date

from odoo.tests import tagged

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestFinancingExitSettlement(KopdesFinancingCommon):
    def exit(self, member, day, reason="Pindah ke luar kota"):
        wizard = (
            self.env["kopdes.savings.exit.wizard"]
            .with_user(self.user_pengurus)
            .create(
                {"member_id": member.id, "exit_type": "resigned", "date": day, "reason": reason}
            )
        )
        return wizard

    def test_exit_repays_the_loan_in_full(self):
        self.deposit(self.member_a, "wajib", 600_000, day=date(2024, 6, 1))
        self.deposit(self.member_a, "sukarela", 1_500_000, day=date(2024, 6, 1))
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.pay(loan, 112_000, date(2025, 2, 28))
        self.env["kopdes.loan.month.end"]._kopdes_close(date(2025, 3, 31), self.company)
        day = date(2025, 4, 15)
        # owed on 15 April: March late with its fee, April running (rule "current"),
        # the principal of all the rest
        loan._kopdes_accrue_late_fees(day, loans=loan)
        march = loan.line_ids.sorted("sequence")[1]
        owed = march.late_fee + 12_000 + 12_000 + 1_100_000
        self.assertEqual(loan._kopdes_payoff_amount(day), owed)
        wizard = self.exit(self.member_a, day)
        self.assertEqual(wizard.total_savings, 2_100_000)
        self.assertEqual(wizard.amount_owed, owed)
        self.assertEqual(wizard.net_refund, 2_100_000 - owed)
        self.assertEqual(wizard.remaining_debt, 0)
        wizard.action_confirm()
        self.assertEqual(self.member_a.state, "resigned")
        self.assertEqual(loan.state, "closed")
        self.assertEqual(loan.principal_residual, 0)
        payment = loan.payment_ids.filtered(lambda p: p.source == "exit")
        self.assertEqual(payment.amount, owed)
        self.assertTrue(payment.is_settlement)
        self.assertEqual(payment.amount_principal, 1_100_000)
        self.assertEqual(payment.amount_waived, 9 * 12_000)
        self.assertEqual(self.gl(self.flat.account_principal_id, self.member_a.partner_id), 0)
        self.assertEqual(self.gl(self.flat.account_interest_receivable_id), 0)
        refund_line = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == self.cash.default_account_id
        )
        self.assertEqual(refund_line.balance, -(2_100_000 - owed))
        self.assertLedgerMatchesLoans()

    def test_exit_with_savings_short_of_the_debt(self):
        self.deposit(self.member_b, "sukarela", 300_000, day=date(2024, 6, 1))
        loan = self.active_loan(
            member=self.member_b, amount=1_200_000, term=12, day=date(2025, 1, 31)
        )
        day = date(2025, 3, 15)
        wizard = self.exit(self.member_b, day)
        owed = loan._kopdes_exit_plan(day)
        total_owed = owed["receivable"] + owed["income"] + owed["principal"]
        self.assertEqual(wizard.amount_owed, total_owed)
        self.assertEqual(wizard.amount_deducted, 300_000)
        self.assertEqual(wizard.remaining_debt, total_owed - 300_000)
        wizard.action_confirm()
        self.assertEqual(self.member_b.state, "resigned")
        # what the savings covered: late fee and accrued interest, unaccrued interest, then
        # principal from the oldest installment; the rest stays on the loan
        self.assertEqual(loan.state, "active")
        first = loan.line_ids.sorted("sequence")[0]
        self.assertEqual(first.state, "paid")
        payment = loan.payment_ids.filtered(lambda p: p.source == "exit")
        self.assertEqual(payment.amount, 300_000)
        self.assertFalse(payment.is_settlement)
        self.assertEqual(
            payment.amount_late_fee + payment.amount_interest + payment.amount_principal, 300_000
        )
        self.assertEqual(loan.principal_residual, 1_200_000 - payment.amount_principal)
        self.assertEqual(self.member_b.savings_balance_total, 0)
        self.assertLedgerMatchesLoans()
        # a resigned member keeps paying the rest
        self.pay(loan, 100_000, date(2025, 3, 20))
        self.assertLedgerMatchesLoans()

    def test_nothing_owed_without_loans(self):
        self.deposit(self.member_c, "sukarela", 50_000, day=date(2024, 6, 1))
        self.assertEqual(
            self.member_c._kopdes_exit_amount_owed(date(2025, 3, 1)), {self.member_c.id: 0.0}
        )
