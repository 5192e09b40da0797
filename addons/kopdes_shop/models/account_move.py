from odoo import _, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_is_system

from .kopdes_kasbon import KASBON_POSTING


class AccountMove(models.Model):
    _inherit = "account.move"

    def _kopdes_kasbon_guard(self):
        """Kasbon entries are corrected by the kasbon workflow (refund, repayment), never
        reset, cancelled, reversed or deleted from Accounting: the kasbon subledger and the
        ledger stay equal."""
        if kopdes_is_system(self.env, KASBON_POSTING) or not self.ids:
            return
        Kasbon = self.env["kopdes.kasbon"].sudo()
        Repayment = self.env["kopdes.kasbon.repayment"].sudo()
        if Kasbon.search_count([("move_id", "in", self.ids)], limit=1) or Repayment.search_count(
            [("move_id", "in", self.ids), ("source", "!=", "exit")], limit=1
        ):
            raise UserError(
                _(
                    "This entry belongs to a member's kasbon: it is corrected by a refund or "
                    "a repayment, never reset, cancelled or deleted."
                )
            )

    def button_draft(self):
        self._kopdes_kasbon_guard()
        return super().button_draft()

    def button_cancel(self):
        self._kopdes_kasbon_guard()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._kopdes_kasbon_guard()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def unlink(self):
        self._kopdes_kasbon_guard()
        return super().unlink()
