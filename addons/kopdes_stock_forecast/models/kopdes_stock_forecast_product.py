from odoo import api, fields, models

from .kopdes_stock_forecast_group import METHOD_SELECTION
from .kopdes_stock_forecast_run import check_planner


class KopdesStockForecastProduct(models.Model):
    """One product in one warehouse in a run: its forecast, the stock-out risk of the next two
    weeks, overstock, what will expire unsold, and the suggested reorder rule."""

    _name = "kopdes.stock.forecast.product"
    _description = "Product forecast and reorder suggestion"
    _order = "run_id desc, stockout_risk desc, product_id"
    _check_company_auto = True
    _rec_name = "product_id"

    run_id = fields.Many2one(
        "kopdes.stock.forecast.run",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    is_latest = fields.Boolean(related="run_id.is_latest", store=True, string="Latest forecast")
    product_id = fields.Many2one("product.product", required=True, index=True, check_company=True)
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Category")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, check_company=True)
    group_id = fields.Many2one("kopdes.stock.forecast.group", string="Product group")
    method = fields.Selection(METHOD_SELECTION)
    level = fields.Float(string="Weekly level", digits="Product Unit of Measure")
    known_weeks = fields.Integer(
        help="Weeks of history with a known demand (weeks with a stock-out are not known)."
    )
    qty_on_hand = fields.Float(string="On hand", digits="Product Unit of Measure")
    forecast_2w = fields.Float(string="Forecast 2 weeks", digits="Product Unit of Measure")
    upper_2w = fields.Float(string="Upper bound 2 weeks", digits="Product Unit of Measure")
    forecast_horizon = fields.Float(string="Forecast all weeks", digits="Product Unit of Measure")
    weeks_of_cover = fields.Float(digits=(16, 1))
    stockout_risk = fields.Boolean(
        string="Stock-out risk", help="On hand is below the upper bound of the next two weeks."
    )
    overstock = fields.Boolean(help="On hand is more than 1.5 times the suggested maximum.")
    suggested_min = fields.Float(digits="Product Unit of Measure")
    suggested_max = fields.Float(digits="Product Unit of Measure")
    lead_days = fields.Float(string="Lead time (days)", digits=(16, 1))
    service_level = fields.Float(digits=(16, 3))
    shelf_days = fields.Float(string="Shelf life (days)", digits=(16, 0))
    expiring_unsold = fields.Float(
        string="Expires unsold",
        digits="Product Unit of Measure",
        help="Quantity on hand that first-expiry-first-out sales will not sell before expiry.",
    )
    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", string="Reorder rule")
    suggestion_pending = fields.Boolean(
        compute="_compute_suggestion_pending", store=True, string="Suggestion to review"
    )

    @api.depends(
        "orderpoint_id.kopdes_suggestion_state", "orderpoint_id.kopdes_forecast_product_id"
    )
    def _compute_suggestion_pending(self):
        for line in self:
            line.suggestion_pending = bool(
                line.orderpoint_id
                and line.orderpoint_id.kopdes_suggestion_state == "pending"
                and line.orderpoint_id.kopdes_forecast_product_id == line
            )

    def action_open_graph(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_stock_forecast.kopdes_stock_forecast_line_action"
        )
        action["domain"] = [
            ("run_id", "=", self.run_id.id),
            ("product_id", "=", self.product_id.id),
            ("warehouse_id", "=", self.warehouse_id.id),
        ]
        action["name"] = self.product_id.display_name
        return action

    def action_accept_suggestion(self):
        check_planner(self.env)
        self.orderpoint_id.action_kopdes_accept_suggestion()
        return True
