"""Benchmark: the month-end close (kopdes_close) of a cooperative with N members, each with a
sukarela and a wajib account and one loan, for N = 10,000 and N = 100,000.

Run with ``make bench`` (scripts/bench.sh: a fresh database without demo data). Members,
savings and loans are generated with bulk SQL (the loans as in bench_financing_month_end.py);
only the close is timed, job by job. Beside each job the same run measures its SQL floor:
plain INSERT ... SELECT / UPDATE statements reading and writing the same rows, executed in a
savepoint that is rolled back. Prints the figures and asserts, for each job, that it stays
within 3x of its floor, that its number of queries does not grow with the members and that
its time grows about linearly (at most 15x for 10x the members).
``KOPDES_BENCH_CLOSE_SIZES=1000,10000`` changes the two sizes.
"""

import os
import time

from bench_financing_month_end import PERIOD_END, generate_cooperative

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL

from odoo.addons.kopdes_savings.tools import periods

SIZES = [int(n) for n in os.environ.get("KOPDES_BENCH_CLOSE_SIZES", "10000,100000").split(",")]
MONTH = periods.period_start(PERIOD_END)  # June 2025
FLOOR_FACTOR = 3.0
GROWTH_LIMIT = 15.0  # for 10x the members: linear with some slack, not quadratic (100x)
MIN_SECONDS = 0.05  # below this a ratio is noise


