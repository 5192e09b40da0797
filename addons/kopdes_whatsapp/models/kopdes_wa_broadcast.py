from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group

MANAGER = "kopdes_members.group_kopdes_manager"
KINDS = [
    ("meeting", "Members' Meeting (RAT)"),
    ("training", "Training"),
    ("government", "Government Programme"),
    ("promotion", "Promotion"),
    ("new_stock", "New Stock"),
]
PROMOTIONAL = {"promotion", "new_stock"}


class KopdesWaBroadcast(models.Model):
    """An announcement sent by WhatsApp to the members of a cooperative: meetings (RAT),
    trainings and government programmes to everyone who accepts service messages;
    promotions and new stock only to members who consented to promotions."""

    _name = "kopdes.wa.broadcast"
    _description = "WhatsApp Announcement"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(KINDS, required=True, default="meeting", tracking=True)
    event_date = fields.Datetime(string="Date and Time")
    place = fields.Char()
    text = fields.Text(string="Announcement", required=True)
    template_id = fields.Many2one(
        "kopdes.wa.template",
        required=True,
        check_company=True,
        domain="[('model', '=', 'kopdes.wa.broadcast'), ('status', '=', 'approved')]",
    )
    member_ids = fields.Many2many(
        "kopdes.member",
        string="Only These Members",
        check_company=True,
        help="Leave empty to announce to every active member.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("queued", "Queued")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    queued_count = fields.Integer(string="Messages Queued", readonly=True)
    skipped_count = fields.Integer(
        string="Members Skipped", readonly=True, help="No consent, no phone or opted out."
    )
    message_count = fields.Integer(compute="_compute_message_count")

    def _compute_message_count(self):
        counts = dict(
            self.env["kopdes.wa.message"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for broadcast in self:
            broadcast.message_count = counts.get(broadcast.id, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if self.filtered(lambda b: b.state != "draft"):
            raise UserError(_("An announcement already sent cannot be deleted."))

    def _kopdes_recipients(self):
        self.ensure_one()
        if self.member_ids:
            return self.member_ids.filtered(lambda m: m.state == "active")
        return self.env["kopdes.member"].search(
            [("company_id", "=", self.company_id.id), ("state", "=", "active")]
        )

    def action_send(self):
        """Queue the announcement to its members (once: sending again queues nothing)."""
        kopdes_check_group(
            self.env, MANAGER, _("Only a manager (Pengurus) can send announcements.")
        )
        for broadcast in self:
            if broadcast.template_id.model != self._name:
                raise UserError(_("Choose a template made for announcements."))
            kind = "promotion" if broadcast.kind in PROMOTIONAL else "service"
            members = broadcast._kopdes_recipients()
            messages = self.env["kopdes.wa.message"]._kopdes_notify(
                members,
                kind,
                f"broadcast:{broadcast.id}",
                template=broadcast.template_id,
                record=broadcast,
            )
            skipped = messages.env.context.get("kopdes_wa_skipped") or {}
            broadcast.sudo().write(
                {
                    "state": "queued",
                    "queued_count": broadcast.queued_count + len(messages),
                    "skipped_count": sum(v for k, v in skipped.items() if k != "duplicate"),
                }
            )
            broadcast.message_post(
                body=_(
                    "%(queued)s messages queued, %(skipped)s members skipped (no consent, "
                    "no phone or opted out).",
                    queued=len(messages),
                    skipped=broadcast.skipped_count,
                )
            )
        return True

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_whatsapp.kopdes_wa_message_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action
