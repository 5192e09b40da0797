from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_scoring_min_loans = fields.Integer(
        related="company_id.kopdes_scoring_min_loans", readonly=False
    )
    kopdes_scoring_min_bad = fields.Integer(
        related="company_id.kopdes_scoring_min_bad", readonly=False
    )