def add_savings(env, company):
    """A sukarela (with an opening balance) and a wajib account for every member, their
    opening deposits as posted transactions and one summary journal entry."""
    cr = env.cr
    products = {
        product.kind: product
        for product in env["kopdes.savings.product"].search([("company_id", "=", company.id)])
    }
    products["sukarela"].write({"interest_rate": 3.0, "interest_min_balance": 50_000})
    opening_day = periods.add_months(MONTH, -1)
    env.flush_all()
    for kind in ("sukarela", "wajib"):
        product = products[kind]
        cr.execute(
            """
            INSERT INTO kopdes_savings_account (company_id, member_id, partner_id, product_id,
                                                name, kind, state, open_date, balance,
                                                create_uid, create_date, write_uid, write_date)
            SELECT m.company_id, m.id, m.partner_id, %(product)s, %(prefix)s || m.id, %(kind)s,
                   'open', '2023-01-01', 0, 1, now(), 1, now()
              FROM kopdes_member m WHERE m.company_id = %(c)s
            """,
            {"c": company.id, "product": product.id, "kind": kind, "prefix": kind[:3].upper()},
        )
        # opening deposits: sukarela 100,000 .. 1,000,000; wajib 4 months of dues; one
        # summary journal entry first (a posted transaction has its entry)
        amount = SQL(
            "(CASE WHEN %s = 'sukarela' THEN 100000 * (1 + mod(a.id, 10))"
            " ELSE 4 * %s END)::numeric",
            kind,
            product.amount,
        )
        cr.execute(
            SQL(
                "SELECT COALESCE(SUM(%s), 0) FROM kopdes_savings_account a WHERE a.product_id = %s",
                amount,
                product.id,
            )
        )
        total = float(cr.fetchone()[0])
        cash = company._kopdes_savings_cash_journal().default_account_id
        move = (
            env["account.move"]
            .with_context(kopdes_savings_posting=True)
            .create(
                {
                    "journal_id": product.journal_id.id,
                    "company_id": company.id,
                    "date": opening_day,
                    "ref": f"Saldo awal {kind}",
                    "line_ids": [
                        (0, 0, {"account_id": product.account_id.id, "credit": total}),
                        (0, 0, {"account_id": cash.id, "debit": total}),
                    ],
                }
            )
        )
        move._post()
        env.flush_all()
        cr.execute(
            SQL(
                """
                INSERT INTO kopdes_savings_transaction (
                    name, company_id, member_id, partner_id, kind, account_id, product_id,
                    type, origin_type, date, amount, signed_amount, state, balance_after,
                    move_id, create_uid, create_date, write_uid, write_date)
                SELECT 'SALDO/' || a.id, a.company_id, a.member_id, a.partner_id, a.kind, a.id,
                       a.product_id, 'deposit', 'deposit', %s, %s, %s, 'posted', %s, %s,
                       1, now(), 1, now()
                  FROM kopdes_savings_account a
                 WHERE a.product_id = %s
                """,
                opening_day,
                amount,
                amount,
                amount,
                move.id,
                product.id,
            )
        )
        cr.execute(
            """
            UPDATE kopdes_savings_account a SET balance = t.signed_amount
              FROM kopdes_savings_transaction t
             WHERE t.account_id = a.id AND a.product_id = %s
            """,
            [product.id],
        )
    for table in ("kopdes_savings_account", "kopdes_savings_transaction", "account_move_line"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    return products


class Floors:
    """The SQL floor of each job: the same rows read and written by plain statements."""

    def __init__(self, env, company, products):
        self.env = env
        self.company = company
        self.products = products

    def run(self, name):
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SAVEPOINT bench_floor")
        start = time.perf_counter()
        getattr(self, name)()
        seconds = time.perf_counter() - start
        cr.execute("ROLLBACK TO SAVEPOINT bench_floor")
        self.env.invalidate_all()
        return seconds

    def dues(self):
        wajib = self.products["wajib"]
        end = periods.period_end(MONTH)
        self.env.cr.execute(
            """
            INSERT INTO kopdes_savings_due (company_id, account_id, member_id, product_id,
                   period_start, period_label, due_date, amount, amount_paid, amount_residual,
                   state, create_uid, create_date, write_uid, write_date)
            SELECT a.company_id, a.id, a.member_id, a.product_id, %(start)s, 'floor', %(end)s,
                   %(amount)s, 0, %(amount)s, 'open', 1, now(), 1, now()
              FROM kopdes_savings_account a JOIN kopdes_member m ON m.id = a.member_id
             WHERE a.product_id = %(product)s AND a.state = 'open' AND m.state = 'active'
            ON CONFLICT (account_id, period_start) DO NOTHING;
            UPDATE kopdes_savings_due d
               SET amount_paid = LEAST(p.total, d.amount),
                   amount_residual = d.amount - LEAST(p.total, d.amount), state = 'paid'
              FROM (SELECT account_id, SUM(signed_amount) AS total
                      FROM kopdes_savings_transaction WHERE product_id = %(product)s
                       AND state = 'posted' GROUP BY account_id) p
             WHERE p.account_id = d.account_id AND d.period_start = %(start)s;
            """,
            {"start": MONTH, "end": end, "amount": wajib.amount, "product": wajib.id},
        )

    def interest(self):
        sukarela = self.products["sukarela"]
        end = periods.period_end(MONTH)
        # the one entry of the batch
        self.env.cr.execute(
            "SELECT MIN(move_id) FROM kopdes_savings_transaction WHERE product_id = %s",
            [sukarela.id],
        )
        move_id = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            """
            WITH bal AS (
                SELECT a.id, a.company_id, a.member_id, a.partner_id, a.kind, a.product_id,
                       SUM(t.signed_amount) AS balance
                  FROM kopdes_savings_account a
                  JOIN kopdes_savings_transaction t
                    ON t.account_id = a.id AND t.state = 'posted' AND t.date <= %(end)s
                 WHERE a.product_id = %(product)s AND a.state = 'open'
              GROUP BY a.id
            )
            INSERT INTO kopdes_savings_transaction (
                name, company_id, member_id, partner_id, kind, account_id, product_id, type,
                origin_type, date, amount, signed_amount, state, interest_period, move_id,
                interest_gross, tax_withheld, create_uid, create_date, write_uid, write_date)
            SELECT 'FLOOR/' || bal.id, bal.company_id, bal.member_id, bal.partner_id, bal.kind,
                   bal.id, bal.product_id, 'interest', 'interest', %(end)s,
                   floor(bal.balance * 3 / 100 * 30 / 365), floor(bal.balance * 3 / 100 * 30 / 365),
                   'posted', %(start)s, %(move)s, floor(bal.balance * 3 / 100 * 30 / 365), 0,
                   1, now(), 1, now()
              FROM bal WHERE bal.balance >= 50000;
            UPDATE kopdes_savings_account a SET balance = a.balance + t.amount
              FROM kopdes_savings_transaction t
             WHERE t.account_id = a.id AND t.type = 'interest' AND t.interest_period = %(start)s
               AND t.name LIKE 'FLOOR/%%';
            UPDATE kopdes_savings_transaction SET balance_after = amount
             WHERE type = 'interest' AND interest_period = %(start)s AND name LIKE 'FLOOR/%%';
            """,
            {"start": MONTH, "end": end, "product": sukarela.id, "move": move_id},
        )

    def loans(self):
        cr = self.env.cr
        month_end = self.env["kopdes.loan.month.end"].search(
            [("company_id", "=", self.company.id), ("date", "=", PERIOD_END)]
        )
        params = {"c": self.company.id, "end": PERIOD_END, "month_end": month_end.id}
        cr.execute(
            """
            UPDATE kopdes_loan_line line
               SET late_fee = COALESCE(line.late_fee, 0)
                   + round((line.principal_residual + line.interest_residual) * 0.001
                           * (%(end)s - GREATEST(line.due_date, COALESCE(line.late_fee_date,
                                                                         line.due_date)))),
                   late_fee_date = %(end)s
              FROM kopdes_loan loan
             WHERE loan.id = line.loan_id AND loan.company_id = %(c)s AND loan.state = 'active'
               AND line.due_date < %(end)s
               AND line.principal_residual + line.interest_residual > 0
               AND (line.late_fee_date IS NULL OR line.late_fee_date < %(end)s);
            UPDATE kopdes_loan_line line
               SET interest_accrued = todo.amount
              FROM (SELECT line.id, line.interest - GREATEST(line.interest_settled,
                               COALESCE((SELECT SUM(a.interest) FROM kopdes_loan_allocation a
                                          WHERE a.line_id = line.id AND a.date <= %(end)s), 0)
                           ) AS amount
                      FROM kopdes_loan_line line
                      JOIN kopdes_loan loan ON loan.id = line.loan_id
                     WHERE loan.company_id = %(c)s AND loan.state = 'active'
                       AND line.due_date <= %(end)s) todo
             WHERE line.id = todo.id AND todo.amount > 0;
            """,
            params,
        )
        cr.execute(
            """
            WITH per_loan AS (
                SELECT line.loan_id, SUM(line.principal) - COALESCE(SUM(a.principal), 0) AS out,
                       MIN(line.due_date) FILTER (WHERE line.due_date < %(end)s
                                                    AND line.principal_residual > 0) AS oldest
                  FROM kopdes_loan_line line
                  JOIN kopdes_loan loan ON loan.id = line.loan_id
             LEFT JOIN kopdes_loan_allocation a ON a.line_id = line.id AND a.date <= %(end)s
                 WHERE loan.company_id = %(c)s AND loan.state = 'active'
              GROUP BY line.loan_id
            )
            INSERT INTO kopdes_loan_snapshot (month_end_id, company_id, loan_id, date,
                                              days_past_due, outstanding, collectability_id,
                                              provision_required)
            SELECT %(month_end)s, %(c)s, per_loan.loan_id,
                   %(end)s - 1, COALESCE(%(end)s - per_loan.oldest, 0), per_loan.out, cls.id,
                   round(per_loan.out * cls.provision_rate / 100)
              FROM per_loan
              JOIN kopdes_loan loan ON loan.id = per_loan.loan_id
         LEFT JOIN LATERAL (
                    SELECT cls.id, cls.provision_rate FROM kopdes_loan_collectability cls
                     WHERE cls.company_id = %(c)s
                       AND cls.min_days <= COALESCE(%(end)s - per_loan.oldest, 0)
                  ORDER BY cls.min_days DESC LIMIT 1) cls ON TRUE
         LEFT JOIN LATERAL (
                    SELECT SUM(tx.signed_amount) AS balance FROM kopdes_savings_transaction tx
                     WHERE tx.account_id = loan.collateral_savings_account_id
                       AND tx.state = 'posted' AND tx.date <= %(end)s) savings ON TRUE
            """,
            params,
        )

    def reconciliation(self):
        cr = self.env.cr
        params = {"c": self.company.id, "end": PERIOD_END}
        cr.execute(
            """
            SELECT product_id, SUM(signed_amount) FROM kopdes_savings_transaction
             WHERE company_id = %(c)s AND state = 'posted' AND date <= %(end)s
          GROUP BY product_id
            """,
            params,
        )
        cr.execute(
            """
            SELECT move_id, account_id, SUM(balance) FROM account_move_line
             WHERE company_id = %(c)s AND parent_state = 'posted' AND date <= %(end)s
          GROUP BY move_id, account_id
            """,
            params,
        )
        cr.execute(
            """
            SELECT line.loan_id, SUM(line.principal) - COALESCE(SUM(a.principal), 0),
                   SUM(COALESCE(line.interest_accrued, 0) + COALESCE(line.late_fee, 0))
              FROM kopdes_loan_line line
              JOIN kopdes_loan loan ON loan.id = line.loan_id
         LEFT JOIN kopdes_loan_allocation a ON a.line_id = line.id AND a.date <= %(end)s
             WHERE loan.company_id = %(c)s
          GROUP BY line.loan_id
            """,
            params,
        )
        cr.fetchall()


