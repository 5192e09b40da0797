"""Benchmark: purchases per member (``kopdes.member._kopdes_purchases``) for a cooperative of
10,000 members and 1,000,000 POS order lines.

Run by ``make bench`` (scripts/bench.sh: fresh database without demo data). The orders are
generated with SQL (250,000 orders of 4 lines, a twentieth of them refunds, a third paid
half cash half bank) over one year. Prints the time and the number of rows of the API for
every member by member, by member/month/category/payment method, and for one member (the
member form); each is ONE query and finishes within its limit.
``KOPDES_BENCH_MEMBERS`` / ``KOPDES_BENCH_LINES`` change the size.
"""

import os
import time
from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_tz

MEMBERS = int(os.environ.get("KOPDES_BENCH_MEMBERS", "10000"))
LINES = int(os.environ.get("KOPDES_BENCH_LINES", "1000000"))
LINES_PER_ORDER = 4
# seconds, on a 2-core machine shared with other work
LIMIT_ALL_MEMBERS = 30.0
LIMIT_ONE_MEMBER = 1.0


@tagged("post_install", "-at_install")
class BenchPurchases(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            )
        )
        started = time.monotonic()
        company = cls.env["res.company"].create(
            {
                "name": "KKMP Bench Belanja",
                "country_id": cls.env.ref("base.id").id,
                "currency_id": cls.env.ref("base.IDR").id,
            }
        )
        cls.env.user.company_ids = [Command.link(company.id)]
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        cls.company = company.with_env(cls.env)
        Member = cls.env["kopdes.member"]
        members = Member.browse()
        for start in range(0, MEMBERS, 2000):
            members |= Member.create(
                [
                    {
                        "name": f"Anggota {i}",
                        "nik": f"3375040101{60 + i // 9999:02d}{i % 9999 + 1:04d}",
                        "company_id": company.id,
                        "state": "active",
                        "join_date": date(2024, 1, 1),
                    }
                    for i in range(start, min(start + 2000, MEMBERS))
                ]
            )
        cls.members = members
        categories = cls.env["product.category"].create(
            [
                {"name": f"Bench {kind}", "kopdes_shop_category": kind}
                for kind in ("groceries", "pharmacy", "farm_inputs", "other")
            ]
        )
        products = cls.env["product.product"].create(
            [
                {
                    "name": f"Barang {n}",
                    "categ_id": categories[n % 4].id,
                    "available_in_pos": True,
                    "taxes_id": [],
                }
                for n in range(40)
            ]
        )
        journals = cls.env["account.journal"].search([("company_id", "=", company.id)])
        cash, bank = cls.env["pos.payment.method"].create(
            [
                {
                    "name": "Tunai",
                    "company_id": company.id,
                    "journal_id": journals.filtered(lambda j: j.type == "cash")[:1].id,
                },
                {
                    "name": "Bank",
                    "company_id": company.id,
                    "journal_id": journals.filtered(lambda j: j.type == "bank")[:1].id,
                },
            ]
        )
        config = cls.env["pos.config"].create(
            {
                "name": "Gerai Bench",
                "company_id": company.id,
                "payment_method_ids": [Command.set([cash.id, bank.id])],
            }
        )
        config.open_ui()
        session = config.current_session_id
        cls.env.flush_all()
        orders = LINES // LINES_PER_ORDER
        cls.env.cr.execute(
            """
            CREATE TEMP TABLE bench_member AS
                SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS n, id, partner_id
                  FROM kopdes_member WHERE company_id = %(company)s;
            CREATE TEMP TABLE bench_order AS
                SELECT g AS n,
                       -- a twentieth are refunds
                       CASE WHEN g %% 20 = 0 THEN -1 ELSE 1 END AS sign,
                       TIMESTAMP '2025-01-01 00:00' + (g %% 365) * INTERVAL '1 day'
                           + (g %% 13) * INTERVAL '1 hour' AS date_order
                  FROM generate_series(0, %(orders)s - 1) g;
            INSERT INTO pos_order (
                name, pos_reference, company_id, session_id, state, date_order, partner_id,
                member_id, amount_tax, amount_total, amount_paid, amount_return, pricelist_id,
                sequence_number, create_uid, create_date, write_uid, write_date)
            SELECT 'BENCH/' || o.n, 'Order bench-' || o.n, %(company)s, %(session)s, 'paid',
                   o.date_order, m.partner_id, m.id, 0,
                   o.sign * 4 * (1000 + (o.n %% 40) * 250), o.sign * 4 * (1000 + (o.n %% 40) * 250),
                   0, %(pricelist)s, o.n, 1, now(), 1, now()
              FROM bench_order o
              JOIN bench_member m ON m.n = o.n %% %(members)s;
            INSERT INTO pos_order_line (
                name, full_product_name, order_id, product_id, company_id, qty, price_unit,
                price_subtotal, price_subtotal_incl, discount, create_uid, create_date,
                write_uid, write_date)
            SELECT 'BENCH/' || po.id || '/' || k, 'Barang', po.id,
                   (%(products)s::int[])[1 + (po.id + k) %% 40], %(company)s,
                   SIGN(po.amount_total), ABS(po.amount_total) / 4,
                   po.amount_total / 4, po.amount_total / 4, 0, 1, now(), 1, now()
              FROM pos_order po, generate_series(1, %(per_order)s) k
             WHERE po.session_id = %(session)s;
            INSERT INTO pos_payment (
                name, pos_order_id, session_id, company_id, amount, payment_method_id,
                payment_date, create_uid, create_date, write_uid, write_date)
            SELECT 'bench', po.id, %(session)s, %(company)s,
                   CASE WHEN po.id %% 3 = 0 THEN po.amount_total / 2 ELSE po.amount_total END,
                   %(cash)s, po.date_order, 1, now(), 1, now()
              FROM pos_order po WHERE po.session_id = %(session)s
            UNION ALL
            SELECT 'bench', po.id, %(session)s, %(company)s, po.amount_total / 2, %(bank)s,
                   po.date_order, 1, now(), 1, now()
              FROM pos_order po WHERE po.session_id = %(session)s AND po.id %% 3 = 0;
            ANALYZE pos_order;
            ANALYZE pos_order_line;
            ANALYZE pos_payment;
            """,
            {
                "company": company.id,
                "session": session.id,
                "pricelist": config.pricelist_id.id or None,
                "orders": orders,
                "members": MEMBERS,
                "products": products.ids,
                "per_order": LINES_PER_ORDER,
                "cash": cash.id,
                "bank": bank.id,
            },
        )
        cls.env.invalidate_all()
        cls.env.cr.execute(
            "SELECT COUNT(*), SUM(price_subtotal_incl) FROM pos_order_line WHERE order_id IN "
            "(SELECT id FROM pos_order WHERE session_id = %s)",
            [session.id],
        )
        cls.line_count, cls.line_total = cls.env.cr.fetchone()
        print(
            f"\n  setup: {MEMBERS} members, {orders} orders, {cls.line_count} order lines "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _run(self, label, members, groupby):
        API = self.env["kopdes.member"]._kopdes_purchases
        self.env.flush_all()
        # the cooperative's currency and time zone, as any caller has them in its cache
        self.company.currency_id.decimal_places  # noqa: B018
        kopdes_tz(self.env, self.company)
        queries = self.env.cr.sql_log_count
        started = time.monotonic()
        rows = API(date(2025, 1, 1), date(2025, 12, 31), self.company, members, groupby)
        seconds = time.monotonic() - started
        queries = self.env.cr.sql_log_count - queries
        print(f"  {label:<44} {seconds:>8.2f} s {queries:>4} queries {len(rows):>8} rows")
        return rows, seconds, queries

    def test_purchases(self):
        print(f"\n  {'purchases of':<44} {'seconds':>10} {'':>12} {'rows':>8}")
        rows, seconds, queries = self._run("every member, by member", None, ("member",))
        self.assertEqual(queries, 1)
        self.assertEqual(len(rows), MEMBERS)
        self.assertAlmostEqual(sum(r["amount_total"] for r in rows), float(self.line_total))
        self.assertLess(seconds, LIMIT_ALL_MEMBERS)

        groupby = ("member", "month", "category", "payment_method_id")
        rows, seconds, queries = self._run("every member, by month/category/method", None, groupby)
        self.assertEqual(queries, 1)
        self.assertAlmostEqual(
            sum(r["amount_total"] for r in rows), float(self.line_total), delta=len(rows)
        )
        self.assertLess(seconds, LIMIT_ALL_MEMBERS)

        member = self.members[MEMBERS // 2]
        rows, seconds, queries = self._run("one member, by month/category/method", member, groupby)
        self.assertEqual(queries, 1)
        self.assertTrue(rows)
        self.assertLess(seconds, LIMIT_ONE_MEMBER)
