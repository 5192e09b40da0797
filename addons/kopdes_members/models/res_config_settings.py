from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_member_pricelist_id = fields.Many2one(
        related="company_id.kopdes_member_pricelist_id", readonly=False
    )
    kopdes_member_sequence_id = fields.Many2one(
        related="company_id.kopdes_member_sequence_id", readonly=False
    )
    kopdes_four_eyes = fields.Boolean(related="company_id.kopdes_four_eyes", readonly=False)
