from odoo import _, api, models
from odoo.exceptions import UserError


class KopdesLoan(models.Model):
    _inherit = "kopdes.loan"

    @api.depends("member_id")
    def _compute_member_overdue(self):
        """Overdue kasbon at the shop is arrears too: the loan form warns about it."""
        res = super()._compute_member_overdue()
        late = self.member_id._kopdes_members_kasbon_overdue(self._kopdes_as_of())
        for loan in self:
            if loan.member_id in late:
                loan.member_overdue = True
        return res

    def _kopdes_check_member_can_borrow(self):
        """A member with overdue kasbon is in arrears like one with an overdue loan: the
        same manager's override (with a reason) lifts the block."""
        super()._kopdes_check_member_can_borrow()
        if not self.company_id.kopdes_loan_block_overdue or self.override_by_id:
            return
        if self.member_id._kopdes_members_kasbon_overdue(self._kopdes_today()):
            raise UserError(
                _(
                    "%(member)s has overdue kasbon at the shop. A manager (Pengurus) must "
                    "override the block, with a reason, before this loan can go ahead.",
                    member=self.member_id.display_name,
                )
            )
