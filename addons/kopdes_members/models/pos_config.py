from odoo import fields, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    kopdes_member_pricelist_id = fields.Many2one(
        related="company_id.kopdes_member_pricelist_id",
        string="Member Pricelist",
        help="Given automatically to active members at this point of sale when it is one of "
        "the available pricelists.",
    )
