import re

from odoo import api, fields, models
from odoo.osv import expression

from ..tools import phone as phone_tools
from .kopdes_member import MEMBER_STATES

# an Indonesian number as cashiers type it: 0812..., 812..., 62812... or 0285... for a
# landline (separators allowed); the same rule as static/src/utils/member.js
_LOCAL_PHONE = re.compile(r"^(?:(?:0|62)?(8\d{5,13})|(?:0|62)([1-79]\d{6,11}))$")
_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")


class ResPartner(models.Model):
    _inherit = "res.partner"

    kopdes_member_ids = fields.One2many("kopdes.member", "partner_id", string="Memberships")
    kopdes_member_id = fields.Many2one(
        "kopdes.member",
        string="Member",
        compute="_compute_kopdes_member",
        search="_search_kopdes_member_id",
        help="The membership of this contact in the current cooperative.",
    )
    kopdes_member_number = fields.Char(
        string="Member No.", compute="_compute_kopdes_member", search="_search_kopdes_member_number"
    )
    # computed with the membership, not related: a related field would not follow the
    # company of the context, and the POS of each cooperative reads it
    kopdes_member_state = fields.Selection(
        MEMBER_STATES,
        string="Member Status",
        compute="_compute_kopdes_member",
        search="_search_kopdes_member_state",
    )

    @api.depends_context("company")
    @api.depends(
        "kopdes_member_ids.company_id",
        "kopdes_member_ids.member_number",
        "kopdes_member_ids.state",
    )
    def _compute_kopdes_member(self):
        company = self.env.company
        members = self.env["kopdes.member"].search(
            [("partner_id", "in", self.ids), ("company_id", "=", company.id)]
        )
        by_partner = {member.partner_id.id: member for member in members}
        for partner in self:
            member = by_partner.get(partner._origin.id or partner.id, self.env["kopdes.member"])
            partner.kopdes_member_id = member
            partner.kopdes_member_number = member.member_number
            partner.kopdes_member_state = member.state

    def _search_kopdes_member_id(self, operator, value):
        return [
            (
                "kopdes_member_ids",
                "any",
                [("id", operator, value), ("company_id", "=", self.env.company.id)],
            )
        ]

    def _search_kopdes_member_number(self, operator, value):
        return [
            (
                "kopdes_member_ids",
                "any",
                [("member_number", operator, value), ("company_id", "=", self.env.company.id)],
            )
        ]

    def _search_kopdes_member_state(self, operator, value):
        return [
            (
                "kopdes_member_ids",
                "any",
                [("state", operator, value), ("company_id", "=", self.env.company.id)],
            )
        ]

    # ------------------------------------------------------------- phones

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kopdes_prepare_phone_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._kopdes_prepare_phone_vals(vals)
        return super().write(vals)

    @api.onchange("phone", "country_id", "company_id")
    def _onchange_phone_validation(self):
        # phone_validation's onchange writes the international format; contacts keep E.164
        if self.phone:
            self.phone = self._kopdes_normalize_phone(self.phone, self.country_id)

    @api.onchange("mobile", "country_id", "company_id")
    def _onchange_mobile_validation(self):
        if self.mobile:
            self.mobile = self._kopdes_normalize_phone(self.mobile, self.country_id)

    @api.model
    def _kopdes_normalize_phone(self, number, country=None):
        """``number`` in E.164 (``+62812...``), or as typed when it cannot be read.

        The one normaliser of the addons (``tools/phone.py``, on the phonenumbers library
        phone_validation uses), for every contact wherever its number is written: contact
        form, POS, import, members. Numbers are read in the contact's country, else the
        cooperative's, else Indonesia. Members are strict (an unreadable number is refused,
        see ``kopdes.member``); other contacts (suppliers, ...) keep what cannot be read.
        """
        region = (country and country.code) or self.env.company.country_id.code or "ID"
        try:
            return phone_tools.normalize(number, region=region)
        except phone_tools.PhoneError:
            return number

    def _kopdes_prepare_phone_vals(self, vals):
        """Normalise the phone fields (phone_validation's ``_phone_get_number_fields``) in
        create/write values."""
        fnames = [name for name in self._phone_get_number_fields() if vals.get(name)]
        if not fnames:
            return vals
        if vals.get("country_id"):
            country = self.env["res.country"].browse(vals["country_id"])
        else:
            country = self[:1].country_id
        for name in fnames:
            if isinstance(vals[name], str):
                vals[name] = self._kopdes_normalize_phone(vals[name], country)
        return vals

    def _search_phone_mobile_search(self, operator, value):
        """Find +62812... also when the cashier types 0812..., 812... or 62812...."""
        domain = super()._search_phone_mobile_search(operator, value)
        if operator in expression.NEGATIVE_TERM_OPERATORS or not isinstance(value, str):
            return domain
        match = _LOCAL_PHONE.match(_PHONE_SEPARATORS.sub("", value.strip().rstrip("%")))
        if not match:
            return domain
        international = f"+62{match.group(1) or match.group(2)}"
        return expression.OR([domain, super()._search_phone_mobile_search(operator, international)])

    # ------------------------------------------------------------------ POS

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + [
            "kopdes_member_number",
            "kopdes_member_state",
        ]

    # ------------------------------------------------------------------ demo

    @api.model
    def _kopdes_demo_unshare_partners(self):
        """Demo data: Odoo's demo contacts (Deco Addict, ...) and the partners of Odoo's demo
        companies are shared by every company (no company), so they fill the customer list
        of the cooperative's POS. Give each company's partner its company, and the other
        shared contacts that are no member anywhere Odoo's demo company."""
        companies = self.env["res.company"].search([])
        for company in companies:
            if not company.partner_id.company_id:
                company.partner_id.company_id = company
        shared = self.search(
            [
                ("company_id", "=", False),
                ("partner_share", "=", True),
                ("kopdes_member_ids", "=", False),
                ("id", "not in", companies.partner_id.ids),
            ]
        )
        shared.write({"company_id": self.env.ref("base.main_company").id})
