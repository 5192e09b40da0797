from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_scoring_min_loans = fields.Integer(
        string="Loans Needed to Train a Model",
        default=200,
        help="Until this many loans have a known outcome the expert scorecard serves.",
    )
    kopdes_scoring_min_bad = fields.Integer(
        string="Bad Loans Needed to Train a Model",
        default=30,
        help="Until this many loans went bad the expert scorecard serves.",
    )
