from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KopdesMembersCommon


@tagged("post_install", "-at_install")
class TestMemberCard(KopdesMembersCommon):
    def test_member_card_renders(self):
        members = self._create_member(600, name="Siti Khodijah") | self._create_member(601)
        members.action_approve()
        report = self.env["ir.actions.report"]
        html, report_format = report._render_qweb_html(
            "kopdes_members.report_kopdes_member_card", members.ids
        )
        self.assertEqual(report_format, "html")
        html = html.decode()
        self.assertIn("Siti Khodijah", html)
        self.assertIn("KKMP Test Kuripan", html)
        # the QR code and the barcode are embedded images (no request back to the server)
        self.assertEqual(html.count('class="kopdes-member-qr"'), 2)
        self.assertEqual(html.count('class="kopdes-member-barcode"'), 2)
        self.assertEqual(html.count('src="data:image/png;base64,'), 4)
        for member in members:
            self.assertIn(f"Barcode {member.member_number}", html)
        self.assertEqual(html.count('class="page kopdes-member-card"'), 2)
        # one card a page: a page break after every card but the last
        self.assertEqual(html.count("page-break-after: always"), 1)

    def test_card_barcodes_are_images(self):
        member = self._create_member(602)
        member.action_approve()
        report = self.env["ir.actions.report"]
        for kind in ("QR", "Code128"):
            png = report.barcode(kind, member.member_number, width=180, height=180)
            self.assertTrue(png.startswith(b"\x89PNG"), kind)

    def test_card_needs_member_number(self):
        with self.assertRaises(UserError):
            self._create_member(603).action_print_card()
        member = self._create_member(604)
        member.action_approve()
        action = member.action_print_card()
        self.assertEqual(action["report_name"], "kopdes_members.report_kopdes_member_card")
