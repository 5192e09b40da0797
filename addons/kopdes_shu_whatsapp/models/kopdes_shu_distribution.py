from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

TEMPLATE = "slip_shu"
# why ``_kopdes_queue_notifications`` skipped a member, as the staff read it
SKIP_LABELS = {
    "duplicate": _lt("already notified"),
    "no_account": _lt("no WhatsApp account"),
    "no_phone": _lt("no mobile number"),
    "no_consent": _lt("no consent for service messages"),
    "opted_out": _lt("opted out"),
    "undeliverable": _lt("number not on WhatsApp"),
    "no_template": _lt("template slip_shu not approved"),
    "no_window": _lt("no open conversation"),
}


class KopdesShuDistribution(models.Model):
    _inherit = "kopdes.shu.distribution"

    wa_slip_count = fields.Integer(
        string="Slips on WhatsApp",
        compute="_compute_wa_slip_count",
        help="SHU slip notices queued or sent on WhatsApp for this distribution.",
    )

    def _compute_wa_slip_count(self):
        Message = self.env["kopdes.wa.message"].sudo()
        for record in self:
            record.wa_slip_count = (
                Message.search_count(record._kopdes_wa_slip_domain()) if record.id else 0
            )

    def _kopdes_wa_slip_domain(self):
        """The slip notices of this distribution, by their keys (``_kopdes_wa_slip_key``)."""
        self.ensure_one()
        return [("idempotency_key", "=like", f"shu_slip-{self.id}:%")]

    def _kopdes_wa_slip_key(self, line):
        return f"shu_slip-{self.id}:{line.member_id.id}"

    def action_send_slips_whatsapp(self):
        """Queue the SHU slip notice (template ``slip_shu``) on WhatsApp to every member with
        a share, once per member and distribution, to members who accept service messages
        on a deliverable number; returns a notification with what was queued and skipped."""
        self._kopdes_check_run()
        queued = self.env["kopdes.wa.message"]
        skipped = {}
        for record in self:
            if record.state not in ("posted", "paid"):
                raise UserError(
                    _("The SHU slips go out on WhatsApp once the distribution is posted.")
                )
            lines = record.line_ids.filtered(lambda line: line.total > 0)
            if not lines:
                raise UserError(_("No member has an SHU share in this distribution."))
            messages = self.env["kopdes.wa.message"]._kopdes_queue_notifications(
                [(line.member_id, line, record._kopdes_wa_slip_key(line)) for line in lines],
                "service",
                template=TEMPLATE,
                notification="shu_slip",
            )
            for reason, count in messages.env.context.get("kopdes_wa_skipped", {}).items():
                skipped[reason] = skipped.get(reason, 0) + count
            record.message_post(
                body=_(
                    "%(count)s SHU slip notices queued on WhatsApp.",
                    count=len(messages),
                )
            )
            queued |= messages
        detail = ", ".join(
            f"{SKIP_LABELS[reason] if reason in SKIP_LABELS else reason}: {count}"
            for reason, count in sorted(skipped.items())
        )
        message = _("%(count)s SHU slip notices queued on WhatsApp.", count=len(queued))
        if detail:
            message = _("%(message)s Not sent: %(detail)s.", message=message, detail=detail)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if queued else "warning",
                "message": message,
                "sticky": bool(skipped),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_wa_slips(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_whatsapp.kopdes_wa_message_action"
        )
        action["domain"] = self._kopdes_wa_slip_domain()
        action["context"] = {}
        return action
