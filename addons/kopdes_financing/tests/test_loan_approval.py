from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import KopdesFinancingCommon

SCHEDULE_FIELDS = ("sequence", "due_date", "principal", "interest", "total")


@tagged("post_install", "-at_install")
class TestLoanFourEyes(KopdesFinancingCommon):
    """Maker-checker on loans: who prepared or submitted an application does not approve it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        # a Pengurus who also works as loan officer (Pengurus implies the officer group)
        cls.user_chair = new_test_user(
            cls.env, login="fin_chair", groups="kopdes_members.group_kopdes_manager", **common
        )

    def record(self, user, **vals):
        return (
            self.env["kopdes.loan"]
            .with_user(user)
            .create(
                {
                    "member_id": self.member_a.id,
                    "product_id": self.flat.id,
                    "amount": 1_200_000,
                    "term": 12,
                    "application_date": date(2025, 1, 10),
                    **vals,
                }
            )
            .with_user(self.env.user)
        )

    def test_who_recorded_it_cannot_approve_it(self):
        self.assertTrue(self.company.kopdes_four_eyes)
        loan = self.record(self.user_chair)
        self.assertEqual(loan.prepared_by_id, self.user_chair)
        loan.with_user(self.user_chair).action_submit()
        self.assertEqual(loan.submitted_by_id, self.user_chair)
        with (
            self.assertNothingChanged(),
            self.assertRaisesMessage(UserError, "another committee member"),
        ):
            loan.with_user(self.user_chair).action_approve("Saya kenal anggotanya")
        self.assertEqual(loan.state, "submitted")
        self.assertFalse(loan.approved_by_id)
        loan.with_user(self.user_pengurus).action_approve("Usaha lancar")
        self.assertEqual(loan.state, "approved")
        # the approval record says who prepared and who approved
        self.assertEqual(loan.prepared_by_id, self.user_chair)
        self.assertEqual(loan.submitted_by_id, self.user_chair)
        self.assertEqual(loan.approved_by_id, self.user_pengurus)

    def test_manager_who_recorded_it_cannot_approve_after_an_officer_submits(self):
        loan = self.record(self.user_pengurus)
        loan.with_user(self.user_officer).action_submit()
        with (
            self.assertNothingChanged(),
            self.assertRaisesMessage(UserError, "four eyes"),
        ):
            loan.with_user(self.user_pengurus).action_approve("ok")
        loan.with_user(self.user_chair).action_approve("Disetujui ketua")
        self.assertEqual(loan.approved_by_id, self.user_chair)

    def test_manager_who_submitted_on_behalf_cannot_approve(self):
        loan = self.record(self.user_officer)
        self.assertEqual(loan.prepared_by_id, self.user_officer)
        loan.with_user(self.user_pengurus).action_submit()
        self.assertEqual(loan.submitted_by_id, self.user_pengurus)
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "four eyes"):
            loan.with_user(self.user_pengurus).action_approve("ok")
        loan.with_user(self.user_chair).action_approve("ok")
        self.assertEqual(loan.state, "approved")

    def test_wizard_warns_and_refuses(self):
        loan = self.record(self.user_chair)
        loan.with_user(self.user_chair).action_submit()
        action = loan.with_user(self.user_chair).action_open_approve_wizard()
        Wizard = self.env["kopdes.loan.approve.wizard"].with_user(self.user_chair)
        wizard = Wizard.with_context(**action["context"]).create({"reason": "ok"})
        self.assertTrue(wizard.own_application)
        self.assertEqual(wizard.prepared_by_id, self.user_chair)
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "four eyes"):
            wizard.action_confirm()
        other = (
            self.env["kopdes.loan.approve.wizard"]
            .with_user(self.user_pengurus)
            .with_context(**action["context"])
            .create({"reason": "ok"})
        )
        self.assertFalse(other.own_application)
        other.action_confirm()
        self.assertEqual(loan.state, "approved")

    def test_setting_off_allows_approving_own_application(self):
        self.company.kopdes_four_eyes = False
        loan = self.record(self.user_chair)
        loan.with_user(self.user_chair).action_submit()
        loan.with_user(self.user_chair).action_approve("Koperasi kecil, satu pengurus")
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.prepared_by_id, self.user_chair)
        self.assertEqual(loan.approved_by_id, self.user_chair)

    def test_preparer_cannot_be_forged_and_copy_is_prepared_by_the_copier(self):
        with self.assertRaisesMessage(UserError, "starts as an application"):
            self.record(self.user_chair, prepared_by_id=self.user_pengurus.id)
        with self.assertRaises(UserError):
            self.record(self.user_chair).with_user(self.user_chair).write(
                {"prepared_by_id": self.user_pengurus.id}
            )
        loan = self.record(self.user_pengurus)
        copy = loan.with_user(self.user_chair).copy()
        self.assertEqual(copy.prepared_by_id, self.user_chair)
        copy.with_user(self.user_chair).action_submit()
        with self.assertRaisesMessage(UserError, "four eyes"):
            copy.with_user(self.user_chair).action_approve("ok")

    def test_back_to_application_forgets_the_submitter(self):
        loan = self.record(self.user_officer)
        loan.with_user(self.user_pengurus).action_submit()
        loan.with_user(self.user_chair).action_reject("Belum lengkap")
        loan.with_user(self.user_officer).action_reset_to_draft()
        self.assertFalse(loan.submitted_by_id)
        loan.with_user(self.user_officer).action_submit()
        loan.with_user(self.user_pengurus).action_approve("Sekarang lengkap")
        self.assertEqual(loan.approved_by_id, self.user_pengurus)


@tagged("post_install", "-at_install")
class TestLoanSchedulePreview(KopdesFinancingCommon):
    """The form shows the installment and the schedule while the application is typed."""

    def schedule(self, lines):
        return [tuple(line[name] for name in SCHEDULE_FIELDS) for line in lines]

    def test_preview_before_saving_equals_saved_schedule(self):
        form = Form(self.env["kopdes.loan"].with_user(self.user_officer))
        form.member_id = self.member_a
        self.assertEqual(len(form.current_line_ids), 0)
        form.product_id = self.effective
        form.amount = 2_400_000
        form.term = 6
        form.application_date = date(2025, 1, 31)
        self.assertEqual(len(form.current_line_ids), 6)
        preview = [
            tuple(form.current_line_ids._records[index][name] for name in SCHEDULE_FIELDS)
            for index in range(6)
        ]
        # declining balance, 18 % a year: 400,000 principal and 36,000 interest first
        self.assertEqual(form.installment_amount, 436_000)
        self.assertEqual(preview[0][1:], (date(2025, 2, 28), 400_000, 36_000, 436_000))
        form.term = 4
        self.assertEqual(len(form.current_line_ids), 4)
        self.assertEqual(form.installment_amount, 636_000)
        form.term = 6
        preview_again = [
            tuple(form.current_line_ids._records[index][name] for name in SCHEDULE_FIELDS)
            for index in range(6)
        ]
        self.assertEqual(preview_again, preview)
        loan = form.save()
        self.assertEqual(self.schedule(loan.current_line_ids.sorted("sequence")), preview)
        self.assertEqual(len(loan.line_ids), 6)
        self.assertEqual(loan.installment_amount, 436_000)
        self.assertEqual(loan.prepared_by_id, self.user_officer)

    def test_preview_follows_grace_rate_and_first_due_while_editing(self):
        loan = self.make_loan(amount=1_200_000, term=12, day=date(2025, 1, 10))
        form = Form(loan.with_user(self.user_officer))
        form.grace_periods = 2
        form.annual_rate = 24.0
        form.first_due_date = date(2025, 3, 5)
        lines = [form.current_line_ids._records[index] for index in range(12)]
        self.assertEqual(lines[0]["due_date"], date(2025, 3, 5))
        self.assertEqual(lines[0]["principal"], 0)
        self.assertEqual(lines[0]["interest"], 24_000)
        self.assertEqual(lines[2]["principal"], 120_000)
        preview = [tuple(line[name] for name in SCHEDULE_FIELDS) for line in lines]
        form.save()
        self.assertEqual(self.schedule(loan.current_line_ids.sorted("sequence")), preview)
        self.assertEqual(len(loan.line_ids), 12)

    def test_no_preview_without_terms_or_with_refused_terms(self):
        form = Form(self.env["kopdes.loan"].with_user(self.user_officer))
        form.member_id = self.member_a
        form.product_id = self.flat
        form.amount = 1_200_000
        self.assertEqual(len(form.current_line_ids), 12)
        form.grace_periods = 12
        # the schedule refuses as many grace installments as installments: no rows yet,
        # submitting says why
        self.assertEqual(len(form.current_line_ids), 0)
        self.assertEqual(form.installment_amount, 0)
