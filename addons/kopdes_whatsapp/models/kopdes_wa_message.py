import json
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from odoo import _, api, fields, models, modules
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group

from ..tools import cloud_api
from .kopdes_wa_account import http_call

_logger = logging.getLogger(__name__)

STATES = [
    ("queued", "Queued"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("read", "Read"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
# the order of the delivery states: a status webhook never moves a message back
RANK = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}
ERROR_KINDS = [
    ("transient", "Temporary problem (retried)"),
    ("held", "Held back by WhatsApp (retried after 24 hours)"),
    ("undeliverable", "Number cannot receive WhatsApp"),
    ("marketing_opt_out", "Recipient stopped marketing messages"),
    ("window", "Outside the 24-hour window"),
    ("template", "Template problem"),
    ("token", "Access token expired"),
    ("permanent", "Refused"),
    ("unknown_outcome", "Outcome unknown (not resent)"),
]
KIND_BY_ACTION = {
    cloud_api.RETRY: "transient",
    cloud_api.RETRY_LATER: "held",
    cloud_api.UNDELIVERABLE: "undeliverable",
    cloud_api.MARKETING_OPT_OUT: "marketing_opt_out",
    cloud_api.OUTSIDE_WINDOW: "window",
    cloud_api.TOKEN: "token",
    cloud_api.PERMANENT: "permanent",
}
TEMPLATE_CODES = {132000, 132001, 132015, 132016, 131008, 131009}
# a message left "sending" (the server stopped between the call and the commit) that no
# status webhook has explained after this long is failed, never resent
SENDING_STALE = timedelta(days=1)
DATE_FIELDS = {"sent": "sent_date", "delivered": "delivered_date", "read": "read_date"}
# HTTP calls in flight at once per account (each chunk is claimed and committed first)
PARALLEL_CALLS = 8
USER = "kopdes_members.group_kopdes_user"
MANAGER = "kopdes_members.group_kopdes_manager"


def _testing():
    return bool(
        getattr(threading.current_thread(), "testing", False) or modules.module.current_test
    )


class KopdesWaMessage(models.Model):
    """The WhatsApp outbox: one row per message to one number, sent by a cron.

    ``idempotency_key`` is unique: queueing the same notification twice creates nothing, and
    the key travels as ``biz_opaque_callback_data`` so a status webhook finds the row even
    when the server stopped after the Cloud API accepted the message and before the answer
    was saved (the row stays ``sending`` and is never sent again).
    """

    _name = "kopdes.wa.message"
    _description = "WhatsApp Message"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "idempotency_key"

    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    account_id = fields.Many2one(
        "kopdes.wa.account", required=True, index=True, readonly=True, check_company=True
    )
    member_id = fields.Many2one(
        "kopdes.member", index=True, readonly=True, check_company=True, ondelete="set null"
    )
    contact_id = fields.Many2one("kopdes.wa.contact", readonly=True, index=True)
    number = fields.Char(string="Phone", readonly=True, help="E.164, e.g. +6281234567890.")
    wa_id = fields.Char(string="WhatsApp ID", required=True, readonly=True, index=True)
    kind = fields.Selection(
        [("service", "Service"), ("promotion", "Promotion"), ("reply", "Chat Reply")],
        required=True,
        default="service",
        readonly=True,
    )
    message_type = fields.Selection(
        [("template", "Template"), ("text", "Free Text")], required=True, readonly=True
    )
    template_id = fields.Many2one("kopdes.wa.template", readonly=True, ondelete="restrict")
    params = fields.Text(string="Template Parameters", readonly=True, help="JSON list.")
    body = fields.Text(readonly=True, help="The text the member reads.")
    res_model = fields.Char(string="Source Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Source Record", model_field="res_model", readonly=True
    )
    notification = fields.Char(
        readonly=True, index=True, help="What the message is about: reminder, receipt, ..."
    )
    state = fields.Selection(STATES, required=True, default="queued", readonly=True, index=True)
    priority = fields.Integer(default=0, readonly=True, help="Higher first (chat replies).")
    idempotency_key = fields.Char(string="Key", required=True, readonly=True, copy=False)
    wa_message_id = fields.Char(string="API Message ID", readonly=True, index=True, copy=False)
    attempts = fields.Integer(default=0, readonly=True, copy=False)
    next_attempt = fields.Datetime(readonly=True, index=True, copy=False)
    last_attempt = fields.Datetime(readonly=True, copy=False)
    error_code = fields.Integer(readonly=True, copy=False)
    error_kind = fields.Selection(ERROR_KINDS, readonly=True, copy=False, index=True)
    error_detail = fields.Char(string="Error Detail (API)", readonly=True, copy=False)
    error_reason = fields.Char(string="Reason", compute="_compute_error_reason")
    sent_date = fields.Datetime(readonly=True, copy=False)
    delivered_date = fields.Datetime(readonly=True, copy=False)
    read_date = fields.Datetime(readonly=True, copy=False)
    failed_date = fields.Datetime(readonly=True, copy=False)
    day = fields.Date(compute="_compute_day", store=True, help="Day the message was queued.")

    _sql_constraints = [
        ("idempotency_key_uniq", "unique(idempotency_key)", "This message was already queued."),
    ]

    @api.depends("create_date")
    def _compute_day(self):
        for message in self:
            message.day = (message.create_date or fields.Datetime.now()).date()

    @api.depends("error_kind", "error_code")
    def _compute_error_reason(self):
        for message in self:
            message.error_reason = message._kopdes_reason()

    def _kopdes_reason(self):
        self.ensure_one()
        if not self.error_kind:
            return False
        code = self.error_code
        if self.error_kind == "transient" and self.state == "failed":
            return _("WhatsApp kept failing; the message was given up after several attempts.")
        if self.error_kind == "transient":
            if code == 130429:
                return _("WhatsApp's sending limit was reached; the message is sent again later.")
            if code == cloud_api.TIMEOUT:
                return _("WhatsApp did not answer in time; the message is sent again later.")
            return _("WhatsApp had a temporary problem; the message is sent again later.")
        reasons = {
            "held": _("WhatsApp held the message back; it is tried again after 24 hours."),
            "undeliverable": _(
                "This number is not on WhatsApp or cannot receive messages. Check the "
                "member's phone number."
            ),
            "marketing_opt_out": _("The member stopped promotional messages on WhatsApp."),
            "window": _(
                "The member has not written in the last 24 hours, so only an approved "
                "template may be sent."
            ),
            "template": _(
                "The template was refused (unknown, paused, disabled or with wrong "
                "parameters). Check the template."
            ),
            "token": _("The WhatsApp access token expired; an administrator must renew it."),
            "permanent": _("WhatsApp refused the message."),
            "unknown_outcome": _(
                "The server stopped while the message was being sent and WhatsApp never "
                "reported it; it is not sent again to avoid a duplicate."
            ),
        }
        return reasons.get(self.error_kind, _("WhatsApp refused the message."))

    # ------------------------------------------------------------------ actions

    def action_cancel(self):
        kopdes_check_group(self.env, MANAGER, _("Only a manager (Pengurus) can cancel messages."))
        not_queued = self.filtered(lambda m: m.state != "queued")
        if not_queued:
            raise UserError(_("Only queued messages can be cancelled."))
        self.sudo().write({"state": "cancelled"})
        return True

    def action_retry(self):
        kopdes_check_group(self.env, MANAGER, _("Only a manager (Pengurus) can resend messages."))
        if self.filtered(lambda m: m.state != "failed" or m.error_kind == "unknown_outcome"):
            raise UserError(
                _(
                    "Only failed messages whose outcome is known can be sent again (a message "
                    "that may have arrived is never resent)."
                )
            )
        self.sudo().write(
            {"state": "queued", "next_attempt": False, "attempts": 0, "error_kind": False}
        )
        return True

    def action_open_source(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ queueing (API)

    @api.model
    def _kopdes_notify(self, members, kind, key, template=None, body=None, record=None):
        """Queue one message per member of ``members`` (the public API of other addons).

        ``kind`` "service" (needs consent ``whatsapp_service``) or "promotion" (needs
        ``whatsapp_promotion``); the key of each message is ``f"{key}:{member.id}"``, so
        calling twice queues once. ``template``: a ``kopdes.wa.template`` or its name
        (looked up in the member's cooperative); otherwise ``body`` is sent as free text
        (only to numbers that wrote in the last 24 hours). ``record``: the source record the
        template variables are rendered from (default: the member).

        Returns the queued messages; members skipped (no consent, no phone, opted out,
        undeliverable, already queued, no account or template) are counted in the context
        key ``kopdes_wa_skipped`` of the result: ``{reason: count}``.
        """
        items = [(member, record or member, f"{key}:{member.id}") for member in members]
        return self._kopdes_queue_notifications(items, kind, template=template, body=body)

    @api.model
    def _kopdes_queue_notifications(self, items, kind, template=None, body=None, notification=None):
        """Batched form of :meth:`_kopdes_notify`: ``items`` = ``[(member, record, key)]``
        with each key already complete. A fixed number of queries for any number of items
        per template (consents, contacts, existing keys, rendering, one ``create``)."""
        if kind not in ("service", "promotion"):
            raise UserError(_("A notification is either a service message or a promotion."))
        skipped = {}

        def skip(reason, count=1):
            skipped[reason] = skipped.get(reason, 0) + count

        Message = self.sudo()
        if not items:
            return self.browse().with_context(kopdes_wa_skipped=skipped)
        members = self.env["kopdes.member"].sudo().browse({m.id for m, _r, _k in items})
        purpose = "whatsapp_service" if kind == "service" else "whatsapp_promotion"
        consenting = members._kopdes_consent_granted(purpose)
        accounts = {}
        for company in members.company_id:
            accounts[company.id] = self.env["kopdes.wa.account"]._kopdes_for_company(company)
        numbers = {m.id: m.mobile or m.phone for m in members}
        wa_ids = {
            mid: "".join(ch for ch in (n or "") if ch.isdigit()) for mid, n in numbers.items()
        }
        contacts = self.env["kopdes.wa.contact"]._kopdes_get_many(
            [(m.company_id, wa_ids[m.id], m) for m in members if wa_ids[m.id]]
        )
        keys = [k for _m, _r, k in items]
        existing = set(
            Message.search_fetch([("idempotency_key", "in", keys)], ["idempotency_key"]).mapped(
                "idempotency_key"
            )
        )
        templates = {}
        now = fields.Datetime.now()
        accepted = []
        seen = set()
        if not template and not body:
            raise UserError(_("A message needs a template or a text."))
        for member, record, key in items:
            member = members.browse(member.id)
            if key in existing or key in seen:
                skip("duplicate")
                continue
            account = accounts.get(member.company_id.id)
            wa_id = wa_ids.get(member.id)
            contact = contacts.get((member.company_id.id, wa_id)) if wa_id else None
            reason = _skip_reason(account, wa_id, member in consenting, contact, kind)
            tmpl = None
            if not reason:
                tmpl, reason = self._kopdes_pick_template(
                    templates, template, account, contact, now
                )
            if reason:
                skip(reason)
                continue
            seen.add(key)
            accepted.append((member, record, key, account, contact, tmpl))
        vals_list = []
        by_template = {}
        for item in accepted:
            by_template.setdefault(item[5], []).append(item)
        for tmpl, group in by_template.items():
            if tmpl:
                params_list = tmpl._kopdes_render_params([(i[0], i[1]) for i in group])
            else:
                params_list = [None] * len(group)
            for (member, record, key, account, contact, _t), params in zip(
                group, params_list, strict=True
            ):
                vals_list.append(
                    {
                        "company_id": member.company_id.id,
                        "account_id": account.id,
                        "member_id": member.id,
                        "contact_id": contact.id,
                        "number": numbers[member.id],
                        "wa_id": contact.wa_id,
                        "kind": kind,
                        "message_type": "template" if tmpl else "text",
                        "template_id": tmpl.id if tmpl else False,
                        "params": json.dumps(params) if tmpl else False,
                        "body": cloud_api.fill_body(tmpl.body, params) if tmpl else body,
                        "res_model": record._name,
                        "res_id": record.id,
                        "notification": notification or key.split(":", 1)[0],
                        "idempotency_key": key,
                    }
                )
        messages = Message.create(vals_list) if vals_list else Message.browse()
        if messages:
            self._kopdes_trigger_send()
        return self.browse(messages.ids).with_context(kopdes_wa_skipped=skipped)

    @api.model
    def _kopdes_pick_template(self, cache, template, account, contact, now):
        """``(template record or None, skip reason or None)`` for one recipient; ``cache``
        keeps the template found per account."""
        if not template:
            return None, (None if contact._kopdes_in_window(now) else "no_window")
        if account.id not in cache:
            cache[account.id] = self.env["kopdes.wa.template"]._kopdes_resolve(template, account)
        tmpl = cache[account.id]
        return (tmpl, None) if tmpl else (None, "no_template")

    @api.model
    def _kopdes_queue_reply(self, account, wa_id, body, member=None, key=None):
        """Queue a free-text chat reply to ``wa_id`` on ``account`` (inside the 24-hour
        window opened by the member's last message; outside it nothing is queued and an
        empty recordset is returned). ``key`` defaults to a new unique key; the same key
        twice returns the first message. Replies go out also in quiet hours and to numbers
        that opted out of notifications (they answer the member), never to an undeliverable
        number."""
        account = account.sudo()
        wa_id = "".join(ch for ch in (wa_id or "") if ch.isdigit())
        if not wa_id or not body:
            raise UserError(_("A reply needs a WhatsApp number and a text."))
        key = key or f"reply:{uuid.uuid4().hex}"
        Message = self.sudo()
        existing = Message.search([("idempotency_key", "=", key)], limit=1)
        if existing:
            return self.browse(existing.ids)
        contact = self.env["kopdes.wa.contact"]._kopdes_get_many(
            [(account.company_id, wa_id, member)]
        )[(account.company_id.id, wa_id)]
        if contact.undeliverable or not contact._kopdes_in_window(fields.Datetime.now()):
            return self.browse()
        member = member or contact.member_id
        message = Message.create(
            {
                "company_id": account.company_id.id,
                "account_id": account.id,
                "member_id": member.id if member else False,
                "contact_id": contact.id,
                "number": f"+{wa_id}",
                "wa_id": wa_id,
                "kind": "reply",
                "message_type": "text",
                "body": body,
                "priority": 10,
                "notification": "reply",
                "idempotency_key": key,
            }
        )
        self._kopdes_trigger_send()
        return self.browse(message.ids)

    @api.model
    def _kopdes_trigger_send(self):
        cron = self.env.ref("kopdes_whatsapp.ir_cron_kopdes_wa_send", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    # ------------------------------------------------------------------ sending

    @api.model
    def _cron_send(self):
        self._kopdes_process_queue(cron=True)

    @api.model
    def _kopdes_process_queue(self, now=None, cron=False):
        """Send what is due on every active account, within each account's rate, quiet
        hours and daily cap of unique recipients; commits after each message outside tests
        (like ``sms.sms._process_queue``). ``now`` (naive UTC) is for tests. Returns the
        number of messages handed to the API."""
        now = now or fields.Datetime.now()
        auto_commit = not _testing()
        self._kopdes_fail_stale(now)
        done = 0
        accounts = self.env["kopdes.wa.account"].sudo().search([("state", "=", "active")])
        for account in accounts:
            done += self._kopdes_process_account(account, now, auto_commit)
            if cron:
                remaining = self.sudo().search_count(
                    [("account_id", "=", account.id), ("state", "=", "queued")]
                )
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _kopdes_due_domain(self, account, now):
        domain = [
            ("account_id", "=", account.id),
            ("state", "=", "queued"),
            "|",
            ("next_attempt", "=", False),
            ("next_attempt", "<=", now),
        ]
        if account._kopdes_in_quiet_hours(now):
            domain.append(("kind", "=", "reply"))
        return domain

    def _kopdes_process_account(self, account, now, auto_commit):
        Message = self.sudo()
        messages = Message.search(
            self._kopdes_due_domain(account, now),
            order="priority desc, next_attempt asc nulls first, id",
            limit=account.batch_size,
        )
        if not messages:
            return 0
        messages = self._kopdes_apply_daily_cap(account, messages, now)
        # a few calls in flight at once (the API allows it; the server's side is the slow
        # one): each chunk is claimed and committed before its calls, and its answers are
        # recorded and committed after, so a crash never resends
        parallel = max(1, min(PARALLEL_CALLS, account.rate_limit))
        interval = 1.0 / account.rate_limit
        connection = account._kopdes_connection()
        path = f"{account.phone_number_id}/messages"
        started = time.monotonic()
        sent = 0
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            for start in range(0, len(messages), parallel):
                chunk = messages[start : start + parallel]
                wait = started + sent * interval - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                claimed = chunk._kopdes_claim_many(now)
                if not claimed:
                    continue
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                payloads = [message._kopdes_payload() for message in claimed]
                answers = list(
                    pool.map(lambda payload: http_call(connection, "POST", path, payload), payloads)
                )
                accepted = []
                for message, answer in zip(claimed, answers, strict=True):
                    wa_message_id = _accepted_id(answer)
                    if wa_message_id:
                        accepted.append((message.id, wa_message_id))
                    else:
                        message._kopdes_record_answer(answer, now)
                self._kopdes_record_sent_many(accepted, now)
                sent += len(claimed)
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if account.state != "active":
                    break  # the token expired: stop this account
        return sent

    def _kopdes_apply_daily_cap(self, account, messages, now):
        """The messages of ``messages`` that fit the account's cap of unique recipients in
        the last 24 hours; the others wait an hour. One query for the whole batch."""
        self.env.cr.execute(
            """
            SELECT DISTINCT wa_id FROM kopdes_wa_message
             WHERE account_id = %s AND last_attempt > %s
               AND state IN ('sending', 'sent', 'delivered', 'read')
            """,
            [account.id, now - timedelta(hours=24)],
        )
        recent = {row[0] for row in self.env.cr.fetchall()}
        room = account.daily_cap - len(recent)
        keep, wait = [], []
        for message in messages:
            if message.wa_id in recent or message.kind == "reply":
                keep.append(message.id)
            elif room > 0:
                room -= 1
                recent.add(message.wa_id)
                keep.append(message.id)
            else:
                wait.append(message.id)
        if wait:
            self.browse(wait).sudo().write({"next_attempt": now + timedelta(hours=1)})
        return self.browse(keep).sudo()

    def _kopdes_claim(self, now):
        """Mark the message ``sending`` (one attempt more) if it is still queued; the
        caller commits before calling the API. False when someone else claimed it."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            """
            UPDATE kopdes_wa_message
               SET state = 'sending', attempts = COALESCE(attempts, 0) + 1, last_attempt = %s,
                   write_date = now() AT TIME ZONE 'UTC'
             WHERE id = %s AND state = 'queued'
         RETURNING id
            """,
            [now, self.id],
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["state", "attempts", "last_attempt", "write_date"], flush=False)
        return claimed

    def _kopdes_claim_many(self, now):
        """:meth:`_kopdes_claim` for several messages in one UPDATE; returns those claimed."""
        if not self:
            return self
        self.flush_recordset()
        self.env.cr.execute(
            """
            UPDATE kopdes_wa_message
               SET state = 'sending', attempts = COALESCE(attempts, 0) + 1, last_attempt = %s,
                   write_date = now() AT TIME ZONE 'UTC'
             WHERE id = ANY(%s) AND state = 'queued'
         RETURNING id
            """,
            [now, list(self.ids)],
        )
        claimed = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset(["state", "attempts", "last_attempt", "write_date"], flush=False)
        return self.filtered(lambda m: m.id in claimed)

    def _kopdes_payload(self):
        self.ensure_one()
        if self.message_type == "text":
            return cloud_api.text_payload(self.wa_id, self.body, key=self.idempotency_key)
        template = self.template_id
        return cloud_api.template_payload(
            self.wa_id,
            template.name,
            template.language or "id",
            json.loads(self.params or "[]"),
            key=self.idempotency_key,
        )

    def _kopdes_deliver_claimed(self, now):
        """Call the API for a claimed (``sending``) message and record the answer."""
        self.ensure_one()
        account = self.account_id
        answer = account._kopdes_request(
            "POST", f"{account.phone_number_id}/messages", self._kopdes_payload()
        )
        return self._kopdes_record_answer(answer, now)

    @api.model
    def _kopdes_record_sent_many(self, accepted, now):
        """Record the accepted sends ``[(message id, API message id)]`` in one UPDATE that
        never moves a message back (a status webhook may already have set delivered, read or
        failed: then only the missing message id and sent date are filled)."""
        if not accepted:
            return
        self.env.cr.execute(
            """
            UPDATE kopdes_wa_message m
               SET state = CASE WHEN m.state IN ('delivered', 'read', 'failed')
                                THEN m.state ELSE 'sent' END,
                   wa_message_id = COALESCE(m.wa_message_id, v.wamid),
                   sent_date = COALESCE(m.sent_date, %s),
                   error_kind = CASE WHEN m.state IN ('delivered', 'read', 'failed')
                                     THEN m.error_kind END,
                   error_code = CASE WHEN m.state IN ('delivered', 'read', 'failed')
                                     THEN m.error_code ELSE 0 END,
                   error_detail = CASE WHEN m.state IN ('delivered', 'read', 'failed')
                                       THEN m.error_detail END,
                   write_date = now() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::varchar[]) AS v(id, wamid)
             WHERE m.id = v.id
            """,
            [now, [a[0] for a in accepted], [a[1] for a in accepted]],
        )
        self.browse([a[0] for a in accepted]).invalidate_recordset(
            [
                "state",
                "wa_message_id",
                "sent_date",
                "error_kind",
                "error_code",
                "error_detail",
                "error_reason",
                "write_date",
            ],
            flush=False,
        )

    def _kopdes_record_answer(self, answer, now):
        """Record the API's ``answer`` ``(status, data, code)`` to this message's send."""
        self.ensure_one()
        status, data, code = answer
        if code is None:
            try:
                wa_message_id = data["messages"][0]["id"]
            except (KeyError, IndexError, TypeError):
                wa_message_id = False
            if wa_message_id:
                self._kopdes_write_outcome(
                    {
                        "state": "sent",
                        "wa_message_id": wa_message_id,
                        "sent_date": now,
                        "error_kind": False,
                        "error_code": 0,
                        "error_detail": False,
                    }
                )
                return True
            code = cloud_api.BAD_RESPONSE
        detail = cloud_api.parse_error(status or 0, data)[1] if status else False
        self._kopdes_record_error(code, status, detail, now)
        return False

    def _kopdes_write_outcome(self, vals):
        """Write the send's outcome unless a status webhook already moved the message on
        (it may arrive before the answer is saved)."""
        self.invalidate_recordset(["state", "wa_message_id"])
        current = self.state
        if vals.get("state") == "sent" and current in ("delivered", "read", "failed"):
            vals = {"wa_message_id": self.wa_message_id or vals["wa_message_id"]}
            vals.setdefault("sent_date", self.sent_date or fields.Datetime.now())
        self.sudo().write(vals)

    def _kopdes_record_error(self, code, http_status, detail, now):
        action = cloud_api.classify(code, http_status)
        kind = _error_kind(code, action)
        vals = {"error_code": code or 0, "error_kind": kind, "error_detail": (detail or "")[:250]}
        if action == cloud_api.RETRY and self.attempts < cloud_api.MAX_ATTEMPTS:
            delay = cloud_api.backoff_delay(self.attempts)
            vals.update(state="queued", next_attempt=now + timedelta(seconds=delay))
        elif action == cloud_api.RETRY_LATER:
            vals.update(
                state="queued", next_attempt=now + timedelta(seconds=cloud_api.RETRY_LATER_DELAY)
            )
        elif action == cloud_api.TOKEN:
            # not the message's fault: it waits for the new token, the attempt does not count
            vals.update(state="queued", attempts=max(self.attempts - 1, 0), next_attempt=False)
            self.account_id._kopdes_token_expired()
        else:
            vals.update(state="failed", failed_date=now)
            self._kopdes_flag_contact(action)
        self.sudo().write(vals)

    @api.model
    def _kopdes_fail_stale(self, now):
        """Messages left ``sending`` for a day with no status webhook: failed with the
        reason "outcome unknown", never resent (they may have arrived)."""
        stale = self.sudo().search(
            [("state", "=", "sending"), ("last_attempt", "<", now - SENDING_STALE)]
        )
        if stale:
            stale.write({"state": "failed", "error_kind": "unknown_outcome", "failed_date": now})

    # ------------------------------------------------------------------ statuses

    @api.model
    def _kopdes_apply_statuses(self, account, statuses):
        """Apply the ``statuses`` of a webhook (dicts as the Cloud API sends them) to the
        outbox of ``account``: one search for all of them, matched by message id or by the
        key sent as ``biz_opaque_callback_data``; states only move forward (read stays
        read), repeated statuses change nothing, a failure after delivery is ignored."""
        ids = [s.get("id") for s in statuses if s.get("id")]
        keys = [
            s.get("biz_opaque_callback_data") for s in statuses if s.get("biz_opaque_callback_data")
        ]
        if not ids and not keys:
            return self.browse()
        Message = self.sudo()
        messages = Message.search(
            [
                ("account_id", "=", account.id),
                "|",
                ("wa_message_id", "in", ids),
                ("idempotency_key", "in", keys),
            ]
        )
        by_id = {m.wa_message_id: m for m in messages if m.wa_message_id}
        by_key = {m.idempotency_key: m for m in messages}
        changes = {}
        for status in statuses:
            message = by_id.get(status.get("id")) or by_key.get(
                status.get("biz_opaque_callback_data")
            )
            if not message:
                continue
            message._kopdes_status_vals(status, changes.setdefault(message, {}))
        for message, vals in changes.items():
            vals = {k: v for k, v in vals.items() if message[k] != v}
            if vals:
                message.write(vals)
        return Message.browse([m.id for m in changes])

    def _kopdes_status_vals(self, status, vals):
        """Add to ``vals`` (the changes already found for this message in the same
        webhook) what ``status`` changes: forward states only, earliest dates."""
        self.ensure_one()
        current = vals.get("state", self.state)
        new = status.get("status")
        try:
            when = datetime.utcfromtimestamp(int(status.get("timestamp")))
        except (TypeError, ValueError):
            when = fields.Datetime.now()
        if not self.wa_message_id and status.get("id"):
            vals["wa_message_id"] = status["id"]
        date_field = DATE_FIELDS.get(new)
        if date_field:
            known = vals.get(date_field, self[date_field])
            if not known or when < known:
                vals[date_field] = when
            if new == "read" and not vals.get("delivered_date", self.delivered_date):
                vals["delivered_date"] = when  # read implies delivered
            if current in RANK and RANK[new] > RANK[current]:
                vals["state"] = new
            elif current == "failed" and self.error_kind == "unknown_outcome":
                vals["state"] = new  # it did arrive after all
        elif new == "failed" and current in ("queued", "sending", "sent"):
            error = (status.get("errors") or [{}])[0]
            try:
                code = int(error.get("code"))
            except (TypeError, ValueError):
                code = None
            action = cloud_api.classify(code)
            vals.update(
                state="failed",
                failed_date=when,
                error_code=code or 0,
                error_kind=_error_kind(code, action),
                error_detail=(error.get("message") or error.get("title") or "")[:250],
            )
            self._kopdes_flag_contact(action)

    def _kopdes_flag_contact(self, action):
        """Mark the number when WhatsApp says it cannot receive or stopped marketing."""
        if not self.contact_id:
            return
        if action == cloud_api.UNDELIVERABLE:
            self.contact_id.sudo().write({"undeliverable": True})
        elif action == cloud_api.MARKETING_OPT_OUT:
            self.contact_id.sudo().write({"promotion_opt_out": True})


def _accepted_id(answer):
    """The message id of an accepted send ``(status, data, code)``, or ``None``."""
    status, data, code = answer
    if code is not None or status != 200:
        return None
    try:
        return data["messages"][0]["id"] or None
    except (KeyError, IndexError, TypeError):
        return None


def _skip_reason(account, wa_id, consents, contact, kind):
    """Why a notification is not queued for a member (``None``: it is)."""
    if not account:
        return "no_account"
    if not wa_id:
        return "no_phone"
    if not consents:
        return "no_consent"
    if contact.opted_out or (kind == "promotion" and contact.promotion_opt_out):
        return "opted_out"
    if contact.undeliverable:
        return "undeliverable"
    return None


def _error_kind(code, action):
    if code in TEMPLATE_CODES:
        return "template"
    return KIND_BY_ACTION.get(action, "permanent")
