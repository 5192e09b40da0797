from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanHooks(KopdesFinancingCommon):
    """Every batch step announces what it did once, with all the records it touched.

    The hooks are observed, not replaced: the wrapper calls the real method, so what the
    default implementation does (the tracking of a class change) still happens."""

    def setUp(self):
        super().setUp()
        # disbursed on the day: the arrears of the disbursement are as of that day
        with freeze_time("2025-01-31"):
            self.loan_a = self.active_loan(member=self.member_a, day=date(2025, 1, 31))
            self.loan_b = self.active_loan(member=self.member_b, day=date(2025, 1, 31))
        self.loans = self.loan_a | self.loan_b
        self.first_lines = self.loans.line_ids.filtered(lambda line: line.sequence == 1)
        self.second_lines = self.loans.line_ids.filtered(lambda line: line.sequence == 2)
        self.Loan = self.env["kopdes.loan"].with_company(self.company)
        self.Line = self.env["kopdes.loan.line"].with_company(self.company)

    @contextmanager
    def observe(self, model, method):
        cls = type(self.env[model])
        with patch.object(cls, method, autospec=True, side_effect=getattr(cls, method)) as spy:
            yield spy

    def records(self, spy):
        """The recordset the hook was called on (its ``self``)."""
        self.assertEqual(spy.call_count, 1)
        return spy.call_args.args[0]

    def close(self, day):
        return (
            self.env["kopdes.loan.month.end"]
            .with_user(self.user_akuntan)
            ._kopdes_close(day, self.company)
        )

    def test_late_fees_charged_hook(self):
        with self.observe("kopdes.loan.line", "_kopdes_late_fees_charged") as spy:
            self.Line._kopdes_accrue_late_fees(date(2025, 3, 10), company=self.company)
        self.assertEqual(self.records(spy), self.first_lines)
        self.assertEqual(self.first_lines.mapped("late_fee"), [784, 784])
        with self.observe("kopdes.loan.line", "_kopdes_late_fees_charged") as spy:
            self.Line._kopdes_accrue_late_fees(date(2025, 3, 10), company=self.company)
        self.assertFalse(spy.called, "nothing new was charged")

    def test_interest_accrued_hook_from_the_month_end(self):
        with self.observe("kopdes.loan.line", "_kopdes_interest_accrued") as spy:
            self.close(date(2025, 2, 28))
        self.assertEqual(self.records(spy), self.first_lines)
        self.assertEqual(self.first_lines.mapped("interest_accrued"), [12_000, 12_000])
        with self.observe("kopdes.loan.line", "_kopdes_interest_accrued") as spy:
            self.close(date(2025, 2, 28))
        self.assertFalse(spy.called, "a re-run accrues nothing")

    def test_installments_overdue_hook(self):
        with self.observe("kopdes.loan.line", "_kopdes_installments_overdue") as spy:
            self.Loan._kopdes_update_arrears(date(2025, 3, 1), company=self.company)
        self.assertEqual(self.records(spy), self.first_lines)
        self.assertEqual(self.loans.mapped("days_past_due"), [1, 1])
        with self.observe("kopdes.loan.line", "_kopdes_installments_overdue") as spy:
            self.Loan._kopdes_update_arrears(date(2025, 3, 10), company=self.company)
        self.assertFalse(spy.called, "the first installments were already overdue")
        with freeze_time("2025-03-10"):
            self.pay(self.loan_a, 112_000 + 784, date(2025, 3, 10))
        self.assertEqual(self.first_lines[0].state, "paid")
        with self.observe("kopdes.loan.line", "_kopdes_installments_overdue") as spy:
            self.Loan._kopdes_update_arrears(date(2025, 4, 1), company=self.company)
        self.assertEqual(self.records(spy), self.second_lines)

    def test_classes_changed_hook_tracks_the_class(self):
        lancar = self.loans.collectability_id
        self.assertEqual(lancar.code, "1")
        with self.observe("kopdes.loan", "_kopdes_classes_changed") as spy:
            self.Loan._kopdes_update_arrears(date(2025, 3, 1), company=self.company)
        self.assertEqual(self.records(spy), self.loans)
        self.assertEqual(spy.call_args.args[1], {self.loan_a.id: lancar, self.loan_b.id: lancar})
        dpk = self.loans.collectability_id
        self.assertEqual(dpk.code, "2")
        for loan in self.loans:
            tracking = loan.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "collectability_id"
            )
            self.assertEqual(len(tracking), 2, "disbursement (none to Lancar), then DPK")
            last = tracking.sorted("id")[-1]
            self.assertEqual(last.old_value_integer, lancar.id)
            self.assertEqual(last.new_value_integer, dpk.id)
            self.assertEqual(
                (last.old_value_char, last.new_value_char), (lancar.display_name, dpk.display_name)
            )
            self.assertEqual(last.mail_message_id.subtype_id, self.env.ref("mail.mt_note"))
        with self.observe("kopdes.loan", "_kopdes_classes_changed") as spy:
            self.Loan._kopdes_update_arrears(date(2025, 3, 10), company=self.company)
        self.assertFalse(spy.called, "still DPK")

    def test_provisions_changed_hook_from_the_month_end(self):
        # run on its period end: the month-end also updates the loans' current figures
        with (
            freeze_time("2025-02-28"),
            self.observe("kopdes.loan", "_kopdes_provisions_changed") as spy,
        ):
            self.close(date(2025, 2, 28))
        self.assertEqual(self.records(spy), self.loans)
        self.assertTrue(all(self.loans.mapped("provision_required")))
        with (
            freeze_time("2025-02-28"),
            self.observe("kopdes.loan", "_kopdes_provisions_changed") as spy,
        ):
            self.close(date(2025, 2, 28))
        self.assertFalse(spy.called, "the provisions did not change")
        # a past period never changes the loans' current figures
        with self.observe("kopdes.loan", "_kopdes_provisions_changed") as spy:
            self.close(date(2025, 3, 31))
        self.assertFalse(spy.called, "a past period writes no loan")

    def test_payments_posted_hook_on_every_path(self):
        with self.observe("kopdes.loan.payment", "_kopdes_payments_posted") as spy:
            cash = self.pay(self.loan_a, 112_000, date(2025, 2, 28))
        self.assertEqual(self.records(spy), cash)
        self.assertTrue(self.records(spy).move_id, "called once the entry is posted")
        self.account(self.member_b, "sukarela")
        self.deposit(self.member_b, "sukarela", 500_000, day=date(2025, 2, 1))
        with self.observe("kopdes.loan.payment", "_kopdes_payments_posted") as spy:
            from_savings = self.pay(self.loan_b, 112_000, date(2025, 2, 28), source="savings")
        self.assertEqual(self.records(spy), from_savings)
        self.assertTrue(from_savings.savings_transaction_id)
        payoff = self.loan_a._kopdes_payoff_amount(date(2025, 3, 5))
        with self.observe("kopdes.loan.payment", "_kopdes_payments_posted") as spy:
            settlement = self.pay(self.loan_a, payoff, date(2025, 3, 5), settle=True)
        self.assertEqual(self.records(spy), settlement)
        self.assertEqual(self.loan_a.state, "closed", "the loan is closed before the hook")


