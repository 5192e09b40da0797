from odoo import _, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_loan_id = fields.Many2one(
        "kopdes.loan", string="Loan", index="btree_not_null", readonly=True, copy=False
    )

    def button_draft(self):
        if self.filtered("kopdes_loan_id") and not self.env.context.get("kopdes_loan_posting"):
            raise UserError(
                _("Entries of loans cannot be reset to draft; reverse the payment or loan action.")
            )
        return super().button_draft()
