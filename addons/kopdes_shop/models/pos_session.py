from collections import defaultdict

from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def _reconcile_account_move_lines(self, data):
        """Reconcile the member receivables of the session entry (kasbon sales and refunds)
        with the kasbon entries posted when the orders were synced."""
        data = super()._reconcile_account_move_lines(data)
        if not self.move_id:
            return data
        orders = self.order_ids
        kasbons = self.env["kopdes.kasbon"].sudo().search([("pos_order_id", "in", orders.ids)])
        refunds = (
            self.env["kopdes.kasbon.repayment"].sudo().search([("pos_order_id", "in", orders.ids)])
        )
        moves = kasbons.move_id | refunds.move_id
        if not moves:
            return data
        partners = kasbons.partner_id | refunds.partner_id
        lines = defaultdict(lambda: self.env["account.move.line"])
        for line in moves.line_ids | self.move_id.line_ids:
            if (
                line.account_id.reconcile
                and not line.reconciled
                and line.partner_id in partners
                and line.account_id.account_type == "asset_receivable"
                and line.account_id != line.company_id.kopdes_kasbon_account_id
            ):
                lines[(line.account_id, line.partner_id)] |= line
        for group in lines.values():
            if group.filtered("debit") and group.filtered("credit"):
                group.reconcile()
        return data