@tagged("post_install", "-at_install")
class TestLoanEntryGuards(KopdesFinancingCommon):
    """Entries posted by the loans, one by one or by the batch jobs, are never changed from
    Accounting; the refusal changes nothing."""

    def assertRefused(self, moves):
        for move in moves:
            for user_env in (move.with_user(self.user_akuntan), move.sudo()):
                for action in (
                    lambda m: m.button_draft(),
                    lambda m: m.button_cancel(),
                    lambda m: m._reverse_moves([{"date": m.date}]),
                    lambda m: m.unlink(),
                ):
                    with (
                        self.assertNothingChanged(),
                        self.assertRaisesMessage(UserError, "were posted by the loans"),
                    ):
                        action(user_env)
                    self.assertEqual(move.state, "posted")

    def test_month_end_entries_are_linked_and_guarded(self):
        self.active_loan(day=date(2024, 12, 31))
        run = (
            self.env["kopdes.loan.month.end"]
            .with_user(self.user_akuntan)
            ._kopdes_close(date(2025, 2, 28), self.company)
        )
        self.assertEqual(len(run.move_ids), 3)
        self.assertEqual(
            sorted(run.move_ids.mapped("kopdes_batch")), ["interest", "late_fees", "provision"]
        )
        self.assertEqual(run.move_ids.kopdes_month_end_id, run)
        self.assertFalse(run.move_ids.kopdes_loan_id)
        self.assertRefused(run.move_ids)

    def test_daily_late_fee_entry_is_guarded(self):
        self.active_loan(day=date(2025, 1, 31))
        move = self.env["kopdes.loan.line"]._kopdes_accrue_late_fees(
            date(2025, 3, 10), company=self.company
        )
        self.assertEqual(move.kopdes_batch, "late_fees")
        self.assertFalse(move.kopdes_month_end_id)
        self.assertRefused(move)

    def test_loan_entries_cannot_be_reversed_from_accounting(self):
        loan = self.active_loan(day=date(2025, 1, 31))
        payment = self.pay(loan, 112_000, date(2025, 2, 28))
        self.assertRefused(loan.disbursement_move_id | payment.move_id)
        # the loan's own correction still reverses the entry
        payment.with_user(self.user_officer).action_reverse("Salah input")
        payment = payment.sudo()
        self.assertEqual(payment.state, "reversed")
        self.assertEqual(payment.reversal_move_id.reversed_entry_id, payment.move_id)
        self.assertEqual(payment.reversal_move_id.kopdes_loan_id, loan)
