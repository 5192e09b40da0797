from collections import defaultdict

from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def _reconcile_account_move_lines(self, data):
        """Reconcile the member receivables of the session entry (sales paid from savings)
        with the savings withdrawals posted at order time."""
        data = super()._reconcile_account_move_lines(data)
        transactions = (
            self.env["kopdes.savings.transaction"]
            .sudo()
            .search([("pos_order_id.session_id", "in", self.ids), ("state", "=", "posted")])
        )
        if not transactions or not self.move_id:
            return data
        lines = defaultdict(lambda: self.env["account.move.line"])
        candidates = transactions.move_id.line_ids | self.move_id.line_ids
        for line in candidates:
            if (
                line.account_id.reconcile
                and not line.reconciled
                and line.partner_id in transactions.partner_id
                and line.account_id in transactions.counterpart_account_id
            ):
                lines[(line.account_id, line.partner_id)] |= line
        for group in lines.values():
            if group.filtered(lambda line: line.debit) and group.filtered(lambda line: line.credit):
                group.reconcile()
        return data
