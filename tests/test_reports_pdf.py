"""The PDFs staff print, rendered for real by wkhtmltopdf (installed by the test command):
member card, passbook, savings receipt, repayment schedule and loan statement of the demo
cooperative."""

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
        self.assertGreaterEqual(pages, 1)
        self.assertIn(self.member.name, text)
        transaction = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", account.id), ("state", "=", "posted")], limit=1
        )
        pages, text = self._pdf_text(
            "kopdes_savings.action_report_kopdes_savings_receipt", transaction
        )
        self.assertIn(transaction.name, text)

    def test_loan_schedule_and_statement(self):
        loan = self.env["kopdes.loan"].search(
            [("company_id", "=", self.company.id), ("state", "=", "active")], limit=1
        )
        pages, text = self._pdf_text("kopdes_financing.action_report_kopdes_loan_schedule", loan)
        self.assertGreaterEqual(pages, 1)
        self.assertIn(loan.name, text)
        pages, text = self._pdf_text("kopdes_financing.action_report_kopdes_loan_statement", loan)
        self.assertIn(loan.name, text)
