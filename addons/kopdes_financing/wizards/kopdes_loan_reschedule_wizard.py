from odoo import api, fields, models

from ..models.common import kopdes_today


class KopdesLoanRescheduleWizard(models.TransientModel):
    _name = "kopdes.loan.reschedule.wizard"
    _description = "Reschedule a Loan"

    loan_id = fields.Many2one("kopdes.loan", required=True, readonly=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    date = fields.Date(
        string="Rescheduling Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    term = fields.Integer(string="New Installments", required=True, default=12)
    annual_rate = fields.Float(
        string="New Annual Rate (%)",
        digits=(16, 4),
        compute="_compute_annual_rate",
        store=True,
        readonly=False,
    )
    grace_periods = fields.Integer(string="Grace Installments")
    first_due_date = fields.Date(help="Leave empty: one period after the rescheduling date.")
    principal_residual = fields.Monetary(related="loan_id.principal_residual")
    reason = fields.Text(required=True)

    @api.depends("loan_id")
    def _compute_annual_rate(self):
        for wizard in self:
            wizard.annual_rate = wizard.loan_id.annual_rate

    def action_confirm(self):
        self.ensure_one()
        self.loan_id._kopdes_reschedule(
            self.date,
            self.term,
            self.annual_rate,
            self.reason,
            grace_periods=self.grace_periods,
            first_due=self.first_due_date,
        )
        return {"type": "ir.actions.act_window_close"}
