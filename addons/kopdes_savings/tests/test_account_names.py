"""Savings accounts are named after the member number in every path that opens them."""

from odoo.tests import Form, tagged

from odoo.addons.kopdes_members.tests.common import make_nik

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestAccountNames(KopdesSavingsCommon):
    def _account_names(self, member):
        accounts = self.env["kopdes.savings.account"].search([("member_id", "=", member.id)])
        return sorted(accounts.mapped("name"))

    def test_applicant_approved_in_the_ui(self):
        """A teller registers an applicant, a manager presses Approve on the form."""
        Member = self.env["kopdes.member"].with_user(self.user_petugas)
        with Form(Member) as form:
            form.name = "Pendaftar Baru"
            form.nik = make_nik(9113)
            form.mobile = "081399990013"
            form.village = "Sokoduwet"
        applicant = form.record
        self.assertEqual(applicant.state, "applicant")
        self.assertFalse(self._account_names(applicant))
        applicant.with_user(self.user_pengurus).action_approve()
        self.assertEqual(applicant.state, "active")
        number = applicant.member_number
        self.assertTrue(number)
        self.assertEqual(
            self._account_names(applicant),
            sorted([f"{self.pokok.code}-{number}", f"{self.wajib.code}-{number}"]),
        )

    def test_member_created_active(self):
        member = self._create_member(9103, "Anggota Tiga")
        number = member.member_number
        self.assertEqual(
            self._account_names(member),
            sorted([f"{self.pokok.code}-{number}", f"{self.wajib.code}-{number}"]),
        )
        sukarela = member._kopdes_savings_account("sukarela", create=True)
        self.assertEqual(sukarela.name, f"{self.sukarela.code}-{number}")
