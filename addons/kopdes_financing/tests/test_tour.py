from datetime import date

from odoo.tests import HttpCase, tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestFinancingTour(KopdesFinancingCommon, HttpCase):
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
