"""The member chatbot: one conversation per WhatsApp number and account.

The transport (``kopdes.wa.inbound._kopdes_receive``) calls :meth:`_kopdes_handle_inbound`
for each text; :meth:`_kopdes_answer` works out the reply (intent from ``tools.intent``,
amounts and terms from ``tools.slots``, figures from ``kopdes.member.self.service``), and
the reply is queued with ``kopdes.wa.message._kopdes_queue_reply``.

Privacy: balances, installments and loans are told only to the number of exactly one
active member whose phone is verified (``kopdes.member._kopdes_wa_owner``); anyone else
gets :meth:`_kopdes_private_reply`, the same words whether the number is unknown, shared
or unverified, so the answer reveals nothing, not even membership.
"""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, format_datetime

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_tz

from ..tools import intent as intent_tools
from ..tools import slots as slot_tools

JOIN_STATES = ("join_name", "join_village", "join_business")
CANCEL_WORDS = {"batal", "batalkan", "cancel", "gak jadi", "tidak jadi", "ora sido", "menu"}
PRIVATE_INTENTS = (
    intent_tools.BALANCE,
    intent_tools.INSTALLMENT,
    intent_tools.LOAN_REMAINING,
)


class KopdesWaConversation(models.Model):
    _name = "kopdes.wa.conversation"
    _description = "WhatsApp Conversation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "last_message_date desc nulls last, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    account_id = fields.Many2one(
        "kopdes.wa.account", required=True, index=True, readonly=True, check_company=True
    )
    wa_id = fields.Char(string="WhatsApp Number", required=True, index=True, readonly=True)
    member_id = fields.Many2one(
        "kopdes.member",
        index=True,
        readonly=True,
        check_company=True,
        help="The one member registered with this number, when there is exactly one.",
    )
    verified = fields.Boolean(
        string="Verified Owner",
        readonly=True,
        help="The number belongs to exactly one active member whose phone is verified: "
        "the chatbot may tell balances and loans.",
    )
    state = fields.Selection(
        [
            ("idle", "Idle"),
            ("join_name", "Joining: name"),
            ("join_village", "Joining: village"),
            ("join_business", "Joining: business"),
        ],
        required=True,
        default="idle",
        readonly=True,
    )
    join_name = fields.Char(readonly=True)
    join_village = fields.Char(readonly=True)
    line_ids = fields.One2many(
        "kopdes.wa.conversation.line", "conversation_id", string="Chat Messages", readonly=True
    )
    last_message_date = fields.Datetime(readonly=True, index=True)
    last_intent = fields.Char(readonly=True)
    rate_limited_until = fields.Datetime(readonly=True)
    application_ids = fields.One2many(
        "kopdes.member.application", "conversation_id", string="Applications", readonly=True
    )

    _sql_constraints = [
        (
            "account_wa_id_uniq",
            "unique(account_id, wa_id)",
            "There is one conversation per number and WhatsApp account.",
        ),
    ]

    @api.depends("wa_id", "member_id")
    def _compute_name(self):
        for conversation in self:
            number = f"+{conversation.wa_id}" if conversation.wa_id else ""
            conversation.name = (
                f"{conversation.member_id.name} ({number})" if conversation.member_id else number
            )

    # ------------------------------------------------------------------ entry point

    @api.model
    def _kopdes_handle_inbound(self, account, wa_id, text, event=None):
        """Answer one text ``text`` from ``wa_id`` on ``account``: log it, work out the
        reply and queue it. Returns the reply text (``""`` when nothing is answered, e.g.
        a number over its rate limit)."""
        account = account.sudo()
        wa_id = "".join(ch for ch in (wa_id or "") if ch.isdigit())
        if not wa_id:
            raise UserError(_("A WhatsApp message without a sender number cannot be answered."))
        conversation = self.sudo()._kopdes_get(account, wa_id)
        conversation = conversation.with_context(lang=conversation._kopdes_lang())
        reply, intent = conversation._kopdes_answer(text or "")
        conversation._kopdes_log("in", text or "", intent=intent, inbound=event)
        if reply:
            message = conversation._kopdes_send(reply, event)
            conversation._kopdes_log("out", reply, intent=intent, message=message)
        return reply

    @api.model
    def _kopdes_get(self, account, wa_id):
        conversation = self.search(
            [("account_id", "=", account.id), ("wa_id", "=", wa_id)], limit=1
        )
        if not conversation:
            conversation = self.with_context(mail_create_nolog=True).create(
                {"company_id": account.company_id.id, "account_id": account.id, "wa_id": wa_id}
            )
        conversation._kopdes_identify()
        return conversation

    def _kopdes_identify(self):
        """Link the member of the number (exactly one) and whether they are its verified
        owner, as of now (a phone changed or verified since the last message counts)."""
        Member = self.env["kopdes.member"]
        for conversation in self:
            phone = f"+{conversation.wa_id}"
            members = Member._kopdes_wa_members_of(conversation.company_id, phone)
            owner = Member._kopdes_wa_owner(conversation.company_id, phone)
            member = members if len(members) == 1 else Member
            if conversation.member_id != member or conversation.verified != bool(owner):
                conversation.write({"member_id": member.id, "verified": bool(owner)})

    def _kopdes_lang(self):
        """The chatbot answers in Indonesian (when the language is loaded), whatever the
        language of the user the cron or the webhook runs as."""
        self.ensure_one()
        Lang = self.env["res.lang"]
        for code in ("id_ID", self.member_id.partner_id.lang, self.company_id.partner_id.lang):
            if code and Lang._lang_get(code):
                return code
        return "en_US"

    def _kopdes_owner(self):
        """The member this conversation may tell private figures to, or an empty record."""
        self.ensure_one()
        if not self.verified:
            return self.env["kopdes.member"]
        return self.env["kopdes.member"]._kopdes_wa_owner(self.company_id, f"+{self.wa_id}")

    def _kopdes_send(self, body, event=None):
        key = None
        if event is not None and getattr(event, "wamid", None):
            key = f"reply:{event.wamid}"
        return (
            self.env["kopdes.wa.message"]
            .sudo()
            ._kopdes_queue_reply(
                self.account_id, self.wa_id, body, member=self.member_id or None, key=key
            )
        )

    def _kopdes_log(self, direction, body, intent=None, inbound=None, message=None):
        self.ensure_one()
        now = fields.Datetime.now()
        self.env["kopdes.wa.conversation.line"].sudo().create(
            {
                "conversation_id": self.id,
                "direction": direction,
                "body": body,
                "intent": intent or False,
                "date": now,
                "inbound_id": inbound.id
                if inbound and inbound._name == "kopdes.wa.inbound"
                else False,
                "message_id": message.id if message else False,
            }
        )
        vals = {"last_message_date": now}
        if direction == "in" and intent:
            vals["last_intent"] = intent
        self.write(vals)

    # ------------------------------------------------------------------ dialog

    def _kopdes_rate_limited(self):
        """Whether this number wrote more than the cooperative's limit in the last hour;
        the first message over the limit gets one polite answer, the next ones none."""
        self.ensure_one()
        limit = self.company_id.kopdes_wa_bot_hourly_limit
        if limit <= 0:
            return False
        now = fields.Datetime.now()
        count = (
            self.env["kopdes.wa.conversation.line"]
            .sudo()
            .search_count(
                [
                    ("conversation_id", "=", self.id),
                    ("direction", "=", "in"),
                    ("date", ">", now - timedelta(hours=1)),
                ]
            )
        )
        return count >= limit

    def _kopdes_answer(self, text):
        """``(reply, intent)`` for ``text`` in the conversation's current state."""
        self.ensure_one()
        if self._kopdes_rate_limited():
            already = self.rate_limited_until and self.rate_limited_until > fields.Datetime.now()
            self.write({"rate_limited_until": fields.Datetime.now() + timedelta(hours=1)})
            if already:
                return "", "rate_limited"
            return (
                _(
                    "You have sent many messages in a short time. Please wait a while and "
                    "try again, or come to the cooperative's office."
                ),
                "rate_limited",
            )
        intent = intent_tools.classify(text)
        if self.state in JOIN_STATES and intent not in (intent_tools.STOP, intent_tools.STAFF):
            return self._kopdes_join_step(text), intent_tools.JOIN
        handler = getattr(self, f"_kopdes_reply_{intent}")
        return handler(text), intent

    def _kopdes_private_reply(self):
        """The answer to a number the chatbot may not tell private figures to: the same
        for an unknown, shared or unverified number."""
        return _(
            "For your security, we tell savings and loan details only to a WhatsApp number "
            "that the cooperative has verified. Please come to the cooperative's office with "
            "your KTP to verify your number. Type MENU to see what else we can help with."
        )

    def _kopdes_reply_balance(self, text):
        member = self._kopdes_owner()
        if not member:
            return self._kopdes_private_reply()
        SelfService = self.env["kopdes.member.self.service"]
        savings = SelfService._kopdes_savings(member)
        if not savings:
            reply = _("Dear %(name)s, you have no savings account yet.", name=member.name)
        else:
            lines = [_("Dear %(name)s, your savings balances:", name=member.name)]
            for item in savings:
                lines.append(
                    _(
                        "- %(kind)s (%(number)s): %(balance)s",
                        kind=item["product"] or item["kind_label"],
                        number=item["number"],
                        balance=item["balance_text"],
                    )
                )
            reply = "\n".join(lines)
        SelfService._kopdes_log_disclosure(
            member,
            "whatsapp",
            "balance",
            detail=", ".join(f"{i['product']} {i['balance_text']}" for i in savings),
            number=f"+{self.wa_id}",
        )
        return reply

    def _kopdes_reply_installment(self, text):
        member = self._kopdes_owner()
        if not member:
            return self._kopdes_private_reply()
        SelfService = self.env["kopdes.member.self.service"]
        loans = SelfService._kopdes_loans(member)
        if not loans:
            reply = _("Dear %(name)s, you have no active loan.", name=member.name)
        else:
            lines = [_("Dear %(name)s, your next installments:", name=member.name)]
            for item in loans:
                if item["next_due_date"]:
                    lines.append(
                        _(
                            "- %(product)s (%(number)s): %(amount)s due on %(date)s",
                            product=item["product"],
                            number=item["number"],
                            amount=item["next_due_amount_text"],
                            date=format_date(
                                self.env, item["next_due_date"], date_format="dd-MM-yyyy"
                            ),
                        )
                    )
                else:
                    lines.append(
                        _(
                            "- %(product)s (%(number)s): no installment left to fall due",
                            product=item["product"],
                            number=item["number"],
                        )
                    )
                if item["overdue"] > 0:
                    lines.append(
                        _(
                            "  Overdue now: %(amount)s. Please pay it as soon as possible.",
                            amount=item["overdue_text"],
                        )
                    )
            reply = "\n".join(lines)
        SelfService._kopdes_log_disclosure(
            member,
            "whatsapp",
            "installment",
            detail=", ".join(
                f"{i['product']} {i['next_due_amount_text']} {i['next_due_date'] or ''}"
                for i in loans
            ),
            number=f"+{self.wa_id}",
        )
        return reply

    def _kopdes_reply_loan_remaining(self, text):
        member = self._kopdes_owner()
        if not member:
            return self._kopdes_private_reply()
        SelfService = self.env["kopdes.member.self.service"]
        loans = SelfService._kopdes_loans(member)
        if not loans:
            reply = _("Dear %(name)s, you have no active loan.", name=member.name)
        else:
            lines = [_("Dear %(name)s, your loans:", name=member.name)]
            for item in loans:
                lines.append(
                    _(
                        "- %(product)s (%(number)s): principal still owed %(principal)s, "
                        "%(count)s installments left; paying everything today: %(payoff)s",
                        product=item["product"],
                        number=item["number"],
                        principal=item["principal_residual_text"],
                        count=item["installments_left"],
                        payoff=item["payoff_text"],
                    )
                )
            reply = "\n".join(lines)
        SelfService._kopdes_log_disclosure(
            member,
            "whatsapp",
            "loan_remaining",
            detail=", ".join(f"{i['product']} {i['principal_residual_text']}" for i in loans),
            number=f"+{self.wa_id}",
        )
        return reply

    def _kopdes_reply_products(self, text):
        products = self.env["kopdes.member.self.service"]._kopdes_products(self.company_id)
        lines = [_("Products of %(coop)s:", coop=self.company_id.name)]
        if products["savings"]:
            lines.append(_("Savings:"))
            lines += [f"- {p['name']}: {p['text']}" for p in products["savings"]]
        if products["loans"]:
            lines.append(_("Loans:"))
            lines += [f"- {p['name']}: {p['text']}" for p in products["loans"]]
        lines.append(_("Try a loan simulation, e.g. type: pinjam 5 juta 12 bulan"))
        return "\n".join(lines)

    def _kopdes_reply_simulation(self, text):
        amount = slot_tools.parse_amount(text)
        term = slot_tools.parse_term(text)
        if not amount:
            return _("Write the amount and the term you would like, e.g.: pinjam 5 juta 12 bulan")
        try:
            results = self.env["kopdes.member.self.service"]._kopdes_simulate(
                self.company_id, amount, term
            )
        except UserError as err:
            return str(err.args[0])
        lines = [_("Loan simulation (an estimate, not an approval):")]
        for item in results[:5]:
            per = _("a month") if item["frequency"] == "monthly" else _("a week")
            text_line = _(
                "- %(product)s, %(term)s installments: %(first)s %(per)s",
                product=item["product"].name,
                term=item["term"],
                first=item["first_text"],
                per=per,
            )
            if item["last"] != item["first"]:
                text_line += _(" (last %(last)s)", last=item["last_text"])
            text_line += _(
                "; total %(total)s, admin fee %(fee)s",
                total=item["total_text"],
                fee=item["admin_fee_text"],
            )
            lines.append(text_line)
        lines.append(_("To apply, come to the office or type 8 to talk to our staff."))
        return "\n".join(lines)

    def _kopdes_reply_join(self, text):
        self.write({"state": "join_name", "join_name": False, "join_village": False})
        return _(
            "Welcome! We will note your wish to join and our staff will contact you. "
            "What is your full name? (Type BATAL to stop.)"
        )

    def _kopdes_join_step(self, text):
        answer = " ".join((text or "").split())
        if answer.lower() in CANCEL_WORDS:
            self.write({"state": "idle", "join_name": False, "join_village": False})
            return _("All right, nothing was recorded.") + "\n\n" + self._kopdes_menu()
        if len(answer) < 2 or len(answer) > 120:
            return _("Please write a short answer (2 to 120 characters).")
        if self.state == "join_name":
            self.write({"state": "join_village", "join_name": answer})
            return _(
                "Thank you, %(name)s. Which village (desa/kelurahan) do you live in?", name=answer
            )
        if self.state == "join_village":
            self.write({"state": "join_business", "join_village": answer})
            return _("What is your business or work? (e.g. farmer, shop, fisher)")
        application = (
            self.env["kopdes.member.application"]
            .sudo()
            .create(
                {
                    "company_id": self.company_id.id,
                    "name": self.join_name,
                    "village": self.join_village,
                    "business": answer,
                    "mobile": f"+{self.wa_id}",
                    "channel": "whatsapp",
                    "conversation_id": self.id,
                }
            )
        )
        application._kopdes_schedule_staff_activity()
        self.write({"state": "idle", "join_name": False, "join_village": False})
        return _(
            "Thank you! Your application has been recorded. Please come to the cooperative's "
            "office with your KTP and family card (KK) to complete it; our staff will "
            "contact you. We never ask for your NIK on WhatsApp."
        )

    def _kopdes_reply_meeting(self, text):
        meetings = self.env["kopdes.member.self.service"]._kopdes_meetings(self.company_id)
        if not meetings:
            return _("There is no meeting scheduled at the moment. We will announce it here.")
        tz = kopdes_tz(self.env, self.company_id).zone
        lines = [_("Upcoming meetings and events:")]
        for meeting in meetings:
            lines.append(
                _(
                    "- %(name)s: %(date)s, %(place)s",
                    name=meeting.name,
                    date=format_datetime(
                        self.env, meeting.date, tz=tz, dt_format="dd-MM-yyyy HH:mm"
                    ),
                    place=meeting.place,
                )
            )
            if meeting.description:
                lines.append(f"  {meeting.description}")
        return "\n".join(lines)

    def _kopdes_reply_staff(self, text):
        self.write({"state": "idle", "join_name": False, "join_village": False})
        self._kopdes_hand_to_staff(text)
        return _(
            "Your message has been passed to our staff. They will reply to you here during "
            "office hours."
        )

    def _kopdes_hand_to_staff(self, text):
        """An activity for the cooperative's staff and the conversation so far on the
        member's chatter (or on this conversation when the number has no one member)."""
        self.ensure_one()
        record = self.member_id or self
        lines = self.line_ids.sorted("date")[-10:]
        transcript = "\n".join(
            f"{'>' if line.direction == 'in' else '<'} {line.body}" for line in lines
        )
        transcript = f"{transcript}\n> {text}".strip()
        record.sudo().message_post(
            body=_(
                "WhatsApp conversation with +%(number)s (the member asked for staff):\n%(text)s",
                number=self.wa_id,
                text=transcript,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        user = self.company_id.kopdes_wa_staff_user_id or self.env.ref("base.user_admin")
        record.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("WhatsApp: reply to +%(number)s", number=self.wa_id),
            note=transcript,
            user_id=user.id,
        )

    def _kopdes_reply_stop(self, text):
        self.write({"state": "idle"})
        self._kopdes_contact()._kopdes_set_opt_out(True)
        return _(
            "You will no longer receive reminders or announcements from us on WhatsApp. "
            "Type MULAI to receive them again."
        )

    def _kopdes_reply_start(self, text):
        self._kopdes_contact()._kopdes_set_opt_out(False)
        return (
            _(
                "Welcome back! You will receive reminders and announcements again. Type STOP to "
                "stop them."
            )
            + "\n\n"
            + self._kopdes_menu()
        )

    def _kopdes_contact(self):
        self.ensure_one()
        return self.env["kopdes.wa.contact"]._kopdes_get_many(
            [(self.company_id, self.wa_id, self.member_id or None)]
        )[(self.company_id.id, self.wa_id)]

    def _kopdes_reply_unknown(self, text):
        return self._kopdes_menu()

    def _kopdes_menu(self):
        return "\n".join(
            [
                _("Hello! This is the WhatsApp service of %(coop)s.", coop=self.company_id.name),
                _("Type a number or write your question:"),
                _("1. Savings balance"),
                _("2. Next installment and due date"),
                _("3. Remaining loan"),
                _("4. Our products"),
                _("5. Loan simulation (e.g. pinjam 5 juta 12 bulan)"),
                _("6. Become a member"),
                _("7. Meeting schedule"),
                _("8. Talk to staff"),
                _("Type STOP to stop reminders, MULAI to receive them again."),
            ]
        )

    # ------------------------------------------------------------------ demo

    @api.model
    def _kopdes_chatbot_demo(self, company_ids):
        """Demo (clearly generated): two verified phones, a meeting, and a few
        conversations answered by the real chatbot on the cooperative's demo account."""
        for company in self.env["res.company"].browse(company_ids):
            account = (
                self.env["kopdes.wa.account"]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1)
            )
            if not account:
                continue
            Member = self.env["kopdes.member"].sudo()
            members = Member.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("mobile", "!=", False),
                ],
                order="id",
                limit=3,
            )
            members[:2].action_wa_confirm_phone()
            self.env["kopdes.member.meeting"].sudo().create(
                [
                    {
                        "name": "RAT Tahun Buku 2025 (demo)",
                        "kind": "rat",
                        "company_id": company.id,
                        "date": fields.Datetime.now() + timedelta(days=20),
                        "place": "Balai Desa",
                        "description": "Membawa kartu anggota.",
                        "state": "published",
                    },
                    {
                        "name": "Pelatihan Pembukuan Warung (demo)",
                        "kind": "training",
                        "company_id": company.id,
                        "date": fields.Datetime.now() + timedelta(days=35),
                        "place": "Kantor Koperasi",
                        "state": "draft",
                    },
                ]
            )
            Contact = self.env["kopdes.wa.contact"]
            script = [
                (members[:1], ["halo", "brp saldo simpenan sy", "kapan bayar angsuran"]),
                (members[1:2], ["utangku kari piro", "pinjam 5 juta 12 bulan"]),
                (members[2:3], ["saldo saya berapa"]),
                (Member, ["mau daftar jadi anggota", "Sri Wahyuni (demo)", "Sokoduwet", "warung"]),
            ]
            for member, texts in script:
                wa_id = member.mobile.lstrip("+") if member else "6281299990001"
                contact = Contact._kopdes_get_many([(company, wa_id, member or None)])[
                    (company.id, wa_id)
                ]
                contact.write({"last_inbound": fields.Datetime.now()})
                for text in texts:
                    self._kopdes_handle_inbound(account, wa_id, text)
