from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_wa_bot_hourly_limit = fields.Integer(
        related="company_id.kopdes_wa_bot_hourly_limit", readonly=False
    )
    kopdes_wa_staff_user_id = fields.Many2one(
        related="company_id.kopdes_wa_staff_user_id", readonly=False
    )
