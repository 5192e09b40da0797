from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group


class KopdesKasbonRepayWizard(models.TransientModel):
    _inherit = "kopdes.kasbon.repay.wizard"

    source = fields.Selection(selection_add=[("qris", "QRIS")], ondelete={"qris": "set default"})

    def action_confirm(self):
        """With QRIS: show a dynamic code for the amount; the repayment posts once paid."""
        self.ensure_one()
        if self.source != "qris":
            return super().action_confirm()
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff (Petugas) record kasbon repayments."),
        )
        member = self.member_id
        currency = member.company_id.currency_id
        if currency.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(_("The repayment must be more than zero."))
        open_total = member.sudo().kasbon_open
        if currency.compare_amounts(self.amount, open_total) > 0:
            raise UserError(
                _(
                    "%(member)s owes %(open)s of kasbon; the repayment of %(amount)s is more "
                    "than that.",
                    member=member.display_name,
                    open=self.env["kopdes.kasbon"]._kopdes_format_amount(open_total, currency),
                    amount=self.env["kopdes.kasbon"]._kopdes_format_amount(self.amount, currency),
                )
            )
        payment = self.env["kopdes.qris.payment"]._kopdes_start(
            {
                "company_id": member.company_id.id,
                "purpose": "kasbon_repayment",
                "member_id": member.id,
                "amount": self.amount,
            }
        )
        return payment.action_open()
