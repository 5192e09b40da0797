from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanMonthEndAsOf(KopdesFinancingCommon):
    """A month-end is computed from the books as of its period end: later payments,
    disbursements and reversals change nothing in it, and a past period never touches the
    loans' current figures."""

    def close(self, day):
        return (
            self.env["kopdes.loan.month.end"]
            .with_user(self.user_akuntan)
            ._kopdes_close(day, self.company)
        )

    def current(self, loans):
        loans.invalidate_recordset()
        return [
            (
                loan.days_past_due,
                loan.collectability_id,
                loan.provision_required,
                loan.eligible_collateral,
                loan.dpd_date,
            )
            for loan in loans
        ]

    def summary(self, run):
        run.invalidate_recordset()
        return (
            run.loan_count,
            run.outstanding,
            run.provision_required,
            sorted(
                (
                    line.collectability_id.code,
                    line.loan_count,
                    line.outstanding,
                    line.provision_required,
                )
                for line in run.class_line_ids
            ),
        )

    def move_count(self):
        return self.env["account.move"].search_count([("company_id", "=", self.company.id)])

    def test_past_month_end_ignores_later_payment_and_disbursement(self):
        late = self.active_loan(member=self.member_a, amount=1_200_000, term=12)  # 31/01/2025
        macet = self.active_loan(
            member=self.member_b, amount=3_000_000, term=6, day=date(2024, 6, 15)
        )
        ppap = self.company.kopdes_loan_provision_account_id
        with freeze_time("2025-04-02"):
            self.env["kopdes.loan"]._cron_daily()
            # the current figures, as of today (2 April): first installment due 28/02
            self.assertEqual(late.days_past_due, 33)
            before = self.current(late | macet)
            run = self.close(date(2025, 3, 31))
            # the past period left the loans' current figures alone
            self.assertEqual(self.current(late | macet), before)
            self.assertEqual(late.dpd_date, date(2025, 4, 2))
            # ... and is computed as of 31/03: DPK 3 % of 1.200.000, Macet 100 % of 3.000.000
            self.assertEqual(
                self.summary(run),
                (
                    2,
                    4_200_000,
                    3_036_000,
                    [("2", 1, 1_200_000, 36_000), ("5", 1, 3_000_000, 3_000_000)],
                ),
            )
            self.assertEqual(run.provision_booked, 0)
            self.assertEqual(run.provision_posted, 3_036_000)
            self.assertEqual(self.gl(ppap), -3_036_000)
            provision_move = run.move_ids.filtered(lambda move: move.kopdes_batch == "provision")
            self.assertEqual(provision_move.date, date(2025, 3, 31))
            figures = self.summary(run)

            # later activity: the arrears are paid and a new loan is disbursed on 2 April
            self.pay(
                late, late.with_context(date=date(2025, 4, 2)).amount_overdue, date(2025, 4, 2)
            )
            new = self.active_loan(
                member=self.member_c, amount=2_000_000, term=10, day=date(2025, 4, 2)
            )
            self.assertEqual(late.days_past_due, 0)
            loans = late | macet | new
            after_activity = self.current(loans)
            moves = self.move_count()

            again = self.close(date(2025, 3, 31))
            self.assertEqual(again, run)
            self.assertEqual(again.run_count, 2)
            # nothing posted ...
            self.assertEqual(self.move_count(), moves)
            self.assertEqual(again.interest_accrued, 0)
            self.assertEqual(again.late_fees, 0)
            self.assertEqual(again.provision_booked, 3_036_000)
            self.assertEqual(again.provision_posted, 0)
            self.assertEqual(self.gl(ppap), -3_036_000)
            # ... the same figures of 31/03 ...
            self.assertEqual(self.summary(again), figures)
            # ... and the loans' current figures untouched (the paid loan stays Lancar)
            self.assertEqual(self.current(loans), after_activity)
            self.assertEqual(late.collectability_id.code, "1")
        self.assertLedgerMatchesLoans()

    def test_payment_reversed_after_the_period_end(self):
        loan = self.active_loan(member=self.member_a, amount=1_200_000, term=12)
        with freeze_time("2025-04-02"):
            payment = self.pay(loan, 112_000, date(2025, 2, 28))
            run = self.close(date(2025, 3, 31))
            # paid on 28/02: 1.100.000 left, second installment due 31/03 not overdue
            self.assertEqual(run.outstanding, 1_100_000)
            self.assertEqual(run.class_line_ids.collectability_id.code, "1")
            figures = self.summary(run)
            payment.with_user(self.user_officer).action_reverse("Salah input", date(2025, 4, 2))
            moves = self.move_count()
            again = self.close(date(2025, 3, 31))
            self.assertEqual(self.move_count(), moves)
            self.assertEqual(self.summary(again), figures)
            self.assertEqual(again.provision_posted, 0)
            # the next period sees the reversal
            self.assertEqual(loan.days_past_due, 33)

    def test_dashboard_agrees_with_the_month_end_and_is_reused(self):
        self.active_loan(member=self.member_a, amount=1_200_000, term=12)
        self.active_loan(member=self.member_b, amount=3_000_000, term=6, day=date(2024, 6, 15))
        Dashboard = self.env["kopdes.loan.dashboard"].with_user(self.user_akuntan)
        with freeze_time("2025-03-31"):
            run = self.close(date(2025, 3, 31))
            action = Dashboard.action_open()
            dashboard = Dashboard.browse(action["res_id"])
            self.assertEqual(dashboard.as_of, date(2025, 3, 31))
            self.assertEqual(dashboard.loan_count, run.loan_count)
            self.assertEqual(dashboard.outstanding, run.outstanding)
            self.assertEqual(dashboard.provision_required, run.provision_required)
            # booked = the PPAP balance of the same day, which the month-end just made
            self.assertEqual(dashboard.provision_booked, run.provision_required)
            self.assertEqual(dashboard.overdue_count, 2)
            self.assertEqual(dashboard.par90, 3_000_000)
            # opening it again reuses the record
            count = Dashboard.search_count([])
            self.assertEqual(Dashboard.action_open()["res_id"], dashboard.id)
            self.assertEqual(Dashboard.search_count([]), count)
        with freeze_time("2025-04-15"):
            figures = Dashboard._kopdes_figures(self.company)
            self.assertEqual(figures["as_of"], date(2025, 4, 15))
            # a later day: the DPK loan has a second installment overdue, same outstanding
            self.assertEqual(figures["outstanding"], run.outstanding)
            of_period = Dashboard._kopdes_figures(self.company, date(2025, 3, 31))
            self.assertEqual(of_period["provision_required"], run.provision_required)
            self.assertEqual(of_period["provision_booked"], run.provision_required)
        action = self.env.ref("kopdes_financing.kopdes_loan_dashboard_action_server")
        self.assertEqual(action.path, "kopdes-portfolio")
        # /odoo/kopdes-portfolio: the web client finds the menu by the action's path and
        # shows its application's menu bar
        menus = self.env["ir.ui.menu"].with_user(self.user_akuntan).load_web_menus(False)
        menu = menus[self.env.ref("kopdes_financing.menu_kopdes_loan_dashboard").id]
        self.assertEqual(menu["actionPath"], "kopdes-portfolio")
        self.assertEqual(menu["appID"], self.env.ref("kopdes_members.menu_kopdes_root").id)

    def test_rescheduling_after_the_period_end(self):
        loan = self.active_loan(member=self.member_a, amount=1_200_000, term=12)
        self.pay(loan, 112_000, date(2025, 2, 28))
        with freeze_time("2025-06-01"):
            may = self.close(date(2025, 5, 31))
            # March, April, May unpaid: 1.100.000 left, 62 days past due (since 31/03)
            self.assertEqual(may.outstanding, 1_100_000)
            self.assertEqual(may.class_line_ids.collectability_id.code, "2")
            figures = self.summary(may)
            reschedule = loan.with_user(self.user_pengurus)._kopdes_reschedule(
                date(2025, 6, 1), 18, 12.0, "Gagal panen"
            )
            moves = self.move_count()
            again = self.close(date(2025, 5, 31))
            self.assertEqual(self.move_count(), moves)
            self.assertEqual(self.summary(again), figures)
            self.assertEqual(again.provision_posted, 0)
        with freeze_time("2025-07-02"):
            june = self.close(date(2025, 6, 30))
            # the new schedule (first due 01/07) as of 30/06: capitalised principal, Lancar
            self.assertEqual(june.outstanding, reschedule.principal_after)
            self.assertEqual(june.class_line_ids.collectability_id.code, "1")
        self.assertLedgerMatchesLoans()
