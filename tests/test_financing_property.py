"""Property test on a real database: after any sequence of disbursements, payments (cash,
voluntary savings, overpayments), reversals, late fees, month-ends (accrual, classes,
provision), reschedulings and write-offs,

* the loan receivable in the general ledger equals the outstanding principal of the loans,
* the interest receivable equals the accrued interest and late fees not yet paid,
* no installment is settled twice (nothing above what it owes, nothing below zero),
* every journal entry balances and every payment is fully allocated.
"""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon

OPERATIONS = (
    "disburse",
    "pay",
    "pay",
    "pay_savings",
    "overpay_savings",
    "settle",
    "reverse",
    "late_fees",
    "month_end",
    "write_off",
    "reschedule",
)

STEP = st.tuples(
    st.sampled_from(OPERATIONS),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=1, max_value=45),
)


@tagged("post_install", "-at_install")
class TestFinancingProperties(KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.borrowers = cls.member_a | cls.member_b | cls.member_c
        for member in cls.borrowers:
            cls.env["kopdes.savings.account"].create(
                {
                    "member_id": member.id,
                    "product_id": cls.sukarela.id,
                    "company_id": cls.company.id,
                    "open_date": date(2023, 1, 1),
                }
            )._kopdes_deposit(2_000_000, date(2023, 6, 1))
        cls.company.kopdes_loan_block_overdue = False
        cls.products = cls.flat | cls.effective | cls.annuity | cls.murabahah | cls.weekly

    # --------------------------------------------------------------- operations

    def _loans(self, states=("active",)):
        return self.env["kopdes.loan"].search(
            [("company_id", "=", self.company.id), ("state", "in", states)], order="id"
        )

    def _apply(self, operation, selector, day):
        loans = self._loans()
        loan = loans[selector % len(loans)] if loans else loans
        if operation == "disburse":
            product = self.products[selector % len(self.products)]
            member = self.borrowers[selector % len(self.borrowers)]
            amount = 100_000 + (selector * 7_919) % 5_000_000
            term = 1 + selector % min(product.max_term, 18)
            grace = min(selector % 3, term - 1, product.grace_periods)
            loan = self.make_loan(member, product, amount, term, day=day, grace_periods=grace)
            self.approve(loan)
            loan.with_user(self.user_officer).action_disburse(day, self.cash)
        elif operation in ("pay", "pay_savings", "overpay_savings", "settle") and loan:
            payoff = loan.with_context(date=day)._kopdes_payoff_amount(day)
            if operation == "settle":
                loan._kopdes_accrue_late_fees(day, loans=loan)
                self.pay(loan, loan._kopdes_payoff_amount(day), day, settle=True)
                return
            amount = max(1, round(payoff * (selector % 130) / 100))
            if operation == "pay":
                self.pay(loan, amount, day)
            elif operation == "pay_savings":
                self.pay(loan, min(amount, 300_000), day, source="savings", journal=None)
            else:
                self.pay(loan, amount, day, overpayment="savings")
        elif operation == "reverse":
            payments = self.env["kopdes.loan.payment"].search(
                [
                    ("company_id", "=", self.company.id),
                    ("state", "=", "posted"),
                    ("source", "!=", "exit"),
                ],
                order="id",
            )
            if payments:
                payment = payments[selector % len(payments)]
                payment.with_user(self.user_officer).action_reverse("Salah input", day)
        elif operation == "late_fees":
            self.env["kopdes.loan"]._kopdes_accrue_late_fees(day, company=self.company)
        elif operation == "month_end":
            self.env["kopdes.loan.month.end"]._kopdes_close(day, self.company)
        elif operation == "write_off" and loan:
            loan.with_user(self.user_pengurus)._kopdes_write_off(day, "Tidak tertagih")
        elif operation == "reschedule" and loan:
            loan.with_user(self.user_pengurus).with_context(date=day)._kopdes_reschedule(
                day, 1 + selector % 24, float(selector % 25), "Restrukturisasi"
            )

    # --------------------------------------------------------------- invariants

    def assertInvariants(self):
        self.assertLedgerMatchesLoans()
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT COUNT(*) FROM kopdes_loan_line
             WHERE company_id = %s
               AND (principal_settled < 0 OR principal_settled > principal
                    OR interest_settled < 0 OR interest_settled > interest
                    OR late_fee_settled < 0 OR late_fee_settled > late_fee
                    OR interest_receivable_settled > interest_accrued)
            """,
            [self.company.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "an installment was settled twice")
        self.env.cr.execute(
            """
            SELECT payment.id FROM kopdes_loan_payment payment
         LEFT JOIN kopdes_loan_allocation alloc
                ON alloc.payment_id = payment.id AND alloc.kind = 'payment'
             WHERE payment.company_id = %s AND payment.state = 'posted'
          GROUP BY payment.id
            HAVING ROUND(payment.amount - payment.amount_to_savings
                         - COALESCE(SUM(alloc.total), 0), 2) != 0
            """,
            [self.company.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [], "a payment is not fully allocated")
        clearing = self.company.kopdes_loan_clearing_account_id
        self.assertEqual(self.gl(clearing), 0)
        for loan in self._loans(("closed", "written_off")):
            self.assertEqual(loan.principal_residual, 0)

    @settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(steps=st.lists(STEP, min_size=4, max_size=12))
    def test_random_sequences_keep_the_books_right(self, steps):
        self.env.cr.execute("SAVEPOINT financing_property")
        try:
            day = date(2024, 1, 2)
            self._apply("disburse", 1, day)
            for operation, selector, advance in steps:
                day += timedelta(days=advance)
                try:
                    with self.env.cr.savepoint():
                        self._apply(operation, selector, day)
                except UserError:
                    # refused with a message: nothing may have changed
                    self.env.invalidate_all()
            self.assertInvariants()
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT financing_property")
            self.env.invalidate_all()
