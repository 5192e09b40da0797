from odoo import fields, models


class KopdesLoanOverrideWizard(models.TransientModel):
    _name = "kopdes.loan.override.wizard"
    _description = "Override the Overdue Block of a Loan"

    loan_id = fields.Many2one("kopdes.loan", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.loan_id.action_override_overdue(self.reason)
        return {"type": "ir.actions.act_window_close"}
