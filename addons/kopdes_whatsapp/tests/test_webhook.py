"""The webhook route over real HTTP: verification, signatures, storage, processing."""

import json

from odoo.tests import HttpCase, tagged

from ..tools.fake_cloud_api import FakeCloudAPI, sign

APP_SECRET = "webhook-app-secret"
PHONE_NUMBER_ID = "109000000000777"


@tagged("post_install", "-at_install")
class TestWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.member = cls.env["kopdes.member"].create(
            {
                "name": "Anggota Webhook",
                "nik": "3375040101800777",
                "mobile": "081399990777",
                "company_id": cls.company.id,
                "state": "active",
            }
        )
        cls.env["kopdes.consent"].create(
            {"member_id": cls.member.id, "purpose": "whatsapp_service", "channel": "office"}
        )
        cls.fake = FakeCloudAPI(app_secret=APP_SECRET, phone_number_id=PHONE_NUMBER_ID)
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.account = cls.env["kopdes.wa.account"].create(
            {
                "name": "WhatsApp Webhook",
                "company_id": cls.company.id,
                "phone_number_id": PHONE_NUMBER_ID,
                "api_base_url": cls.fake.base_url,
                "access_token": "token",
                "app_secret": APP_SECRET,
                "verify_token": "the-verify-token",
                "rate_limit": 1000,
                "quiet_start": 0.0,
                "quiet_end": 0.0,  # no quiet hours: the test runs at any time of day
            }
        )
        cls.template = cls.env["kopdes.wa.template"].create(
            {
                "name": "halo_webhook",
                "account_id": cls.account.id,
                "company_id": cls.company.id,
                "body": "Halo {{1}}",
                "status": "approved",
                "variable_ids": [(0, 0, {"source": "member", "expression": "{{ object.name }}"})],
            }
        )
        cls.template.status = "approved"
        # the demo cooperative's account (if any) does not send its queue in these tests
        cls.env["kopdes.wa.account"].search([("id", "!=", cls.account.id)]).write(
            {"state": "token_expired"}
        )

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.fake.webhook_url = f"{self.base_url()}/kopdes/whatsapp/webhook"
        self.wa_id = "6281399990777"

    def counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT (SELECT COUNT(*) FROM kopdes_wa_event),"
            " (SELECT COUNT(*) FROM kopdes_wa_inbound),"
            " (SELECT string_agg(state, ',' ORDER BY id) FROM kopdes_wa_message)"
        )
        return self.env.cr.fetchone()

    def queue_and_send(self, key):
        message = self.env["kopdes.wa.message"]._kopdes_notify(
            self.member, "service", key, template=self.template
        )
        self.env["kopdes.wa.message"]._kopdes_process_queue()
        self.assertEqual(message.state, "sent")
        return message

    def process(self):
        self.env.invalidate_all()
        events = self.env["kopdes.wa.event"]._kopdes_process_new()
        self.env.invalidate_all()
        return events

    def test_verification(self):
        url = "/kopdes/whatsapp/webhook?hub.mode=subscribe&hub.challenge=12345&hub.verify_token="
        ok = self.url_open(url + "the-verify-token")
        self.assertEqual((ok.status_code, ok.text), (200, "12345"))
        for bad in (url + "wrong", url.replace("subscribe", "unsubscribe") + "the-verify-token"):
            self.assertEqual(self.url_open(bad).status_code, 403)

    def test_refused_requests_store_nothing(self):
        message = self.queue_and_send("refused")
        before = self.counts()
        good = self.fake.status_payload(
            [{"id": message.wa_message_id, "status": "delivered", "recipient_id": self.wa_id}]
        )
        raw = json.dumps(good).encode()
        unknown = json.loads(raw)
        unknown["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
        not_whatsapp = {"object": "page", "entry": []}
        cases = [
            ("unsigned", dict(payload=good, signature=False), 403),
            ("wrong secret", dict(payload=good, secret="not-the-secret"), 403),
            ("malformed header", dict(payload=good, signature="sha256=xyz"), 403),
            (
                "signature of another body",
                dict(raw=raw + b" ", signature=sign(APP_SECRET, raw)),
                403,
            ),
            ("malformed json", dict(payload=None, raw=b"{not json"), 400),
            ("not a whatsapp webhook", dict(payload=not_whatsapp), 400),
            ("unknown number", dict(payload=unknown), 403),
        ]
        for name, kwargs, status in cases:
            with self.subTest(name):
                result = self.fake.post_webhook(**kwargs)
                self.assertEqual(result[0], status)
                self.assertEqual(self.counts(), before)
        self.process()
        self.assertEqual(message.state, "sent")

    def test_status_webhooks(self):
        message = self.queue_and_send("statuses")
        wamid = message.wa_message_id
        self.assertEqual(
            self.fake.post_status(wamid, "read", self.wa_id, timestamp=1767225900)[0], 200
        )
        self.assertEqual(
            self.fake.post_status(wamid, "delivered", self.wa_id, timestamp=1767225800)[0], 200
        )
        # Meta retries the same delivery: stored once
        self.assertEqual(
            self.fake.post_status(wamid, "delivered", self.wa_id, timestamp=1767225800)[0], 200
        )
        self.assertEqual(self.counts()[0], 2)
        events = self.process()
        self.assertEqual(set(events.mapped("state")), {"done"})
        self.assertEqual(message.state, "read")
        self.assertTrue(message.delivered_date and message.read_date)

    def test_crash_recovered_from_the_status_webhook(self):
        message = self.env["kopdes.wa.message"]._kopdes_notify(
            self.member, "service", "crash", template=self.template
        )
        message._kopdes_claim(message.create_date)
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            message._kopdes_deliver_claimed(message.create_date)
            raise RuntimeError("worker killed before the commit")
        message.invalidate_recordset()
        self.assertEqual((message.state, message.wa_message_id), ("sending", False))
        self.env["kopdes.wa.message"]._kopdes_process_queue()
        self.assertEqual(len(self.fake.requests), 1)  # not sent again
        wamid, payload = self.fake.accepted[0]
        self.fake.post_status(wamid, "sent", self.wa_id, key=payload["biz_opaque_callback_data"])
        self.process()
        self.assertEqual((message.state, message.wa_message_id), ("sent", wamid))

    def test_inbound_message(self):
        self.assertEqual(
            self.fake.post_inbound(
                self.wa_id, "Berapa sisa simpanan saya?", message_id="wamid.IN1"
            )[0],
            200,
        )
        self.process()
        inbound = self.env["kopdes.wa.inbound"].search([("wamid", "=", "wamid.IN1")])
        self.assertEqual(inbound.text, "Berapa sisa simpanan saya?")
        self.assertEqual(inbound.member_id, self.member)
        self.assertTrue(inbound.contact_id.last_inbound)
        # the 24-hour window is open: a free-text reply can be queued and sent
        reply = self.env["kopdes.wa.message"]._kopdes_queue_reply(
            self.account, self.wa_id, "Silakan datang ke kantor.", key="staff:wamid.IN1"
        )
        self.assertEqual(reply.member_id, self.member)
        self.env["kopdes.wa.message"]._kopdes_process_queue()
        self.assertEqual(reply.state, "sent")
        bodies = [payload["text"]["body"] for _wamid, payload in self.fake.accepted]
        # the chatbot's answer to the question (the number is not verified: no figures)
        # and the staff's reply went out, in either order (a few calls run at once)
        self.assertEqual(len(bodies), 2, bodies)
        self.assertIn("Silakan datang ke kantor.", bodies)
        bodies.remove("Silakan datang ke kantor.")
        self.assertNotIn("Rp", bodies[0])
        # the same message delivered again is not stored twice
        self.fake.post_inbound(self.wa_id, "Berapa sisa simpanan saya? ", message_id="wamid.IN1")
        self.process()
        self.assertEqual(
            self.env["kopdes.wa.inbound"].search_count([("wamid", "=", "wamid.IN1")]), 1
        )
