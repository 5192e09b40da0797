from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

from .common import NIK_MAN_1985, NIK_MAN_2000, NIK_WOMAN_1990, KopdesMembersCommon, make_nik


@tagged("post_install", "-at_install")
class TestMemberRegistration(KopdesMembersCommon):
    def test_create_fills_birth_data_from_nik(self):
        member = self._create_member(1, nik=NIK_WOMAN_1990)
        self.assertEqual(member.gender, "female")
        self.assertEqual(member.birth_date, date(1990, 3, 5))
        self.assertEqual(member.state, "applicant")
        self.assertFalse(member.member_number)
        self.assertEqual(member.partner_id.company_id, self.company)

    def test_leap_day_nik(self):
        member = self._create_member(2, nik=NIK_MAN_2000)
        self.assertEqual(member.birth_date, date(2000, 2, 29))

    def test_nik_separators_are_removed(self):
        member = self._create_member(3, nik="3375 0417 0885 0001")
        self.assertEqual(member.nik, NIK_MAN_1985)

    def test_invalid_niks_are_refused_with_clear_message(self):
        cases = {
            "12345": "16",
            "337504170885000X": "digits",
            "9975041708850001": "region",
            "3375040008850001": "day of birth",
            "3375041713850001": "month of birth",
            "3375043102850001": "does not exist",
            "3375041708850000": "0000",
        }
        for nik, fragment in cases.items():
            with self.subTest(nik=nik), self.assertRaises(ValidationError) as caught:
                self._create_member(10, nik=nik)
            self.assertIn(fragment, str(caught.exception))
        self.assertFalse(self.Member.search([("company_id", "=", self.company.id)]))

    def test_nik_contradicting_birth_date_or_gender(self):
        with self.assertRaisesMessage(ValidationError, "17-08-85"):
            self._create_member(11, nik=NIK_MAN_1985, birth_date=date(1985, 8, 18))
        with self.assertRaisesMessage(ValidationError, "woman"):
            self._create_member(12, nik=NIK_MAN_1985, gender="female")
        with self.assertRaises(ValidationError):  # wrong century
            self._create_member(13, nik=NIK_MAN_1985, birth_date=date(1986, 8, 17))
        member = self._create_member(14, nik=NIK_MAN_1985, birth_date=date(1985, 8, 17))
        with self.assertRaises(ValidationError):
            member.birth_date = date(1984, 8, 17)

    def test_one_nik_per_cooperative(self):
        first = self._create_member(20, nik=NIK_MAN_1985)
        with self.assertRaisesMessage(ValidationError, "already registered"):
            self._create_member(21, nik=NIK_MAN_1985, mobile="081399990000")
        with self.assertRaisesMessage(ValidationError, "twice"):
            self.Member.create([self._member_vals(23), self._member_vals(24, nik=make_nik(23))])
        second = self._create_member(25)
        with self.assertRaisesMessage(ValidationError, first.name):
            second.nik = NIK_MAN_1985
        first.action_archive()  # archived members keep their NIK
        with self.assertRaisesMessage(ValidationError, "already registered"):
            self._create_member(26, nik=NIK_MAN_1985)
        # the same person may be a member of another cooperative
        other = self.env["kopdes.member"].create(
            self._member_vals(22, nik=NIK_MAN_1985, company_id=self.other_company.id)
        )
        self.assertEqual(other.nik, NIK_MAN_1985)

    def test_phone_forms_normalised(self):
        forms = ["081234567001", "81234567002", "6281234567003", "+62 812-3456-7004"]
        expected = ["+6281234567001", "+6281234567002", "+6281234567003", "+6281234567004"]
        members = self.Member.create(
            [self._member_vals(30 + i, mobile=raw) for i, raw in enumerate(forms)]
        )
        self.assertEqual(members.mapped("mobile"), expected)
        members[0].write({"phone": "0285 421234"})
        self.assertEqual(members[0].phone, "+62285421234")

    def test_invalid_phone_refused(self):
        with self.assertRaisesMessage(ValidationError, "12345"):
            self._create_member(40, mobile="12345")
        member = self._create_member(41)
        with self.assertRaises(ValidationError):
            member.write({"mobile": "0812"})
        self.assertEqual(member.mobile, "+6281200000041")

    def test_every_problem_reported_at_once(self):
        """A form with several mistakes names all of them, not only the first."""
        count = self.Member.search_count([])
        with self.assertRaises(ValidationError) as caught:
            self._create_member(42, mobile="12345", kk_number="123", rt="12a")
        message = str(caught.exception)
        self.assertIn("12345", message)
        self.assertIn("(KK)", message)
        self.assertIn("RT and RW", message)
        with self.assertRaises(ValidationError) as caught:
            self._create_member(43, nik="9975041708850001", kk_number="123")
        self.assertIn("region", str(caught.exception))
        self.assertIn("(KK)", str(caught.exception))
        self.assertEqual(self.Member.search_count([]), count)
        member = self._create_member(44)
        with self.assertRaises(ValidationError) as caught:
            member.write({"mobile": "0812", "rw": "1a"})
        self.assertIn("0812", str(caught.exception))
        self.assertIn("RT and RW", str(caught.exception))
        self.assertEqual((member.mobile, member.rw), ("+6281200000044", False))

    def test_duplicate_phone_warning(self):
        first = self._create_member(50, mobile="081355550000")
        second = self._create_member(51, mobile="0813-5555-0000")
        self.assertEqual(second.duplicate_phone_member_ids, first)
        self.assertEqual(first.duplicate_phone_member_ids, second)
        third = self._create_member(52)
        self.assertFalse(third.duplicate_phone_member_ids)
        form = Form(self.Member)
        form.name = "Calon Anggota"
        form.nik = make_nik(53)
        form.mobile = "081355550000"
        self.assertEqual(form.mobile, "+6281355550000")
        self.assertEqual(form.duplicate_phone_member_ids[:], first | second)

    def test_form_onchange_nik(self):
        form = Form(self.Member)
        form.name = "Sri Rejeki"
        form.nik = "3375 0445 0390 0002"
        self.assertEqual(form.gender, "female")
        self.assertEqual(form.birth_date, date(1990, 3, 5))
        member = form.save()
        self.assertEqual(member.nik, NIK_WOMAN_1990)
        self.assertEqual(member.state, "applicant")

    def test_kk_rt_rw(self):
        member = self._create_member(60, kk_number="3375041234567890", rt="3", rw="12")
        self.assertEqual((member.rt, member.rw), ("003", "012"))
        with self.assertRaises(ValidationError):
            member.kk_number = "12345"
        with self.assertRaises(ValidationError):
            member.rt = "A1"


