"""Benchmark: the year-end SHU of a cooperative of 10,000 members over a year of 1,000,000
POS order lines (and 100,000 members / 10,000,000 lines to show the growth is linear).

Run by ``make bench`` (scripts/bench.sh). The data are generated with SQL (members, pokok and
wajib deposits, one loan per member with six interest payments, POS orders of four lines each,
a quarter of them to walk-in buyers); then ``kopdes.shu.distribution.action_compute`` (the
preview: SHU from the ledger, pools, every member's shares written as lines) is timed with its
query count, beside an SQL floor measured in the same run: one ``INSERT … SELECT`` that reads
the same rows (savings transactions, POS orders, loan allocations, members) and writes one
line per member with a naive proportional share. Asserts: the query count does not grow with
the members, the job takes seconds and stays within 3× of its floor.
``KOPDES_BENCH_SHU_MEMBERS`` (default 10000) and ``KOPDES_BENCH_SHU_LARGE`` (default 100000,
0 to skip) set the sizes.
"""

import os
import time
from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

SIZES = [int(os.environ.get("KOPDES_BENCH_SHU_MEMBERS", "10000"))]
if int(os.environ.get("KOPDES_BENCH_SHU_LARGE", "100000")):
    SIZES.append(int(os.environ.get("KOPDES_BENCH_SHU_LARGE", "100000")))
LINES_PER_MEMBER = 100  # 1,000,000 POS order lines for 10,000 members
LINES_PER_ORDER = 4
YEAR = 2025
LIMIT_SECONDS = 30.0
FLOOR_FACTOR = 3.0


