from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .common import kopdes_is_posting

BLOCKING_STATES = ("approved", "active")


class KopdesSavingsAccount(models.Model):
    """Savings blocked as collateral of a loan cannot be withdrawn while the loan is open."""

    _inherit = "kopdes.savings.account"

    kopdes_loan_collateral_ids = fields.One2many(
        "kopdes.loan", "collateral_savings_account_id", string="Collateral For Loans"
    )
    kopdes_blocked_amount = fields.Monetary(
        string="Blocked as Collateral", compute="_compute_kopdes_blocked_amount"
    )

    def _compute_kopdes_blocked_amount(self):
        blocked = self._kopdes_blocked_amounts()
        for account in self:
            account.kopdes_blocked_amount = blocked.get(account._origin.id or account.id, 0.0)

    @api.depends(
        "kopdes_loan_collateral_ids.state", "kopdes_loan_collateral_ids.collateral_savings_amount"
    )
    def _compute_available_balance(self):
        res = super()._compute_available_balance()
        blocked = self._kopdes_blocked_amounts()
        for account in self:
            amount = blocked.get(account._origin.id or account.id, 0.0)
            if amount:
                account.available_balance = max(account.available_balance - amount, 0.0)
        return res

    def _kopdes_blocked_amounts(self, exclude_loan=None):
        """``{account_id: amount blocked by approved or active loans}`` (one ``_read_group``)."""
        ids = [account_id for account_id in self._origin.ids if account_id]
        if not ids:
            return {}
        domain = [
            ("collateral_savings_account_id", "in", ids),
            ("state", "in", BLOCKING_STATES),
        ]
        if exclude_loan:
            domain.append(("id", "!=", exclude_loan.id))
        return {
            account.id: amount
            for account, amount in self.env["kopdes.loan"]
            .sudo()
            ._read_group(
                domain, ["collateral_savings_account_id"], ["collateral_savings_amount:sum"]
            )
        }


class KopdesSavingsTransaction(models.Model):
    _inherit = "kopdes.savings.transaction"

    def _kopdes_check_balance(self, before):
        res = super()._kopdes_check_balance(before)
        if self.type == "withdrawal" and not kopdes_is_posting(self.env):
            account = self.account_id
            blocked = account._kopdes_blocked_amounts().get(account.id, 0.0)
            floor = account.product_id.minimum_balance + blocked
            after = before + self.signed_amount
            if blocked and self.currency_id.compare_amounts(after, floor) < 0:
                raise UserError(
                    _(
                        "%(blocked)s of %(account)s is blocked as collateral of a loan; "
                        "%(available)s can be taken out.",
                        blocked=account.product_id._kopdes_format(blocked),
                        account=account.display_name,
                        available=account.product_id._kopdes_format(max(before - floor, 0.0)),
                    )
                )
        return res
