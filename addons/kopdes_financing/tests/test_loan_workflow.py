from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanWorkflow(KopdesFinancingCommon):
    def test_application_to_disbursement(self):
        loan = self.make_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.assertEqual(loan.state, "draft")
        self.assertTrue(loan.name.startswith("PB/2025/"))
        # the application already shows its schedule (from the application date)
        self.assertEqual(len(loan.line_ids), 12)
        self.assertEqual(loan.installment_amount, 112_000)
        self.assertEqual(loan.admin_fee, 12_000)
        loan.with_user(self.user_officer).action_submit()
        self.assertEqual(loan.state, "submitted")
        loan.with_user(self.user_pengurus).action_approve("Usaha batik berjalan baik")
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.approved_by_id, self.user_pengurus)
        self.assertEqual(loan.approval_note, "Usaha batik berjalan baik")
        self.assertEqual(loan.approval_limit, 50_000_000)
        self.assertTrue(loan.approved_date)
        loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        self.assertEqual(loan.state, "active")
        self.assertEqual(loan.disbursement_date, date(2025, 1, 31))
        # disbursed on 31 January: due at the end of February, then on the 31st or month end
        self.assertEqual(
            loan.line_ids.sorted("sequence")[:4].mapped("due_date"),
            [date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)],
        )
        self.assertEqual(loan.maturity_date, date(2026, 1, 31))
        self.assertEqual(loan.principal_residual, 1_200_000)
        self.assertEqual(sum(loan.line_ids.mapped("principal")), 1_200_000)
        self.assertEqual(sum(loan.line_ids.mapped("interest")), 144_000)
        move = loan.disbursement_move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.kopdes_loan_id, loan)
        self.assertEqual(move.journal_id, self.cash)
        by_account = {line.account_id: line.balance for line in move.line_ids}
        self.assertEqual(by_account[self.flat.account_principal_id], 1_200_000)
        self.assertEqual(by_account[self.cash.default_account_id], -1_188_000)
        self.assertEqual(by_account[self.flat.account_fee_income_id], -12_000)
        self.assertEqual(move.line_ids.partner_id, self.member_a.partner_id)
        self.assertLedgerMatchesLoans()

    def test_admin_fee_paid_separately(self):
        loan = self.make_loan(amount=2_000_000, term=6, admin_fee_mode="separate")
        self.approve(loan)
        loan.with_user(self.user_officer).action_disburse(date(2025, 1, 10), self.cash)
        lines = loan.disbursement_move_id.line_ids
        cash = lines.filtered(lambda line: line.account_id == self.cash.default_account_id)
        self.assertEqual(sorted(cash.mapped("balance")), [-2_000_000, 20_000])
        fee = lines.filtered(lambda line: line.account_id == self.flat.account_fee_income_id)
        self.assertEqual(fee.balance, -20_000)

    def test_member_must_be_active(self):
        applicant = self._create_member(9150, "Calon Anggota", state="applicant")
        with self.assertRaisesMessage(ValidationError, "not an active member"):
            self.make_loan(member=applicant)

    def test_terms_outside_the_product_are_refused(self):
        cases = {
            "amount": (0, "greater than zero"),
            "term": (37, "between 1 and 36 installments"),
            "grace_periods": (4, "at most 3 grace installments"),
            "annual_rate": (120.0, "between 0 and 100 percent"),
        }
        for field_name, (value, message) in cases.items():
            with self.subTest(field=field_name), self.assertNothingChanged():
                with self.assertRaisesMessage(ValidationError, message):
                    self.make_loan(**{field_name: value})
        with self.assertNothingChanged(), self.assertRaisesMessage(ValidationError, "at least"):
            self.make_loan(amount=50_000)
        with self.assertNothingChanged(), self.assertRaisesMessage(ValidationError, "at most"):
            self.make_loan(amount=200_000_000)
        with self.assertNothingChanged(), self.assertRaisesMessage(ValidationError, "whole rupiah"):
            self.make_loan(amount=1_000_000.5)
        with self.assertNothingChanged(), self.assertRaises(ValidationError):
            self.make_loan(amount=-5_000_000)

    def test_disbursing_unapproved_refused(self):
        loan = self.make_loan()
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "not approved"):
            loan.with_user(self.user_officer).action_disburse(date(2025, 1, 10), self.cash)
        loan.with_user(self.user_officer).action_submit()
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "not approved"):
            loan.with_user(self.user_officer).action_disburse(date(2025, 1, 10), self.cash)

    def test_disbursement_dates_and_journal(self):
        loan = self.approve(self.make_loan(day=date(2025, 1, 10)))
        with (
            self.assertNothingChanged(),
            self.assertRaisesMessage(UserError, "before its application"),
        ):
            loan.with_user(self.user_officer).action_disburse(date(2025, 1, 9), self.cash)
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "in the future"):
            loan.with_user(self.user_officer).action_disburse(date(2999, 1, 1), self.cash)
        sale = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "sale")], limit=1
        )
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "cash or bank"):
            loan.with_user(self.user_officer).action_disburse(date(2025, 1, 10), sale)

    def test_approving_above_ones_limit_refused(self):
        loan = self.make_loan(amount=60_000_000, term=24)
        loan.with_user(self.user_officer).action_submit()
        with self.assertNothingChanged():
            with self.assertRaisesMessage(UserError, "above your approval limit"):
                loan.with_user(self.user_pengurus).action_approve("Besar tapi aman")
        # a personal limit for this product is more specific than the group's
        self.env["kopdes.loan.approval.limit"].create(
            {
                "company_id": self.company.id,
                "product_id": self.flat.id,
                "user_id": self.user_pengurus.id,
                "max_amount": 75_000_000,
            }
        )
        loan.with_user(self.user_pengurus).action_approve("Disetujui ketua dalam batasnya")
        self.assertEqual(loan.approval_limit, 75_000_000)

    def test_personal_limit_can_be_lower_than_the_group(self):
        self.env["kopdes.loan.approval.limit"].create(
            {
                "company_id": self.company.id,
                "user_id": self.user_pengurus.id,
                "max_amount": 1_000_000,
            }
        )
        loan = self.make_loan(amount=2_000_000)
        loan.with_user(self.user_officer).action_submit()
        with self.assertRaisesMessage(UserError, "above your approval limit"):
            loan.with_user(self.user_pengurus).action_approve("ok")

    def test_officer_cannot_approve_and_reason_required(self):
        loan = self.make_loan()
        loan.with_user(self.user_officer).action_submit()
        with self.assertNothingChanged(), self.assertRaises(AccessError):
            loan.with_user(self.user_officer).action_approve("saya setuju")
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "Write why"):
            loan.with_user(self.user_pengurus).action_approve("  ")

    def test_reject_and_back_to_application(self):
        loan = self.make_loan()
        loan.with_user(self.user_officer).action_submit()
        loan.with_user(self.user_pengurus).action_reject("Usaha belum jalan")
        self.assertEqual(loan.state, "rejected")
        self.assertEqual(loan.rejection_reason, "Usaha belum jalan")
        loan.with_user(self.user_officer).action_reset_to_draft()
        self.assertEqual(loan.state, "draft")

    def test_overdue_member_needs_override(self):
        first = self.active_loan(day=date(2025, 1, 31))
        self.assertTrue(first.with_context(date=date(2025, 4, 15)).member_overdue)
        second = self.make_loan(day=date(2025, 4, 15)).with_context(date=date(2025, 4, 15))
        with (
            self.assertNothingChanged(),
            self.assertRaisesMessage(UserError, "has an overdue loan"),
        ):
            second.with_user(self.user_officer).action_submit()
        with self.assertRaises(AccessError):
            second.with_user(self.user_officer).action_override_overdue("teman saya")
        second.with_user(self.user_pengurus).action_override_overdue("Gagal panen, sudah dicicil")
        self.assertEqual(second.override_by_id, self.user_pengurus)
        self.assertEqual(second.override_reason, "Gagal panen, sudah dicicil")
        self.assertTrue(second.override_date)
        second.with_user(self.user_officer).action_submit()
        if hasattr(second, "_kopdes_against_score") and second._kopdes_against_score("approve"):
            # with kopdes_scoring installed, its low grade needs the committee's reason too
            second.with_user(self.user_pengurus).action_score_override("Gagal panen, sudah dicicil")
        second.with_user(self.user_pengurus).action_approve("Dengan pengawasan")
        self.assertEqual(second.state, "approved")

    def test_member_not_overdue_with_paid_installments(self):
        loan = self.active_loan(day=date(2025, 1, 31))
        self.pay(loan, 112_000, date(2025, 2, 28))
        self.assertFalse(loan.member_id._kopdes_members_overdue(date(2025, 3, 15)))
        self.assertTrue(loan.member_id._kopdes_members_overdue(date(2025, 4, 1)))

    def test_terms_are_fixed_after_approval(self):
        loan = self.approve(self.make_loan())
        with self.assertRaisesMessage(UserError, "fixed once approved"):
            loan.with_user(self.user_officer).write({"amount": 2_000_000})

    def test_disbursed_loan_is_never_deleted(self):
        loan = self.active_loan()
        with self.assertRaisesMessage(UserError, "can be deleted"):
            loan.unlink()
        self.assertIn(loan.member_id, loan.member_id._kopdes_money_attached())
        draft = self.make_loan(member=self.member_b)
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_form_of_the_officer(self):
        with Form(self.env["kopdes.loan"].with_user(self.user_officer)) as form:
            form.member_id = self.member_b
            form.product_id = self.effective
            form.amount = 3_000_000
            form.term = 6
            form.application_date = date(2025, 2, 1)
        loan = form.save()
        self.assertEqual(loan.method, "effective")
        self.assertEqual(loan.annual_rate, 18.0)
        self.assertEqual(len(loan.line_ids), 6)
        self.assertEqual(loan.line_ids.sorted("sequence")[0].interest, 45_000)

    def test_weekly_and_grace(self):
        loan = self.active_loan(
            product=self.weekly, amount=1_000_000, term=10, day=date(2025, 1, 1)
        )
        self.assertEqual(
            loan.line_ids.sorted("sequence")[:2].mapped("due_date"),
            [date(2025, 1, 8), date(2025, 1, 15)],
        )
        self.assertEqual(set(loan.line_ids.mapped("interest")), {5_000})
        grace = self.active_loan(member=self.member_b, amount=1_200_000, term=12, grace_periods=2)
        lines = grace.line_ids.sorted("sequence")
        self.assertEqual(lines[:2].mapped("principal"), [0, 0])
        self.assertEqual(set(lines[2:].mapped("principal")), {120_000})

    def test_murabahah_needs_social_fund(self):
        with self.assertRaisesMessage(ValidationError, "social fund"):
            self.murabahah.account_late_fee_id = self.flat.account_late_fee_id

    def test_copy_makes_a_new_application(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.pay(loan, 112_000, date(2025, 2, 28))
        copy = loan.with_user(self.user_officer).copy()
        self.assertEqual(copy.state, "draft")
        self.assertNotEqual(copy.name, loan.name)
        self.assertEqual(
            (copy.member_id, copy.product_id, copy.amount, copy.term),
            (loan.member_id, loan.product_id, loan.amount, loan.term),
        )
        self.assertFalse(copy.payment_ids)
        self.assertFalse(copy.sudo().move_ids)
        self.assertFalse(copy.disbursement_date or copy.approved_by_id or copy.collectability_id)
        self.assertEqual(len(copy.line_ids), 12, "the preview schedule of the application")
        self.assertFalse(copy.line_ids.allocation_ids)
        self.assertEqual(copy.principal_residual, 0)
        self.assertEqual(loan.state, "active")
        self.assertEqual(len(loan.line_ids), 12)
