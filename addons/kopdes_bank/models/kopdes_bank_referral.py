import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_fields,
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

PRODUCTS = [
    ("digital_account", "Digital savings account"),
    ("business_loan", "Larger business loan"),
    ("other", "Other product"),
]
# the context key of the referral's own workflow (sending, the bank's answer)
REFERRAL_WORKFLOW = "kopdes_bank_referral"
# what an officer writes on a referral; its status, date and attached profile are written by
# sending it (with the member's consent) and by recording the bank's answer
REFERRAL_USER_FIELDS = {
    "company_id",
    "member_id",
    "bank_id",
    "product",
    "note",
    "message_main_attachment_id",
    "message_follower_ids",
}


class KopdesBankReferral(models.Model):
    """A member referred to a partner bank's product, only with the member's consent
    ``bank_sharing``; with kopdes_scoring installed the member's bank-ready credit profile is
    attached. Every referral is logged on the member."""

    _name = "kopdes.bank.referral"
    _description = "Referral to a Partner Bank"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    member_id = fields.Many2one(
        "kopdes.member", required=True, check_company=True, index=True, tracking=True
    )
    bank_id = fields.Many2one(
        "kopdes.agent.bank", string="Partner Bank", required=True, check_company=True
    )
    product = fields.Selection(PRODUCTS, required=True, default="digital_account")
    date = fields.Date(default=lambda self: kopdes_today(self.env), readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent to the bank"),
            ("accepted", "Accepted by the bank"),
            ("declined", "Declined by the bank"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    note = fields.Text()
    profile_attachment_id = fields.Many2one(
        "ir.attachment", string="Credit Profile", readonly=True, copy=False
    )

    @api.depends("member_id", "bank_id")
    def _compute_name(self):
        for referral in self:
            referral.name = f"{referral.member_id.name or ''} → {referral.bank_id.name or ''}"

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, REFERRAL_USER_FIELDS, vals_list=vals_list)
        if not self.env.su:
            for vals in vals_list:
                self._kopdes_check_user_vals(vals, new=True)
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, REFERRAL_WORKFLOW):
            self._kopdes_check_user_vals(vals)
            if set(vals) & {"member_id", "bank_id", "product"} and any(
                referral.state != "draft" for referral in self
            ):
                raise UserError(_("A referral sent to the bank is not changed any more."))
        return super().write(vals)

    def _kopdes_check_user_vals(self, vals, new=False):
        kopdes_check_fields(
            self,
            vals,
            REFERRAL_USER_FIELDS,
            _(
                "These fields of a referral are written by sending it and by recording the "
                "bank's answer: %(fields)s"
            ),
            new=new,
        )

    def _kopdes_check_officer(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_loan_officer",
            _("Only loan officers and managers refer members to a partner bank."),
        )

    def action_send(self):
        """Send the referral: refused without the member's consent to share data with banks."""
        self._kopdes_check_officer()
        for referral in self:
            if referral.state != "draft":
                raise UserError(_("This referral has already been sent."))
            member = referral.member_id
            if not member._kopdes_has_consent("bank_sharing"):
                raise UserError(
                    _(
                        "%(member)s has not agreed to share data with banks: record the "
                        "member's consent (Sharing with a bank) first.",
                        member=member.display_name,
                    )
                )
            values = {"state": "sent", "date": kopdes_today(self.env, referral.company_id)}
            attachment = referral._kopdes_profile_attachment()
            if attachment:
                values["profile_attachment_id"] = attachment.id
            kopdes_system(referral, REFERRAL_WORKFLOW).write(values)
            labels = dict(self._fields["product"]._description_selection(self.env))
            member.message_post(
                body=_(
                    "Referred to %(bank)s for %(product)s by %(user)s%(profile)s.",
                    bank=referral.bank_id.name,
                    product=labels[referral.product].lower(),
                    user=self.env.user.name,
                    profile=_(", with the credit profile attached") if attachment else "",
                ),
                attachment_ids=attachment.ids,
            )
        return True

    def _kopdes_profile_attachment(self):
        """The member's bank-ready profile (PDF) from kopdes_scoring, when it is installed."""
        self.ensure_one()
        member = self.member_id
        if not hasattr(member, "_kopdes_bank_profile_pdf"):
            return self.env["ir.attachment"]
        pdf = member._kopdes_bank_profile_pdf()
        if not pdf:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": _("Credit profile %(member)s.pdf", member=member.name),
                    "datas": base64.b64encode(pdf),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        )

    def action_accepted(self):
        self._kopdes_set_answer("accepted")

    def action_declined(self):
        self._kopdes_set_answer("declined")

    def _kopdes_set_answer(self, state):
        self._kopdes_check_officer()
        if self.filtered(lambda r: r.state != "sent"):
            raise UserError(_("Only a referral sent to the bank gets the bank's answer."))
        kopdes_system(self, REFERRAL_WORKFLOW).write({"state": state})
        return True
