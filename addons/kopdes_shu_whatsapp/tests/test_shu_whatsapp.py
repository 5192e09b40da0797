from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.kopdes_shu.tests.common import YEAR, KopdesShuCommon
from odoo.addons.kopdes_whatsapp.tools import text
from odoo.addons.kopdes_whatsapp.tools.fake_cloud_api import FakeCloudAPI

TOKEN = "shu-token"
SECRET = "shu-secret"
PHONE_NUMBER_ID = "109000000000777"


@tagged("post_install", "-at_install")
class TestShuSlipsOnWhatsapp(KopdesShuCommon):
    """The SHU slip notice reaches the members on a real HTTP server that speaks the Cloud
    API (127.0.0.1), after the distribution is posted, once per member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCloudAPI(token=TOKEN, app_secret=SECRET, phone_number_id=PHONE_NUMBER_ID)
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.account = cls.env["kopdes.wa.account"].create(
            {
                "name": "WhatsApp SHU",
                "company_id": cls.company.id,
                "phone_number_id": PHONE_NUMBER_ID,
                "business_account_id": "WABA-SHU",
                "api_base_url": cls.fake.base_url,
                "access_token": TOKEN,
                "app_secret": SECRET,
                "verify_token": "verify",
                "rate_limit": 1000,
                "quiet_start": 0.0,
                "quiet_end": 0.0,
            }
        )
        # other cooperatives' accounts (the demo's) do not send their queues in this test
        cls.env["kopdes.wa.account"].search([("id", "!=", cls.account.id)]).write(
            {"state": "token_expired"}
        )
        cls.templates = cls.account.action_create_default_templates()
        cls.slip_template = cls.templates.filtered(lambda t: t.name == "slip_shu")
        cls.slip_template.write({"status": "approved"})
        # a, c and e accept service messages on WhatsApp; b never said so
        cls.env["kopdes.consent"].create(
            [
                {"member_id": m.id, "purpose": "whatsapp_service", "channel": "office"}
                for m in (cls.member_a | cls.member_c | cls.member_e)
            ]
        )

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def post(self):
        if self.dist.state == "draft":
            self.dist.action_compute()
        self.close_december()
        self.dist.with_user(self.user_pengurus).action_post()

    def slips(self):
        return self.env["kopdes.wa.message"].search(
            [("notification", "=", "shu_slip"), ("res_id", "in", self.dist.line_ids.ids)]
        )

    def test_template_is_one_of_the_defaults(self):
        template = self.slip_template
        self.assertEqual(len(template), 1)
        self.assertEqual(template.model, "kopdes.shu.line")
        self.assertEqual(template.category, "utility")
        self.assertEqual(len(template.variable_ids), 7)
        # creating the defaults again keeps the one there
        self.assertFalse(
            self.account.action_create_default_templates().filtered(lambda t: t.name == "slip_shu")
        )

    def test_send_after_posting(self):
        self.dist.action_compute()
        with self.assertRaisesMessage(UserError, "once the distribution is posted"):
            self.dist.with_user(self.user_akuntan).action_send_slips_whatsapp()
        self.assertFalse(self.slips())
        self.post()
        lines = {line.member_id: line for line in self.dist.line_ids}
        result = self.dist.with_user(self.user_akuntan).action_send_slips_whatsapp()
        slips = self.slips()
        with_share = [
            m
            for m in (self.member_a, self.member_c, self.member_e)
            if m in lines and lines[m].total
        ]
        self.assertEqual(set(slips.member_id), set(with_share))
        self.assertNotIn(self.member_b, slips.member_id)  # no consent
        consenting = self.member_a | self.member_c | self.member_e
        refused = [m for m, line in lines.items() if line.total and m not in consenting]
        self.assertIn(self.member_b, refused)
        self.assertIn(
            f"no consent for service messages: {len(refused)}", result["params"]["message"]
        )
        line = lines[self.member_c]
        message = slips.filtered(lambda m: m.member_id == self.member_c)
        self.assertEqual(message.res_model, "kopdes.shu.line")
        self.assertEqual(message.res_id, line.id)
        self.assertEqual(message.template_id, self.slip_template)
        for amount in (
            line.capital_share,
            line.pos_share + line.loan_share,
            line.total,
            line.net,
        ):
            self.assertIn(text.rupiah(amount), message.body)
        self.assertIn(str(YEAR), message.body)
        self.assertIn(self.member_c.name, message.body)
        self.assertIn(
            "dibayar tunai" if line.payout_method == "cash" else "simpanan sukarela",
            message.body,
        )
        self.assertEqual(self.dist.wa_slip_count, len(slips))
        action = self.dist.action_view_wa_slips()
        self.assertEqual(self.env["kopdes.wa.message"].search(action["domain"]), slips)
        # sent through the Cloud API as the approved template with its parameters
        sent = self.env["kopdes.wa.message"]._kopdes_process_queue()
        self.assertEqual(sent, len(slips))
        accepted = self.fake.sent_to("".join(ch for ch in self.member_c.mobile if ch.isdigit()))
        self.assertEqual(len(accepted), 1)
        payload = accepted[0]
        self.assertEqual(payload["template"]["name"], "slip_shu")
        params = [p["text"] for p in payload["template"]["components"][0]["parameters"]]
        self.assertEqual(params[4], text.rupiah(line.total))
        # twice: nothing new
        again = self.dist.with_user(self.user_akuntan).action_send_slips_whatsapp()
        self.assertEqual(self.slips(), slips)
        self.assertIn("already notified", again["params"]["message"])

    def test_roles_and_unapproved_template(self):
        self.post()
        with self.assertRaises(AccessError):
            self.dist.with_user(self.user_petugas).action_send_slips_whatsapp()
        self.assertFalse(self.slips())
        self.slip_template.write({"status": "rejected"})
        result = self.dist.with_user(self.user_pengurus).action_send_slips_whatsapp()
        self.assertFalse(self.slips())
        self.assertIn("template slip_shu not approved", result["params"]["message"])
