import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from ..tools import nik as nik_tools
from ..tools import phone as phone_tools
from .kopdes_system import (
    STATE_CHANGE,
    kopdes_check_fields,
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

MEMBER_STATES = [
    ("applicant", "Applicant"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("resigned", "Resigned"),
    ("deceased", "Deceased"),
]

OCCUPATIONS = [
    ("farmer", "Farmer"),
    ("fisher", "Fisher"),
    ("trader", "Trader"),
    ("craftsman", "Craftsman"),
    ("laborer", "Laborer"),
    ("driver", "Driver"),
    ("civil_servant", "Civil Servant"),
    ("private_employee", "Private Employee"),
    ("entrepreneur", "Entrepreneur"),
    ("homemaker", "Homemaker"),
    ("student", "Student"),
    ("retired", "Retired"),
    ("other", "Other"),
]

# fields the status workflow writes (approval, status wizard, exit settlement) and nobody else
MEMBER_WORKFLOW_FIELDS = {
    "state",
    "state_date",
    "state_reason",
    "member_number",
    "approved_by_id",
    "approved_date",
}
# what the cooperative's staff (Petugas and up) may write on create and write
MEMBER_STAFF_FIELDS = {
    "name",
    "nik",
    "kk_number",
    "gender",
    "birth_date",
    "birth_place",
    "village",
    "rt",
    "rw",
    "occupation",
    "business_type_id",
    "applied_date",
    "mobile",
    "phone",
    "email",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "image_1920",
    "lang",
    "comment",
    "company_id",
    "partner_id",
    # chatter and activities
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
}
# ... and what only a manager (Pengurus) may write besides: the join date counts for tenure
# (scoring) and archiving hides a member
MEMBER_MANAGER_FIELDS = {"join_date", "active"}

CONSENT_PURPOSES = [
    ("credit_scoring", "Credit scoring with shop data"),
    ("whatsapp_service", "WhatsApp service messages"),
    ("whatsapp_promotion", "WhatsApp promotions"),
    ("bank_sharing", "Sharing with a bank"),
]


# fields checked together by _kopdes_data_problems
DATA_FIELDS = {"name", "nik", "birth_date", "gender", "kk_number", "rt", "rw", "join_date"}


class KopdesMember(models.Model):
    _name = "kopdes.member"
    _description = "Cooperative Member"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _inherits = {"res.partner": "partner_id"}
    _order = "member_number, id"
    _check_company_auto = True
    _rec_names_search = ["name", "member_number", "nik", "mobile"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Related Contact",
        required=True,
        ondelete="restrict",
        index=True,
        auto_join=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    member_number = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Given by the cooperative's sequence when the member is approved.",
    )
    state = fields.Selection(
        MEMBER_STATES,
        string="Status",
        required=True,
        readonly=True,
        default="applicant",
        tracking=True,
        index=True,
    )
    state_date = fields.Date(
        string="Status Since",
        readonly=True,
        copy=False,
        default=lambda self: kopdes_today(self.env),
    )
    state_reason = fields.Text(string="Reason of Last Change", readonly=True, copy=False)
    nik = fields.Char(
        string="NIK (KTP)",
        required=True,
        copy=False,
        tracking=True,
        help="Nomor Induk Kependudukan: the 16-digit number on the member's KTP.",
    )
    kk_number = fields.Char(
        string="Family Card No.", copy=False, help="Nomor Kartu Keluarga (16 digits)."
    )
    gender = fields.Selection([("male", "Male"), ("female", "Female")], tracking=True)
    birth_date = fields.Date(string="Date of Birth")
    birth_place = fields.Char(string="Place of Birth")
    age = fields.Integer(compute="_compute_age")
    village = fields.Char(help="Desa or kelurahan.", index=True)
    rt = fields.Char(string="RT No.", size=3, help="Rukun Tetangga")
    rw = fields.Char(string="RW No.", size=3, help="Rukun Warga")
    occupation = fields.Selection(OCCUPATIONS)
    business_type_id = fields.Many2one(
        "kopdes.business.type",
        check_company=True,
        index=True,
    )
    join_date = fields.Date(copy=False, tracking=True)
    applied_date = fields.Date(
        string="Application Date", default=lambda self: kopdes_today(self.env), copy=False
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Date(readonly=True, copy=False)
    consent_ids = fields.One2many("kopdes.consent", "member_id", string="Consents")
    consent_count = fields.Integer(compute="_compute_consent_count")
    consent_credit_scoring = fields.Boolean(
        string="Consents to Credit Scoring", compute="_compute_consents"
    )
    consent_whatsapp_service = fields.Boolean(
        string="Consents to WhatsApp Service", compute="_compute_consents"
    )
    consent_whatsapp_promotion = fields.Boolean(
        string="Consents to WhatsApp Promotions", compute="_compute_consents"
    )
    consent_bank_sharing = fields.Boolean(
        string="Consents to Sharing with a Bank", compute="_compute_consents"
    )
    duplicate_phone_member_ids = fields.Many2many(
        "kopdes.member",
        string="Members with the Same Phone",
        compute="_compute_duplicate_phone_member_ids",
    )

    _sql_constraints = [
        (
            "nik_company_uniq",
            "unique(nik, company_id)",
            "A member with this NIK is already registered in this cooperative.",
        ),
        (
            "member_number_company_uniq",
            "unique(member_number, company_id)",
            "This member number is already used in this cooperative.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("member_number", "name")
    def _compute_display_name(self):
        for member in self:
            if member.member_number:
                member.display_name = f"[{member.member_number}] {member.name or ''}"
            else:
                member.display_name = member.name or ""

    @api.depends("birth_date")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for member in self:
            born = member.birth_date
            member.age = (
                today.year - born.year - ((today.month, today.day) < (born.month, born.day))
                if born
                else 0
            )

    def _compute_consent_count(self):
        counts = dict(
            self.env["kopdes.consent"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.consent_count = counts.get(member, 0)

    def _compute_consents(self):
        granted = {
            purpose: self._kopdes_consent_granted(purpose) for purpose, _label in CONSENT_PURPOSES
        }
        for member in self:
            for purpose, _label in CONSENT_PURPOSES:
                member[f"consent_{purpose}"] = member in granted[purpose]

    @api.depends("mobile", "phone", "company_id")
    def _compute_duplicate_phone_member_ids(self):
        numbers = {n for m in self for n in (m.mobile, m.phone) if n}
        others_by_number = {}
        if numbers:
            others = self.search(
                ["|", ("mobile", "in", list(numbers)), ("phone", "in", list(numbers))]
            )
            for other in others:
                for number in (other.mobile, other.phone):
                    if number:
                        others_by_number.setdefault((other.company_id.id, number), other)
                        others_by_number[(other.company_id.id, number)] |= other
        for member in self:
            duplicates = self.browse()
            for number in {member.mobile, member.phone} - {False, ""}:
                duplicates |= others_by_number.get((member.company_id.id, number), self.browse())
            member.duplicate_phone_member_ids = duplicates.filtered(
                lambda m, current=member: m.id != current._origin.id
            )

    # ---------------------------------------------------------- constraints

    @api.constrains("nik", "birth_date", "gender", "kk_number", "rt", "rw", "join_date")
    def _check_member_data(self):
        """Every problem of a member's data in one message, one per line, so that a form
        with several mistakes is corrected in one go."""
        for member in self:
            problems = member._kopdes_data_problems()
            if problems:
                raise ValidationError("\n".join(problems))

    def _kopdes_data_problems(self, problems=()):
        """The messages of what is wrong with this member's NIK, family card, RT/RW and
        dates, after ``problems`` already found (e.g. phone numbers)."""
        self.ensure_one()
        problems = list(problems)
        try:
            nik_tools.validate(self.nik, birth_date=self.birth_date, gender=self.gender)
        except nik_tools.NikError as err:
            problems.append(self._kopdes_nik_error_message(err))
        if self.kk_number and not re.fullmatch(r"\d{16}", self.kk_number):
            problems.append(
                _(
                    "The family card number (KK) of %(name)s must have exactly 16 digits.",
                    name=self.name,
                )
            )
        if any(value and not re.fullmatch(r"\d{1,3}", value) for value in (self.rt, self.rw)):
            problems.append(_("RT and RW are numbers of at most three digits, e.g. 003."))
        today = kopdes_today(self.env)
        if self.birth_date and self.birth_date > today:
            problems.append(_("The date of birth of %(name)s lies in the future.", name=self.name))
        if self.join_date and self.birth_date and self.join_date < self.birth_date:
            problems.append(_("%(name)s cannot have joined before being born.", name=self.name))
        return problems

    @api.onchange("nik")
    def _onchange_nik(self):
        if not self.nik:
            return
        try:
            parts = nik_tools.parse(self.nik)
        except nik_tools.NikError as err:
            return {
                "warning": {
                    "title": _("Invalid NIK"),
                    "message": self._kopdes_nik_error_message(err),
                }
            }
        self.nik = parts["nik"]
        if not self.gender:
            self.gender = parts["gender"]
        if not self.birth_date:
            self.birth_date = nik_tools.birth_date(
                parts["nik"], today=fields.Date.context_today(self)
            )

    @api.onchange("mobile", "phone")
    def _onchange_phone_kopdes(self):
        for field_name in ("mobile", "phone"):
            value = self[field_name]
            if not value:
                continue
            try:
                self[field_name] = phone_tools.normalize(value)
            except phone_tools.PhoneError:
                return {
                    "warning": {
                        "title": _("Invalid phone number"),
                        "message": self._kopdes_phone_error_message(value),
                    }
                }
        if self.duplicate_phone_member_ids:
            return {
                "warning": {
                    "title": _("Phone already used"),
                    "message": _(
                        "This phone number is already registered for %(members)s.",
                        members=", ".join(self.duplicate_phone_member_ids.mapped("display_name")),
                    ),
                }
            }

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, self._kopdes_user_fields(), vals_list=vals_list)
        # staff register applicants; a manager may also register members who are already
        # active (the cooperative's existing members), which counts as their approval
        creatable = {"applicant"}
        if self.env.user.has_group("kopdes_members.group_kopdes_manager"):
            creatable.add("active")
        for vals in vals_list:
            if not self.env.su and (
                (vals.get("state") or "applicant") not in creatable
                or any(vals.get(name) for name in MEMBER_WORKFLOW_FIELDS - {"state"})
            ):
                raise UserError(
                    _(
                        "A member is registered as an applicant; a manager (Pengurus) "
                        "approves the membership."
                    )
                )
            self._kopdes_check_user_vals(vals)
            if not self.env.su and vals.get("state") == "active":
                vals["approved_by_id"] = self.env.uid
                vals["approved_date"] = kopdes_today(self.env)
            self._kopdes_prepare_vals(vals)
        self._kopdes_check_nik_free(
            [
                (vals.get("company_id") or self.env.company.id, vals.get("nik"))
                for vals in vals_list
                if vals.get("nik")
            ]
        )
        for vals in vals_list:
            if vals.get("state") == "active" and not vals.get("join_date"):
                vals["join_date"] = vals.get("applied_date") or kopdes_today(self.env)
        new_partner = [not vals.get("partner_id") for vals in vals_list]
        members = super().create(vals_list)
        for member, made_here in zip(members, new_partner, strict=True):
            if made_here and not member.partner_id.company_id:
                # a contact made for this membership belongs to its cooperative
                member.partner_id.company_id = member.company_id
        members.filtered(lambda m: m.state == "active")._kopdes_activate_partners()
        return members

    def write(self, vals):
        if MEMBER_WORKFLOW_FIELDS & set(vals) and not kopdes_is_system(self.env, STATE_CHANGE):
            raise UserError(
                _("Change the status of a member with the buttons on the member's form.")
            )
        self._kopdes_check_user_vals(vals)
        self._kopdes_prepare_vals(vals)
        if vals.get("nik") or vals.get("company_id"):
            self._kopdes_check_nik_free(
                [
                    (vals.get("company_id") or member.company_id.id, vals.get("nik") or member.nik)
                    for member in self
                ],
                exclude=self,
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        registered = self.filtered(lambda m: m.state != "applicant" or m.member_number)
        with_money = self._kopdes_money_attached()
        if registered or with_money:
            names = ", ".join((registered | with_money).mapped("display_name"))
            raise UserError(
                _(
                    "Members who have been approved or have money with the cooperative are "
                    "never deleted; archive them instead: %(names)s",
                    names=names,
                )
            )

    def _kopdes_user_fields(self):
        """The fields the current user may write on ``create``/``write`` of members.

        Staff (Petugas and up) fill in the registration; a manager also the join date and
        the archive flag. Addons that add fields staff fill in extend this with ``super()``.
        Everything else (status, member number, approval) is written by the workflow.
        """
        allowed = set(MEMBER_STAFF_FIELDS)
        if self.env.user.has_group("kopdes_members.group_kopdes_manager"):
            allowed |= MEMBER_MANAGER_FIELDS
        return allowed

    def _kopdes_check_user_vals(self, vals):
        """Refuse values outside :meth:`_kopdes_user_fields` from anyone but superuser mode
        (data files, the workflow's own writes)."""
        if self.env.su:
            return
        allowed = self._kopdes_user_fields()
        written = set(vals)
        if not self:
            # a new record's form also sends what it leaves at the default
            # (the state a member is created in is checked by create itself)
            written = {
                name
                for name, value in vals.items()
                if value and not (name == "active" and value is True) and name != "state"
            }
        kopdes_check_fields(
            self,
            written,
            allowed,
            _(
                "These fields of a member are filled in by the cooperative's procedures "
                "(approval, status change) or by a manager: %(fields)s"
            ),
        )

    def _kopdes_check_nik_free(self, company_niks, exclude=None):
        """Refuse NIKs already registered in the cooperative (or twice in one batch)."""
        if not company_niks:
            return
        seen = set()
        for key in company_niks:
            if key in seen:
                raise ValidationError(
                    _("The NIK %(nik)s appears twice in what is being saved.", nik=key[1])
                )
            seen.add(key)
        domain = [
            ("nik", "in", [nik for _company, nik in company_niks]),
            ("company_id", "in", list({company for company, _nik in company_niks})),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        existing = (
            self.with_context(active_test=False)
            .sudo()
            .search_fetch(domain, ["nik", "company_id", "name", "member_number"])
        )
        for member in existing:
            if (member.company_id.id, member.nik) in seen:
                raise ValidationError(
                    _(
                        "A member with NIK %(nik)s is already registered in this cooperative: "
                        "%(member)s.",
                        nik=member.nik,
                        member=member.display_name,
                    )
                )

    def _kopdes_nik_parts(self, nik):
        """The parts of a valid NIK with its birth date, or an empty dict."""
        try:
            parts = nik_tools.parse(nik)
            parts["birth_date"] = nik_tools.birth_date(nik, today=fields.Date.context_today(self))
        except nik_tools.NikError:
            return {}
        return parts

    def _kopdes_prepare_vals(self, vals):
        """Normalise NIK, phones, RT/RW and birth data in create/write values."""
        if vals.get("nik"):
            vals["nik"] = nik_tools.compact(vals["nik"])
            # an invalid NIK fills in nothing: the constraint gives the message
            parts = self._kopdes_nik_parts(vals["nik"])
            if parts:
                if not vals.get("gender") and not (self and all(self.mapped("gender"))):
                    vals["gender"] = parts["gender"]
                if not vals.get("birth_date") and not (self and all(self.mapped("birth_date"))):
                    vals["birth_date"] = parts["birth_date"]
        phone_problems = []
        for field_name in ("mobile", "phone"):
            if vals.get(field_name):
                try:
                    vals[field_name] = phone_tools.normalize(vals[field_name])
                except phone_tools.PhoneError:
                    phone_problems.append(self._kopdes_phone_error_message(vals[field_name]))
        if vals.get("kk_number"):
            vals["kk_number"] = re.sub(r"[\s.\-]", "", vals["kk_number"])
        for field_name in ("rt", "rw"):
            value = vals.get(field_name)
            if value and isinstance(value, str) and value.strip().isdigit():
                vals[field_name] = value.strip().zfill(3)[-3:] if len(value.strip()) <= 3 else value
        if phone_problems:
            # report the phone together with whatever else is wrong in the same values
            if len(self) > 1:
                raise ValidationError("\n".join(phone_problems))
            values = {name: self[name] for name in DATA_FIELDS} if self else {}
            values.update({name: vals[name] for name in DATA_FIELDS & set(vals)})
            draft = self.new(values)
            raise ValidationError("\n".join(draft._kopdes_data_problems(phone_problems)))
        return vals

    # --------------------------------------------------------------- actions

    def action_approve(self):
        """Approve applicants: they become active members with a member number."""
        self._kopdes_check_manager()
        not_applicants = self.filtered(lambda m: m.state != "applicant")
        if not_applicants:
            raise UserError(
                _(
                    "Only applicants can be approved: %(names)s",
                    names=", ".join(not_applicants.mapped("display_name")),
                )
            )
        today = kopdes_today(self.env)
        for member in self:
            kopdes_system(member, STATE_CHANGE).write(
                {
                    "state": "active",
                    "state_date": today,
                    "state_reason": False,
                    "join_date": member.join_date or today,
                    "approved_by_id": self.env.uid,
                    "approved_date": today,
                }
            )
            member.message_post(
                body=_("Membership approved by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self._kopdes_activate_partners()
        return True

    def action_open_state_wizard(self):
        self._kopdes_check_manager()
        target = self.env.context.get("kopdes_target_state")
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Member Status"),
            "res_model": "kopdes.member.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_member_ids": self.ids,
                "default_new_state": target,
            },
        }

    def action_view_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_members.kopdes_consent_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id}
        return action

    def action_print_card(self):
        active = self.filtered("member_number")
        if not active:
            raise UserError(_("Only members with a member number get a member card."))
        # the card has its own layout: no need to configure the company's document layout first
        report = self.env.ref("kopdes_members.action_report_kopdes_member_card")
        return report.with_context(discard_logo_check=True).report_action(active)

    # --------------------------------------------------------------- helpers

    def _kopdes_check_manager(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_manager",
            _("Only a manager (Pengurus) of the cooperative can approve or change members."),
        )

    def _kopdes_change_state(self, new_state, change_date, reason):
        """Move members to ``new_state`` and write the reason in their chatter."""
        # new status: the statuses it can be reached from
        allowed = {
            "active": {"suspended"},
            "suspended": {"active"},
            "resigned": {"active", "suspended"},
            "deceased": {"active", "suspended"},
        }
        change_date = fields.Date.to_date(change_date)
        labels = dict(self._fields["state"]._description_selection(self.env))
        for member in self:
            if member.state not in allowed.get(new_state, set()):
                raise UserError(
                    _(
                        "%(name)s is %(state)s and cannot become %(new_state)s.",
                        name=member.display_name,
                        state=labels[member.state],
                        new_state=labels[new_state],
                    )
                )
        kopdes_system(self, STATE_CHANGE).write(
            {"state": new_state, "state_date": change_date, "state_reason": reason}
        )
        for member in self:
            member.message_post(
                body=_(
                    "Status changed to %(state)s as of %(date)s. Reason: %(reason)s",
                    state=labels[new_state],
                    date=format_date(self.env, change_date),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if new_state == "active":
            self._kopdes_activate_partners()
        else:
            self._kopdes_deactivate_partners()

    def _kopdes_activate_partners(self):
        """Member number, card barcode and member pricelist for active members."""
        for company in self.company_id:
            members = self.filtered(lambda m, c=company: m.company_id == c)
            without_number = members.filtered(lambda m: not m.member_number)
            numbers = company._kopdes_next_member_numbers(len(without_number))
            for member, number in zip(without_number, numbers, strict=True):
                kopdes_system(member, STATE_CHANGE).member_number = number
            partners = members.partner_id.with_company(company)
            # the specific property: the computed one ignores values equal to the fallback
            partners.write(
                {"specific_property_product_pricelist": company._kopdes_member_pricelist().id}
            )
            for member in members:
                if member.partner_id.with_company(company).barcode != member.member_number:
                    member.partner_id.with_company(company).barcode = member.member_number

    def _kopdes_deactivate_partners(self):
        """Suspended, resigned and deceased members lose the member pricelist."""
        for company in self.company_id:
            partners = self.filtered(lambda m, c=company: m.company_id == c).partner_id
            pricelist = company.kopdes_member_pricelist_id
            partners = partners.with_company(company).filtered(
                lambda p, pl=pricelist: p.specific_property_product_pricelist == pl
            )
            if partners:
                partners.write({"specific_property_product_pricelist": False})

    def _kopdes_money_attached(self):
        """Members with money in the cooperative; savings and financing extend this."""
        return self.browse()

    def _kopdes_consent_granted(self, purpose, at=None):
        """The members of ``self`` whose latest consent for ``purpose`` (at ``at``) is granted.

        One query for the whole recordset; other addons call it before using data or
        sending messages that need consent.
        """
        if not self.ids:
            return self.browse()
        at = at or fields.Datetime.now()
        self.env["kopdes.consent"].flush_model()
        self.env.cr.execute(
            """
            SELECT member_id FROM (
                SELECT DISTINCT ON (member_id) member_id, action
                  FROM kopdes_consent
                 WHERE member_id = ANY(%s) AND purpose = %s AND date <= %s
              ORDER BY member_id, date DESC, id DESC
            ) latest
            WHERE action = 'granted'
            """,
            [list(self.ids), purpose, at],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _kopdes_has_consent(self, purpose, at=None):
        """May the cooperative use ``purpose`` for this member now (or at ``at``)?"""
        self.ensure_one()
        return bool(self._kopdes_consent_granted(purpose, at=at))

    def _kopdes_nik_error_message(self, err):
        nik = self.nik or ""
        messages = {
            nik_tools.EMPTY: _("The NIK is required."),
            nik_tools.FORMAT: _("The NIK %(nik)s may contain digits only.", nik=nik),
            nik_tools.LENGTH: _(
                "The NIK %(nik)s has %(length)s digits; a NIK has exactly 16.",
                nik=nik,
                length=err.params.get("length"),
            ),
            nik_tools.REGION: _(
                "The NIK %(nik)s starts with an unknown region code %(region)s.",
                nik=nik,
                region=err.params.get("region"),
            ),
            nik_tools.DAY: _(
                "The NIK %(nik)s has an impossible day of birth %(day)s (1-31 for men, "
                "41-71 for women).",
                nik=nik,
                day=err.params.get("day"),
            ),
            nik_tools.MONTH: _(
                "The NIK %(nik)s has an impossible month of birth %(month)s.",
                nik=nik,
                month=err.params.get("month"),
            ),
            nik_tools.DATE: _(
                "The NIK %(nik)s contains a birth date that does not exist (%(date)s).",
                nik=nik,
                date=err.params.get("date"),
            ),
            nik_tools.SERIAL: _("The NIK %(nik)s ends in 0000, which is never issued.", nik=nik),
            nik_tools.FUTURE: _("The NIK %(nik)s contains a birth date in the future.", nik=nik),
            nik_tools.BIRTH_DATE_MISMATCH: _(
                "The NIK %(nik)s says born on %(nik_date)s, but the date of birth is "
                "%(birth_date)s.",
                nik=nik,
                nik_date=err.params.get("nik_date"),
                birth_date=err.params.get("birth_date"),
            ),
            nik_tools.GENDER_MISMATCH: _(
                "The NIK %(nik)s belongs to a %(nik_gender)s, but the member is recorded as "
                "%(gender)s.",
                nik=nik,
                nik_gender=_("woman") if err.params.get("nik_gender") == "female" else _("man"),
                gender=_("woman") if err.params.get("gender") == "female" else _("man"),
            ),
        }
        return messages.get(err.code, _("The NIK %(nik)s is not valid.", nik=nik))

    def _kopdes_phone_error_message(self, number):
        return _(
            "The phone number %(number)s is not valid. Write it as 0812..., 812..., "
            "62812... or +62812....",
            number=number,
        )
