from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_near_expiry_days = fields.Integer(
        string="Near expiry (days)",
        default=60,
        help="Lots that expire within this many days are listed as near expiry.",
    )
    kopdes_default_lead_days = fields.Integer(
        string="Default supplier lead time (days)",
        default=7,
        help="Lead time of a product without a supplier lead time.",
    )
