from odoo import api, fields, models
from odoo.tools import format_date


class KopdesStockForecastLine(models.Model):
    """A point of the forecast graph: a week of history (sold, and whether stock ran out), or
    a forecast week with its lower and upper bound. Written with SQL by the run."""

    _name = "kopdes.stock.forecast.line"
    _description = "Forecast graph point"
    _order = "week"
    _check_company_auto = True

    @api.depends("product_id", "week")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = (
                f"{rec.product_id.display_name or ''} {format_date(self.env, rec.week)}"
            )

    run_id = fields.Many2one(
        "kopdes.stock.forecast.run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    product_id = fields.Many2one("product.product", required=True, index=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True)
    week = fields.Date(required=True)
    series = fields.Selection(
        [
            ("history", "Sold"),
            ("forecast", "Forecast"),
            ("lower", "Lower bound"),
            ("upper", "Upper bound"),
        ],
        required=True,
    )
    qty = fields.Float(string="Quantity", digits="Product Unit of Measure", aggregator="sum")
    stockout = fields.Boolean(string="Stock-out week")