@tagged("post_install", "-at_install")
class BenchShu(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            )
        )

    def _cooperative(self, size):
        started = time.monotonic()
        company = self.env["res.company"].create(
            {
                "name": f"KKMP Bench SHU {size}",
                "country_id": self.env.ref("base.id").id,
                "currency_id": self.env.ref("base.IDR").id,
            }
        )
        self.env.user.company_ids = [Command.link(company.id)]
        l10n_id = self.env["ir.module.module"].search(
            [("name", "=", "l10n_id"), ("state", "=", "installed")]
        )
        self.env["account.chart.template"].try_loading(
            "id" if l10n_id else "generic_coa", company=company, install_demo=False
        )
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        products = {
            p.kind: p.id
            for p in env["kopdes.savings.product"].search([("company_id", "=", company.id)])
        }
        config = env["pos.config"].create({"name": "Gerai Bench", "company_id": company.id})
        session = env["pos.session"].create({"config_id": config.id, "user_id": env.uid})
        pos_product = env["product.product"].create({"name": "Beras Bench", "lst_price": 12500})
        loan_product = env["kopdes.loan.product"].create(
            {
                "name": "Bench",
                "code": "BN",
                "company_id": company.id,
                "method": "flat",
                "annual_rate": 12.0,
                "min_term": 1,
                "max_term": 36,
                "default_term": 12,
                "min_amount": 1,
                "max_amount": 10**9,
            }
        )
        journal = company._kopdes_savings_cash_journal()
        income = env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1
        )
        # the year's result in the ledger (also the entry the generated deposits point to)
        move = env["account.move"].create(
            {
                "journal_id": journal.id,
                "date": date(YEAR, 12, 31),
                "ref": "Bench",
                "line_ids": [
                    Command.create(
                        {"account_id": journal.default_account_id.id, "debit": 987_654_321}
                    ),
                    Command.create({"account_id": income.id, "credit": 987_654_321}),
                ],
            }
        )
        move.action_post()
        env.flush_all()
        cr = env.cr
        c = company.id
        cr.execute(
            """
            WITH p AS (
                INSERT INTO res_partner (name, complete_name, company_id, active, type,
                                         autopost_bills, create_date, write_date)
                SELECT 'Anggota ' || i, 'Anggota ' || i, %(c)s, true, 'contact', 'ask', now(), now()
                  FROM generate_series(1, %(n)s) i
             RETURNING id)
            INSERT INTO kopdes_member (partner_id, company_id, nik, state, join_date,
                                       member_number, create_date, write_date)
            SELECT id, %(c)s, '3201' || lpad(id::text, 12, '0'), 'active', DATE '2024-01-01',
                   'B-' || id, now(), now()
              FROM p
            """,
            {"c": c, "n": size},
        )
        cr.execute(
            """
            INSERT INTO kopdes_savings_account (company_id, member_id, product_id, kind, state,
                                                open_date, name, partner_id)
            SELECT %(c)s, m.id, k.product_id, k.kind, 'open', DATE '2024-01-01',
                   k.kind || '-' || m.id, m.partner_id
              FROM kopdes_member m
             CROSS JOIN (VALUES (%(pokok)s, 'pokok'), (%(wajib)s, 'wajib')) AS k(product_id, kind)
             WHERE m.company_id = %(c)s
            """,
            {"c": c, "pokok": products["pokok"], "wajib": products["wajib"]},
        )
        # pokok once, wajib every month (amounts vary with the member)
        cr.execute(
            """
            INSERT INTO kopdes_savings_transaction (company_id, member_id, account_id, kind,
                type, state, date, amount, signed_amount, name, partner_id, product_id, move_id)
            SELECT a.company_id, a.member_id, a.id, a.kind, 'deposit', 'posted', d.day,
                   CASE a.kind WHEN 'pokok' THEN 100000 ELSE 10000 + (a.member_id %% 5) * 5000 END,
                   CASE a.kind WHEN 'pokok' THEN 100000 ELSE 10000 + (a.member_id %% 5) * 5000 END,
                   'BT', a.partner_id, a.product_id, %(move)s
              FROM kopdes_savings_account a
              JOIN LATERAL (
                   SELECT DATE '2025-01-10' AS day WHERE a.kind = 'pokok'
                   UNION ALL
                   SELECT (DATE '2025-01-05' + (mo || ' month')::interval)::date
                     FROM generate_series(0, 11) mo WHERE a.kind = 'wajib') d ON true
             WHERE a.company_id = %(c)s
            """,
            {"c": c, "move": move.id},
        )
        # one loan per member, six interest payments in the year
        cr.execute(
            """
            WITH l AS (
                INSERT INTO kopdes_loan (company_id, member_id, product_id, amount, term,
                                         application_date, purpose, collateral_type, state, name)
                SELECT %(c)s, m.id, %(product)s, 1200000, 12, DATE '2025-01-02',
                       'working_capital', 'none', 'active', 'PB-' || m.id
                  FROM kopdes_member m WHERE m.company_id = %(c)s
             RETURNING id),
            ln AS (
                INSERT INTO kopdes_loan_line (loan_id, sequence, due_date, period_start,
                                              principal, interest, company_id)
                SELECT id, 1, DATE '2025-02-28', DATE '2025-02-01', 100000, 12000, %(c)s FROM l
             RETURNING id, loan_id)
            INSERT INTO kopdes_loan_allocation (loan_id, line_id, company_id, kind, date,
                                                principal, interest, late_fee, total)
            SELECT ln.loan_id, ln.id, %(c)s, 'payment',
                   (DATE '2025-02-28' + (k || ' month')::interval)::date,
                   100000, 12000 + (ln.loan_id %% 7) * 100, 0, 112000
              FROM ln CROSS JOIN generate_series(0, 5) k
            """,
            {"c": c, "product": loan_product.id},
        )
        # POS orders of 4 lines over the year; every fourth order to a walk-in buyer
        orders = size * LINES_PER_MEMBER // LINES_PER_ORDER
        cr.execute(
            """
            WITH members AS (
                SELECT array_agg(partner_id ORDER BY id) AS partners,
                       array_agg(id ORDER BY id) AS ids
                  FROM kopdes_member WHERE company_id = %(c)s),
            o AS (
                INSERT INTO pos_order (company_id, session_id, name, state, date_order,
                                       partner_id, member_id, amount_total, amount_paid,
                                       amount_tax, amount_return)
                SELECT %(c)s, %(session)s, 'BENCH/' || i, 'paid',
                       TIMESTAMP '2025-01-01 02:00' + ((i %% 364) || ' day')::interval,
                       CASE WHEN i %% 4 = 0 THEN NULL ELSE members.partners[1 + i %% %(n)s] END,
                       CASE WHEN i %% 4 = 0 THEN NULL ELSE members.ids[1 + i %% %(n)s] END,
                       4 * 12500 * (1 + i %% 3), 4 * 12500 * (1 + i %% 3), 0, 0
                  FROM generate_series(1, %(orders)s) i CROSS JOIN members
             RETURNING id, amount_total)
            INSERT INTO pos_order_line (order_id, product_id, name, qty, price_unit,
                                        price_subtotal, price_subtotal_incl, company_id)
            SELECT o.id, %(product)s, 'L', o.amount_total / 50000, 12500,
                   o.amount_total / 4, o.amount_total / 4, %(c)s
              FROM o CROSS JOIN generate_series(1, 4)
            """,
            {
                "c": c,
                "n": size,
                "orders": orders,
                "session": session.id,
                "product": pos_product.id,
            },
        )
        cr.execute("ANALYZE")
        env.invalidate_all()
        rule = env["kopdes.shu.rule"].create(
            {
                "company_id": c,
                "fiscal_year": YEAR,
                "approval_date": date(2026, 3, 1),
                "minutes_ref": "BENCH",
            }
        )
        rule.action_approve()
        dist = env["kopdes.shu.distribution"].create({"company_id": c, "rule_id": rule.id})
        print(
            f"\n[bench shu] {size} members, {orders * LINES_PER_ORDER} POS lines: "
            f"generated in {time.monotonic() - started:.1f} s"
        )
        return company, dist

    def _floor(self, company, dist):
        """Plain SQL doing the same reads and writes: delete the distribution's lines, then
        one INSERT … SELECT reading the same rows and writing one line per member into the
        same table (undone afterwards with a savepoint)."""
        cr = self.env.cr
        cr.execute("SAVEPOINT bench_floor")
        started = time.monotonic()
        cr.execute(
            """
            DELETE FROM kopdes_shu_line WHERE distribution_id = %(dist)s;
            INSERT INTO kopdes_shu_line (distribution_id, company_id, member_id, partner_id,
                                     is_leaver, capital_base, purchases, interest_paid,
                                     capital_share, pos_share, loan_share, total, pph, net,
                                     payout_method, payout_state)
            SELECT %(dist)s, m.company_id, m.id, m.partner_id, false, COALESCE(s.days, 0) / 365,
                   COALESCE(p.amount, 0), COALESCE(i.amount, 0),
                   FLOOR(COALESCE(s.days, 0) * 1000 / NULLIF(SUM(s.days) OVER (), 0)),
                   FLOOR(COALESCE(p.amount, 0) * 1000 / NULLIF(SUM(p.amount) OVER (), 0)),
                   FLOOR(COALESCE(i.amount, 0) * 1000 / NULLIF(SUM(i.amount) OVER (), 0)),
                   0, 0, 0, 'sukarela', 'pending'
              FROM kopdes_member m
              LEFT JOIN (SELECT member_id,
                                SUM(signed_amount
                                    * CASE WHEN date < DATE '2025-01-01' THEN 365
                                           ELSE DATE '2025-12-31' - date + 1 END) AS days
                           FROM kopdes_savings_transaction
                          WHERE company_id = %(c)s AND state = 'posted'
                            AND date <= DATE '2025-12-31'
                            AND kind IN ('pokok', 'wajib')
                       GROUP BY member_id) s ON s.member_id = m.id
              LEFT JOIN (SELECT partner_id, SUM(amount_total) AS amount
                           FROM pos_order
                          WHERE company_id = %(c)s AND state IN ('paid', 'done', 'invoiced')
                            AND date_order >= TIMESTAMP '2024-12-31 17:00'
                            AND date_order < TIMESTAMP '2025-12-31 17:00'
                       GROUP BY partner_id) p ON p.partner_id = m.partner_id
              LEFT JOIN (SELECT l.member_id, SUM(a.interest + a.late_fee) AS amount
                           FROM kopdes_loan_allocation a JOIN kopdes_loan l ON l.id = a.loan_id
                          WHERE a.company_id = %(c)s AND a.kind = 'payment'
                            AND a.date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'
                       GROUP BY l.member_id) i ON i.member_id = m.id
             WHERE m.company_id = %(c)s;
            """,
            {"c": company.id, "dist": dist.id},
        )
        seconds = time.monotonic() - started
        cr.execute("ROLLBACK TO SAVEPOINT bench_floor")
        return seconds

    def test_bench_shu(self):
        results = []
        for size in SIZES:
            company, dist = self._cooperative(size)
            dist.action_compute()  # warm-up (plans, caches), as the floor's run below
            self.env.flush_all()
            self.env.invalidate_all()
            floor = self._floor(company, dist)
            queries = self.env.cr.sql_log_count
            started = time.monotonic()
            if os.environ.get("KOPDES_BENCH_PROFILE"):
                import cProfile
                import pstats

                prof = cProfile.Profile()
                prof.enable()
            dist.action_compute()
            self.env.flush_all()
            if os.environ.get("KOPDES_BENCH_PROFILE"):
                prof.disable()
                pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
                pstats.Stats(prof).print_callers("psycopg2.extensions.cursor")
            seconds = time.monotonic() - started
            queries = self.env.cr.sql_log_count - queries
            floor = min(floor, self._floor(company, dist))
            lines = len(dist.line_ids)
            print(
                f"[bench shu] {size} members: SHU preview {seconds:.2f} s, {queries} queries, "
                f"{lines} member lines; SQL floor {floor:.2f} s; ratio {seconds / floor:.2f}"
            )
            self.assertEqual(lines, size)
            self.assertEqual(sum(dist.line_ids.mapped("capital_share")), dist.pool_capital)
            self.assertLess(seconds, LIMIT_SECONDS)
            self.assertLessEqual(seconds, FLOOR_FACTOR * floor)
            results.append((size, seconds, queries))
        if len(results) > 1:
            (s1, t1, q1), (s2, t2, q2) = results[0], results[-1]
            print(f"[bench shu] ×{s2 // s1} members: ×{t2 / t1:.1f} time, queries {q1} → {q2}")
            self.assertEqual(q1, q2)
