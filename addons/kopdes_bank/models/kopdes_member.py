from odoo import fields, models


class KopdesMember(models.Model):
    _inherit = "kopdes.member"

    kopdes_bank_referral_ids = fields.One2many(
        "kopdes.bank.referral",
        "member_id",
        string="Bank Referrals",
        groups="kopdes_members.group_kopdes_loan_officer",
    )
    kopdes_bank_referral_count = fields.Integer(
        compute="_compute_kopdes_bank_referral_count",
        groups="kopdes_members.group_kopdes_loan_officer",
    )

    def _compute_kopdes_bank_referral_count(self):
        counts = dict(
            self.env["kopdes.bank.referral"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.kopdes_bank_referral_count = counts.get(member, 0)

    def action_view_kopdes_bank_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_bank.kopdes_bank_referral_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id, "default_company_id": self.company_id.id}
        return action
