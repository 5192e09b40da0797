from odoo import fields, models


class KopdesMember(models.Model):
    _name = "kopdes.member"
    _inherit = ["kopdes.member", "kopdes.member.wa.verification"]

    wa_message_count = fields.Integer(
        string="WhatsApp Messages", compute="_compute_wa_message_count"
    )

    def _compute_wa_message_count(self):
        counts = dict(
            self.env["kopdes.wa.message"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.wa_message_count = counts.get(member, 0)

    def action_view_wa_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_whatsapp.kopdes_wa_message_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {}
        return action
