from odoo import _, fields, models
from odoo.exceptions import UserError

from .common import kopdes_is_posting

BATCHES = [
    ("late_fees", "Late fees"),
    ("interest", "Interest accrual"),
    ("provision", "Loan loss provision"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_loan_id = fields.Many2one(
        "kopdes.loan", string="Loan", index="btree_not_null", readonly=True, copy=False
    )
    kopdes_batch = fields.Selection(
        BATCHES,
        string="Loan Batch Job",
        readonly=True,
        copy=False,
        help="The financing batch job that posted this entry.",
    )
    kopdes_month_end_id = fields.Many2one(
        "kopdes.loan.month.end",
        string="Loan Month-End",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )

    def _kopdes_loan_guard(self):
        """Entries posted by the financing code (of one loan or of a batch job) are
        corrected by the loan's own actions, never from Accounting."""
        if kopdes_is_posting(self.env):
            return
        guarded = self.filtered(
            lambda move: move.kopdes_loan_id or move.kopdes_batch or move.kopdes_month_end_id
        )
        if guarded:
            raise UserError(
                _(
                    "%(moves)s were posted by the loans (a loan action or a batch job) and "
                    "cannot be reset to draft, cancelled, reversed or deleted from Accounting; "
                    "reverse the payment or loan action instead.",
                    moves=", ".join(guarded.mapped("display_name")),
                )
            )

    def button_draft(self):
        self._kopdes_loan_guard()
        return super().button_draft()

    def button_cancel(self):
        self._kopdes_loan_guard()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._kopdes_loan_guard()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def unlink(self):
        self._kopdes_loan_guard()
        return super().unlink()
