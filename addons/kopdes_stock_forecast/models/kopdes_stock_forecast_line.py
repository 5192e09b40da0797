from odoo import fields, models


class KopdesStockForecastLine(models.Model):
    """A point of the forecast graph: a week of history (sold, and whether stock ran out), or
    a forecast week with its lower and upper bound. Written with SQL by the run."""

    _name = "kopdes.stock.forecast.line"
    _description = "Forecast graph point"
    _order = "week"
    _check_company_auto = True

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