@tagged("post_install", "-at_install", "bench")
class BenchMonthEndClose(TransactionCase):
    def measure(self, size):
        start = time.perf_counter()
        company = generate_cooperative(self.env, f"KKMP Bench Tutup {size}", size)
        products = add_savings(self.env, company)
        setup = time.perf_counter() - start
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        close = env["kopdes.close"].sudo().create({"company_id": company.id, "date_from": MONTH})
        # the loans' month-end record the close will run (the floor writes snapshots on it)
        env["kopdes.loan.month.end"].sudo().create({"company_id": company.id, "date": PERIOD_END})
        floors = Floors(env, company, products)
        figures = {}

        def timed(name, function):
            env.flush_all()
            env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            env.flush_all()
            figures[name] = [time.perf_counter() - started, self.cr.sql_log_count - queries]
            return result

        # the floors first (rolled back), then the close job by job, as _kopdes_run does
        floor = {name: floors.run(name) for name in ("dues", "interest", "loans", "reconciliation")}
        system = close.sudo().with_context(
            kopdes_close_posting=True, kopdes_savings_posting=True, kopdes_loan_posting=True
        )
        timed(
            "dues",
            lambda: (
                system.env["kopdes.savings.due"]
                .with_context(kopdes_close_id=close.id)
                ._kopdes_generate(company, MONTH)
            ),
        )
        batch = timed(
            "interest",
            lambda: system.env["kopdes.savings.interest.batch"]._kopdes_run(company, MONTH),
        )

        def loans():
            system._kopdes_remember_installments()
            month_end = system.env["kopdes.loan.month.end"]._kopdes_close(PERIOD_END, company)
            system._kopdes_forget_unchanged_installments()
            return month_end

        month_end = timed("loans", loans)
        timed("reconciliation", lambda: system._kopdes_reconcile())
        # the whole close again, as the accountant runs it: posts nothing twice
        moves_before = env["account.move"].search_count([("company_id", "=", company.id)])
        timed("full close (re-run)", lambda: close._kopdes_run())
        moves_after = env["account.move"].search_count([("company_id", "=", company.id)])
        self.assertEqual(moves_after, moves_before, "the re-run posted entries again")
        self.assertEqual(batch.account_count, size)
        self.assertEqual(month_end.loan_count, size)
        self.assertEqual(close.interest_batch_id, batch)
        # reopening undoes the close as a whole: the month's interest taken back in one
        # entry per journal, the loans' entries reversed
        timed("reopen", lambda: system._kopdes_reopen())
        self.assertEqual(close.state, "draft")
        self.assertEqual(batch.state, "reversed")
        self.assertEqual(len(batch.transaction_ids.reversed_by_id), size)
        for name, seconds in floor.items():
            figures[name].append(seconds)
        print(f"\n== {size} members, {size} loans (generated in {setup:.1f} s)")
        print(f"   {'job':<22} {'seconds':>8} {'queries':>8} {'SQL floor':>10} {'ratio':>6}")
        for name, row in figures.items():
            seconds, queries = row[0], row[1]
            floor_s = f"{row[2]:10.2f}" if len(row) > 2 else f"{'':>10}"
            ratio = f"{seconds / row[2]:6.2f}" if len(row) > 2 and row[2] else f"{'':>6}"
            print(f"   {name:<22} {seconds:8.2f} {queries:8d} {floor_s} {ratio}")
        return figures

    def test_close_scales_linearly_within_3x_of_sql(self):
        small, large = (self.measure(size) for size in SIZES)
        growth = SIZES[1] / SIZES[0]
        print(f"\n   growth for x{growth:.0f} members:")
        for name in small:
            ratio = large[name][0] / max(small[name][0], 1e-6)
            print(f"   {name:<22} x{ratio:.1f}")
        for name in small:
            with self.subTest(job=name):
                self.assertEqual(small[name][1], large[name][1], "queries grow with members")
                if len(large[name]) > 2:
                    self.assertLess(large[name][0], FLOOR_FACTOR * max(large[name][2], MIN_SECONDS))
                if small[name][0] > MIN_SECONDS:
                    self.assertLess(large[name][0] / small[name][0], GROWTH_LIMIT * growth / 10)
