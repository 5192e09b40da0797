"""The stock forecast in Odoo, on the demo cooperative's two years of generated POS history:
the backtest per product group, stock-outs read from the stock moves, new products, the
suggestions on the reorder rules, expiry, FEFO, security and multi-company."""

import logging
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_stock_forecast.tools import forecast as fc
from odoo.addons.kopdes_stock_forecast.tools.calendar_features import week_start

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestStockForecastDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("kopdes_members.demo_company_sokoduwet")
        cls.demo_run = cls.env["kopdes.stock.forecast.run"].search(
            [("company_id", "=", cls.company.id), ("is_latest", "=", True)]
        )
        cls.manager = new_test_user(
            cls.env,
            "sf_manager",
            groups="stock.group_stock_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.pengurus = new_test_user(
            cls.env,
            "sf_pengurus",
            groups="kopdes_members.group_kopdes_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.clerk = new_test_user(
            cls.env,
            "sf_clerk",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        other = cls.env["res.company"].create({"name": "Koperasi Lain (uji)"})
        cls.outsider = new_test_user(
            cls.env,
            "sf_outsider",
            groups="stock.group_stock_manager",
            company_id=other.id,
            company_ids=[other.id],
        )

    def test_backtest_beats_both_baselines_per_group(self):
        self.assertEqual(len(self.demo_run), 1)
        self.assertEqual(self.demo_run.state, "done")
        groups = self.demo_run.group_ids
        self.assertGreaterEqual(len(groups), 5)
        report = []
        for group in groups:
            report.append(
                f"{group.categ_id.name} / {group.demand_class}: {group.method} "
                f"WAPE {group.wape:.3f} (last 4 weeks {group.wape_mean4:.3f}, seasonal naive "
                f"{group.wape_snaive:.3f}), bias {group.bias:+.3f}, 80 % interval covers "
                f"{group.coverage:.0%}"
            )
            with self.subTest(group=report[-1]):
                self.assertNotIn(group.method, fc.BASELINES)
                self.assertLess(group.wape, group.wape_mean4)
                self.assertLess(group.wape, group.wape_snaive)
                self.assertTrue(group.beats_baselines)
                # about the nominal 80 % (a few products and 26 weeks: a wide band)
                self.assertGreater(group.coverage, 0.55)
                self.assertLess(group.coverage, 0.97)
        _logger.info("\n".join(["Backtest of the demo history per product group:"] + report))
        self.assertLess(
            self.demo_run.wape, min(self.demo_run.wape_mean4, self.demo_run.wape_snaive)
        )

    def test_new_product_forecast_from_its_category(self):
        new = self.demo_run.product_ids.filtered(lambda p: "Kemasan Baru" in p.product_id.name)
        self.assertEqual(len(new), 1)
        self.assertLessEqual(new.known_weeks, 5)
        peers = self.demo_run.product_ids.filtered(
            lambda p: p.categ_id == new.categ_id and p.known_weeks > 50
        )
        median = sorted(peers.mapped("level"))[len(peers) // 2]
        self.assertGreater(new.forecast_2w, 0)
        self.assertGreater(new.level, 0.3 * median)

    def _history(self):
        today = kopdes_today(self.env, self.company)
        last = week_start(today) - timedelta(days=7)
        first = last - timedelta(days=7 * 103)
        return (
            first,
            last + timedelta(days=7),
            self.env["kopdes.stock.forecast.history"]._kopdes_read(
                self.company, first, last + timedelta(days=7)
            ),
        )

    def test_history_reader_sales_and_stockouts(self):
        first, end, hist = self._history()
        pairs = hist["pairs"]
        key_of = {
            (p, w): k
            for p, w, k in zip(
                pairs["product_id"], pairs["warehouse_id"], pairs["key"], strict=True
            )
        }
        product = self.demo_run.product_ids.filtered(
            lambda p: p.product_id.name.startswith("Beras Medium")
        )
        key = key_of[(product.product_id.id, product.warehouse_id.id)]
        self.env.cr.execute(
            """SELECT SUM(l.qty) FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id
                WHERE l.product_id = %s AND timezone('Asia/Jakarta', timezone('UTC', o.date_order))
                      BETWEEN %s AND %s""",
            [product.product_id.id, first, end - timedelta(days=1, seconds=-86399)],
        )
        sold = self.env.cr.fetchone()[0]
        sales = hist["sales"]
        self.assertAlmostEqual(float(sales[sales["key"] == key]["qty"].sum()), float(sold))
        # each inventory loss that emptied the shelf starts a stock-out: its week is one
        self.env.cr.execute(
            """SELECT m.product_id, m.date FROM stock_move m
                WHERE m.company_id = %s AND m.reference LIKE 'Contoh selisih stok%%'
                  AND m.date < %s""",
            [self.company.id, end - timedelta(days=1)],
        )
        losses = self.env.cr.fetchall()
        self.assertTrue(losses)
        out = hist["stockouts"]
        out_weeks = {(int(k), w.date()) for k, w in zip(out["key"], out["week"], strict=True)}
        wh_of = {p.product_id.id: p.warehouse_id.id for p in self.demo_run.product_ids}
        for product_id, when in losses:
            k = key_of[(product_id, wh_of[product_id])]
            self.assertIn((k, week_start((when + timedelta(hours=7)).date())), out_weeks)

    def test_stockout_weeks_marked_on_the_graph(self):
        lines = self.env["kopdes.stock.forecast.line"].search([("run_id", "=", self.demo_run.id)])
        self.assertTrue(lines.filtered("stockout"))
        product = self.demo_run.product_ids[0]
        mine = lines.filtered(lambda line: line.product_id == product.product_id)
        self.assertEqual(set(mine.mapped("series")), {"history", "forecast", "lower", "upper"})
        for week in set(mine.filtered(lambda line: line.series == "forecast").mapped("week")):
            at = {line.series: line.qty for line in mine if line.week == week}
            self.assertLessEqual(at["lower"], at["forecast"] + 1e-6)
            self.assertLessEqual(at["forecast"], at["upper"] + 1e-6)

    def test_accept_suggestion_writes_the_reorder_rule(self):
        fp = self.demo_run.product_ids.filtered("suggestion_pending")[:1]
        self.assertTrue(fp)
        op = fp.orderpoint_id
        self.assertEqual(op.kopdes_suggestion_state, "pending")
        self.assertAlmostEqual(op.kopdes_suggested_max, fp.suggested_max)
        before = (op.product_min_qty, op.product_max_qty)
        # a stock clerk may not accept, nor write the suggestion
        with self.assertRaises(UserError):
            fp.with_user(self.clerk).action_accept_suggestion()
        with self.assertRaises(UserError):
            op.with_user(self.manager).write({"kopdes_suggested_min": 1})
        self.assertEqual((op.product_min_qty, op.product_max_qty), before)
        # the Replenishment screen's clean-up keeps rules with a suggestion to review
        self.env["stock.warehouse.orderpoint"]._unlink_processed_orderpoints()
        self.assertTrue(op.exists())
        # the Pengurus (no Inventory rights) accepts from the forecast list
        fp.with_user(self.pengurus).action_accept_suggestion()
        self.assertAlmostEqual(op.product_min_qty, fp.suggested_min)
        self.assertAlmostEqual(op.product_max_qty, fp.suggested_max)
        self.assertEqual(op.kopdes_suggestion_state, "accepted")
        self.assertEqual(op.kopdes_reviewed_by_id, self.pengurus)
        self.assertFalse(fp.suggestion_pending)
        with self.assertRaises(UserError):
            op.with_user(self.manager).action_kopdes_accept_suggestion()  # nothing left

    def test_reject_leaves_the_rule(self):
        op = self.demo_run.product_ids.filtered("suggestion_pending")[-1:].orderpoint_id
        before = (op.product_min_qty, op.product_max_qty)
        op.with_user(self.manager).action_kopdes_reject_suggestion()
        self.assertEqual(op.kopdes_suggestion_state, "rejected")
        self.assertEqual((op.product_min_qty, op.product_max_qty), before)

    def test_expiry(self):
        pharmacy = self.demo_run.product_ids.filtered(lambda p: p.shelf_days > 0)
        self.assertTrue(pharmacy)
        near = (
            self.env["stock.lot"]
            .with_company(self.company)
            .search([("kopdes_near_expiry", "=", True), ("company_id", "=", self.company.id)])
        )
        self.assertTrue(near)
        self.assertTrue(pharmacy.filtered(lambda p: p.expiring_unsold > 0))
        unsold = self.env["stock.lot"].search([("kopdes_unsold_at_expiry", ">", 0)])
        self.assertTrue(unsold <= near | unsold)
        # the suggested maximum never exceeds what sells within the shelf life
        for fp in pharmacy:
            self.assertLessEqual(fp.suggested_max, fp.forecast_horizon / 56 * fp.shelf_days + 1)
        # first expiry, first out on the pharmacy's stock location
        product = pharmacy[0].product_id
        location = pharmacy[0].warehouse_id.lot_stock_id
        self.assertEqual(self.env["stock.quant"]._get_removal_strategy(product, location), "fefo")

    def test_compute_a_new_run(self):
        with self.assertRaises(AccessError):
            self.env["kopdes.stock.forecast.run"].with_user(self.clerk).create({})
        Run = self.env["kopdes.stock.forecast.run"].with_user(self.manager)
        run = Run.create({"history_weeks": 60, "holdout": 8, "horizon": 4})
        run.action_compute()
        self.assertEqual(run.state, "done")
        self.assertTrue(run.is_latest)
        self.assertFalse(self.demo_run.is_latest)

        # every product the demo forecast covered is covered again (history only grows;
        # demo data installed after this addon's, such as the SHU year's sales, adds more)
        def pairs(r):
            return {(p.product_id.id, p.warehouse_id.id) for p in r.product_ids}

        self.assertEqual(run.product_count, len(run.product_ids))
        self.assertLessEqual(pairs(self.demo_run), pairs(run))
        # and only products the shop sold or stocked in the window it read
        history = self.env["kopdes.stock.forecast.history"]._kopdes_read(
            self.company, run.first_week, run.last_week + timedelta(days=7)
        )["pairs"]
        self.assertEqual(len(history), run.product_count)
        self.assertEqual(len(run.product_ids[0].orderpoint_id), 1)
        with self.assertRaises(UserError):
            run.action_compute()  # done

    def test_other_cooperative_sees_nothing(self):
        for model in (
            "kopdes.stock.forecast.run",
            "kopdes.stock.forecast.product",
            "kopdes.stock.forecast.group",
            "kopdes.stock.forecast.line",
        ):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.outsider).search([]))
                self.assertTrue(self.env[model].with_user(self.manager).search([], limit=1))

    def test_calendar_event_checks(self):
        with self.assertRaises(ValidationError):
            self.env["kopdes.calendar.event"].create(
                {"kind": "planting", "date_start": "2027-01-01", "date_end": "2027-07-01"}
            )
        event = self.env.ref("kopdes_stock_forecast.event_idul_fitri_2027")
        self.assertEqual(str(event.date_start), "2027-03-10")
        self.assertIn("2027", event.display_name)
