from odoo import fields, models

from ..models.common import kopdes_today


class KopdesLoanPaymentReverseWizard(models.TransientModel):
    _name = "kopdes.loan.payment.reverse.wizard"
    _description = "Reverse a Loan Payment"

    payment_id = fields.Many2one("kopdes.loan.payment", required=True, readonly=True)
    date = fields.Date(
        string="Reversal Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.payment_id.action_reverse(self.reason, self.date)
        return {"type": "ir.actions.act_window_close"}
