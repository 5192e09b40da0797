from odoo import api, fields, models

from ..models.common import kopdes_today


class KopdesLoanDisburseWizard(models.TransientModel):
    _name = "kopdes.loan.disburse.wizard"
    _description = "Disburse a Loan"

    loan_id = fields.Many2one("kopdes.loan", required=True, readonly=True)
    company_id = fields.Many2one(related="loan_id.company_id")
    currency_id = fields.Many2one(related="loan_id.currency_id")
    date = fields.Date(
        string="Disbursement Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    first_due_date = fields.Date(help="Leave empty: one period after the disbursement.")
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid From",
        required=True,
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', '=', company_id)]",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
    )
    amount = fields.Monetary(related="loan_id.amount")
    admin_fee = fields.Monetary(related="loan_id.admin_fee")
    admin_fee_mode = fields.Selection(related="loan_id.admin_fee_mode")
    net_amount = fields.Monetary(string="Paid to the Member", compute="_compute_net_amount")

    @api.depends("loan_id")
    def _compute_journal_id(self):
        for wizard in self:
            if not wizard.journal_id and wizard.loan_id:
                wizard.journal_id = wizard.loan_id.company_id._kopdes_savings_cash_journal()

    @api.depends("amount", "admin_fee", "admin_fee_mode")
    def _compute_net_amount(self):
        for wizard in self:
            fee = wizard.admin_fee if wizard.admin_fee_mode == "deducted" else 0.0
            wizard.net_amount = wizard.amount - fee

    def action_confirm(self):
        self.ensure_one()
        self.loan_id.action_disburse(self.date, self.journal_id, self.first_due_date)
        return {"type": "ir.actions.act_window_close"}
