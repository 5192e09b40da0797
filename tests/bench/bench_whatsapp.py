"""Benchmark: the WhatsApp outbox against the local fake Cloud API, and webhook intake.

Run by ``make bench`` (scripts/bench.sh: fresh database without demo data, Odoo's HTTP
server on). Prints:

- queueing: seconds to queue ``N`` notifications (``_kopdes_notify``, one batch per key);
- sending: messages a second the outbox hands to the fake over real HTTP on 127.0.0.1 with
  the account's rate limit out of the way (the cooperative's server is the fast side): must be
  at least 80 (the Cloud API's default rate per number); then with the rate limit at 80,
  the rate actually reached (the pacing must keep it at or under 80);
- intake: seconds for Odoo's webhook route to verify and store 1,000 signed status webhooks
  posted by the fake (one HTTP request each), and seconds to process them into the outbox.

``KOPDES_BENCH_WA_MESSAGES`` changes the number of messages (default 1000).
"""

import os
import time
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.kopdes_members.tests.common import make_nik
from odoo.addons.kopdes_whatsapp.tools.fake_cloud_api import FakeCloudAPI

SIZE = int(os.environ.get("KOPDES_BENCH_WA_MESSAGES", "1000"))
MEMBERS = max(SIZE // 5, 1)
SECRET = "bench-app-secret"
PHONE_NUMBER_ID = "109000000009999"


@tagged("post_install", "-at_install")
class BenchWhatsapp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            )
        )
        company = cls.env["res.company"].create(
            {
                "name": "KKMP Bench WhatsApp",
                "country_id": cls.env.ref("base.id").id,
                "currency_id": cls.env.ref("base.IDR").id,
            }
        )
        cls.env.user.company_ids = [Command.link(company.id)]
        l10n_id = cls.env["ir.module.module"].search(
            [("name", "=", "l10n_id"), ("state", "=", "installed")]
        )
        cls.env["account.chart.template"].try_loading(
            "id" if l10n_id else "generic_coa", company=company, install_demo=False
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        cls.company = company
        cls.members = cls.env["kopdes.member"].create(
            [
                {
                    "name": f"Anggota Bench {i}",
                    "nik": make_nik(i % 9999 + 1, yy=60 + i // 9999),
                    "mobile": f"0813{70000000 + i:08d}",
                    "company_id": company.id,
                    "state": "active",
                    "join_date": date(2024, 1, 1),
                }
                for i in range(MEMBERS)
            ]
        )
        cls.env["kopdes.consent"].create(
            [
                {"member_id": m.id, "purpose": "whatsapp_service", "channel": "office"}
                for m in cls.members
            ]
        )
        cls.fake = FakeCloudAPI(
            token="bench-token", app_secret=SECRET, phone_number_id=PHONE_NUMBER_ID
        )
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.account = cls.env["kopdes.wa.account"].create(
            {
                "name": "WhatsApp Bench",
                "company_id": company.id,
                "phone_number_id": PHONE_NUMBER_ID,
                "api_base_url": cls.fake.base_url,
                "access_token": "bench-token",
                "app_secret": SECRET,
                "rate_limit": 100000,
                "batch_size": SIZE,
                "daily_cap": 100000,
                "quiet_start": 0.0,
                "quiet_end": 0.0,
            }
        )
        cls.template = cls.env["kopdes.wa.template"].create(
            {
                "name": "bench_info",
                "account_id": cls.account.id,
                "company_id": company.id,
                "body": "Halo {{1}}, nomor anggota Anda {{2}}.",
                "variable_ids": [
                    (0, 0, {"sequence": 1, "source": "member", "expression": "{{ object.name }}"}),
                    (
                        0,
                        0,
                        {
                            "sequence": 2,
                            "source": "record",
                            "expression": "{{ object.member_number }}",
                        },
                    ),
                ],
            }
        )
        cls.template.status = "approved"

    def _queue(self, prefix, rounds):
        Message = self.env["kopdes.wa.message"]
        started = time.monotonic()
        queued = Message.browse()
        for i in range(rounds):
            queued |= Message._kopdes_notify(
                self.members, "service", f"{prefix}{i}", template=self.template
            )
        self.env.flush_all()
        return queued, time.monotonic() - started

    def test_outbox_rate_and_webhook_intake(self):
        rounds = max(SIZE // MEMBERS, 1)
        queued, seconds = self._queue("bench", rounds)
        print(f"\nWhatsApp: queued {len(queued)} messages in {seconds:.2f} s")
        Message = self.env["kopdes.wa.message"]
        started = time.monotonic()
        sent = Message._kopdes_process_queue()
        elapsed = time.monotonic() - started
        rate = sent / elapsed
        print(
            f"WhatsApp: sent {sent} messages to the fake in {elapsed:.2f} s = {rate:.0f} messages/s"
        )
        self.assertEqual(sent, len(queued))
        self.assertEqual(len(self.fake.accepted), len(queued))
        self.assertGreaterEqual(rate, 80.0)

        # with the Cloud API's default limit the pacing holds the rate at 80 a second
        self.account.rate_limit = 80
        paced, _seconds = self._queue("paced", 1)
        paced = paced[:160]
        (Message.search([("state", "=", "queued")]) - paced).write({"state": "cancelled"})
        started = time.monotonic()
        sent_paced = Message._kopdes_process_queue()
        elapsed_paced = time.monotonic() - started
        paced_rate = sent_paced / elapsed_paced
        print(
            f"WhatsApp: rate limit 80/s: sent {sent_paced} in {elapsed_paced:.2f} s = "
            f"{paced_rate:.1f} messages/s"
        )
        # (calls leave in chunks of PARALLEL_CALLS: the last chunk may end a little early)
        self.assertLessEqual(paced_rate, 80 * 1.1)
        self.assertGreaterEqual(paced_rate, 60)

        # webhook intake: 1,000 signed status webhooks over HTTP, then their processing
        self.fake.webhook_url = f"{self.base_url()}/kopdes/whatsapp/webhook"
        statuses = [(wamid, p["to"]) for wamid, p in self.fake.accepted[:1000]]
        started = time.monotonic()
        for wamid, to in statuses:
            status, _body = self.fake.post_status(wamid, "delivered", to)
            self.assertEqual(status, 200)
        intake = time.monotonic() - started
        print(
            f"WhatsApp: webhook intake of {len(statuses)} signed statuses in {intake:.2f} s "
            f"= {len(statuses) / intake:.0f} a second"
        )
        self.env.invalidate_all()
        started = time.monotonic()
        events = self.env["kopdes.wa.event"]._kopdes_process_new(limit=len(statuses))
        processing = time.monotonic() - started
        print(f"WhatsApp: processed {len(events)} webhook events in {processing:.2f} s")
        self.assertEqual(len(events), len(statuses))
        self.env.invalidate_all()
        delivered = Message.search_count([("state", "=", "delivered")])
        self.assertEqual(delivered, len(statuses))
        # Meta batches statuses: the same 1,000 as 20 deliveries of 50 ("read")
        started = time.monotonic()
        for start in range(0, len(statuses), 50):
            payload = self.fake.status_payload(
                [
                    {"id": wamid, "status": "read", "recipient_id": to}
                    for wamid, to in statuses[start : start + 50]
                ]
            )
            self.assertEqual(self.fake.post_webhook(payload)[0], 200)
        batched = time.monotonic() - started
        self.env.invalidate_all()
        started = time.monotonic()
        self.env["kopdes.wa.event"]._kopdes_process_new()
        batched_processing = time.monotonic() - started
        print(
            f"WhatsApp: webhook intake of {len(statuses)} signed statuses in 20 deliveries in "
            f"{batched:.2f} s, processed in {batched_processing:.2f} s"
        )
        self.env.invalidate_all()
        self.assertEqual(Message.search_count([("state", "=", "read")]), len(statuses))
        # one request per status goes through the whole HTTP stack of the test server each
        # time: about 9 ms a request on a quiet 2-core machine (80 ms under a heavy load)
        self.assertLess(intake, 30.0)
        self.assertLess(batched + batched_processing, 15.0)
        self.assertLess(processing, 15.0)
