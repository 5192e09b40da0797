from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_kasbon_limit_mode = fields.Selection(
        related="company_id.kopdes_kasbon_limit_mode", readonly=False
    )
    kopdes_kasbon_savings_multiple = fields.Float(
        related="company_id.kopdes_kasbon_savings_multiple", readonly=False
    )
    kopdes_kasbon_fixed_limit = fields.Monetary(
        related="company_id.kopdes_kasbon_fixed_limit", readonly=False
    )
    kopdes_kasbon_term_days = fields.Integer(
        related="company_id.kopdes_kasbon_term_days", readonly=False
    )
    kopdes_kasbon_room_step = fields.Monetary(
        related="company_id.kopdes_kasbon_room_step", readonly=False
    )
    kopdes_kasbon_journal_id = fields.Many2one(
        related="company_id.kopdes_kasbon_journal_id", readonly=False
    )
    kopdes_kasbon_account_id = fields.Many2one(
        related="company_id.kopdes_kasbon_account_id", readonly=False
    )
