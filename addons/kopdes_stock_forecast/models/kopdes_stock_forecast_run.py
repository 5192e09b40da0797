import logging
import time
from datetime import timedelta

import numpy as np
import pandas as pd

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_has_group, kopdes_today

from ..tools import forecast as fc
from ..tools import replenish
from ..tools.calendar_features import week_start

_logger = logging.getLogger(__name__)

PLANNER_GROUPS = ("stock.group_stock_manager", "kopdes_members.group_kopdes_manager")
HISTORY_WEEKS_SHOWN = 26  # weeks of history kept per product for the graph


def check_planner(env):
    """Stock planning is for shop managers (Inventory administrators) and the Pengurus."""
    if not any(kopdes_has_group(env, xmlid) for xmlid in PLANNER_GROUPS):
        raise UserError(
            env._("Only shop managers (Inventory administrators) and the Pengurus plan stock.")
        )


class KopdesStockForecastRun(models.Model):
    """One forecast of a cooperative's shops: backtest per product group, forecasts with
    intervals, and reorder suggestions written to the reorder rules for a manager to accept."""

    _name = "kopdes.stock.forecast.run"
    _description = "Stock forecast run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    date = fields.Date(readonly=True, help="The day the forecast was made.")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True, tracking=True
    )
    is_latest = fields.Boolean(
        string="Latest",
        readonly=True,
        copy=False,
        help="The latest done forecast of the cooperative.",
    )
    history_weeks = fields.Integer(default=104, help="Weeks of history read (two years).")
    horizon = fields.Integer(default=8, help="Weeks forecast ahead (1 to 8).")
    holdout = fields.Integer(
        string="Backtest weeks", default=26, help="Last weeks of history the methods are judged on."
    )
    interval = fields.Float(
        string="Interval coverage",
        default=0.8,
        help="Nominal share of actuals inside the intervals.",
    )
    first_week = fields.Date(readonly=True)
    last_week = fields.Date(readonly=True, help="The last complete week of history.")
    duration = fields.Float(string="Duration (s)", readonly=True)
    group_ids = fields.One2many("kopdes.stock.forecast.group", "run_id", string="Product groups")
    product_ids = fields.One2many("kopdes.stock.forecast.product", "run_id", string="Products")
    product_count = fields.Integer(compute="_compute_counts")
    risk_count = fields.Integer(compute="_compute_counts", string="Stock-out risks")
    suggestion_count = fields.Integer(compute="_compute_counts", string="Suggestions")
    wape = fields.Float(string="WAPE", readonly=True, help="WAPE of the chosen methods (backtest).")
    wape_mean4 = fields.Float(string="WAPE last 4 weeks", readonly=True)
    wape_snaive = fields.Float(string="WAPE seasonal naive", readonly=True)

    @api.depends("date", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Forecast of %(date)s", date=run.date or fields.Date.to_string(fields.Date.today())
            )

    def _compute_counts(self):
        counts = {
            (run.id, risk, pending): count
            for run, risk, pending, count in self.env["kopdes.stock.forecast.product"]._read_group(
                [("run_id", "in", self.ids)],
                ["run_id", "stockout_risk", "suggestion_pending"],
                ["__count"],
            )
        }
        for run in self:
            mine = {k: v for k, v in counts.items() if k[0] == run.id}
            run.product_count = sum(mine.values())
            run.risk_count = sum(v for k, v in mine.items() if k[1])
            run.suggestion_count = sum(v for k, v in mine.items() if k[2])

    # -- actions -------------------------------------------------------------------------------

    def action_compute(self):
        check_planner(self.env)
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("This forecast is done: start a new one."))
            if not 1 <= run.horizon <= 8:
                raise UserError(self.env._("The horizon is 1 to 8 weeks."))
            if not 0.5 <= run.interval < 1 or run.history_weeks < 8:
                raise UserError(
                    self.env._(
                        "The interval coverage is 0.5 to 0.99 and the history 8 weeks or more."
                    )
                )
            run.sudo()._kopdes_compute()
        return True

    def action_open_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_stock_forecast.kopdes_stock_forecast_product_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_graph(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_stock_forecast.kopdes_stock_forecast_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    @api.model
    def _cron_forecast(self):
        """Weekly: a new forecast for every cooperative with a warehouse."""
        companies = self.env["stock.warehouse"].sudo().search([]).company_id
        for company in companies:
            run = self.sudo().create({"company_id": company.id})
            run._kopdes_compute()

    # -- the computation -----------------------------------------------------------------------

    def _kopdes_compute(self):
        """Read the history, forecast, write groups, products, graph lines and suggestions."""
        self.ensure_one()
        started = time.monotonic()
        company = self.company_id
        today = kopdes_today(self.env, company)
        last_week = week_start(today) - timedelta(days=7)
        first_week = last_week - timedelta(days=7 * (self.history_weeks - 1))
        end_day = last_week + timedelta(days=7)
        hist = self.env["kopdes.stock.forecast.history"]._kopdes_read(company, first_week, end_day)
        pairs = hist["pairs"]
        if not len(pairs):
            raise UserError(self.env._("There is no stock or sales history to forecast from."))
        products = self.env["product.product"].browse(pairs["product_id"].tolist())
        self.env.cr.execute(
            "SELECT pp.id, t.categ_id FROM product_product pp JOIN product_template t "
            "ON t.id = pp.product_tmpl_id WHERE pp.id = ANY(%s)",
            [products.ids],
        )
        categ_of = dict(self.env.cr.fetchall())
        categories = {
            int(k): int(categ_of[p]) for k, p in zip(pairs["key"], pairs["product_id"], strict=True)
        }
        events = self.env["kopdes.calendar.event"]._kopdes_events(
            company,
            first_week - timedelta(days=30),
            end_day + timedelta(days=7 * self.horizon + 30),
        )
        weeks = pd.date_range(pd.Timestamp(first_week), periods=self.history_weeks, freq="7D")
        data = fc.weekly_matrix(
            hist["sales"],
            weeks,
            categories,
            stockouts=hist["stockouts"],
            launches=hist["launches"],
            events=events,
            horizon=self.horizon,
        )
        result = fc.forecast(
            data, horizon=self.horizon, holdout=self.holdout, interval=self.interval
        )
        self._kopdes_write_results(data, result, hist, today)
        overall = result.backtest
        vals = {
            "state": "done",
            "date": today,
            "first_week": first_week,
            "last_week": last_week,
            "duration": time.monotonic() - started,
        }
        if overall is not None and len(overall):
            _f, _e = fc._scaled_errors(
                overall, result.groups.set_index("group")["column"].to_dict()
            )
            vals["wape"] = fc.wape(overall["y"].to_numpy(), _f)
            vals["wape_mean4"] = fc.wape(overall["y"].to_numpy(), overall["mean4"].to_numpy())
            vals["wape_snaive"] = fc.wape(overall["y"].to_numpy(), overall["snaive"].to_numpy())
        previous = self.search(
            [("company_id", "=", company.id), ("is_latest", "=", True), ("id", "!=", self.id)]
        )
        previous.write({"is_latest": False})
        vals["is_latest"] = True
        self.write(vals)
        # keep the graph lines of the latest run only (the products and groups stay)
        self.env.cr.execute(
            "DELETE FROM kopdes_stock_forecast_line WHERE company_id = %s AND run_id != %s",
            [company.id, self.id],
        )
        _logger.info(
            "stock forecast %s: %s keys in %.1f s", company.name, len(pairs), vals["duration"]
        )

    def _kopdes_write_results(self, data, result, hist, today):
        company = self.company_id
        pairs = hist["pairs"]
        groups = result.groups
        Group = self.env["kopdes.stock.forecast.group"]
        group_recs = Group.create(
            [
                {
                    "run_id": self.id,
                    "company_id": company.id,
                    "categ_id": int(row.category),
                    "demand_class": row.demand_class,
                    "method": row.method,
                    "product_count": int(row.n_keys),
                    "backtest_rows": int(row.n_rows),
                    "coverage": float(np.nan_to_num(row.coverage)),
                    "alpha": float(np.nan_to_num(row.alpha)),
                    **{
                        f"wape_{m}": float(np.nan_to_num(getattr(row, f"wape_{m}")))
                        for m in fc.METHODS
                    },
                    "bias": float(np.nan_to_num(getattr(row, f"bias_{row.method}"))),
                    "bias_mean4": float(np.nan_to_num(row.bias_mean4)),
                    "bias_snaive": float(np.nan_to_num(row.bias_snaive)),
                }
                for row in groups.itertuples()
            ]
        )
        group_id = dict(zip(groups["group"], group_recs.ids, strict=True))
        f = result.forecasts.sort_values(["key", "h"])
        H = self.horizon
        n = data.n
        fmat = f["forecast"].to_numpy().reshape(n, H)
        lmat = f["lower"].to_numpy().reshape(n, H)
        umat = f["upper"].to_numpy().reshape(n, H)
        suggestions = self._kopdes_suggestions(pairs, fmat, lmat, umat)
        unsold = self._kopdes_expiring(pairs, fmat, today)
        on_hand = hist["on_hand"]
        keys = result.keys.set_index("key")
        two = min(2, H)
        f2 = fmat[:, :two].sum(axis=1)
        u2 = umat[:, :two].sum(axis=1)
        weekly_mean = np.maximum(fmat.mean(axis=1), 1e-9)
        cover = np.where(fmat.mean(axis=1) > 0, on_hand / weekly_mean, 999.0)
        vals_list = []
        for k in range(n):
            vals_list.append(
                {
                    "run_id": self.id,
                    "company_id": company.id,
                    "product_id": int(pairs["product_id"].iat[k]),
                    "warehouse_id": int(pairs["warehouse_id"].iat[k]),
                    "group_id": group_id[keys.at[k, "group"]],
                    "method": keys.at[k, "method"],
                    "level": float(keys.at[k, "level"]),
                    "known_weeks": int(keys.at[k, "known_weeks"]),
                    "qty_on_hand": float(on_hand[k]),
                    "forecast_2w": float(f2[k]),
                    "upper_2w": float(u2[k]),
                    "forecast_horizon": float(fmat[k].sum()),
                    "weeks_of_cover": float(min(cover[k], 999.0)),
                    "stockout_risk": bool(on_hand[k] < u2[k] and u2[k] > 0),
                    "overstock": bool(on_hand[k] > max(suggestions["max"][k], 0) * 1.5 + 1),
                    "suggested_min": float(suggestions["min"][k]),
                    "suggested_max": float(suggestions["max"][k]),
                    "lead_days": float(suggestions["lead"][k]),
                    "service_level": float(suggestions["service"][k]),
                    "shelf_days": float(np.nan_to_num(suggestions["shelf"][k])),
                    "expiring_unsold": float(unsold[k]),
                }
            )
        products = self.env["kopdes.stock.forecast.product"].create(vals_list)
        self._kopdes_write_lines(data, f, pairs)
        self.env["stock.warehouse.orderpoint"]._kopdes_write_suggestions(products)

    def _kopdes_suggestions(self, pairs, fmat, lmat, umat):
        """Lead time (supplier, else the company default), service level (category) and shelf
        life (expiring products) per key, and the min/max from :mod:`..tools.replenish`."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT pp.id,
                   (SELECT MIN(s.delay) FROM product_supplierinfo s
                     WHERE s.product_tmpl_id = t.id
                       AND (s.company_id IS NULL OR s.company_id = %(company)s)
                       AND (s.product_id IS NULL OR s.product_id = pp.id)),
                   COALESCE(c.kopdes_service_level, 0.9),
                   CASE WHEN t.use_expiration_date AND t.expiration_time > 0
                        THEN t.expiration_time END,
                   COALESCE(u.rounding, 1)
              FROM product_product pp
              JOIN product_template t ON t.id = pp.product_tmpl_id
              JOIN uom_uom u ON u.id = t.uom_id
              LEFT JOIN product_category c ON c.id = t.categ_id
             WHERE pp.id = ANY(%(ids)s)
            """,
            {"company": self.company_id.id, "ids": list(set(pairs["product_id"].tolist()))},
        )
        info = {row[0]: row[1:] for row in cr.fetchall()}
        default_lead = self.company_id.kopdes_default_lead_days or 7
        prod = pairs["product_id"].tolist()
        lead = np.array(
            [info[p][0] if info[p][0] is not None else default_lead for p in prod], float
        )
        service = np.array([info[p][1] for p in prod], float)
        shelf = np.array([info[p][2] if info[p][2] else np.nan for p in prod], float)
        rounding = np.array([info[p][3] for p in prod], float)
        mins, maxs, _safety = replenish.reorder_levels(
            fmat, lmat, umat, lead, service, interval=self.interval, shelf_days=shelf
        )
        mins = np.array(
            [
                float_round(v, precision_rounding=r, rounding_method="UP")
                for v, r in zip(mins, rounding, strict=True)
            ]
        )
        maxs = np.array(
            [
                float_round(v, precision_rounding=r, rounding_method="UP")
                for v, r in zip(maxs, rounding, strict=True)
            ]
        )
        maxs = np.maximum(maxs, mins)
        return {"min": mins, "max": maxs, "lead": lead, "service": service, "shelf": shelf}

    def _kopdes_expiring(self, pairs, fmat, today):
        """Per key, the quantity on hand that FEFO sales will not sell before its lots expire;
        writes each lot's own figure on the lot."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT q.product_id, l.warehouse_id, q.lot_id, lot.expiration_date::date,
                   SUM(q.quantity)
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
              JOIN stock_lot lot ON lot.id = q.lot_id
             WHERE q.company_id = %s AND l.usage = 'internal' AND lot.expiration_date IS NOT NULL
             GROUP BY 1, 2, 3, 4
            HAVING SUM(q.quantity) > 0
            """,
            [self.company_id.id],
        )
        key_of = {
            (p, w): k
            for p, w, k in zip(
                pairs["product_id"], pairs["warehouse_id"], pairs["key"], strict=True
            )
        }
        lots_by_key = {}
        for product_id, wh_id, lot_id, expiry, qty in cr.fetchall():
            k = key_of.get((product_id, wh_id))
            if k is not None:
                lots_by_key.setdefault(k, []).append((lot_id, (expiry - today).days, float(qty)))
        unsold = np.zeros(len(pairs))
        per_lot = {}
        for k, lots in lots_by_key.items():
            values = replenish.expiring_unsold([(d, q) for _l, d, q in lots], fmat[k])
            unsold[k] = sum(values)
            for (lot_id, _d, _q), value in zip(lots, values, strict=True):
                per_lot[lot_id] = per_lot.get(lot_id, 0.0) + value
        if per_lot:
            cr.execute(
                "UPDATE stock_lot SET kopdes_unsold_at_expiry = 0 WHERE company_id = %s",
                [self.company_id.id],
            )
            cr.execute(
                """
                UPDATE stock_lot SET kopdes_unsold_at_expiry = v.qty
                  FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::float[]) AS qty) v
                 WHERE v.id = stock_lot.id
                """,
                [list(per_lot), [round(v, 4) for v in per_lot.values()]],
            )
            self.env["stock.lot"].invalidate_model(["kopdes_unsold_at_expiry"])
        return unsold

    def _kopdes_write_lines(self, data, f, pairs):
        """Graph lines with SQL (thousands of rows): the last weeks of history with stock-outs,
        the forecast and the interval bounds."""
        company = self.company_id.id
        shown = min(HISTORY_WEEKS_SHOWN, data.T)
        prod = pairs["product_id"].to_numpy()
        wh = pairs["warehouse_id"].to_numpy()
        weeks = [w.date() for w in data.weeks[-shown:]]
        rows = []
        sold = data.sold[:, -shown:]
        unknown = np.isnan(data.demand[:, -shown:])
        for k in range(data.n):
            for j, week in enumerate(weeks):
                rows.append((k, week, "history", float(sold[k, j]), bool(unknown[k, j])))
        keys = f["key"].to_numpy()
        fweeks = [w.date() for w in pd.to_datetime(f["week"])]
        for series in ("forecast", "lower", "upper"):
            values = f[series].to_numpy()
            for n_row in range(len(f)):
                rows.append((int(keys[n_row]), fweeks[n_row], series, float(values[n_row]), False))
        uid = self.env.uid
        sql = """
            INSERT INTO kopdes_stock_forecast_line
                (run_id, company_id, product_id, warehouse_id, week, series, qty, stockout,
                 create_uid, create_date, write_uid, write_date)
            SELECT %s, %s, unnest(%s::int[]), unnest(%s::int[]), unnest(%s::date[]),
                   unnest(%s::varchar[]), unnest(%s::float[]), unnest(%s::bool[]),
                   %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
        """
        for start in range(0, len(rows), 50_000):
            chunk = rows[start : start + 50_000]
            self.env.cr.execute(
                sql,
                [
                    self.id,
                    company,
                    [int(prod[r[0]]) for r in chunk],
                    [int(wh[r[0]]) for r in chunk],
                    [r[1] for r in chunk],
                    [r[2] for r in chunk],
                    [round(r[3], 4) for r in chunk],
                    [r[4] for r in chunk],
                    uid,
                    uid,
                ],
            )
        self.env["kopdes.stock.forecast.line"].invalidate_model()
