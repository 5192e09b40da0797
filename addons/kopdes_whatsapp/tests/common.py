from datetime import datetime

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon

from ..tools.fake_cloud_api import FakeCloudAPI

APP_SECRET = "test-app-secret"
TOKEN = "test-access-token"
PHONE_NUMBER_ID = "109000000000001"


class KopdesWhatsappCommon(KopdesFinancingCommon):
    """A cooperative with an account pointed at the local fake Cloud API (real HTTP on
    127.0.0.1), the default templates approved and two members who accept service
    messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCloudAPI(token=TOKEN, app_secret=APP_SECRET, phone_number_id=PHONE_NUMBER_ID)
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.wa_account = cls.env["kopdes.wa.account"].create(
            {
                "name": "WhatsApp Uji",
                "company_id": cls.company.id,
                "phone_number_id": PHONE_NUMBER_ID,
                "business_account_id": "WABA-TEST",
                "api_base_url": cls.fake.base_url,
                "access_token": TOKEN,
                "app_secret": APP_SECRET,
                "verify_token": "verify-me",
                "rate_limit": 1000,
                "request_timeout": 2.0,
            }
        )
        # other cooperatives' accounts (the demo's) do not send their queues in these tests
        cls.env["kopdes.wa.account"].search([("id", "!=", cls.wa_account.id)]).write(
            {"state": "token_expired"}
        )
        cls.templates = cls.wa_account.action_create_default_templates()
        cls.templates.write({"status": "approved"})
        cls.info = cls.env["kopdes.wa.template"].create(
            {
                "name": "info_anggota",
                "account_id": cls.wa_account.id,
                "company_id": cls.company.id,
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
        cls.info.write({"status": "approved"})
        cls.grant(cls.member_a | cls.member_b, "whatsapp_service")
        # a day time in Jakarta (10:00 WIB), outside the quiet hours
        cls.day_time = datetime(2025, 3, 3, 3, 0, 0)

    @classmethod
    def grant(cls, members, purpose, action="granted"):
        cls.env["kopdes.consent"].create(
            [
                {"member_id": m.id, "purpose": purpose, "action": action, "channel": "office"}
                for m in members
            ]
        )

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def wa_id(self, member):
        return "".join(ch for ch in member.mobile if ch.isdigit())

    def send(self, now=None):
        return self.env["kopdes.wa.message"]._kopdes_process_queue(now=now or self.day_time)

    def notify(self, members, key="test", kind="service", template="info_anggota", **kw):
        return self.env["kopdes.wa.message"]._kopdes_notify(
            members, kind, key, template=template, **kw
        )
