from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KopdesFinancingCommon


def line_state(loan):
    """What the installments owe and have settled, to compare before and after."""
    loan.line_ids.invalidate_recordset()
    return [
        (
            line.sequence,
            line.principal_residual,
            line.interest_residual,
            line.late_fee_settled,
            line.principal_paid,
            line.interest_paid,
            line.interest_receivable_settled,
            line.state,
        )
        for line in loan.line_ids.sorted("sequence")
    ]


@tagged("post_install", "-at_install")
class TestLoanPayment(KopdesFinancingCommon):
    def setUp(self):
        super().setUp()
        # Rp 1.200.000 flat 12 %, 12 months from 31 January 2025: 100.000 + 12.000 a month
        self.loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.lines = self.loan.line_ids.sorted("sequence")

    def test_installment_on_time(self):
        payment = self.pay(self.loan, 112_000, date(2025, 2, 28))
        self.assertEqual(payment.state, "posted")
        self.assertEqual(
            (payment.amount_late_fee, payment.amount_interest, payment.amount_principal),
            (0, 12_000, 100_000),
        )
        self.assertEqual(self.lines[0].state, "paid")
        self.assertEqual(self.lines[0].paid_date, date(2025, 2, 28))
        self.assertEqual(self.loan.principal_residual, 1_100_000)
        by_account = {line.account_id: line.balance for line in payment.move_id.line_ids}
        self.assertEqual(by_account[self.cash.default_account_id], 112_000)
        self.assertEqual(by_account[self.flat.account_principal_id], -100_000)
        # the interest was not accrued yet: straight to income
        self.assertEqual(by_account[self.flat.account_interest_income_id], -12_000)
        self.assertEqual(payment.move_id.line_ids.partner_id, self.member_a.partner_id)
        self.assertLedgerMatchesLoans()

    def test_allocation_late_fee_interest_principal_oldest_first(self):
        # nothing paid in February and March; on 10 April two installments are late
        payment = self.pay(self.loan, 150_000, date(2025, 4, 10))
        first, second = self.lines[0], self.lines[1]
        # February: 41 days late, 3 of grace -> 38 days x 0.1 % x 112.000 = 4.256
        self.assertEqual(first.late_fee, 4_256)
        # March: 10 days late, 3 of grace -> 7 x 112 = 784
        self.assertEqual(second.late_fee, 784)
        self.assertEqual(first.state, "paid")
        self.assertEqual(first.late_fee_settled, 4_256)
        # the rest, 150.000 - 116.256 = 33.744: March's fee, interest, then principal
        self.assertEqual(second.late_fee_settled, 784)
        self.assertEqual(second.interest_paid, 12_000)
        self.assertEqual(second.principal_paid, 33_744 - 784 - 12_000)
        self.assertEqual(second.state, "partial")
        self.assertEqual(payment.amount_late_fee, 4_256 + 784)
        self.assertEqual(payment.amount_interest, 24_000)
        self.assertLedgerMatchesLoans()

    def test_partial_payments_and_days_past_due(self):
        self.pay(self.loan, 50_000, date(2025, 3, 1))
        self.assertEqual(self.lines[0].state, "partial")
        self.assertEqual(self.lines[0].interest_paid, 12_000)
        self.assertEqual(self.lines[0].principal_paid, 38_000)
        self.loan._kopdes_update_arrears(date(2025, 3, 15), loans=self.loan)
        self.assertEqual(self.loan.days_past_due, 15)
        self.assertEqual(self.loan.collectability_id.name, "Dalam Perhatian Khusus (DPK)")
        self.pay(self.loan, 70_000, date(2025, 3, 20))
        self.loan._kopdes_update_arrears(date(2025, 3, 20), loans=self.loan)
        self.assertEqual(self.lines[0].state, "paid")
        self.assertEqual(self.loan.days_past_due, 0)
        self.assertEqual(self.loan.collectability_id.name, "Lancar")

    def test_overpayment_goes_to_next_installments(self):
        self.pay(self.loan, 300_000, date(2025, 2, 28))
        self.assertEqual(self.lines[:2].mapped("state"), ["paid", "paid"])
        self.assertEqual(self.lines[2].state, "partial")
        self.assertEqual(self.lines[2].interest_paid, 12_000)
        self.assertEqual(self.lines[2].principal_paid, 64_000)
        self.assertLedgerMatchesLoans()

    def test_overpayment_goes_to_voluntary_savings(self):
        payment = self.pay(self.loan, 150_000, date(2025, 2, 28), overpayment="savings")
        self.assertEqual(payment.amount_to_savings, 38_000)
        self.assertEqual(self.lines[0].state, "paid")
        self.assertEqual(self.lines[1].state, "open")
        deposit = payment.savings_deposit_id
        self.assertEqual(deposit.state, "posted")
        self.assertEqual(deposit.amount, 38_000)
        self.assertEqual(deposit.account_id.kind, "sukarela")
        self.assertEqual(self.member_a._kopdes_savings_account("sukarela").balance, 38_000)
        self.assertLedgerMatchesLoans()

    def test_nothing_due_cannot_go_to_savings(self):
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "is due yet"):
            self.pay(self.loan, 50_000, date(2025, 2, 10), overpayment="savings")
        # towards the next installments it is fine
        payment = self.pay(self.loan, 50_000, date(2025, 2, 10))
        self.assertEqual(payment.amount_interest + payment.amount_principal, 50_000)

    def test_payment_from_voluntary_savings(self):
        self.deposit(self.member_a, "sukarela", 500_000, day=date(2025, 2, 1))
        account = self.member_a._kopdes_savings_account("sukarela")
        payment = self.pay(self.loan, 112_000, date(2025, 2, 28), source="savings", journal=None)
        self.assertEqual(account.balance, 388_000)
        withdrawal = payment.savings_transaction_id
        self.assertEqual(withdrawal.type, "withdrawal")
        self.assertEqual(withdrawal.state, "posted")
        clearing = self.company.kopdes_loan_clearing_account_id
        self.assertEqual(self.gl(clearing), 0)
        self.assertEqual(self.lines[0].state, "paid")
        self.assertLedgerMatchesLoans()
        # more than the savings: refused, nothing changed
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "not enough"):
            self.pay(self.loan, 400_000, date(2025, 3, 31), source="savings", journal=None)
        # reversal gives the money back to the savings
        payment.with_user(self.user_officer).action_reverse("Salah rekening")
        self.assertEqual(account.balance, 500_000)
        self.assertEqual(self.gl(clearing), 0)
        self.assertEqual(self.lines[0].state, "open")

    def test_reversal_restores_installments_exactly(self):
        self.pay(self.loan, 112_000, date(2025, 2, 28))
        self.env["kopdes.loan.month.end"]._kopdes_close(date(2025, 3, 31), self.company)
        before = line_state(self.loan)
        ledger_before = (
            self.gl(self.flat.account_principal_id),
            self.gl(self.flat.account_interest_receivable_id),
        )
        wrong = self.pay(self.loan, 250_000, date(2025, 4, 1))
        self.assertNotEqual(line_state(self.loan), before)
        wrong.with_user(self.user_officer).action_reverse("Salah input nominal")
        self.assertEqual(wrong.state, "reversed")
        self.assertEqual(wrong.reversed_by_id, self.user_officer)
        self.assertEqual(wrong.reversal_move_id.state, "posted")
        self.assertEqual(line_state(self.loan), before)
        self.assertEqual(
            (
                self.gl(self.flat.account_principal_id),
                self.gl(self.flat.account_interest_receivable_id),
            ),
            ledger_before,
        )
        with self.assertRaisesMessage(UserError, "already reversed"):
            wrong.with_user(self.user_officer).action_reverse("lagi")
        self.assertLedgerMatchesLoans()

    def test_reversal_reopens_a_closed_loan(self):
        payment = self.pay(self.loan, 1_344_000, date(2025, 2, 28))
        self.assertEqual(self.loan.state, "closed")
        payment.with_user(self.user_officer).action_reverse("Uang palsu")
        self.assertEqual(self.loan.state, "active")
        self.assertEqual(self.loan.principal_residual, 1_200_000)
        self.assertLedgerMatchesLoans()

    def test_early_full_repayment_rules(self):
        expectations = {
            # on 15 April, February and March paid: the April installment is running
            "none": 1_000_000,
            "current": 1_000_000 + 12_000,
            "all": 1_000_000 + 10 * 12_000,
        }
        for rule, expected in expectations.items():
            with self.subTest(rule=rule):
                loan = self.active_loan(
                    member=self.member_b, amount=1_200_000, term=12, day=date(2025, 1, 31)
                )
                loan.with_context(kopdes_loan_posting=True).early_repayment_rule = rule
                self.pay(loan, 112_000, date(2025, 2, 28))
                self.pay(loan, 112_000, date(2025, 3, 31))
                self.assertEqual(loan._kopdes_payoff_amount(date(2025, 4, 15)), expected)
                with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "in full"):
                    self.pay(loan, expected - 1, date(2025, 4, 15), settle=True)
                payment = self.pay(loan, expected, date(2025, 4, 15), settle=True)
                self.assertEqual(loan.state, "closed")
                self.assertEqual(loan.closed_date, date(2025, 4, 15))
                self.assertEqual(payment.amount_waived, 1_200_000 + 144_000 - 224_000 - expected)
                self.assertEqual(
                    set(loan.line_ids.mapped("state")) - {"paid"},
                    set() if rule == "all" else {"settled"},
                )
                self.assertLedgerMatchesLoans()

    def test_bad_payments_refused_nothing_changed(self):
        officer = self.loan.with_user(self.user_officer)
        cases = [
            (0, {}, "greater than zero"),
            (-5_000, {}, "greater than zero"),
            (1_000.5, {}, "whole rupiah"),
            (112_000, {"day": date(2025, 1, 30)}, "before the disbursement"),
            (112_000, {"day": date(2999, 1, 1)}, "in the future"),
            (5_000_000, {}, "more than"),
            (112_000, {"journal": None}, "cash or bank journal"),
        ]
        for amount, options, message in cases:
            with self.subTest(amount=amount, message=message), self.assertNothingChanged():
                day = options.pop("day", date(2025, 2, 28))
                journal = options.pop("journal", self.cash)
                with self.assertRaisesMessage(UserError, message):
                    officer._kopdes_pay(amount, date=day, journal=journal)

    def test_paying_a_closed_loan_refused(self):
        self.pay(self.loan, 1_344_000, date(2025, 2, 28))
        self.assertEqual(self.loan.state, "closed")
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "takes no payments"):
            self.pay(self.loan, 10_000, date(2025, 3, 1))
        draft = self.make_loan(member=self.member_b)
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "takes no payments"):
            self.pay(draft, 10_000, date(2025, 3, 1))

    def test_payments_are_immutable(self):
        payment = self.pay(self.loan, 112_000, date(2025, 2, 28))
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            payment.write({"amount": 1})
        with self.assertRaisesMessage(UserError, "never deleted"):
            payment.sudo().unlink()
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            payment.allocation_ids.sudo().write({"principal": 0})
        with self.assertRaisesMessage(UserError, "cannot be deleted"):
            payment.allocation_ids.sudo().unlink()
        with self.assertRaisesMessage(UserError, "reset to draft"):
            payment.move_id.sudo().button_draft()

    def test_no_installment_paid_twice_in_the_database(self):
        self.pay(self.loan, 112_000, date(2025, 2, 28))
        allocation = self.lines[0].allocation_ids
        # a second allocation of the same principal cannot be stored
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["kopdes.loan.allocation"].with_context(kopdes_loan_posting=True).create(
                {
                    "loan_id": self.loan.id,
                    "line_id": self.lines[0].id,
                    "kind": "payment",
                    "date": date(2025, 3, 1),
                    "principal": allocation.principal,
                }
            )
            self.env.flush_all()

    def test_interest_paid_after_accrual_clears_the_receivable(self):
        self.env["kopdes.loan.month.end"]._kopdes_close(date(2025, 2, 28), self.company)
        self.assertEqual(self.lines[0].interest_accrued, 12_000)
        self.assertEqual(self.gl(self.flat.account_interest_receivable_id), 12_000)
        payment = self.pay(self.loan, 112_000, date(2025, 3, 3))
        by_account = {line.account_id: line.balance for line in payment.move_id.line_ids}
        self.assertEqual(by_account[self.flat.account_interest_receivable_id], -12_000)
        self.assertNotIn(self.flat.account_interest_income_id, by_account)
        self.assertEqual(self.gl(self.flat.account_interest_receivable_id), 0)
        self.assertLedgerMatchesLoans()

    def test_payment_wizard(self):
        self.pay(self.loan, 112_000, date(2025, 2, 28))
        wizard = (
            self.env["kopdes.loan.payment.wizard"]
            .with_user(self.user_officer)
            .create(
                {"loan_id": self.loan.id, "date": date(2025, 3, 31), "journal_id": self.cash.id}
            )
        )
        self.assertEqual(wizard.amount_overdue, 112_000)
        self.assertEqual(wizard.amount, 112_000)
        wizard.settle = True
        self.assertEqual(wizard.amount, self.loan._kopdes_payoff_amount(date(2025, 3, 31)))
        action = wizard.action_confirm()
        payment = self.env["kopdes.loan.payment"].browse(action["res_id"])
        self.assertTrue(payment.is_settlement)
        self.assertEqual(self.loan.state, "closed")
