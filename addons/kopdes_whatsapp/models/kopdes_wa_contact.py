from datetime import timedelta

from odoo import _, api, fields, models

WINDOW = timedelta(hours=24)


class KopdesWaContact(models.Model):
    """One WhatsApp number as the cooperative knows it: opt-out, reachability, last
    message from it (the 24-hour window for free text)."""

    _name = "kopdes.wa.contact"
    _description = "WhatsApp Number"
    _inherit = ["mail.thread"]
    _order = "last_inbound desc nulls last, id desc"
    _rec_name = "wa_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    wa_id = fields.Char(string="WhatsApp Number", required=True, index=True, readonly=True)
    user_id_wa = fields.Char(
        string="WhatsApp User ID", readonly=True, help="Meta's per-user id of newer payloads."
    )
    member_id = fields.Many2one("kopdes.member", index=True, check_company=True, tracking=True)
    profile_name = fields.Char(readonly=True)
    opted_out = fields.Boolean(
        tracking=True,
        help="The member wrote STOP/BERHENTI: no notifications until MULAI.",
    )
    opted_out_date = fields.Datetime(readonly=True)
    promotion_opt_out = fields.Boolean(
        string="Stopped Promotions",
        tracking=True,
        help="WhatsApp reported that this number stopped marketing messages.",
    )
    undeliverable = fields.Boolean(
        string="Cannot Receive",
        tracking=True,
        help="WhatsApp reported that this number cannot receive messages.",
    )
    last_inbound = fields.Datetime(string="Last Message Received", readonly=True)
    wa_message_count = fields.Integer(string="WhatsApp Messages", compute="_compute_message_count")

    _sql_constraints = [
        ("wa_id_company_uniq", "unique(company_id, wa_id)", "This number is already known."),
    ]

    def _compute_message_count(self):
        counts = dict(
            self.env["kopdes.wa.message"]._read_group(
                [("contact_id", "in", self.ids)], ["contact_id"], ["__count"]
            )
        )
        for contact in self:
            contact.wa_message_count = counts.get(contact, 0)

    def write(self, vals):
        if "opted_out" in vals:
            vals["opted_out_date"] = fields.Datetime.now() if vals["opted_out"] else False
        return super().write(vals)

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_whatsapp.kopdes_wa_message_action"
        )
        action["domain"] = [("contact_id", "=", self.id)]
        return action

    def _kopdes_in_window(self, now):
        """Whether free text may be sent now: the number wrote in the last 24 hours."""
        self.ensure_one()
        return bool(self.last_inbound and self.last_inbound > now - WINDOW)

    def _kopdes_set_opt_out(self, opted_out, channel="whatsapp"):
        """STOP/BERHENTI (``True``) and MULAI (``False``), written by the chatbot."""
        self.sudo().write({"opted_out": bool(opted_out)})
        for contact in self.sudo():
            contact.message_post(
                body=_("The number opted out of WhatsApp notifications.")
                if opted_out
                else _("The number opted back in to WhatsApp notifications.")
            )

    @api.model
    def _kopdes_get_many(self, triples):
        """``{(company id, wa_id): contact}`` for ``[(company, wa_id, member or None)]``,
        creating the missing ones in one ``create`` (one search for the existing)."""
        Contact = self.sudo()
        wanted = {}
        for company, wa_id, member in triples:
            if member or (company.id, wa_id) not in wanted:
                wanted[(company.id, wa_id)] = member
        if not wanted:
            return {}
        unknown = [key for key, member in wanted.items() if not member]
        if unknown:
            # the member whose phone it is, when exactly one member of the cooperative has it
            numbers = [f"+{wa_id}" for _c, wa_id in unknown]
            owners = {}
            for member in (
                self.env["kopdes.member"]
                .sudo()
                .search(
                    [
                        ("company_id", "in", list({c for c, _w in unknown})),
                        "|",
                        ("mobile", "in", numbers),
                        ("phone", "in", numbers),
                    ]
                )
            ):
                for number in {member.mobile, member.phone} - {False, None, ""}:
                    owners.setdefault((member.company_id.id, number.lstrip("+")), set()).add(member)
            for key in unknown:
                found = owners.get(key, set())
                if len(found) == 1:
                    wanted[key] = next(iter(found))
        found = Contact.search(
            [
                ("company_id", "in", list({c for c, _w in wanted})),
                ("wa_id", "in", list({w for _c, w in wanted})),
            ]
        )
        result = {
            (c.company_id.id, c.wa_id): c for c in found if (c.company_id.id, c.wa_id) in wanted
        }
        missing = [
            {"company_id": company_id, "wa_id": wa_id, "member_id": member.id if member else False}
            for (company_id, wa_id), member in wanted.items()
            if (company_id, wa_id) not in result
        ]
        if missing:
            for contact in Contact.with_context(mail_create_nolog=True).create(missing):
                result[(contact.company_id.id, contact.wa_id)] = contact
        link = Contact.browse(
            [c.id for key, c in result.items() if not c.member_id and wanted.get(key)]
        )
        for contact in link:
            contact.member_id = wanted[(contact.company_id.id, contact.wa_id)]
        return result
