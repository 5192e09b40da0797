from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanMonthEnd(KopdesFinancingCommon):
    def close(self, day, user=None, current=False):
        """The month-end of ``day``; ``current``: run on that very day (today), so that it
        also updates the loans' current figures (a past period never does)."""
        month_end = self.env["kopdes.loan.month.end"].with_user(user or self.user_akuntan)
        if current:
            with freeze_time(day):
                return month_end._kopdes_close(day, self.company)
        return month_end._kopdes_close(day, self.company)

    def test_interest_accrual_is_idempotent_per_period(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        lines = loan.line_ids.sorted("sequence")
        february = self.close(date(2025, 2, 28))
        self.assertEqual(february.interest_accrued, 12_000)
        self.assertEqual(lines[0].interest_accrued, 12_000)
        self.assertEqual(lines[1].interest_accrued, 0)
        receivable = self.flat.account_interest_receivable_id
        income = self.flat.account_interest_income_id
        self.assertEqual(self.gl(receivable), 12_000)
        self.assertEqual(self.gl(income), -12_000)
        again = self.close(date(2025, 2, 28))
        self.assertEqual(again, february)
        self.assertEqual(again.run_count, 2)
        self.assertEqual(again.interest_accrued, 0)
        self.assertEqual(self.gl(receivable), 12_000)
        march = self.close(date(2025, 3, 31))
        self.assertEqual(march.interest_accrued, 12_000)
        self.assertEqual(self.gl(income), -24_000)
        self.assertLedgerMatchesLoans()

    def test_interest_paid_before_month_end_is_not_accrued_again(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.pay(loan, 112_000, date(2025, 2, 28))
        self.close(date(2025, 2, 28))
        self.assertEqual(self.gl(self.flat.account_interest_income_id), -12_000)
        self.assertEqual(self.gl(self.flat.account_interest_receivable_id), 0)
        self.assertLedgerMatchesLoans()

    def test_late_fees_accrue_daily_after_grace_days(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        first = loan.line_ids.sorted("sequence")[0]
        fee_income = self.flat.account_late_fee_id
        with freeze_time("2025-03-03"):  # 3 days late: still within the grace days
            self.env["kopdes.loan"]._cron_daily()
        self.assertEqual(first.late_fee, 0)
        with freeze_time("2025-03-10"):
            self.env["kopdes.loan"]._cron_daily()
            self.env["kopdes.loan"]._cron_daily()  # twice the same day: nothing more
        # 10 days late, 3 of grace: 7 days x 0.1 % x 112.000
        self.assertEqual(first.late_fee, 784)
        self.assertEqual(first.late_fee_date, date(2025, 3, 10))
        self.assertEqual(self.gl(fee_income), -784)
        self.assertEqual(loan.days_past_due, 10)
        # the loan's required provision follows its class every day; only the month-end posts
        self.assertEqual(loan.provision_date, date(2025, 3, 10))
        rate = loan.collectability_id.provision_rate
        self.assertAlmostEqual(loan.provision_required, loan.principal_residual * rate / 100, -1)
        self.assertEqual(self.gl(self.company.kopdes_loan_provision_account_id), 0)
        with freeze_time("2025-03-15"):
            self.env["kopdes.loan"]._cron_daily()
        self.assertEqual(first.late_fee, 784 + 5 * 112)
        self.assertEqual(self.gl(fee_income), -1_344)
        self.assertLedgerMatchesLoans()

    def test_murabahah_late_fees_go_to_the_social_fund(self):
        loan = self.active_loan(
            product=self.murabahah, amount=6_000_000, term=12, day=date(2025, 1, 31)
        )
        self.assertEqual(set(loan.line_ids.mapped("interest")), {50_000})
        self.close(date(2025, 3, 10))
        social_fund = self.company.kopdes_loan_social_fund_account_id
        # fixed Rp 1.000 a day after 3 days of grace: 7 days
        self.assertEqual(self.gl(social_fund), -7_000)
        self.assertEqual(self.gl(self.flat.account_late_fee_id), 0)
        # the margin goes to the margin account
        margin = self.company.kopdes_loan_margin_income_account_id
        self.assertEqual(self.gl(margin), -50_000)
        self.assertLedgerMatchesLoans()

    def test_days_past_due_and_classes(self):
        on_time = self.active_loan(member=self.member_a, day=date(2025, 1, 31))
        self.pay(on_time, 112_000, date(2025, 2, 28))
        dpk = self.active_loan(member=self.member_b, day=date(2025, 1, 31))
        macet = self.active_loan(member=self.member_c, day=date(2024, 6, 15))
        self.close(date(2025, 3, 15), current=True)
        self.assertEqual(on_time.days_past_due, 0)
        self.assertEqual(on_time.collectability_id.name, "Lancar")
        self.assertEqual(dpk.days_past_due, 15)
        self.assertEqual(dpk.collectability_id.name, "Dalam Perhatian Khusus (DPK)")
        # first installment due 15 July 2024, unpaid on 15 March 2025: 243 days
        self.assertEqual(macet.days_past_due, 243)
        self.assertEqual(macet.collectability_id.name, "Macet")
        # the thresholds are configuration: DPK from 31 days makes the second loan Lancar
        classes = self.env["kopdes.loan.collectability"].search(
            [("company_id", "=", self.company.id)]
        )
        classes.filtered(lambda c: c.code == "2").min_days = 31
        self.close(date(2025, 3, 15), current=True)
        self.assertEqual(dpk.collectability_id.name, "Lancar")

    def test_provision_posts_the_difference(self):
        dpk = self.active_loan(
            member=self.member_b, amount=10_000_000, term=10, day=date(2025, 1, 31)
        )
        lancar = self.active_loan(
            member=self.member_a, amount=2_000_000, term=10, day=date(2025, 2, 20)
        )
        run = self.close(date(2025, 3, 15), current=True)
        # DPK 3 % of 10.000.000, Lancar 0,5 % of 2.000.000
        self.assertEqual(dpk.provision_required, 300_000)
        self.assertEqual(lancar.provision_required, 10_000)
        self.assertEqual(run.provision_required, 310_000)
        self.assertEqual(run.provision_booked, 0)
        self.assertEqual(run.provision_posted, 310_000)
        ppap = self.company.kopdes_loan_provision_account_id
        expense = self.company.kopdes_loan_provision_expense_account_id
        self.assertEqual(self.gl(ppap), -310_000)
        self.assertEqual(self.gl(expense), 310_000)
        again = self.close(date(2025, 3, 15))
        self.assertEqual(again.provision_posted, 0)
        self.assertEqual(self.gl(ppap), -310_000)
        # the arrears are paid: DPK becomes Lancar, the provision is released
        dpk._kopdes_accrue_late_fees(date(2025, 3, 20), loans=dpk)
        self.pay(dpk, dpk.with_context(date=date(2025, 3, 20)).amount_overdue, date(2025, 3, 20))
        april = self.close(date(2025, 3, 20), current=True)
        self.assertEqual(dpk.collectability_id.code, "1")
        self.assertEqual(dpk.provision_required, 45_000)  # 0,5 % of 9.000.000
        self.assertEqual(april.provision_posted, 45_000 + 10_000 - 310_000)
        self.assertEqual(self.gl(ppap), -55_000)
        self.assertEqual(april.class_line_ids.mapped("loan_count"), [2])
        self.assertLedgerMatchesLoans()

    def test_blocked_savings_lower_the_provision_and_cannot_be_withdrawn(self):
        savings = self.account(self.member_b, "sukarela")
        self.deposit(self.member_b, "sukarela", 4_000_000, day=date(2025, 1, 5))
        loan = self.make_loan(
            member=self.member_b,
            amount=10_000_000,
            term=10,
            day=date(2025, 1, 31),
            collateral_type="savings",
            collateral_savings_account_id=savings.id,
            collateral_savings_amount=3_000_000,
        )
        self.approve(loan)
        loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        self.assertEqual(savings.kopdes_blocked_amount, 3_000_000)
        self.assertEqual(savings.available_balance, 1_000_000)
        with self.assertRaisesMessage(UserError, "blocked as collateral"):
            savings.with_user(self.user_petugas)._kopdes_withdraw(1_500_000, date(2025, 3, 1))
        savings.with_user(self.user_petugas)._kopdes_withdraw(1_000_000, date(2025, 3, 1))
        self.close(date(2025, 3, 15), current=True)
        # DPK: 3 % of (10.000.000 - 3.000.000 blocked)
        self.assertEqual(loan.eligible_collateral, 3_000_000)
        self.assertEqual(loan.provision_required, 210_000)
        # blocking more than the free savings is refused at approval
        second = self.make_loan(
            member=self.member_b,
            amount=1_000_000,
            day=date(2025, 3, 15),
            collateral_type="savings",
            collateral_savings_account_id=savings.id,
            collateral_savings_amount=500_000,
        ).with_context(date=date(2025, 3, 15))
        second.with_user(self.user_pengurus).action_override_overdue("Agunan simpanan cukup")
        second.with_user(self.user_officer).action_submit()
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "free to block"):
            second.with_user(self.user_pengurus).action_approve("ok")

    def test_write_off_against_the_provision(self):
        loan = self.active_loan(
            member=self.member_c, amount=3_000_000, term=6, day=date(2024, 6, 15)
        )
        self.pay(loan, 500_000 + 30_000, date(2024, 7, 15))
        run = self.close(date(2025, 3, 31), current=True)
        self.assertEqual(loan.collectability_id.name, "Macet")
        self.assertEqual(loan.provision_required, 2_500_000)
        self.assertEqual(run.provision_required, 2_500_000)
        ppap = self.company.kopdes_loan_provision_account_id
        self.assertEqual(self.gl(ppap), -2_500_000)
        receivable_before = self.gl(self.flat.account_interest_receivable_id)
        self.assertGreater(receivable_before, 0)  # accrued interest and late fees unpaid
        with self.assertRaises(AccessError):
            loan.with_user(self.user_officer)._kopdes_write_off(date(2025, 3, 31), "tidak tertagih")
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "Write why"):
            loan.with_user(self.user_pengurus)._kopdes_write_off(date(2025, 3, 31), "")
        loan.with_user(self.user_pengurus)._kopdes_write_off(
            date(2025, 3, 31), "Anggota pindah, tidak tertagih"
        )
        self.assertEqual(loan.state, "written_off")
        self.assertEqual(loan.write_off_reason, "Anggota pindah, tidak tertagih")
        self.assertEqual(self.gl(ppap), 0)
        self.assertEqual(self.gl(self.flat.account_principal_id), 0)
        self.assertEqual(self.gl(self.flat.account_interest_receivable_id), 0)
        self.assertEqual(
            set(loan.line_ids.filtered(lambda line: line.state != "paid").mapped("state")),
            {"settled"},
        )
        with self.assertRaisesMessage(UserError, "takes no payments"):
            self.pay(loan, 100_000, date(2025, 4, 1))
        # the next month-end has nothing to provide for this loan any more
        after = self.close(date(2025, 4, 30))
        self.assertEqual(after.provision_required, 0)
        self.assertEqual(after.provision_posted, 0)
        self.assertLedgerMatchesLoans()

    def test_reschedule_keeps_the_history(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.pay(loan, 112_000, date(2025, 2, 28))
        self.close(date(2025, 5, 31))  # March, April, May accrued and late
        old_lines = loan.line_ids
        accrued = sum(old_lines.mapped("interest_accrued"))
        fees = sum(old_lines.mapped("late_fee"))
        self.assertEqual(accrued, 36_000)
        self.assertGreater(fees, 0)
        with self.assertRaises(AccessError):
            loan.with_user(self.user_officer)._kopdes_reschedule(date(2025, 6, 1), 18, 12.0, "x")
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "between 0 and 100"):
            loan.with_user(self.user_pengurus)._kopdes_reschedule(date(2025, 6, 1), 18, 150.0, "x")
        with freeze_time("2025-06-01"):
            reschedule = loan.with_user(self.user_pengurus)._kopdes_reschedule(
                date(2025, 6, 1), 18, 12.0, "Gagal panen"
            )
        fees = sum(old_lines.mapped("late_fee"))
        self.assertEqual(reschedule.principal_before, 1_100_000)
        self.assertEqual(reschedule.capitalised_interest, 36_000)
        self.assertEqual(reschedule.capitalised_late_fee, fees)
        self.assertEqual(reschedule.principal_after, 1_100_000 + 36_000 + fees)
        self.assertTrue(all(old_lines.mapped("rescheduled")))
        new_lines = loan.current_line_ids
        self.assertEqual(len(new_lines), 18)
        self.assertEqual(sum(new_lines.mapped("principal")), reschedule.principal_after)
        self.assertEqual(min(new_lines.mapped("sequence")), 13)
        self.assertEqual(new_lines.sorted("sequence")[0].due_date, date(2025, 7, 1))
        self.assertEqual(loan.principal_residual, reschedule.principal_after)
        self.assertEqual(len(loan.line_ids), 30)  # the history stays
        self.assertEqual(loan.days_past_due, 0)
        self.assertLedgerMatchesLoans()
        payment = self.pay(loan, new_lines.sorted("sequence")[0].total, date(2025, 7, 1))
        self.assertEqual(payment.allocation_ids.line_id, new_lines.sorted("sequence")[0])
        # the payment made before the rescheduling stays: the new schedule was built on it
        first = loan.payment_ids.filtered(lambda p: p.date == date(2025, 2, 28))
        with (
            self.assertNothingChanged(),
            self.assertRaisesMessage(UserError, "can no longer be reversed"),
        ):
            first.with_user(self.user_officer).action_reverse("Salah input", date(2025, 7, 2))
        self.assertEqual(first.state, "posted")
        # one made after it can be
        payment.with_user(self.user_officer).action_reverse("Salah input", date(2025, 7, 2))
        self.assertEqual(payment.state, "reversed")
        self.assertLedgerMatchesLoans()

    def test_month_end_rights_and_future(self):
        with self.assertRaises(AccessError):
            self.close(date(2025, 1, 31), user=self.user_officer)
        with self.assertRaisesMessage(UserError, "has not ended"):
            self.close(date(2999, 1, 31))

    def test_month_end_queries_do_not_grow_with_loans(self):
        members = [self._create_member(9200 + k, f"Peminjam {k}") for k in range(8)]
        for member in members[:2]:
            self.active_loan(member=member, day=date(2024, 11, 30))

        def count(day):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            run = self.env["kopdes.loan.month.end"]._kopdes_close(day, self.company)
            # every run books interest, late fees and a provision difference
            self.assertEqual(len(run.move_ids), 3)
            return self.cr.sql_log_count - before

        count(date(2025, 1, 31))  # warm up caches (sequences, accounts)
        self.active_loan(member=members[2], day=date(2024, 11, 30))
        small = count(date(2025, 2, 28))
        for member in members[3:]:
            self.active_loan(member=member, day=date(2024, 11, 30))
        large = count(date(2025, 3, 31))
        self.assertEqual(large, small)
