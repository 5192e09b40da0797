from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_savings_journal_id = fields.Many2one(
        related="company_id.kopdes_savings_journal_id", readonly=False
    )
    kopdes_savings_cash_journal_id = fields.Many2one(
        related="company_id.kopdes_savings_cash_journal_id", readonly=False
    )
    kopdes_savings_approval_limit = fields.Monetary(
        related="company_id.kopdes_savings_approval_limit", readonly=False
    )
    kopdes_savings_pph_threshold = fields.Monetary(
        related="company_id.kopdes_savings_pph_threshold", readonly=False
    )
    kopdes_savings_pph_rate = fields.Float(
        related="company_id.kopdes_savings_pph_rate", readonly=False
    )
    kopdes_savings_pph_account_id = fields.Many2one(
        related="company_id.kopdes_savings_pph_account_id", readonly=False
    )
