from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_is_system

from .kopdes_close import CLOSE_POSTING


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_close_id = fields.Many2one(
        "kopdes.close",
        string="Month-End Close",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )

    def _kopdes_close_guard(self):
        """Entries of a month-end close are undone only by reopening the close."""
        if kopdes_is_system(self.env, CLOSE_POSTING):
            return
        guarded = self.sudo().filtered("kopdes_close_id")
        if guarded:
            raise UserError(
                _(
                    "%(moves)s were posted by the month-end close %(close)s and cannot be "
                    "reset to draft, cancelled, reversed or deleted from Accounting; a board "
                    "member (Pengurus) reopens the close instead, which undoes it as a whole.",
                    moves=", ".join(guarded.mapped("display_name")),
                    close=", ".join(guarded.kopdes_close_id.mapped("name")),
                )
            )

    def _check_draftable(self):
        self._kopdes_close_guard()
        return super()._check_draftable()

    def button_draft(self):
        self._kopdes_close_guard()
        return super().button_draft()

    def button_cancel(self):
        self._kopdes_close_guard()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._kopdes_close_guard()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def unlink(self):
        self._kopdes_close_guard()
        return super().unlink()
