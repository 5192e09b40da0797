from odoo import fields, models

from ..models.common import kopdes_today


class KopdesLoanWriteOffWizard(models.TransientModel):
    _name = "kopdes.loan.write.off.wizard"
    _description = "Write Off a Loan"

    loan_id = fields.Many2one("kopdes.loan", required=True, readonly=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    principal_residual = fields.Monetary(related="loan_id.principal_residual")
    provision_required = fields.Monetary(related="loan_id.provision_required")
    date = fields.Date(
        string="Write-Off Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.loan_id._kopdes_write_off(self.date, self.reason)
        return {"type": "ir.actions.act_window_close"}
