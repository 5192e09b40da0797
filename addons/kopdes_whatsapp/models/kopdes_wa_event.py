import hashlib
import json
import logging
from datetime import datetime

from odoo import api, fields, models

from .kopdes_wa_message import _testing

_logger = logging.getLogger(__name__)


class KopdesWaEvent(models.Model):
    """A webhook delivery as received (raw, already verified); processed by a cron right
    after (triggered by the webhook), so the webhook answers at once."""

    _name = "kopdes.wa.event"
    _description = "WhatsApp Webhook Event"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", string="Cooperative", required=True, index=True)
    account_id = fields.Many2one("kopdes.wa.account", required=True, index=True, check_company=True)
    payload = fields.Text(required=True, readonly=True)
    payload_hash = fields.Char(required=True, readonly=True, index=True)
    state = fields.Selection(
        [("new", "To Process"), ("done", "Processed"), ("error", "Error")],
        default="new",
        required=True,
        index=True,
    )
    status_count = fields.Integer(string="Statuses", readonly=True)
    inbound_count = fields.Integer(string="Messages", readonly=True)
    processed_date = fields.Datetime(readonly=True)
    error = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "payload_hash_uniq",
            "unique(account_id, payload_hash)",
            "This webhook delivery was already received.",
        ),
    ]

    @api.depends("account_id", "create_date")
    def _compute_display_name(self):
        for event in self:
            event.display_name = f"{event.account_id.name or ''} #{event.id or ''}".strip()

    @api.model
    def _kopdes_store(self, account, raw, data):
        """Store a verified delivery (``raw`` bytes, ``data`` decoded) once: Meta's retries
        of the same delivery are recognised by the hash of the body. One INSERT."""
        digest = hashlib.sha256(raw).hexdigest()
        value_counts = [
            (len(v.get("statuses") or []), len(v.get("messages") or []))
            for v in _values(data, account.phone_number_id)
        ]
        self.env.cr.execute(
            """
            INSERT INTO kopdes_wa_event (company_id, account_id, payload, payload_hash, state,
                                         status_count, inbound_count, create_uid, write_uid,
                                         create_date, write_date)
            VALUES (%s, %s, %s, %s, 'new', %s, %s, %s, %s, now() AT TIME ZONE 'UTC',
                    now() AT TIME ZONE 'UTC')
            ON CONFLICT (account_id, payload_hash) DO NOTHING
            RETURNING id
            """,
            [
                account.company_id.id,
                account.id,
                raw.decode(),
                digest,
                sum(s for s, _m in value_counts),
                sum(m for _s, m in value_counts),
                self.env.uid,
                self.env.uid,
            ],
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    @api.model
    def _kopdes_trigger_processing(self):
        """Wake the processing job now, unless a wake-up is already pending (one cheap
        query per webhook instead of a trigger row each)."""
        cron = self.env.ref("kopdes_whatsapp.ir_cron_kopdes_wa_events", raise_if_not_found=False)
        if not cron:
            return
        self.env.cr.execute(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= now() AT TIME ZONE"
            " 'UTC' + interval '1 minute' LIMIT 1",
            [cron.id],
        )
        if not self.env.cr.fetchone():
            cron.sudo()._trigger()

    @api.model
    def _cron_process(self):
        self._kopdes_process_new()

    @api.model
    def _kopdes_process_new(self, limit=1000):
        """Process the stored deliveries in order; commits per event outside tests."""
        events = self.sudo().search([("state", "=", "new")], order="id", limit=limit)
        events._kopdes_process()
        return events

    def _kopdes_process(self, chunk=200):
        """Process events in chunks (one status update per message for the whole chunk);
        a chunk that fails is redone event by event, so one bad event marks only itself.
        Commits per chunk outside tests."""
        auto_commit = not _testing()
        for start in range(0, len(self), chunk):
            events = self[start : start + chunk]
            try:
                with self.env.cr.savepoint():
                    events._kopdes_process_together()
            except Exception:  # noqa: BLE001 - find the bad event below
                for event in events:
                    try:
                        with self.env.cr.savepoint():
                            event._kopdes_process_together()
                    except Exception as err:  # noqa: BLE001 - the others still run
                        _logger.exception("WhatsApp webhook event %s failed", event.id)
                        event.write({"state": "error", "error": str(err)[:2000]})
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _kopdes_process_together(self):
        """Statuses of all these events in one pass per account, in the order received;
        inbound messages event by event."""
        Message = self.env["kopdes.wa.message"].sudo()
        statuses = {}
        for event in self:
            account = event.account_id.sudo()
            data = json.loads(event.payload)
            for value in _values(data, account.phone_number_id):
                statuses.setdefault(account, []).extend(value.get("statuses") or [])
                if value.get("messages"):
                    self.env["kopdes.wa.inbound"].sudo()._kopdes_receive(
                        account, event, value.get("contacts") or [], value["messages"]
                    )
        for account, items in statuses.items():
            if items:
                Message._kopdes_apply_statuses(account, items)
        self.write({"state": "done", "processed_date": fields.Datetime.now()})


def _values(data, phone_number_id):
    """The ``value`` objects of a webhook that belong to ``phone_number_id``."""
    for entry in data.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if (value.get("metadata") or {}).get("phone_number_id") == phone_number_id:
                yield value


def _timestamp(value):
    try:
        return datetime.utcfromtimestamp(int(value))
    except (TypeError, ValueError):
        return fields.Datetime.now()


class KopdesWaInbound(models.Model):
    """A message a member (or anyone) wrote to the cooperative's number."""

    _name = "kopdes.wa.inbound"
    _description = "WhatsApp Message Received"
    _order = "id desc"
    _rec_name = "wamid"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", string="Cooperative", required=True, index=True)
    account_id = fields.Many2one("kopdes.wa.account", required=True, check_company=True)
    event_id = fields.Many2one("kopdes.wa.event", readonly=True, ondelete="set null")
    contact_id = fields.Many2one("kopdes.wa.contact", required=True, index=True)
    member_id = fields.Many2one(related="contact_id.member_id", store=True, index=True)
    wa_id = fields.Char(string="From", required=True, index=True)
    wamid = fields.Char(string="API Message ID", required=True, index=True)
    message_type = fields.Char(string="Type")
    text = fields.Text()
    date = fields.Datetime(required=True)
    reply_to_id = fields.Many2one("kopdes.wa.message", help="Our message the member replied to.")
    state = fields.Selection(
        [("received", "Received"), ("handled", "Answered"), ("error", "Error")],
        default="received",
        required=True,
    )

    _sql_constraints = [
        ("wamid_account_uniq", "unique(account_id, wamid)", "This message was already received."),
    ]

    @api.model
    def _kopdes_receive(self, account, event, contacts, messages):
        """Store the inbound ``messages`` of one webhook value (once each), update each
        number's window and profile, and hand every text to the chatbot
        (``kopdes.wa.conversation._kopdes_handle_inbound``) when it is installed."""
        profiles = {c.get("wa_id"): c for c in contacts if c.get("wa_id")}
        wamids = [m.get("id") for m in messages if m.get("id")]
        known = set(
            self.search_fetch(
                [("account_id", "=", account.id), ("wamid", "in", wamids)], ["wamid"]
            ).mapped("wamid")
        )
        fresh = [m for m in messages if m.get("id") and m.get("from") and m["id"] not in known]
        if not fresh:
            return self.browse()
        company = account.company_id
        members = (
            self.env["kopdes.member"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("mobile", "in", [f"+{m['from']}" for m in fresh]),
                    ("phone", "in", [f"+{m['from']}" for m in fresh]),
                ]
            )
        )
        owners = {}
        for member in members:
            for number in {member.mobile, member.phone} - {False, None, ""}:
                owners.setdefault(number.lstrip("+"), set()).add(member.id)
        contact_map = self.env["kopdes.wa.contact"]._kopdes_get_many(
            [
                (
                    company,
                    m["from"],
                    members.browse(next(iter(owners[m["from"]])))
                    if len(owners.get(m["from"], ())) == 1
                    else None,
                )
                for m in fresh
            ]
        )
        context_ids = [(m.get("context") or {}).get("id") for m in fresh]
        replied = {
            r.wa_message_id: r
            for r in self.env["kopdes.wa.message"]
            .sudo()
            .search([("wa_message_id", "in", [c for c in context_ids if c])])
        }
        vals_list = []
        for message in fresh:
            contact = contact_map[(company.id, message["from"])]
            profile = profiles.get(message["from"]) or {}
            date = _timestamp(message.get("timestamp"))
            contact_vals = {}
            if not contact.last_inbound or date > contact.last_inbound:
                contact_vals["last_inbound"] = date
            name = (profile.get("profile") or {}).get("name")
            if name and name != contact.profile_name:
                contact_vals["profile_name"] = name
            if profile.get("user_id") and profile["user_id"] != contact.user_id_wa:
                contact_vals["user_id_wa"] = profile["user_id"]
            if contact_vals:
                contact.write(contact_vals)
            reply_to = replied.get((message.get("context") or {}).get("id"))
            vals_list.append(
                {
                    "company_id": company.id,
                    "account_id": account.id,
                    "event_id": event.id,
                    "contact_id": contact.id,
                    "wa_id": message["from"],
                    "wamid": message["id"],
                    "message_type": message.get("type"),
                    "text": _text_of(message),
                    "date": date,
                    "reply_to_id": reply_to.id if reply_to else False,
                }
            )
        inbound = self.create(vals_list)
        if "kopdes.wa.conversation" in self.env:
            Conversation = self.env["kopdes.wa.conversation"].sudo()
            for record in inbound.filtered("text"):
                try:
                    with self.env.cr.savepoint():
                        Conversation._kopdes_handle_inbound(
                            account, record.wa_id, record.text, record
                        )
                        record.state = "handled"
                except Exception:  # noqa: BLE001 - the next message is still handled
                    _logger.exception("WhatsApp chatbot failed on %s", record.wamid)
                    record.state = "error"
        return inbound


def _text_of(message):
    kind = message.get("type")
    if kind == "text":
        return (message.get("text") or {}).get("body") or ""
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return reply.get("title") or reply.get("id") or ""
    if kind == "button":
        return (message.get("button") or {}).get("text") or ""
    return ""
