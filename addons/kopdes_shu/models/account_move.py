from odoo import _, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    kopdes_shu_distribution_id = fields.Many2one(
        "kopdes.shu.distribution", string="SHU Distribution", readonly=True, index="btree_not_null"
    )

    def _kopdes_shu_refuse(self):
        if self.filtered("kopdes_shu_distribution_id"):
            raise UserError(
                _("An SHU entry cannot be reset, cancelled, reversed or deleted from Accounting.")
            )

    def button_draft(self):
        self._kopdes_shu_refuse()
        return super().button_draft()

    def button_cancel(self):
        self._kopdes_shu_refuse()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._kopdes_shu_refuse()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def unlink(self):
        self._kopdes_shu_refuse()
        return super().unlink()
