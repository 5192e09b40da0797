from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_loan_journal_id = fields.Many2one(
        related="company_id.kopdes_loan_journal_id", readonly=False
    )
    kopdes_loan_provision_account_id = fields.Many2one(
        related="company_id.kopdes_loan_provision_account_id", readonly=False
    )
    kopdes_loan_provision_expense_account_id = fields.Many2one(
        related="company_id.kopdes_loan_provision_expense_account_id", readonly=False
    )
    kopdes_loan_clearing_account_id = fields.Many2one(
        related="company_id.kopdes_loan_clearing_account_id", readonly=False
    )
    kopdes_loan_social_fund_account_id = fields.Many2one(
        related="company_id.kopdes_loan_social_fund_account_id", readonly=False
    )
    kopdes_loan_block_overdue = fields.Boolean(
        related="company_id.kopdes_loan_block_overdue", readonly=False
    )
