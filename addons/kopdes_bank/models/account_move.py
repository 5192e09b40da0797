from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_is_system

from .kopdes_agent_transaction import AGENT_POSTING


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_agent_transaction_ids = fields.One2many(
        "kopdes.agent.transaction", "move_id", string="Bank Agent Transactions", readonly=True
    )

    def _kopdes_agent_guard(self):
        """Entries of the bank agent counter are corrected by reversing the transaction."""
        if kopdes_is_system(self.env, AGENT_POSTING):
            return
        agent = self.sudo().filtered("kopdes_agent_transaction_ids")
        if agent:
            raise UserError(
                _(
                    "%(moves)s belong to bank agent transactions: reverse the transaction "
                    "instead of changing the journal entry.",
                    moves=", ".join(agent.mapped("display_name")),
                )
            )

    def button_draft(self):
        self._kopdes_agent_guard()
        return super().button_draft()

    def button_cancel(self):
        self._kopdes_agent_guard()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._kopdes_agent_guard()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def unlink(self):
        self._kopdes_agent_guard()
        return super().unlink()
