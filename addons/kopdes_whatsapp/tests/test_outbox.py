"""The outbox against the local fake Cloud API (real HTTP on 127.0.0.1)."""

import json
import time
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from ..tools import cloud_api


class OutboxChecks:
    """The outbox (run by ``test_whatsapp.TestWhatsapp`` on one shared cooperative)."""

    def test_queued_twice_sent_once(self):
        first = self.notify(self.member_a, key="hello")
        second = self.notify(self.member_a, key="hello")
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertEqual(second.env.context["kopdes_wa_skipped"], {"duplicate": 1})
        message = first
        self.assertEqual(message.idempotency_key, f"hello:{self.member_a.id}")
        self.assertEqual(
            message.body, f"Halo Anggota Satu, nomor anggota Anda {self.member_a.member_number}."
        )
        self.assertEqual(self.send(), 1)
        self.assertEqual(self.send(), 0)
        accepted = self.fake.sent_to(self.wa_id(self.member_a))
        self.assertEqual(len(accepted), 1)
        payload = accepted[0]
        self.assertEqual(payload["biz_opaque_callback_data"], message.idempotency_key)
        self.assertEqual(payload["template"]["name"], "info_anggota")
        params = [p["text"] for p in payload["template"]["components"][0]["parameters"]]
        self.assertEqual(params, ["Anggota Satu", self.member_a.member_number])
        self.assertEqual(message.state, "sent")
        self.assertTrue(message.wa_message_id.startswith("wamid.FAKE"))
        self.assertEqual(message.attempts, 1)

    def test_crash_after_the_call_never_resends(self):
        message = self.notify(self.member_a, key="crash")
        self.assertTrue(message._kopdes_claim(self.day_time))
        # the server dies after the Cloud API accepted the message, before its answer is
        # saved: everything after the (committed) claim is lost
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            message._kopdes_deliver_claimed(self.day_time)
            self.assertEqual(message.state, "sent")
            raise RuntimeError("worker killed")
        message.invalidate_recordset()
        self.assertEqual(message.state, "sending")
        self.assertFalse(message.wa_message_id)
        self.assertEqual(len(self.fake.accepted), 1)
        # later runs never send it again
        self.send()
        self.send(self.day_time + timedelta(hours=2))
        self.assertEqual(len(self.fake.requests), 1)
        # the status webhook carries the key: the row gets the message id and the state
        wamid = self.fake.accepted[0][0]
        payload = self.fake.status_payload(
            [
                {
                    "id": wamid,
                    "status": "delivered",
                    "biz_opaque_callback_data": message.idempotency_key,
                }
            ]
        )
        self.env["kopdes.wa.message"]._kopdes_apply_statuses(
            self.wa_account, payload["entry"][0]["changes"][0]["value"]["statuses"]
        )
        self.assertEqual((message.state, message.wa_message_id), ("delivered", wamid))

    def test_stale_sending_is_failed_not_resent(self):
        message = self.notify(self.member_a, key="stale")
        message._kopdes_claim(self.day_time)
        self.send(self.day_time + timedelta(days=2))
        self.assertEqual((message.state, message.error_kind), ("failed", "unknown_outcome"))
        self.assertFalse(self.fake.requests)
        with self.assertRaises(UserError):
            message.action_retry()

    def test_transient_errors_retried_with_growing_delays(self):
        to = self.wa_id(self.member_a)
        self.fake.script(code=130429, http_status=429, times=1, to=to)
        self.fake.script(code=None, http_status=500, times=1, to=to)
        self.fake.script(code=131000, http_status=500, times=1, to=to, delay=2.5)  # > timeout
        message = self.notify(self.member_a, key="flaky")
        now = self.day_time
        delays = []
        for expected_code in (130429, cloud_api.HTTP_5XX, cloud_api.TIMEOUT):
            self.assertEqual(self.send(now), 1)
            self.assertEqual(message.state, "queued")
            self.assertEqual(message.error_code, expected_code)
            self.assertEqual(message.error_kind, "transient")
            delays.append(message.next_attempt - now)
            # not before the delay
            self.assertEqual(self.send(message.next_attempt - timedelta(seconds=1)), 0)
            now = message.next_attempt
        self.assertLess(delays[0], delays[1])
        self.assertLess(delays[1], delays[2])
        self.assertGreaterEqual(delays[0], timedelta(seconds=cloud_api.BACKOFF_BASE))
        self.assertEqual(self.send(now), 1)
        self.assertEqual((message.state, message.attempts), ("sent", 4))
        self.assertFalse(message.error_kind)
        self.assertEqual(len(self.fake.sent_to(to)), 1)

    def test_gives_up_after_max_attempts(self):
        to = self.wa_id(self.member_a)
        self.fake.script(code=131016, http_status=503, times=cloud_api.MAX_ATTEMPTS, to=to)
        message = self.notify(self.member_a, key="down")
        now = self.day_time
        for _attempt in range(cloud_api.MAX_ATTEMPTS):
            self.send(now)
            now = (message.next_attempt or now) + timedelta(seconds=1)
        self.assertEqual((message.state, message.attempts), ("failed", cloud_api.MAX_ATTEMPTS))
        self.assertIn("several attempts", message.error_reason)

    def test_permanent_errors_not_retried(self):
        to_a, to_b = self.wa_id(self.member_a), self.wa_id(self.member_b)
        self.fake.script(code=131026, http_status=400, times=5, to=to_a)
        self.fake.script(code=132001, http_status=400, times=5, to=to_b)
        messages = self.notify(self.member_a | self.member_b, key="perm")
        self.send()
        self.send(self.day_time + timedelta(days=1))
        by_member = {m.member_id: m for m in messages}
        bad_number = by_member[self.member_a]
        self.assertEqual((bad_number.state, bad_number.error_kind), ("failed", "undeliverable"))
        self.assertTrue(bad_number.contact_id.undeliverable)
        self.assertIn("not on WhatsApp", bad_number.error_reason)
        self.assertEqual(by_member[self.member_b].error_kind, "template")
        self.assertEqual(len(self.fake.requests), 2)  # one attempt each
        # the number that cannot receive is skipped from now on
        again = self.notify(self.member_a, key="perm2")
        self.assertFalse(again)
        self.assertEqual(again.env.context["kopdes_wa_skipped"], {"undeliverable": 1})

    def test_expired_token_stops_the_account(self):
        self.fake.script(code=190, http_status=401, times=2)
        messages = self.notify(self.member_a | self.member_b, key="token")
        self.send()
        self.assertEqual(self.wa_account.state, "token_expired")
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(sum(messages.mapped("attempts")), 0)  # not the messages' fault
        self.assertTrue(self.wa_account.activity_ids)
        tried = len(self.fake.requests)
        self.assertEqual(self.send(), 0)  # stopped: nothing is tried with the old token
        self.assertEqual(len(self.fake.requests), tried)
        self.wa_account.access_token = "test-access-token"  # renewed
        self.assertEqual(self.wa_account.state, "active")
        self.assertEqual(self.send(), 2)

    def test_quiet_hours(self):
        message = self.notify(self.member_a, key="night")
        night = datetime(2025, 3, 3, 15, 30)  # 22:30 WIB
        early = datetime(2025, 3, 3, 22, 59)  # 05:59 WIB
        morning = datetime(2025, 3, 3, 23, 0)  # 06:00 WIB
        self.assertEqual(self.send(night), 0)
        self.assertEqual(self.send(early), 0)
        self.assertEqual(message.state, "queued")
        # a chat reply answers the member at once, also at night
        contact = message.contact_id
        contact.last_inbound = datetime.now() - timedelta(minutes=1)
        reply = self.env["kopdes.wa.message"]._kopdes_queue_reply(
            self.wa_account, contact.wa_id, "Saldo Anda ...", key="reply:wamid.1"
        )
        self.assertEqual(self.send(night), 1)
        self.assertEqual((reply.state, message.state), ("sent", "queued"))
        self.assertEqual(self.fake.requests[0]["type"], "text")
        self.assertEqual(self.send(morning), 1)
        self.assertEqual(message.state, "sent")

    def test_reply_only_inside_the_window(self):
        Message = self.env["kopdes.wa.message"]
        wa_id = self.wa_id(self.member_a)
        self.assertFalse(Message._kopdes_queue_reply(self.wa_account, wa_id, "Halo", key="reply:a"))
        contact = self.env["kopdes.wa.contact"].search([("wa_id", "=", wa_id)])
        contact.last_inbound = datetime.now() - timedelta(hours=23)
        reply = Message._kopdes_queue_reply(self.wa_account, wa_id, "Halo", key="reply:a")
        self.assertEqual(
            (reply.kind, reply.message_type, reply.member_id), ("reply", "text", self.member_a)
        )
        self.assertEqual(
            Message._kopdes_queue_reply(self.wa_account, wa_id, "Halo", key="reply:a"), reply
        )
        # opted out of notifications: replies still go out, notifications do not
        contact._kopdes_set_opt_out(True)
        self.assertTrue(Message._kopdes_queue_reply(self.wa_account, wa_id, "Baik", key="reply:b"))
        skipped = self.notify(self.member_a, key="after-stop")
        self.assertEqual(skipped.env.context["kopdes_wa_skipped"], {"opted_out": 1})

    def test_daily_cap_of_unique_recipients(self):
        self.wa_account.daily_cap = 1
        first = self.notify(self.member_a, key="cap1")
        self.send()
        more = self.notify(self.member_a | self.member_b, key="cap2")
        self.send(self.day_time + timedelta(minutes=5))
        by_member = {m.member_id: m for m in more}
        self.assertEqual(first.state, "sent")
        self.assertEqual(by_member[self.member_a].state, "sent")  # already talked to today
        waiting = by_member[self.member_b]
        self.assertEqual(waiting.state, "queued")
        self.assertEqual(waiting.next_attempt, self.day_time + timedelta(minutes=65))
        self.send(self.day_time + timedelta(hours=25))
        self.assertEqual(waiting.state, "sent")

    def test_rate_limit_paces_the_batch(self):
        members = self.member_a | self.member_b | self.member_c
        self.grant(self.member_c, "whatsapp_service")
        for i in range(3):
            self.notify(members, key=f"rate{i}")
        self.wa_account.rate_limit = 20  # 9 messages: at least 8 intervals of 50 ms
        started = time.monotonic()
        self.assertEqual(self.send(), 9)
        self.assertGreaterEqual(time.monotonic() - started, 0.39)

    def test_statuses_only_move_forward(self):
        messages = self.notify(self.member_a | self.member_b, key="status")
        self.send()
        a, b = (
            messages.filtered(lambda m, x=x: m.member_id == x)
            for x in (self.member_a, self.member_b)
        )
        base = 1741000000

        def apply(message, status, offset, **extra):
            self.env["kopdes.wa.message"]._kopdes_apply_statuses(
                self.wa_account,
                [
                    {
                        "id": message.wa_message_id,
                        "status": status,
                        "timestamp": str(base + offset),
                        **extra,
                    }
                ],
            )

        apply(a, "read", 30)
        apply(a, "delivered", 20)  # late
        apply(a, "sent", 10)  # later still
        apply(a, "read", 30)  # repeated
        apply(a, "failed", 40, errors=[{"code": 131000, "title": "x"}])  # after read: ignored
        self.assertEqual(a.state, "read")
        self.assertEqual(a.delivered_date, datetime.utcfromtimestamp(base + 20))
        self.assertEqual(a.read_date, datetime.utcfromtimestamp(base + 30))
        apply(b, "failed", 10, errors=[{"code": 131026, "title": "undeliverable"}])
        apply(b, "delivered", 5)  # an earlier status arriving after the failure
        self.assertEqual((b.state, b.error_kind), ("failed", "undeliverable"))
        self.assertTrue(b.contact_id.undeliverable)

    def test_consents_and_kinds(self):
        self.grant(self.member_b, "whatsapp_service", action="withdrawn")
        result = self.notify(self.member_a | self.member_b | self.member_c, key="consent")
        self.assertEqual(result.member_id, self.member_a)
        self.assertEqual(result.env.context["kopdes_wa_skipped"], {"no_consent": 2})
        promo = self.notify(self.member_a | self.member_c, key="promo", kind="promotion")
        self.assertFalse(promo)
        self.grant(self.member_c, "whatsapp_promotion")
        promo = self.notify(self.member_a | self.member_c, key="promo", kind="promotion")
        self.assertEqual(promo.member_id, self.member_c)
        self.member_a.mobile = False
        nophone = self.notify(self.member_a, key="nophone")
        self.assertEqual(nophone.env.context["kopdes_wa_skipped"], {"no_phone": 1})

    def _count_queries(self, function):
        """The number of SQL statements ``function()`` (then a flush) runs."""
        self.env.flush_all()
        self.env.invalidate_all()
        queries = []
        execute = self.cr.execute

        def counting(query, params=None, log_exceptions=True):
            queries.append(query)
            return execute(query, params, log_exceptions)

        self.cr.execute = counting
        try:
            result = function()
            self.env.flush_all()
        finally:
            self.cr.execute = execute
        return len(queries), result

    def test_queueing_queries_do_not_grow(self):
        members = self.env["kopdes.member"]
        for serial in range(9200, 9208):
            members |= self._create_member(serial, f"Anggota {serial}")
        self.grant(members, "whatsapp_service")
        Message = self.env["kopdes.wa.message"]
        Message._kopdes_notify(self.member_a, "service", "warm-up", template=self.info)
        counts = []
        for group, key in ((members[:2], "q1"), (members[2:], "q2")):
            count, queued = self._count_queries(
                lambda group=group, key=key: Message._kopdes_notify(
                    group, "service", key, template=self.info
                )
            )
            self.assertEqual(len(queued), len(group))
            counts.append(count)
        self.assertEqual(counts[0], counts[1], counts)

    def test_template_status_sync(self):
        self.fake.templates = {"info_anggota": "PAUSED", "pengingat_angsuran": "APPROVED"}
        self.wa_account.action_sync_templates()
        self.assertEqual(self.info.status, "paused")
        reminder = self.templates.filtered(lambda t: t.name == "pengingat_angsuran")
        self.assertEqual(reminder.status, "approved")
        others = self.templates - reminder
        self.assertEqual(set(others.mapped("status")), {"draft"})  # unknown to Meta
        # a paused template sends nothing
        skipped = self.notify(self.member_a, key="paused")
        self.assertEqual(skipped.env.context["kopdes_wa_skipped"], {"no_template": 1})

    def test_template_preview_and_params(self):
        self.assertIn("nomor anggota Anda", self.info.preview)
        self.assertNotIn("{{", self.info.preview)
        message = self.notify(self.member_b, key="params")
        self.assertEqual(json.loads(message.params), ["Anggota Dua", self.member_b.member_number])

    def test_security(self):
        message = self.notify(self.member_a, key="sec")
        teller = self.user_petugas
        self.assertEqual(self.env["kopdes.wa.message"].with_user(teller).search([]), message)
        with self.assertRaises(AccessError):
            self.wa_account.with_user(self.user_pengurus).read(["access_token"])
        self.assertTrue(self.wa_account.with_user(teller).read(["name", "rate_limit"]))
        with self.assertRaises(AccessError):
            message.with_user(teller).action_cancel()
        message.with_user(self.user_pengurus).action_cancel()
        self.assertEqual(message.state, "cancelled")
        other = self.env["res.company"].create({"name": "KKMP Lain"})
        outsider = new_test_user(
            self.env,
            login="wa_other_teller",
            groups="kopdes_members.group_kopdes_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(
            self.env["kopdes.wa.message"]
            .with_user(outsider)
            .with_context(allowed_company_ids=other.ids)
            .search([])
        )
        cashier = new_test_user(
            self.env,
            login="wa_cashier",
            groups="point_of_sale.group_pos_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        for model in (
            "kopdes.wa.message",
            "kopdes.wa.account",
            "kopdes.wa.template",
            "kopdes.wa.contact",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(cashier).search([])
