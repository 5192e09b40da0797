from odoo import api, fields, models

METHOD_SELECTION = [
    ("mean4", "Last 4 weeks mean"),
    ("snaive", "Seasonal naive"),
    ("model", "Calendar model"),
    ("combo", "Calendar model and seasonal naive"),
    ("croston", "Croston"),
    ("sba", "Croston SBA"),
    ("tsb", "TSB"),
]


class KopdesStockForecastGroup(models.Model):
    """The backtest of one product group (category and demand class) in a run: the WAPE and
    bias of every method on the held-out weeks, and the method chosen to serve the group."""

    _name = "kopdes.stock.forecast.group"
    _description = "Forecast accuracy per product group"
    _order = "run_id desc, categ_id, demand_class"
    _check_company_auto = True

    @api.depends("categ_id", "demand_class")
    def _compute_display_name(self):
        labels = dict(self._fields["demand_class"]._description_selection(self.env))
        for rec in self:
            rec.display_name = (
                f"{rec.categ_id.display_name or ''} ({labels.get(rec.demand_class, '')})"
            )

    run_id = fields.Many2one(
        "kopdes.stock.forecast.run",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    categ_id = fields.Many2one("product.category", string="Product category", required=True)
    demand_class = fields.Selection(
        [("smooth", "Regular"), ("slow", "Slow mover (intermittent)")], required=True
    )
    method = fields.Selection(METHOD_SELECTION, string="Chosen method", required=True)
    alpha = fields.Float(
        string="Smoothing constant",
        digits=(16, 2),
        help="Of the chosen Croston, SBA or TSB method, picked by the backtest.",
    )
    product_count = fields.Integer(string="Products")
    backtest_rows = fields.Integer(string="Backtest forecasts")
    wape_mean4 = fields.Float(string="WAPE last 4 weeks", digits=(16, 3))
    wape_snaive = fields.Float(string="WAPE seasonal naive", digits=(16, 3))
    wape_model = fields.Float(string="WAPE calendar model", digits=(16, 3))
    wape_combo = fields.Float(string="WAPE model and seasonal naive", digits=(16, 3))
    wape_croston = fields.Float(string="WAPE Croston", digits=(16, 3))
    wape_sba = fields.Float(string="WAPE SBA", digits=(16, 3))
    wape_tsb = fields.Float(string="WAPE TSB", digits=(16, 3))
    wape = fields.Float(string="WAPE chosen", compute="_compute_wape", store=True, digits=(16, 3))
    bias = fields.Float(string="Bias chosen", digits=(16, 3))
    bias_mean4 = fields.Float(string="Bias last 4 weeks", digits=(16, 3))
    bias_snaive = fields.Float(string="Bias seasonal naive", digits=(16, 3))
    coverage = fields.Float(
        string="Interval coverage",
        digits=(16, 3),
        help="Share of held-out actuals inside intervals calibrated on earlier weeks.",
    )
    beats_baselines = fields.Boolean(compute="_compute_wape", store=True)

    @api.depends("method", *[f"wape_{m}" for m, _label in METHOD_SELECTION])
    def _compute_wape(self):
        for group in self:
            group.wape = group[f"wape_{group.method}"] if group.method else 0.0
            group.beats_baselines = group.wape < min(group.wape_mean4, group.wape_snaive)
