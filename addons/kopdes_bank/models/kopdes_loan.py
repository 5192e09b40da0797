from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today


class KopdesLoanPaymentWizard(models.TransientModel):
    _inherit = "kopdes.loan.payment.wizard"

    def action_pay_qris(self):
        """Show a dynamic QRIS code for the amount; the installment posts once paid."""
        self.ensure_one()
        loan = self.loan_id
        loan._kopdes_check_officer()
        if loan.state != "active":
            raise UserError(_("Only an active loan takes installments."))
        if self.settle:
            raise UserError(
                _("An early repayment is taken in cash or from savings, not with QRIS.")
            )
        if self.date != kopdes_today(self.env, loan.company_id):
            raise UserError(_("A QRIS payment is made today."))
        payment = self.env["kopdes.qris.payment"]._kopdes_start(
            {
                "company_id": loan.company_id.id,
                "purpose": "loan_payment",
                "member_id": loan.member_id.id,
                "loan_id": loan.id,
                "amount": self.amount,
                "loan_overpayment": self.overpayment,
            }
        )
        return payment.action_open()


class KopdesLoan(models.Model):
    _inherit = "kopdes.loan"

    kopdes_qris_payment_ids = fields.One2many(
        "kopdes.qris.payment", "loan_id", string="QRIS Payments", readonly=True
    )
