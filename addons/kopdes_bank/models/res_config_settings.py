from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_qris_journal_id = fields.Many2one(
        related="company_id.kopdes_qris_journal_id", readonly=False
    )
    kopdes_qris_validity = fields.Integer(related="company_id.kopdes_qris_validity", readonly=False)
    kopdes_agent_settlement_account_id = fields.Many2one(
        related="company_id.kopdes_agent_settlement_account_id", readonly=False
    )
    kopdes_agent_fee_account_id = fields.Many2one(
        related="company_id.kopdes_agent_fee_account_id", readonly=False
    )
