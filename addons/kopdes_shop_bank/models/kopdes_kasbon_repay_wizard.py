from odoo import _, fields, models

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
        amount, _kasbons = self.env["kopdes.kasbon.repayment"]._kopdes_check_amount(
            member, self.amount
        )
        payment = self.env["kopdes.qris.payment"]._kopdes_start(
            {
                "company_id": member.company_id.id,
                "purpose": "kasbon_repayment",
                "member_id": member.id,
                "amount": amount,
            }
        )
        return payment.action_open()
