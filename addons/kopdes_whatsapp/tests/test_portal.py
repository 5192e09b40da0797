"""The member portal: a portal tour through savings, loans and consents, the record rules
that keep a portal user to their own data, the PDFs, and the one self-service layer the
portal and the chatbot share."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_chatbot import KopdesChatbotPortalCommon
from .test_chatbot import ChatbotTests


@tagged("post_install", "-at_install")
class TestChatbotAndPortal(ChatbotTests, KopdesChatbotPortalCommon):
    def test_portal_tour(self):
        self.start_tour("/my", "kopdes_whatsapp_portal_tour", login=self.portal_user.login)
        consents = self.env["kopdes.consent"].search(
            [("member_id", "=", self.owner.id), ("channel", "=", "portal")]
        )
        self.assertEqual(
            sorted(consents.mapped(lambda c: (c.purpose, c.action))),
            [("whatsapp_promotion", "granted"), ("whatsapp_service", "withdrawn")],
        )
        self.assertTrue(self.owner.consent_whatsapp_promotion)
        self.assertFalse(self.owner.consent_whatsapp_service)
        self.assertEqual(consents.recorded_by_id, self.portal_user)
        subjects = set(
            self.env["kopdes.member.disclosure"]
            .search([("member_id", "=", self.owner.id), ("channel", "=", "portal")])
            .mapped("subject")
        )
        self.assertTrue({"balance", "transactions", "loan_remaining", "installment"} <= subjects)

    def test_portal_user_sees_only_their_own(self):
        env = self.env(user=self.portal_user)
        for model in (
            "kopdes.savings.account",
            "kopdes.savings.transaction",
            "kopdes.loan",
            "kopdes.loan.line",
            "kopdes.consent",
            "kopdes.member",
        ):
            records = env[model].search([])
            self.assertTrue(records, model)
            members = records.mapped("member_id") if model != "kopdes.member" else records
            self.assertEqual(members, self.owner.with_env(env), model)
        other = self.env["kopdes.savings.account"].search(
            [("member_id", "=", self.unverified.id)], limit=1
        )
        with self.assertRaises(AccessError):
            other.with_env(env).read(["balance"])
        with self.assertRaises(AccessError):
            env["kopdes.consent"].create({"member_id": self.owner.id, "purpose": "bank_sharing"})

    def test_pages_and_pdfs_of_others_are_not_found(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        other_account = self.env["kopdes.savings.account"].search(
            [("member_id", "=", self.unverified.id)], limit=1
        )
        own_account = self.env["kopdes.savings.account"].search(
            [("member_id", "=", self.owner.id)], limit=1
        )
        self.assertEqual(self.url_open(f"/my/kopdes/savings/{other_account.id}").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/kopdes/savings/{other_account.id}/passbook").status_code, 404
        )
        self.assertEqual(self.url_open(f"/my/kopdes/loans/{self.loan.id}/nothing").status_code, 404)
        response = self.url_open(f"/my/kopdes/loans/{self.loan.id}/statement")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # (the test mode renders the report as HTML instead of calling wkhtmltopdf)
        self.assertIn(self.loan.name, response.text)
        response = self.url_open(f"/my/kopdes/savings/{own_account.id}/passbook")
        self.assertEqual(response.status_code, 200)
        self.assertIn(own_account.name, response.text)
        # a bad consent change is refused with a message and records nothing
        before = self.env["kopdes.consent"].search_count([])
        response = self.url_open(
            "/my/kopdes/consents/no_such_purpose/granted",
            data={"csrf_token": self.csrf_token()} if hasattr(self, "csrf_token") else {},
        )
        self.assertEqual(self.env["kopdes.consent"].search_count([]), before)

    def test_portal_and_chatbot_never_disagree(self):
        """Both read kopdes.member.self.service: the portal page shows exactly the figures
        the chatbot tells."""
        self.authenticate(self.portal_user.login, self.portal_user.login)
        # each in its reader's language: the chatbot's, and the portal user's on the page
        service = self.env["kopdes.member.self.service"]
        chat = service.with_env(self.chat_env())
        portal = service.with_context(lang=self.portal_user.lang)

        def on_page(text, page):
            return text.replace("\xa0", "&nbsp;") in page.replace("\xa0", "&nbsp;")

        page = self.url_open("/my/kopdes/savings").text
        reply = self.chat(self.wa(self.owner), "saldo")
        told = chat._kopdes_savings(self.owner)
        shown = portal._kopdes_savings(self.owner)
        self.assertEqual(len(told), 3)
        for item, mirror in zip(told, shown, strict=True):
            self.assertEqual(item["balance"], mirror["balance"])
            self.assertIn(item["balance_text"], reply)
            self.assertTrue(on_page(mirror["balance_text"], page), mirror["balance_text"])
            self.assertIn(item["number"], page)
        page = self.url_open("/my/kopdes/loans").text
        reply = self.chat(self.wa(self.owner), "sisa utang")
        told = chat._kopdes_loans(self.owner)
        shown = portal._kopdes_loans(self.owner)
        self.assertTrue(told)
        for item, mirror in zip(told, shown, strict=True):
            self.assertEqual(item["principal_residual"], mirror["principal_residual"])
            self.assertIn(item["principal_residual_text"], reply)
            self.assertTrue(
                on_page(mirror["principal_residual_text"], page), mirror["principal_residual_text"]
            )

    def test_member_without_portal_membership_sees_no_pages(self):
        stranger = self.env["res.users"].create(
            {
                "name": "Bukan Anggota",
                "login": "bukan_anggota",
                "password": "bukan_anggota",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate(stranger.login, "bukan_anggota")
        self.assertEqual(self.url_open("/my/kopdes/savings").status_code, 404)
        self.assertEqual(self.url_open("/my/kopdes/consents").status_code, 404)
