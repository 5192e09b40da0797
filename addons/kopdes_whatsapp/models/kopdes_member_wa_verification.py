"""Verification of a member's WhatsApp number, and what the chatbot may tell to whom.

The chatbot tells balances and loans only to a number that belongs to exactly one active
member and that the cooperative verified: either a code sent to the number by WhatsApp and
read back to the teller, who types it on the member's form, or a staff member who checked
the phone in person and confirms it with a button. A verification belongs to the number:
when the member's mobile changes, it lapses by itself.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group

CODE_VALIDITY = timedelta(minutes=30)
CODE_MAX_ATTEMPTS = 5


def _hash_code(member_id, code):
    return hashlib.sha256(f"{member_id}:{code}".encode()).hexdigest()


class KopdesMemberWaVerification(models.AbstractModel):
    """The chatbot's part of ``kopdes.member`` (mixed into it by models/kopdes_member.py)."""

    _name = "kopdes.member.wa.verification"
    _description = "WhatsApp Verification of a Member"

    wa_verified_phone = fields.Char(
        string="Verified WhatsApp Number", readonly=True, copy=False, tracking=True
    )
    wa_verified_date = fields.Datetime(string="Verified On", readonly=True, copy=False)
    wa_verified_by_id = fields.Many2one(
        "res.users", string="Verified By", readonly=True, copy=False
    )
    wa_verification_method = fields.Selection(
        [("code", "Code sent by WhatsApp"), ("staff", "Confirmed in person by staff")],
        string="Verified With",
        readonly=True,
        copy=False,
    )
    wa_phone_verified = fields.Boolean(
        string="WhatsApp Verified",
        compute="_compute_wa_phone_verified",
        search="_search_wa_phone_verified",
        help="The member's mobile is the number the cooperative verified.",
    )
    wa_code_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    wa_code_phone = fields.Char(readonly=True, copy=False, groups="base.group_system")
    wa_code_expiry = fields.Datetime(string="Code Valid Until", readonly=True, copy=False)
    wa_code_attempts = fields.Integer(readonly=True, copy=False)
    disclosure_ids = fields.One2many(
        "kopdes.member.disclosure", "member_id", string="Disclosures", readonly=True
    )
    disclosure_count = fields.Integer(compute="_compute_disclosure_count")

    @api.depends("mobile", "wa_verified_phone")
    def _compute_wa_phone_verified(self):
        for member in self:
            member.wa_phone_verified = bool(
                member.wa_verified_phone and member.wa_verified_phone == member.mobile
            )

    def _search_wa_phone_verified(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on the WhatsApp verification."))
        self.env.cr.execute(
            """SELECT m.id FROM kopdes_member m JOIN res_partner p ON p.id = m.partner_id
               WHERE m.wa_verified_phone IS NOT NULL AND m.wa_verified_phone = p.mobile"""
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    def _compute_disclosure_count(self):
        counts = dict(
            self.env["kopdes.member.disclosure"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.disclosure_count = counts.get(member, 0)

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        application_id = self.env.context.get("kopdes_member_application_id")
        if application_id and len(members) == 1:
            # the form opened from a WhatsApp application: mark it registered (only a
            # new application of the same cooperative; the key gives no other power)
            application = self.env["kopdes.member.application"].browse(application_id).exists()
            if (
                application
                and application.state == "new"
                and application.company_id == members.company_id
            ):
                application._kopdes_link_member(members)
        return members

    # ------------------------------------------------------------------ actions

    def _kopdes_check_wa_staff(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff verify WhatsApp numbers."),
        )

    def _kopdes_check_wa_mobile(self):
        for member in self:
            if not member.mobile:
                raise UserError(
                    _("%(name)s has no mobile number to verify.", name=member.display_name)
                )
            if member.state != "active":
                raise UserError(
                    _(
                        "Only the number of an active member can be verified (%(name)s).",
                        name=member.display_name,
                    )
                )

    def action_wa_send_code(self):
        """Send a six-digit code to the member's mobile by WhatsApp; the member reads it
        to the teller, who enters it with :meth:`action_wa_enter_code`."""
        self._kopdes_check_wa_staff()
        self._kopdes_check_wa_mobile()
        for member in self:
            code = f"{secrets.randbelow(10**6):06d}"
            member.sudo().write(
                {
                    "wa_code_hash": _hash_code(member.id, code),
                    "wa_code_phone": member.mobile,
                    "wa_code_expiry": fields.Datetime.now() + CODE_VALIDITY,
                    "wa_code_attempts": 0,
                }
            )
            member._kopdes_wa_send_code_message(code)
            member.message_post(
                body=_("A WhatsApp verification code was sent to %(phone)s.", phone=member.mobile)
            )
        return True

    def _kopdes_wa_send_code_message(self, code):
        """Queue the code to the member's mobile (one message, one idempotency key)."""
        self.ensure_one()
        account = (
            self.env["kopdes.wa.account"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )
        if not account:
            raise UserError(
                _("The cooperative has no WhatsApp account configured to send the code.")
            )
        body = _(
            "Your verification code for %(coop)s is %(code)s. Tell it only to the teller at "
            "the office. Valid for 30 minutes.",
            coop=self.company_id.name,
            code=code,
        )
        return (
            self.env["kopdes.wa.message"]
            .sudo()
            ._kopdes_queue_reply(
                account,
                self.mobile.lstrip("+"),
                body,
                member=self,
                key=f"verify:{self.id}:{self.wa_code_expiry}",
            )
        )

    def action_wa_enter_code(self, code):
        """Check the code the member read out; verify the number when it matches (True).
        A wrong code counts as an attempt and returns False; after
        ``CODE_MAX_ATTEMPTS`` wrong codes a new code must be sent."""
        self.ensure_one()
        self._kopdes_check_wa_staff()
        member = self.sudo()
        if not member.wa_code_hash or not member.wa_code_expiry:
            raise UserError(_("Send a verification code first."))
        if member.wa_code_expiry < fields.Datetime.now():
            raise UserError(_("The code has expired. Send a new code."))
        if member.wa_code_attempts >= CODE_MAX_ATTEMPTS:
            raise UserError(_("Too many wrong codes. Send a new code."))
        if member.wa_code_phone != member.mobile:
            raise UserError(
                _("The mobile number changed after the code was sent. Send a new code.")
            )
        given = "".join(ch for ch in str(code or "") if ch.isdigit())
        if not hmac.compare_digest(_hash_code(member.id, given), member.wa_code_hash):
            # no error raised: the failed attempt must count (an error would roll it back)
            member.write({"wa_code_attempts": member.wa_code_attempts + 1})
            return False
        member.write(
            {
                "wa_verified_phone": member.mobile,
                "wa_verified_date": fields.Datetime.now(),
                "wa_verified_by_id": self.env.uid,
                "wa_verification_method": "code",
                "wa_code_hash": False,
                "wa_code_phone": False,
                "wa_code_expiry": False,
                "wa_code_attempts": 0,
            }
        )
        self.message_post(
            body=_("WhatsApp number %(phone)s verified with the code.", phone=self.mobile)
        )
        return True

    def action_wa_confirm_phone(self):
        """Staff checked the member's phone in person (the member showed it at the office)."""
        self._kopdes_check_wa_staff()
        self._kopdes_check_wa_mobile()
        for member in self:
            member.sudo().write(
                {
                    "wa_verified_phone": member.mobile,
                    "wa_verified_date": fields.Datetime.now(),
                    "wa_verified_by_id": self.env.uid,
                    "wa_verification_method": "staff",
                }
            )
            member.message_post(
                body=_(
                    "WhatsApp number %(phone)s confirmed in person by staff.", phone=member.mobile
                )
            )
        return True

    def action_wa_revoke(self):
        self._kopdes_check_wa_staff()
        for member in self.filtered("wa_verified_phone"):
            phone = member.wa_verified_phone
            member.sudo().write(
                {
                    "wa_verified_phone": False,
                    "wa_verified_date": False,
                    "wa_verified_by_id": False,
                    "wa_verification_method": False,
                }
            )
            member.message_post(
                body=_("WhatsApp verification of %(phone)s withdrawn.", phone=phone)
            )
        return True

    def action_wa_open_code_wizard(self):
        self.ensure_one()
        self._kopdes_check_wa_staff()
        return {
            "type": "ir.actions.act_window",
            "name": _("Enter WhatsApp Code"),
            "res_model": "kopdes.wa.verify.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_member_id": self.id},
        }

    def action_view_disclosures(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Disclosures"),
            "res_model": "kopdes.member.disclosure",
            "view_mode": "list",
            "domain": [("member_id", "=", self.id)],
        }

    # ------------------------------------------------------------------ helpers

    @api.model
    def _kopdes_wa_members_of(self, company, phone):
        """Every member record of ``company`` (any status, archived too) that has
        ``phone`` (E.164) as mobile or phone."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("mobile", "=", phone),
                    ("phone", "=", phone),
                ]
            )
        )

    @api.model
    def _kopdes_wa_owner(self, company, phone):
        """The member the chatbot may tell balances and loans to for ``phone``: the one
        active member of ``company`` with this number, verified. Empty otherwise (unknown,
        shared with another member record, not verified, not active)."""
        members = self._kopdes_wa_members_of(company, phone)
        if len(members) != 1:
            return self.browse()
        if members.state != "active" or not members.active or not members.wa_phone_verified:
            return self.browse()
        return members
