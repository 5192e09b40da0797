"""Fixtures of the chatbot and portal tests: a cooperative with savings and loans, a
WhatsApp account pointed at the local fake Cloud API (real HTTP on 127.0.0.1), and
members whose numbers are verified, unverified, shared or unknown."""

import json
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon
from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_members.tests.common import KopdesTourCase

from ..tools.fake_cloud_api import FakeCloudAPI


class KopdesChatbotCommon(KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCloudAPI(token="test-token", app_secret="test-secret").start()
        cls.addClassCleanup(cls.fake.stop)
        cls.wa_account = cls.env["kopdes.wa.account"].create(
            {
                "name": "WA Uji",
                "company_id": cls.company.id,
                "phone_number_id": "PNID-CHATBOT",
                "business_account_id": "WABA-CHATBOT",
                "api_base_url": cls.fake.base_url,
                "access_token": "test-token",
                "app_secret": "test-secret",
                "verify_token": "verify",
                "request_timeout": 5,
            }
        )
        # other cooperatives' accounts (the demo's) do not send their queues in these tests
        cls.env["kopdes.wa.account"].search([("id", "!=", cls.wa_account.id)]).write(
            {"state": "token_expired"}
        )
        cls.today = kopdes_today(cls.env, cls.company)
        # member A: verified owner with savings and an active loan (one installment overdue)
        cls.owner = cls.member_a
        cls.deposit_on(cls.owner, "pokok", 100_000)
        cls.deposit_on(cls.owner, "wajib", 250_000)
        cls.deposit_on(cls.owner, "sukarela", 1_234_500)
        disbursed = cls.today - timedelta(days=45)
        loan = cls.make_loan_cls(cls.owner, amount=3_000_000, term=10, day=disbursed)
        cls.loan = loan
        cls.owner.action_wa_confirm_phone()
        # member B: unverified number, with savings
        cls.unverified = cls.member_b
        cls.deposit_on(cls.unverified, "sukarela", 500_000)
        # members C and D share one number (both verified on paper: still shared)
        cls.shared = cls.member_c
        cls.shared_2 = cls._create_member(9104, "Anggota Empat", mobile=cls.member_c.mobile)
        cls.deposit_on(cls.shared, "sukarela", 800_000)
        cls.shared.action_wa_confirm_phone()
        cls.shared_2.action_wa_confirm_phone()
        cls.unknown_wa = "6281399999999"
        for member in (cls.owner, cls.unverified, cls.shared):
            cls.env["kopdes.consent"].create(
                {"member_id": member.id, "purpose": "whatsapp_service", "channel": "paper"}
            )

    @classmethod
    def deposit_on(cls, member, kind, amount):
        account = member._kopdes_savings_account(kind, create=True, open_date=cls.today)
        return account._kopdes_deposit(amount, date=cls.today)

    @classmethod
    def make_loan_cls(cls, member, amount, term, day):
        loan = (
            cls.env["kopdes.loan"]
            .with_user(cls.user_officer)
            .create(
                {
                    "member_id": member.id,
                    "product_id": cls.flat.id,
                    "amount": amount,
                    "term": term,
                    "application_date": day,
                    "purpose": "working_capital",
                }
            )
        )
        loan.action_submit()
        loan.with_user(cls.user_pengurus).action_approve("Usaha lancar")
        loan.action_disburse(day, cls.cash)
        return loan.with_user(cls.env.user)

    def setUp(self):
        super().setUp()
        self.fake.reset()

    @staticmethod
    def wa(member):
        return member.mobile.lstrip("+")

    def chat(self, wa_id, text):
        """A member writes ``text``: the fake's inbound webhook payload is stored and
        processed as the webhook does, then the outbox is sent to the fake. Returns the
        text of the reply the fake received (``""`` for none)."""
        Line = self.env["kopdes.wa.conversation.line"]
        domain = [
            ("conversation_id.account_id", "=", self.wa_account.id),
            ("conversation_id.wa_id", "=", wa_id),
        ]
        known = Line.search(domain)
        payload = self.fake.inbound_payload(wa_id, text, phone_number_id="PNID-CHATBOT")
        raw = json.dumps(payload).encode()
        event = self.env["kopdes.wa.event"]._kopdes_store(self.wa_account, raw, payload)
        self.assertTrue(event)
        event._kopdes_process()
        self.assertEqual(event.state, "done", event.error)
        new = Line.search(domain) - known
        self.assertEqual(new[:1].direction, "in")
        self.assertEqual(new[:1].body, text)
        last = new.filtered(lambda line: line.direction == "out")
        self.assertLessEqual(len(last), 1)
        self.env["kopdes.wa.message"]._kopdes_process_queue(
            now=fields.Datetime.now().replace(hour=5)  # replies go out in quiet hours too
        )
        if not last:
            return ""
        message = last.message_id
        self.assertEqual(message.state, "sent")
        received = [p for mid, p in self.fake.accepted if mid == message.wa_message_id]
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0]["to"], wa_id)
        self.assertEqual(received[0]["text"]["body"], last.body)
        return last.body


class KopdesChatbotPortalCommon(KopdesChatbotCommon, KopdesTourCase):
    """The same cooperative, with a portal login for the verified owner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.env["res.users"].create(
            {
                "name": cls.owner.name,
                "login": "anggota_portal",
                "password": "anggota_portal",
                "partner_id": cls.owner.partner_id.id,
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
