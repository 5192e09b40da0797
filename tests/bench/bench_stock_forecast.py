"""Benchmark: forecasts and reorder suggestions for 2,000 products over two years of weekly
history (issue 13: under a minute on a 2-core machine).

Run by ``make bench`` (scripts/bench.sh: fresh database without demo data). A cooperative with
a warehouse, ``KOPDES_BENCH_PRODUCTS`` products (default 2,000) in ten categories, a vendor lead
time each, and two years of generated daily demand (tools/demand_generator.py) written with SQL
as weekly receipts and daily deliveries to customers. Timed: one forecast run (history read
with SQL, backtest of every method per group, final forecast, 2,000 product rows, graph lines,
reorder rules made and suggestions written). Prints the figures and asserts the target.
"""

import csv
import os
import time
from datetime import datetime, timedelta
from datetime import time as dtime

import numpy as np

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_stock_forecast.tools import calendar_features as cf
from odoo.addons.kopdes_stock_forecast.tools import demand_generator as gen

PRODUCTS = int(os.environ.get("KOPDES_BENCH_PRODUCTS", "2000"))
WEEKS = 104
LIMIT_SECONDS = 60.0
DATA = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "addons",
    "kopdes_stock_forecast",
    "data",
    "kopdes.calendar.event.csv",
)


@tagged("post_install", "-at_install")
class BenchStockForecast(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        started = time.monotonic()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        company = cls.env["res.company"].create({"name": "KKMP Bench Stok"})
        cls.env.user.company_ids = [Command.link(company.id)]
        cls.company = company
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        wh = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        categs = env["product.category"].create([{"name": f"Bench {c}"} for c in range(10)])
        vendor = env["res.partner"].create({"name": "Bench vendor", "company_id": company.id})
        profiles = ("staple", "staple", "staple", "farm", "school", "medicine")
        rng = np.random.default_rng(3)
        specs = []
        for p in range(PRODUCTS):
            profile = profiles[p % len(profiles)]
            rate = float(rng.uniform(0.1, 1.0) if profile == "medicine" else rng.uniform(1, 30))
            specs.append({"rate": rate, "profile": profile, "price": 10000, "stockouts": 1})
        templates = env["product.template"]
        for start in range(0, PRODUCTS, 500):
            templates |= templates.create(
                [
                    {
                        "name": f"Bench product {p:04d}",
                        "company_id": company.id,
                        "type": "consu",
                        "is_storable": True,
                        "categ_id": categs[p % 10].id,
                        "list_price": 10000,
                        "seller_ids": [
                            Command.create({"partner_id": vendor.id, "delay": 3 + p % 12})
                        ],
                    }
                    for p in range(start, min(start + 500, PRODUCTS))
                ]
            )
        products = templates.product_variant_ids
        today = kopdes_today(env, company)
        first = cf.week_start(today) - timedelta(days=7 * WEEKS)
        n_days = (today - first).days
        with open(DATA, encoding="utf-8") as f:
            events = cf.events_from_rows(list(csv.DictReader(f)))
        qty, _price, out = gen.generate_daily(specs, first, n_days, events, seed=4)
        cls._write_moves(env, company, wh, products, first, n_days, qty, out)
        cls.setup_seconds = time.monotonic() - started

    @classmethod
    def _write_moves(cls, env, company, wh, products, first, n_days, qty, out):
        """Weekly receipts covering the week, deliveries per product every three days."""
        supplier = env.ref("stock.stock_location_suppliers").id
        customer = env.ref("stock.stock_location_customers").id
        stock = wh.lot_stock_id.id
        rows = []
        for p, product in enumerate(products):
            pid = product.id
            for w in range(n_days // 7 + 1):
                a, b = 7 * w, min(7 * w + 7, n_days)
                if a >= n_days:
                    break
                need = float(qty[p, a:b].sum())
                day = first + timedelta(days=a)
                if need > 0 and not out[p, a]:
                    rows.append(
                        (pid, need + 1, supplier, stock, datetime.combine(day, dtime(1, 0)))
                    )
                for c in range(a, b, 3):
                    q = float(qty[p, c : min(c + 3, b)].sum())
                    if q > 0:
                        when = datetime.combine(first + timedelta(days=c), dtime(5, 0))
                        rows.append((pid, q, stock, customer, when))
        for start in range(0, len(rows), 50_000):
            chunk = rows[start : start + 50_000]
            env.cr.execute(
                """INSERT INTO stock_move (name, company_id, product_id, product_uom,
                       product_uom_qty, product_qty, quantity, location_id, location_dest_id,
                       state, date, procure_method)
                   SELECT 'bench', %s, v.p, %s, q, q, q, l, ld, 'done', d, 'make_to_stock'
                     FROM unnest(%s::int[], %s::numeric[], %s::int[], %s::int[], %s::timestamp[])
                          AS v(p, q, l, ld, d)""",
                [
                    company.id,
                    products[0].uom_id.id,
                    [r[0] for r in chunk],
                    [r[1] for r in chunk],
                    [r[2] for r in chunk],
                    [r[3] for r in chunk],
                    [r[4] for r in chunk],
                ],
            )
        # today's stock: what the receipts left
        env.cr.execute(
            """INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                   reserved_quantity, in_date)
               SELECT product_id, %s, %s, SUM(CASE WHEN location_dest_id = %s THEN product_qty
                                                   ELSE -product_qty END), 0, now()
                 FROM stock_move WHERE company_id = %s AND name = 'bench' GROUP BY product_id""",
            [stock, company.id, stock, company.id],
        )
        cls.move_count = len(rows)

    def test_forecast_2000_products(self):
        run = self.env["kopdes.stock.forecast.run"].create({"company_id": self.company.id})
        queries = self.env.cr.sql_log_count
        started = time.monotonic()
        cpu = time.process_time()
        run.action_compute()
        self.env.flush_all()
        seconds = time.monotonic() - started
        cpu = time.process_time() - cpu
        queries = self.env.cr.sql_log_count - queries
        pending = self.env["stock.warehouse.orderpoint"].search_count(
            [("company_id", "=", self.company.id), ("kopdes_suggestion_state", "=", "pending")]
        )
        print(
            f"\nstock forecast: {run.product_count} products x {run.history_weeks} weeks "
            f"({self.move_count} stock moves, set-up {self.setup_seconds:.0f} s): "
            f"{seconds:.1f} s wall, {cpu:.1f} s CPU, {queries} queries; "
            f"{len(run.group_ids)} groups, {pending} suggestions; "
            f"WAPE {run.wape:.3f} (last 4 weeks {run.wape_mean4:.3f}, seasonal naive "
            f"{run.wape_snaive:.3f})"
        )
        self.assertEqual(run.product_count, PRODUCTS)
        self.assertGreater(pending, PRODUCTS * 0.9)
        self.assertLess(run.wape, min(run.wape_mean4, run.wape_snaive))
        self.assertLess(seconds, LIMIT_SECONDS)
