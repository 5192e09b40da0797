from odoo import api, fields, models
from odoo.tools import format_datetime


class KopdesWaConversationLine(models.Model):
    _name = "kopdes.wa.conversation.line"
    _description = "WhatsApp Conversation Message"
    _order = "date, id"

    conversation_id = fields.Many2one(
        "kopdes.wa.conversation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="conversation_id.company_id", store=True, index=True, string="Cooperative"
    )
    member_id = fields.Many2one(related="conversation_id.member_id", store=True, index=True)
    direction = fields.Selection([("in", "Received"), ("out", "Sent")], required=True)
    body = fields.Text()
    intent = fields.Char()
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    inbound_id = fields.Many2one("kopdes.wa.inbound", ondelete="set null")
    message_id = fields.Many2one("kopdes.wa.message", ondelete="set null")

    @api.depends("conversation_id", "direction", "date")
    def _compute_display_name(self):
        labels = dict(self._fields["direction"]._description_selection(self.env))
        for line in self:
            line.display_name = (
                f"{line.conversation_id.display_name or ''}: {labels.get(line.direction, '')} "
                f"{format_datetime(self.env, line.date) if line.date else ''}"
            ).strip()
