from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import SAVINGS_POSTING, kopdes_is_system


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_savings_transaction_ids = fields.One2many(
        "kopdes.savings.transaction", "move_id", string="Savings Transactions", readonly=True
    )
    kopdes_savings_interest_batch_id = fields.Many2one(
        "kopdes.savings.interest.batch",
        string="Savings Interest Batch",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    kopdes_savings_transaction_count = fields.Integer(
        compute="_compute_kopdes_savings_transaction_count"
    )

    def _compute_kopdes_savings_transaction_count(self):
        """Savings transactions of the entry the user may see; none for accounting, sales or
        POS users outside the Koperasi groups (they still create and open invoices)."""
        Transaction = self.env["kopdes.savings.transaction"]
        counts = {}
        if self.ids and Transaction.has_access("read"):
            counts = dict(
                Transaction._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"])
            )
        for move in self:
            move.kopdes_savings_transaction_count = counts.get(move, 0)

    def action_view_kopdes_savings_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_transaction_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {}
        return action

    def _kopdes_savings_guard(self):
        """Entries of savings transactions and of the interest batch are corrected by
        reversing the transaction, never from Accounting."""
        if kopdes_is_system(self.env, SAVINGS_POSTING):
            return
        # read the links as the system: an accountant without savings rights is refused too
        savings = self.sudo().filtered(
            lambda move: (
                move.kopdes_savings_transaction_ids or move.kopdes_savings_interest_batch_id
            )
        )
        if savings:
            raise UserError(
                _(
                    "%(moves)s belong to savings transactions: reverse the savings "
                    "transaction instead of changing the journal entry.",
                    moves=", ".join(savings.mapped("display_name")),
                )
            )

    def button_draft(self):
        self._kopdes_savings_guard()
        return super().button_draft()

    def button_cancel(self):
        self._kopdes_savings_guard()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._kopdes_savings_guard()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def unlink(self):
        self._kopdes_savings_guard()
        return super().unlink()


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    kopdes_exit_deduction = fields.Boolean(
        string="Exit Deduction",
        readonly=True,
        copy=False,
        help="Part of a member's savings used to pay what the member owed on exit.",
    )
