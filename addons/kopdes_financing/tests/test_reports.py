from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestFinancingReports(KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = [cls._create_member(9300 + k, f"Peminjam Laporan {k}") for k in range(4)]
        cls.members[1].village = "Banyurip"

    def portfolio(self):
        """Four loans of 31 January 2025, seen on 15 July 2025 (after a month-end): on
        time, 15 days late (June), 45 days late (from May), 106 days late (from March)."""
        loans = [
            self.active_loan(member=m, amount=1_200_000, term=12, day=date(2025, 1, 31))
            for m in self.members
        ]
        paid_until = {0: 5, 1: 4, 2: 3, 3: 1}  # installments paid on time (Feb = 1)
        for index, loan in enumerate(loans):
            for line in loan.line_ids.sorted("sequence")[: paid_until[index]]:
                self.pay(loan, line.total, line.due_date)
        with freeze_time("2025-07-15"):  # run on its period end: the loans' current figures
            self.env["kopdes.loan.month.end"]._kopdes_close(date(2025, 7, 15), self.company)
        return loans

    def test_portfolio_dashboard_par_and_npl(self):
        loans = self.portfolio()
        self.assertEqual([loan.days_past_due for loan in loans], [0, 15, 45, 106])
        self.assertEqual([loan.collectability_id.code for loan in loans], ["1", "2", "2", "3"])
        with freeze_time("2025-07-15"):  # the dashboard shows today's figures
            action = self.env["kopdes.loan.dashboard"].with_user(self.user_officer).action_open()
            dashboard = (
                self.env["kopdes.loan.dashboard"]
                .with_user(self.user_officer)
                .browse(action["res_id"])
            )
            self.assertEqual(dashboard.as_of, date(2025, 7, 15))
            self.assertEqual(dashboard.loan_count, 4)
        self.assertEqual(action["name"], f"Portfolio of {self.company.name}")
        outstanding = 700_000 + 800_000 + 900_000 + 1_100_000
        self.assertEqual(dashboard.loan_count, 4)
        self.assertEqual(dashboard.outstanding, outstanding)
        self.assertEqual(dashboard.par1, 800_000 + 900_000 + 1_100_000)
        self.assertEqual(dashboard.par30, 900_000 + 1_100_000)
        self.assertEqual(dashboard.par90, 1_100_000)
        self.assertEqual(dashboard.npl, 1_100_000)
        self.assertAlmostEqual(dashboard.par30_ratio, 2_000_000 * 100 / outstanding, places=2)
        self.assertAlmostEqual(dashboard.npl_ratio, 1_100_000 * 100 / outstanding, places=2)
        self.assertEqual(dashboard.overdue_count, 3)
        self.assertEqual(
            dashboard.provision_required, sum(loan.provision_required for loan in loans)
        )
        self.assertEqual(dashboard.provision_booked, dashboard.provision_required)
        action = dashboard.with_context(kopdes_group_by="village").action_open_portfolio()
        self.assertEqual(action["res_model"], "kopdes.loan.portfolio.report")
        self.assertEqual(action["context"]["group_by"], ["village"])

    def test_portfolio_analysis_by_product_and_village(self):
        self.portfolio()
        Report = self.env["kopdes.loan.portfolio.report"].with_user(self.user_akuntan)
        groups = Report._read_group(
            [("company_id", "=", self.company.id), ("state", "=", "active")],
            ["village"],
            ["outstanding:sum", "par30:sum", "loan_count:sum"],
        )
        by_village = {village: (out, par, n) for village, out, par, n in groups}
        self.assertEqual(by_village["Banyurip"], (800_000, 0, 1))
        self.assertEqual(by_village["Sokoduwet"], (700_000 + 900_000 + 1_100_000, 2_000_000, 3))

    def test_aging_list_buckets(self):
        loans = self.portfolio()
        Aging = self.env["kopdes.loan.aging.report"].with_user(self.user_officer)
        rows = {row.loan_id: row for row in Aging.search([("company_id", "=", self.company.id)])}
        self.assertNotIn(loans[0], rows)
        self.assertEqual(rows[loans[1]].overdue_1_30, 112_000)  # June
        self.assertEqual(rows[loans[2]].overdue_1_30, 112_000)  # June
        self.assertEqual(rows[loans[2]].overdue_31_60, 112_000)  # May: 45 days
        latest = rows[loans[3]]
        self.assertEqual(
            (
                latest.overdue_1_30,
                latest.overdue_31_60,
                latest.overdue_61_90,
                latest.overdue_91_180,
            ),
            (112_000, 112_000, 112_000, 112_000),
        )
        self.assertFalse(latest.overdue_180)
        self.assertEqual(latest.mobile, self.members[3].mobile)
        self.assertGreater(latest.late_fees, 0)
        self.assertEqual(latest.overdue_total, 4 * 112_000 + latest.late_fees)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "kopdes_financing.action_report_kopdes_loan_aging", list(Aging.search([]).ids)
            )[0]
            .decode()
        )
        self.assertIn(self.members[3].name, html)

    def test_schedule_statement_and_receipt(self):
        loan = self.active_loan(
            member=self.members[0], amount=1_200_000, term=12, day=date(2025, 1, 31)
        )
        payment = self.pay(loan, 112_000, date(2025, 2, 28))
        Report = self.env["ir.actions.report"].with_user(self.user_officer)
        schedule = Report._render_qweb_html(
            "kopdes_financing.action_report_kopdes_loan_schedule", loan.ids
        )[0].decode()
        self.assertIn(loan.name, schedule)
        self.assertIn(self.members[0].name, schedule)
        self.assertIn("112,000.00", schedule)
        self.assertIn("1,344,000.00", schedule)  # total of the installments
        statement = Report._render_qweb_html(
            "kopdes_financing.action_report_kopdes_loan_statement", loan.ids
        )[0].decode()
        self.assertIn(payment.name, statement)
        self.assertIn("1,100,000.00", statement)  # outstanding principal
        receipt = Report._render_qweb_html(
            "kopdes_financing.action_report_kopdes_loan_receipt", payment.ids
        )[0].decode()
        self.assertIn(payment.name, receipt)
        self.assertIn("100,000.00", receipt)

    def test_wizards(self):
        loan = self.make_loan(
            member=self.members[0], amount=2_000_000, term=10, day=date(2025, 1, 10)
        )
        loan.with_user(self.user_officer).action_submit()
        with Form(
            self.env["kopdes.loan.approve.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_loan_id=loan.id)
        ) as form:
            self.assertEqual(form.approval_limit, 50_000_000)
            form.reason = "Disetujui rapat pengurus"
        form.save().action_confirm()
        self.assertEqual(loan.state, "approved")
        with Form(
            self.env["kopdes.loan.disburse.wizard"]
            .with_user(self.user_officer)
            .with_context(default_loan_id=loan.id)
        ) as form:
            form.date = date(2025, 1, 15)
            form.first_due_date = date(2025, 2, 28)
            self.assertEqual(form.net_amount, 1_980_000)
        form.save().action_confirm()
        self.assertEqual(loan.state, "active")
        self.assertEqual(loan.line_ids.sorted("sequence")[1].due_date, date(2025, 3, 31))
        with Form(
            self.env["kopdes.loan.reschedule.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_loan_id=loan.id)
        ) as form:
            self.assertEqual(form.annual_rate, 12.0)
            form.date = date(2025, 2, 1)
            form.term = 5
            form.reason = "Permintaan anggota"
        form.save().action_confirm()
        self.assertEqual(len(loan.current_line_ids), 5)
        with Form(self.env["kopdes.loan.month.end.wizard"].with_user(self.user_akuntan)) as form:
            form.date = date(2025, 3, 31)
        action = form.save().action_confirm()
        run = self.env["kopdes.loan.month.end"].browse(action["res_id"])
        self.assertEqual(run.date, date(2025, 3, 31))
        with Form(
            self.env["kopdes.loan.write.off.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_loan_id=loan.id)
        ) as form:
            form.date = date(2025, 4, 1)
            form.reason = "Usaha bangkrut"
        form.save().action_confirm()
        self.assertEqual(loan.state, "written_off")

    def test_loan_list_queries_do_not_grow(self):
        view = self.env.ref("kopdes_financing.kopdes_loan_view_list")
        fields_spec = {
            name: {}
            for name in (
                "name",
                "member_id",
                "village",
                "product_id",
                "disbursement_date",
                "amount",
                "installment_amount",
                "principal_residual",
                "days_past_due",
                "collectability_id",
                "state",
                "currency_id",
            )
        }
        Loan = self.env["kopdes.loan"].with_user(self.user_officer)

        def count():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Loan.web_search_read([("company_id", "=", self.company.id)], fields_spec)
            return self.cr.sql_log_count - before

        self.active_loan(member=self.members[0])
        self.make_loan(member=self.members[1])
        count()
        small = count()
        for member in self.members[2:] + [self.member_a, self.member_b, self.member_c]:
            self.active_loan(member=member)
        self.assertEqual(count(), small)
        self.assertTrue(view.arch)
