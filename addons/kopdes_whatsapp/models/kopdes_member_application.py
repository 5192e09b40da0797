from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group


class KopdesMemberApplication(models.Model):
    """Somebody who asked to join through the chatbot: name, village and business as they
    wrote them, for the staff to complete at the office (the NIK and the family card are
    checked there, on the KTP, never asked on WhatsApp)."""

    _name = "kopdes.member.application"
    _description = "Membership Application (WhatsApp)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    village = fields.Char()
    business = fields.Char(string="Business or Work")
    mobile = fields.Char(string="WhatsApp Number")
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("portal", "Member portal"), ("office", "Office")],
        required=True,
        default="whatsapp",
    )
    conversation_id = fields.Many2one("kopdes.wa.conversation", readonly=True, check_company=True)
    state = fields.Selection(
        [("new", "New"), ("registered", "Registered"), ("refused", "Refused")],
        required=True,
        default="new",
        tracking=True,
    )
    member_id = fields.Many2one("kopdes.member", readonly=True, check_company=True, copy=False)

    def action_register(self):
        """Open a new applicant form filled in with what the person wrote; the teller
        adds the NIK from the KTP and saves."""
        self.ensure_one()
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff register applicants."),
        )
        if self.state != "new":
            raise UserError(_("This application has already been handled."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.member",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_name": self.name,
                "default_village": self.village,
                "default_mobile": self.mobile,
                "default_comment": _("Business: %(business)s", business=self.business or ""),
                "default_company_id": self.company_id.id,
                "kopdes_member_application_id": self.id,
            },
        }

    def action_refuse(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff handle applications."),
        )
        self.filtered(lambda a: a.state == "new").write({"state": "refused"})

    def _kopdes_link_member(self, member):
        self.sudo().write({"state": "registered", "member_id": member.id})

    def _kopdes_schedule_staff_activity(self):
        for application in self.sudo():
            user = application.company_id.kopdes_wa_staff_user_id or self.env.ref("base.user_admin")
            application.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_(
                    "New membership application by WhatsApp: %(name)s", name=application.name
                ),
                note=_(
                    "Call %(phone)s and invite them to the office with their KTP and KK.",
                    phone=application.mobile or "",
                ),
                user_id=user.id,
            )
