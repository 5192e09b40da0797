"""The PDFs staff print, rendered for real by wkhtmltopdf (installed by the test command):
member card, passbook, savings receipt, repayment schedule, loan statement, loan receipt
and aging list of the demo cooperative.

Every document carries the cooperative's letterhead (name, address) in the page itself, so
it shows with Debian's unpatched wkhtmltopdf (which ignores header/footer HTML) as well as
with the patched one of the Docker image."""

import io

from PyPDF2 import PdfReader

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestPdfReports(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("kopdes_members.demo_company_sokoduwet")
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=cls.company.ids,
                force_report_rendering=True,
                discard_logo_check=True,
            )
        )
        cls.member = cls.env.ref("kopdes_members.member_01")
        cls.loan = cls.env["kopdes.loan"].search(
            [("company_id", "=", cls.company.id), ("state", "=", "active")], limit=1
        )

    def assertLetterhead(self, text):
        """The cooperative's name and address are printed on the document."""
        self.assertIn(self.company.name, text)
        self.assertIn(self.company.street, text)
        self.assertIn(self.company.city, text)

    def _pdf_text(self, report_ref, records):
        pdf, kind = self.env["ir.actions.report"]._render_qweb_pdf(report_ref, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(page.extract_text() for page in reader.pages)
        return len(reader.pages), " ".join(text.split())

    def test_member_cards(self):
        members = self.env["kopdes.member"].search(
            [("company_id", "=", self.company.id), ("state", "=", "active")], limit=3
        )
        pages, text = self._pdf_text("kopdes_members.action_report_kopdes_member_card", members)
        self.assertEqual(pages, 3)
        for member in members:
            self.assertIn(member.member_number, text)
            self.assertIn(member.name, text)

    def test_passbook_and_receipt(self):
        account = self.member._kopdes_savings_account("wajib")
        pages, text = self._pdf_text(
            "kopdes_savings.action_report_kopdes_savings_passbook", account
        )
        # a short history fits on one page: no blank header band, no page with only a footer
        self.assertEqual(pages, 1)
        self.assertIn(self.member.name, text)
        self.assertLetterhead(text)
        self.assertEqual(text.count(account.product_id.name), 1, text)
        transaction = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", account.id), ("state", "=", "posted")], limit=1
        )
        pages, text = self._pdf_text(
            "kopdes_savings.action_report_kopdes_savings_receipt", transaction
        )
        self.assertIn(transaction.name, text)
        self.assertIn(self.company.name, text)

    def test_loan_schedule_and_statement(self):
        loan = self.loan
        pages, text = self._pdf_text("kopdes_financing.action_report_kopdes_loan_schedule", loan)
        self.assertGreaterEqual(pages, 1)
        self.assertIn(loan.name, text)
        self.assertLetterhead(text)
        pages, text = self._pdf_text("kopdes_financing.action_report_kopdes_loan_statement", loan)
        self.assertIn(loan.name, text)
        self.assertLetterhead(text)

    def test_passbook_in_indonesian(self):
        """The title does not repeat itself: not "Buku Simpanan Simpanan Sukarela"."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["kopdes_members", "kopdes_savings"], ["id_ID"]
        )
        self.member.partner_id.lang = "id_ID"
        account = self.member._kopdes_savings_account("sukarela")
        pages, text = self._pdf_text(
            "kopdes_savings.action_report_kopdes_savings_passbook", account
        )
        self.assertIn("Buku Simpanan", text)
        self.assertIn("Nomor Rekening", text)
        self.assertNotIn("Simpanan Simpanan", text)
        self.assertLetterhead(text)

    def test_loan_receipt_and_aging_list(self):
        payment = self.loan.payment_ids[:1]
        self.assertTrue(payment)
        pages, text = self._pdf_text("kopdes_financing.action_report_kopdes_loan_receipt", payment)
        self.assertEqual(pages, 1)
        self.assertIn(payment.name, text)
        self.assertLetterhead(text)
        rows = self.env["kopdes.loan.aging.report"].search([("company_id", "=", self.company.id)])
        self.assertTrue(rows)
        pages, text = self._pdf_text("kopdes_financing.action_report_kopdes_loan_aging", rows)
        self.assertIn(rows[0].loan_id.name, text)
        self.assertLetterhead(text)

    def test_demo_cooperative_has_its_document_layout(self):
        """The first print as admin opens the document, not Odoo's layout wizard."""
        self.assertTrue(self.company.external_report_layout_id)
        self.assertTrue(self.company.logo)
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, self.company)
        report = self.env.ref("kopdes_financing.action_report_kopdes_loan_schedule")
        env = self.env(user=admin, context={"allowed_company_ids": self.company.ids})
        action = report.with_env(env).report_action(self.loan.with_env(env))
        self.assertEqual(action["type"], "ir.actions.report")
