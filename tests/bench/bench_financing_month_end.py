"""Benchmark: the loan month-end (late fees, interest accrual, days past due, classes,
provision) of a cooperative with 10,000 active loans, and the same for 1,000 loans to show
that the number of SQL queries does not grow with the number of loans.

Run with ``make bench`` (scripts/bench.sh): a fresh database without demo data. The
cooperative is generated with bulk SQL (members, loans, 12 installments each, some paid
and some late); only the month-end itself is timed. Prints the figures.
"""

import time
from datetime import date

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.kopdes_financing.models.common import kopdes_system
from odoo.addons.kopdes_financing.tools import schedule

PERIOD_END = date(2025, 6, 30)
LIMIT_SECONDS = 60


def generate_cooperative(env, name, loans):
    """A cooperative on the Indonesian chart with ``loans`` active loans (bulk SQL)."""
    company = env["res.company"].create(
        {"name": name, "country_id": env.ref("base.id").id, "currency_id": env.ref("base.IDR").id}
    )
    env.user.company_ids = [(4, company.id)]
    env["account.chart.template"].try_loading("id", company=company, install_demo=False)
    company._kopdes_setup_financing()
    product = env["kopdes.loan.product"].create(
        {
            "name": "Modal Usaha",
            "code": "MU",
            "company_id": company.id,
            "method": "flat",
            "annual_rate": 18.0,
            "min_term": 1,
            "max_term": 24,
            "late_fee_mode": "rate",
            "late_fee_value": 0.1,
            "late_fee_grace_days": 3,
        }
    )
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, company_id, active, type, is_company,
                                 autopost_bills, create_date, write_date)
        SELECT 'Peminjam ' || n, 'Peminjam ' || n, %(c)s, TRUE, 'contact', FALSE,
               'ask', now(), now()
          FROM generate_series(1, %(n)s) n
     RETURNING id
        """,
        {"c": company.id, "n": loans},
    )
    partners = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO kopdes_member (partner_id, company_id, state, nik, member_number, village,
                                   join_date, active, create_date, write_date)
        SELECT p.id, %(c)s, 'active', lpad((3375040101800000 + k)::text, 16, '0'),
               'B-' || k, 'Desa ' || (k %% 25), '2023-01-01', TRUE, now(), now()
          FROM unnest(%(p)s::int[]) WITH ORDINALITY AS p(id, k)
     RETURNING id, partner_id
        """,
        {"c": company.id, "p": partners},
    )
    members = cr.fetchall()
    # a few disbursement months, so that loans are at every stage of their schedule
    months = [date(2024, m, 15) for m in range(7, 13)] + [date(2025, m, 15) for m in range(1, 6)]
    cr.execute(
        """
        INSERT INTO kopdes_loan (name, company_id, member_id, partner_id, product_id, state,
                                 method, frequency, annual_rate, amount, term, grace_periods,
                                 purpose, collateral_type, application_date, disbursement_date,
                                 early_repayment_rule, admin_fee_mode, admin_fee,
                                 collateral_value, collateral_savings_amount,
                                 principal_residual, interest_residual, village,
                                 create_date, write_date)
        SELECT 'PB/B/' || k, %(c)s, m.id, m.partner_id, %(prod)s, 'active', 'flat', 'monthly',
               18, 2400000, 12, 0, 'working_capital', 'none',
               (%(months)s::date[])[1 + k %% %(nm)s], (%(months)s::date[])[1 + k %% %(nm)s],
               'current', 'deducted', 0, 0, 0, 0, 0, 'Desa ' || (k %% 25), now(), now()
          FROM unnest(%(m)s::int[], %(mp)s::int[]) WITH ORDINALITY AS m(id, partner_id, k)
        """,
        {
            "c": company.id,
            "prod": product.id,
            "months": months,
            "nm": len(months),
            "m": [m[0] for m in members],
            "mp": [m[1] for m in members],
        },
    )
    plan = schedule.amounts(2_400_000, 18, 12, schedule.FLAT)
    # installments: due monthly after the disbursement; most members pay on time, one in
    # five stops paying after two installments, one in seven is a month late
    cr.execute(
        """
        INSERT INTO kopdes_loan_line (loan_id, company_id, member_id, sequence, schedule_version,
                                      rescheduled, period_start, due_date, principal, interest,
                                      total, late_fee, interest_accrued, principal_paid,
                                      interest_paid, late_fee_paid, principal_settled,
                                      interest_settled, interest_receivable_settled,
                                      late_fee_settled, principal_residual, interest_residual,
                                      state, create_date, write_date)
        SELECT loan.id, loan.company_id, loan.member_id, s.seq, 1, FALSE,
               (loan.disbursement_date + (s.seq - 1) * interval '1 month')::date,
               (loan.disbursement_date + s.seq * interval '1 month')::date,
               s.principal, s.interest, s.principal + s.interest, 0, 0,
               paid.p, paid.i, 0, paid.p, paid.i, 0, 0,
               s.principal - paid.p, s.interest - paid.i,
               CASE WHEN paid.p > 0 THEN 'paid' ELSE 'open' END, now(), now()
          FROM kopdes_loan loan
          CROSS JOIN unnest(%(pr)s::numeric[], %(it)s::numeric[]) WITH ORDINALITY
               AS s(principal, interest, seq)
          CROSS JOIN LATERAL (
                SELECT CASE WHEN paid THEN s.principal ELSE 0 END AS p,
                       CASE WHEN paid THEN s.interest ELSE 0 END AS i
                  FROM (
                        SELECT (loan.disbursement_date + s.seq * interval '1 month')::date
                                   <= %(end)s
                               AND NOT (loan.id %% 5 = 0 AND s.seq > 2)
                               AND NOT (loan.id %% 7 = 0 AND
                                        (loan.disbursement_date + s.seq * interval '1 month')::date
                                        > %(end)s - 31) AS paid
                  ) rule
          ) paid
         WHERE loan.company_id = %(c)s
        """,
        {
            "c": company.id,
            "pr": [p for p, _i in plan],
            "it": [i for _p, i in plan],
            "end": PERIOD_END,
        },
    )
    # what settled the paid installments (the month-end reads the books as of its date
    # from the allocations): paid on their due dates
    cr.execute(
        """
        INSERT INTO kopdes_loan_allocation (loan_id, line_id, company_id, kind, date, principal,
                                            interest, interest_receivable, late_fee, total,
                                            create_date, write_date)
        SELECT line.loan_id, line.id, line.company_id, 'payment', line.due_date,
               line.principal_paid, line.interest_paid, 0, 0,
               line.principal_paid + line.interest_paid, now(), now()
          FROM kopdes_loan_line line
         WHERE line.company_id = %(c)s AND line.principal_paid > 0
        """,
        {"c": company.id},
    )
    cr.execute(
        """
        UPDATE kopdes_loan loan SET principal_residual = sub.p, interest_residual = sub.i
          FROM (SELECT loan_id, SUM(principal_residual) p, SUM(interest_residual) i
                  FROM kopdes_loan_line WHERE company_id = %(c)s GROUP BY loan_id) sub
         WHERE loan.id = sub.loan_id
        """,
        {"c": company.id},
    )
    # fresh rows: give the planner its statistics, as autovacuum would in production
    for table in (
        "res_partner",
        "kopdes_member",
        "kopdes_loan",
        "kopdes_loan_line",
        "kopdes_loan_allocation",
    ):
        cr.execute(f"ANALYZE {table}")  # noqa: S608 (fixed table names)
    env.invalidate_all()
    return company


