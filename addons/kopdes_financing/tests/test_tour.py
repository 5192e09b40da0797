from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.kopdes_members.tests.common import KopdesTourCase

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestFinancingTour(KopdesFinancingCommon, KopdesTourCase):
    def test_officer_takes_a_payment(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        self.start_tour(
            f"/odoo/action-kopdes_financing.kopdes_loan_action/{loan.id}",
            "kopdes_financing_payment_tour",
            login=self.user_officer.login,
        )
        payment = loan.payment_ids
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.amount, 112_000)
        self.assertEqual(payment.date, date(2025, 2, 28))
        self.assertEqual(loan.line_ids.sorted("sequence")[0].state, "paid")
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.create_uid, self.user_officer)
        self.assertLedgerMatchesLoans()

    def test_officer_sees_the_schedule_while_typing(self):
        loans = self.env["kopdes.loan"].search([("member_id", "=", self.member_a.id)])
        self.start_tour(
            "/odoo/action-kopdes_financing.kopdes_loan_application_action",
            "kopdes_financing_application_tour",
            login=self.user_officer.login,
        )
        loan = self.env["kopdes.loan"].search([("member_id", "=", self.member_a.id)]) - loans
        self.assertEqual(len(loan), 1)
        self.assertEqual(loan.state, "draft")
        self.assertEqual(loan.prepared_by_id, self.user_officer)
        self.assertEqual((loan.product_id, loan.amount, loan.term), (self.flat, 1_200_000, 10))
        # the saved schedule is the one the form showed: 10 x (120,000 + 12,000)
        lines = loan.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("sequence"), list(range(1, 11)))
        self.assertEqual(set(lines.mapped("principal")), {120_000})
        self.assertEqual(set(lines.mapped("interest")), {12_000})
        self.assertEqual(loan.installment_amount, 132_000)
        expected = self.env["kopdes.loan.line"]._kopdes_draft_schedule_vals(loan)
        self.assertEqual(
            [(line.due_date, line.principal, line.interest) for line in lines],
            [(vals["due_date"], vals["principal"], vals["interest"]) for vals in expected],
        )

    def test_preparer_cannot_approve_in_the_dialog(self):
        chair = new_test_user(
            self.env,
            login="fin_chair_tour",
            name="Ketua Pengurus",
            groups="kopdes_members.group_kopdes_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        # the chair records and submits the application himself
        loan = (
            self.env["kopdes.loan"]
            .with_user(chair)
            .create(
                {
                    "member_id": self.member_a.id,
                    "product_id": self.flat.id,
                    "amount": 1_200_000,
                    "term": 12,
                    "application_date": date(2025, 1, 10),
                }
            )
        )
        loan.action_submit()
        self.start_tour(
            f"/odoo/action-kopdes_financing.kopdes_loan_application_action/{loan.id}",
            "kopdes_financing_four_eyes_tour",
            login=chair.login,
        )
        loan.invalidate_recordset()
        self.assertEqual(loan.state, "submitted")
        self.assertFalse(loan.approved_by_id)
        self.assertEqual(loan.prepared_by_id, chair)
