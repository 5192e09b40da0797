from odoo import _, fields, models
from odoo.exceptions import UserError

from .common import kopdes_is_posting


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_loan_id = fields.Many2one(
        "kopdes.loan", string="Loan", index="btree_not_null", readonly=True, copy=False
    )

    def button_draft(self):
        if self.filtered("kopdes_loan_id") and not kopdes_is_posting(self.env):
            raise UserError(
                _("Entries of loans cannot be reset to draft; reverse the payment or loan action.")
            )
        return super().button_draft()