@tagged("post_install", "-at_install")
class TestMemberLifecycle(KopdesMembersCommon):
    def test_approval_by_manager(self):
        member = self._create_member(100)
        member.with_user(self.user_pengurus).action_approve()
        self.assertEqual(member.state, "active")
        self.assertTrue(member.member_number.startswith("AGT-"))
        self.assertEqual(member.approved_by_id, self.user_pengurus)
        self.assertEqual(member.join_date, kopdes_today(self.env))
        partner = member.partner_id.with_company(self.company)
        self.assertEqual(partner.barcode, member.member_number)
        self.assertEqual(
            partner.property_product_pricelist, self.company.kopdes_member_pricelist_id
        )
        self.assertIn("approved", member.message_ids[0].body)
        with self.assertRaisesMessage(UserError, "applicants"):
            member.with_user(self.user_pengurus).action_approve()

    def test_member_numbers_per_company(self):
        here = self._create_member(101)
        there = self.env["kopdes.member"].create(
            self._member_vals(102, company_id=self.other_company.id)
        )
        (here | there).action_approve()
        self.assertEqual(here.member_number, "AGT-00001")
        self.assertEqual(there.member_number, "AGT-00001")
        self.assertNotEqual(
            self.company.kopdes_member_sequence_id, self.other_company.kopdes_member_sequence_id
        )

    def test_numbers_reserved_in_one_step_and_continue(self):
        applicants = self.Member.create([self._member_vals(n) for n in (111, 112, 113)])
        applicants.action_approve()
        self.assertEqual(
            applicants.mapped("member_number"), ["AGT-00001", "AGT-00002", "AGT-00003"]
        )
        later = self._create_member(114, state="active")
        self.assertEqual(later.member_number, "AGT-00004")
        self.assertEqual(self.company.kopdes_member_sequence_id.number_next_actual, 5)
        partners = (applicants | later).partner_id.with_company(self.company)
        self.assertEqual(partners.mapped("barcode"), [f"AGT-0000{n}" for n in range(1, 5)])

    def test_staff_cannot_approve(self):
        member = self._create_member(103)
        for user in (self.user_petugas, self.user_loan_officer, self.user_akuntan):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                member.with_user(user).action_approve()
        self.assertEqual(member.state, "applicant")

    def test_status_changes_with_reason(self):
        member = self._create_member(104)
        member.action_approve()
        pricelist = self.company.kopdes_member_pricelist_id
        wizard = (
            self.env["kopdes.member.state.wizard"]
            .with_user(self.user_pengurus)
            .create(
                {
                    "member_ids": [(6, 0, member.ids)],
                    "new_state": "suspended",
                    "change_date": "2026-11-15",
                    "reason": "Menunggak simpanan wajib enam bulan",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(member.state, "suspended")
        self.assertEqual(member.state_date, date(2026, 11, 15))
        self.assertEqual(member.state_reason, "Menunggak simpanan wajib enam bulan")
        self.assertIn("Menunggak simpanan wajib enam bulan", member.message_ids[0].body)
        # the date in the user's format (English here: month/day/year)
        self.assertIn("11/15/2026", member.message_ids[0].body)
        partner = member.partner_id.with_company(self.company)
        self.assertNotEqual(partner.property_product_pricelist, pricelist)
        self.assertFalse(partner.specific_property_product_pricelist)
        self.assertEqual(
            partner.property_product_pricelist, self.company._kopdes_general_pricelist()
        )

        member._kopdes_change_state("active", date(2026, 11, 20), "Tunggakan lunas")
        self.assertEqual(partner.property_product_pricelist, pricelist)
        member._kopdes_change_state("resigned", date(2026, 11, 30), "Pindah ke Batang")
        self.assertEqual(member.state, "resigned")
        with self.assertRaisesMessage(UserError, "cannot become"):
            member._kopdes_change_state("active", date(2026, 11, 30), "Kembali")
        with self.assertRaisesMessage(UserError, "cannot become"):
            self._create_member(105)._kopdes_change_state("deceased", date(2026, 11, 30), "x")

    def test_wizard_refused_for_staff_and_future_dates(self):
        member = self._create_member(106)
        member.action_approve()
        with self.assertRaises(AccessError):
            self.env["kopdes.member.state.wizard"].with_user(self.user_petugas).create(
                {"member_ids": [(6, 0, member.ids)], "new_state": "suspended", "reason": "x"}
            )
        with self.assertRaisesMessage(UserError, "future"):
            self.env["kopdes.member.state.wizard"].create(
                {
                    "member_ids": [(6, 0, member.ids)],
                    "new_state": "suspended",
                    "reason": "x",
                    "change_date": "2999-01-01",
                }
            )
        self.assertEqual(member.state, "active")

    def test_state_cannot_be_written_directly(self):
        member = self._create_member(107)
        with self.assertRaisesMessage(UserError, "buttons"):
            member.write({"state": "active"})
        self.assertEqual(member.state, "applicant")

    def test_deletion(self):
        applicant = self._create_member(108)
        applicant.with_user(self.user_pengurus).unlink()
        self.assertFalse(applicant.exists())
        member = self._create_member(109)
        member.action_approve()
        with self.assertRaisesMessage(UserError, "archive"):
            member.unlink()
        member.action_archive()
        self.assertFalse(member.active)
        with self.assertRaises(AccessError):
            self._create_member(110).with_user(self.user_petugas).unlink()


@tagged("post_install", "-at_install")
class TestMemberRoles(KopdesMembersCommon):
    def test_petugas_registers_members(self):
        member = (
            self.env["kopdes.member"].with_user(self.user_petugas).create(self._member_vals(200))
        )
        member.write({"village": "Yosorejo"})
        self.assertEqual(member.village, "Yosorejo")

    def test_akuntan_reads_only(self):
        member = self._create_member(201)
        self.assertEqual(member.with_user(self.user_akuntan).name, "Anggota Uji 201")
        with self.assertRaises(AccessError):
            member.with_user(self.user_akuntan).write({"village": "Jenggot"})
        with self.assertRaises(AccessError):
            self.env["kopdes.member"].with_user(self.user_akuntan).create(self._member_vals(202))

    def test_business_types_configured_by_manager(self):
        BusinessType = self.env["kopdes.business.type"]
        with self.assertRaises(AccessError):
            BusinessType.with_user(self.user_petugas).create({"name": "Bengkel"})
        business_type = BusinessType.with_user(self.user_pengurus).create({"name": "Bengkel"})
        self._create_member(203, business_type_id=business_type.id)
        self.assertEqual(business_type.member_count, 1)


@tagged("post_install", "-at_install")
class TestMultiCompany(KopdesMembersCommon):
    def test_other_company_sees_no_member(self):
        member = self._create_member(300)
        member.action_approve()
        self.env["kopdes.consent"].create({"member_id": member.id, "purpose": "credit_scoring"})
        Member = self.env["kopdes.member"].with_user(self.user_other_company)
        self.assertFalse(Member.search([]))
        self.assertFalse(Member.search_count([("nik", "=", member.nik)]))
        self.assertFalse(self.env["kopdes.consent"].with_user(self.user_other_company).search([]))
        with self.assertRaises(AccessError):
            member.with_user(self.user_other_company).read(["name"])
        with self.assertRaises(AccessError):
            member.with_user(self.user_other_company).write({"village": "x"})
        # the contact made for the membership is not visible to the other cooperative
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.user_other_company)
            .search([("id", "=", member.partner_id.id)])
        )
        # and the owner company sees it
        self.assertEqual(self.env["kopdes.member"].with_user(self.user_pengurus).search([]), member)

    def test_business_type_of_other_company_refused(self):
        other_type = self.env["kopdes.business.type"].create(
            {"name": "Tambak", "company_id": self.other_company.id}
        )
        with self.assertRaises(UserError):
            self._create_member(301, business_type_id=other_type.id)


@tagged("post_install", "-at_install")
class TestIndonesianMessages(KopdesMembersCommon):
    def test_staff_read_errors_in_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["kopdes_members"], ["id_ID"])
        self.user_petugas.lang = "id_ID"
        Member = self.env["kopdes.member"].with_user(self.user_petugas)
        with self.assertRaisesMessage(ValidationError, "bulan lahir 13 yang tidak mungkin"):
            Member.create(self._member_vals(700, nik="3375041713850001"))
        with self.assertRaisesMessage(ValidationError, "tidak valid. Tulis sebagai 0812"):
            Member.create(self._member_vals(701, mobile="12345"))
        member = Member.create(self._member_vals(702))
        with self.assertRaisesMessage(AccessError, "Hanya pengurus"):
            member.action_approve()
        labels = Member.with_context(lang="id_ID").fields_get(["state", "village"])
        self.assertEqual(labels["village"]["string"], "Desa/Kelurahan")
        self.assertIn(("applicant", "Pendaftar"), labels["state"]["selection"])

    def test_setup_names_follow_the_languages(self):
        # created before Indonesian is loaded: translated when its terms are loaded
        pricelist = self.company.kopdes_member_pricelist_id
        self.assertEqual(pricelist.with_context(lang="en_US").name, "Member Prices")
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["kopdes_members"], ["id_ID"])
        self.assertEqual(pricelist.with_context(lang="id_ID").name, "Harga Anggota")
        # created while Indonesian is active
        company = self.env["res.company"].create({"name": "KKMP Test Jenggot"})
        self.assertEqual(
            company.kopdes_member_pricelist_id.with_context(lang="id_ID").name, "Harga Anggota"
        )
        # a pricelist the cooperative renamed is left alone
        pricelist.with_context(lang="en_US").name = "Harga Khusus Anggota"
        self.env["ir.module.module"]._load_module_terms(["kopdes_members"], ["id_ID"])
        self.assertEqual(pricelist.with_context(lang="en_US").name, "Harga Khusus Anggota")