@tagged("post_install", "-at_install", "bench")
class BenchFinancingMonthEnd(TransactionCase):
    def run_month_end(self, company):
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        Loan = env["kopdes.loan"].with_company(company)
        Line = env["kopdes.loan.line"].with_company(company)
        MonthEnd = env["kopdes.loan.month.end"].with_company(company)
        steps = {}

        def timed(name, function):
            env.invalidate_all()
            queries = self.cr.sql_log_count
            start = time.perf_counter()
            result = function()
            env.flush_all()
            steps[name] = (time.perf_counter() - start, self.cr.sql_log_count - queries)
            return result

        timed("late fees", lambda: Loan._kopdes_accrue_late_fees(PERIOD_END, company=company))
        timed("interest accrual", lambda: Line._kopdes_accrue_interest(PERIOD_END, company))
        timed("days past due + classes", lambda: Loan._kopdes_update_arrears(PERIOD_END, company))
        required = timed(
            "required provisions", lambda: MonthEnd._kopdes_update_provisions(PERIOD_END, company)
        )
        timed(
            "provision entry",
            lambda: MonthEnd._kopdes_post_provision(PERIOD_END, company, required),
        )
        timed(
            "portfolio as of the period",
            lambda: MonthEnd._kopdes_portfolio_as_of(PERIOD_END, company),
        )
        rows = MonthEnd._kopdes_portfolio_as_of(PERIOD_END, company)
        month_end = MonthEnd.sudo().create({"company_id": company.id, "date": PERIOD_END})
        Snapshot = kopdes_system(env["kopdes.loan.snapshot"])
        timed("loan snapshots", lambda: Snapshot._kopdes_snapshot(month_end, rows))
        self.assertEqual(Snapshot.search_count([("month_end_id", "=", month_end.id)]), len(rows))
        # the whole month-end again, as the accountant runs it (idempotent: books nothing new)
        rerun = timed(
            "full month-end (re-run)",
            lambda: env["kopdes.loan.month.end"]._kopdes_close(PERIOD_END, company),
        )
        # the month-end's figures as of the period agree with the loans' figures of that day
        self.assertEqual(rerun.provision_posted, 0)
        self.assertEqual(rerun.provision_required, required)
        return steps

    def test_month_end_10000_loans(self):
        figures = {}
        for loans in (1_000, 10_000):
            start = time.perf_counter()
            company = generate_cooperative(self.env, f"KKMP Bench {loans}", loans)
            setup = time.perf_counter() - start
            steps = self.run_month_end(company)
            figures[loans] = steps
            self.env.cr.execute(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE days_past_due > 0),"
                " SUM(provision_required) FROM kopdes_loan WHERE company_id = %s",
                [company.id],
            )
            count, late, provision = self.env.cr.fetchone()
            self.env.cr.execute(
                "SELECT cls.name, COUNT(*) FROM kopdes_loan loan"
                " JOIN kopdes_loan_collectability cls ON cls.id = loan.collectability_id"
                " WHERE loan.company_id = %s GROUP BY cls.name, cls.min_days ORDER BY cls.min_days",
                [company.id],
            )
            classes = ", ".join(f"{name} {n}" for name, n in self.env.cr.fetchall())
            print(
                f"\n== {loans} active loans (generated in {setup:.1f} s): {late} in arrears, "
                f"required provision Rp {provision:,.0f}\n   classes: {classes}"
            )
            for name, (seconds, queries) in steps.items():
                print(f"   {name:<26} {seconds:7.2f} s {queries:5d} queries")
            total = sum(seconds for name, (seconds, _q) in steps.items() if "re-run" not in name)
            print(f"   {'month-end total':<26} {total:7.2f} s")
            self.assertEqual(count, loans)
            self.assertGreater(late, 0)
        small, large = figures[1_000], figures[10_000]
        for name in small:
            self.assertEqual(small[name][1], large[name][1], f"queries of {name} grow with loans")
        total = sum(seconds for name, (seconds, _q) in large.items() if "re-run" not in name)
        self.assertLess(total, LIMIT_SECONDS)
