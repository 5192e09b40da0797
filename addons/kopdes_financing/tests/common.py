from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.kopdes_savings.tests.common import KopdesSavingsCommon


def financing_snapshot(env, company):
    """What must not change when something is refused: entries, loans, lines, payments."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT (SELECT COUNT(*) FROM account_move WHERE company_id = %(c)s),
               (SELECT COALESCE(SUM(debit), 0) FROM account_move_line WHERE company_id = %(c)s),
               (SELECT COUNT(*) FROM kopdes_loan_payment WHERE company_id = %(c)s),
               (SELECT COUNT(*) FROM kopdes_loan_allocation WHERE company_id = %(c)s),
               (SELECT string_agg(state || ':' || COALESCE(approved_by_id, 0)::text, ','
                                  ORDER BY id)
                  FROM kopdes_loan WHERE company_id = %(c)s),
               (SELECT string_agg(concat_ws(':', id, due_date, principal, interest, late_fee,
                                            interest_accrued, principal_settled, interest_settled,
                                            late_fee_settled), ',' ORDER BY id)
                  FROM kopdes_loan_line WHERE company_id = %(c)s),
               (SELECT COALESCE(SUM(balance), 0) FROM kopdes_savings_account
                 WHERE company_id = %(c)s)
        """,
        {"c": company.id},
    )
    return env.cr.fetchone()


class KopdesFinancingCommon(KopdesSavingsCommon):
    """A cooperative on the Indonesian chart with savings, loan products, staff and members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.user_officer = new_test_user(
            cls.env,
            login="fin_officer",
            groups="kopdes_members.group_kopdes_loan_officer",
            **common,
        )
        cls.cash = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "cash")], limit=1
        )
        cls.bank = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        Product = cls.env["kopdes.loan.product"].with_company(company)
        base = {
            "company_id": company.id,
            "annual_rate": 12.0,
            "min_term": 1,
            "max_term": 36,
            "default_term": 12,
            "min_amount": 100_000,
            "max_amount": 100_000_000,
            "grace_periods": 3,
            "admin_fee_type": "percent",
            "admin_fee_value": 1.0,
            "admin_fee_mode": "deducted",
            "late_fee_mode": "rate",
            "late_fee_value": 0.1,
            "late_fee_grace_days": 3,
            "early_repayment_rule": "current",
        }
        cls.flat = Product.create(
            {**base, "name": "Modal Usaha (flat)", "code": "MU", "method": "flat"}
        )
        cls.effective = Product.create(
            {**base, "name": "Efektif", "code": "EF", "method": "effective", "annual_rate": 18.0}
        )
        cls.annuity = Product.create(
            {**base, "name": "Anuitas", "code": "AN", "method": "annuity", "annual_rate": 15.0}
        )
        cls.murabahah = Product.create(
            {
                **base,
                "name": "Murabahah",
                "code": "MRB",
                "method": "murabahah",
                "annual_rate": 10.0,
                "late_fee_mode": "fixed",
                "late_fee_value": 1_000,
                "account_late_fee_id": company.kopdes_loan_social_fund_account_id.id,
                "account_interest_income_id": company.kopdes_loan_margin_income_account_id.id,
            }
        )
        cls.weekly = Product.create(
            {
                **base,
                "name": "Mingguan",
                "code": "MG",
                "method": "flat",
                "frequency": "weekly",
                "annual_rate": 26.0,
                "max_term": 52,
                "admin_fee_value": 0.0,
            }
        )
        cls.member_c = cls._create_member(9103, "Anggota Tiga")

    # ------------------------------------------------------------------ helpers

    def account(self, member, kind):
        """The member's savings account of ``kind``, opened early in 2024 when missing."""
        account = member._kopdes_savings_account(kind)
        if not account:
            product = self.env["kopdes.savings.product"].search(
                [("company_id", "=", member.company_id.id), ("kind", "=", kind)], limit=1
            )
            account = self.env["kopdes.savings.account"].create(
                {
                    "member_id": member.id,
                    "product_id": product.id,
                    "company_id": member.company_id.id,
                    "open_date": date(2024, 1, 15),
                }
            )
        return account

    @contextmanager
    def assertNothingChanged(self, company=None):
        before = financing_snapshot(self.env, company or self.company)
        yield
        self.env.invalidate_all()
        self.assertEqual(financing_snapshot(self.env, company or self.company), before)

    def make_loan(self, member=None, product=None, amount=1_200_000, term=12, day=None, **vals):
        product = product or self.flat
        return (
            self.env["kopdes.loan"]
            .with_user(self.user_officer)
            .create(
                {
                    "member_id": (member or self.member_a).id,
                    "product_id": product.id,
                    "amount": amount,
                    "term": term,
                    "application_date": day or date(2025, 1, 10),
                    "purpose": "working_capital",
                    **vals,
                }
            )
            .with_user(self.env.user)
        )

    def approve(self, loan, reason="Usaha lancar, jaminan cukup"):
        loan.with_user(self.user_officer).action_submit()
        loan.with_user(self.user_pengurus).action_approve(reason)
        return loan

    def active_loan(self, member=None, product=None, amount=1_200_000, term=12, day=None, **vals):
        day = day or date(2025, 1, 31)
        loan = self.make_loan(member, product, amount, term, day=day, **vals)
        self.approve(loan)
        loan.with_user(self.user_officer).action_disburse(day, self.cash)
        return loan

    def pay(self, loan, amount, day, **kwargs):
        kwargs.setdefault("journal", self.cash)
        return loan.with_user(self.user_officer)._kopdes_pay(amount, date=day, **kwargs)

    def gl(self, account, partner=None):
        """Debit balance of an account over posted entries of the company."""
        domain = [
            ("account_id", "=", account.id),
            ("parent_state", "=", "posted"),
            ("company_id", "=", self.company.id),
        ]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return sum(self.env["account.move.line"].search(domain).mapped("balance"))

    def assertLedgerMatchesLoans(self):
        """GL loan receivable = sum of outstanding principal; interest receivable = accrued
        interest and late fees not yet paid; every entry balances."""
        self.env.flush_all()
        loans = self.env["kopdes.loan"].search([("company_id", "=", self.company.id)])
        principal_accounts = loans.product_id.account_principal_id
        outstanding = sum(
            loans.filtered(lambda line: line.state == "active").mapped("principal_residual")
        )
        self.assertEqual(
            self.company.currency_id.compare_amounts(
                sum(self.gl(a) for a in principal_accounts), outstanding
            ),
            0,
        )
        lines = loans.line_ids
        receivable = sum(
            line.interest_accrued - line.interest_receivable_settled + line.late_fee_residual
            for line in lines
        )
        rec_accounts = loans.product_id.account_interest_receivable_id
        self.assertEqual(
            self.company.currency_id.compare_amounts(
                sum(self.gl(a) for a in rec_accounts), receivable
            ),
            0,
        )
        self.env.cr.execute(
            """
            SELECT move_id FROM account_move_line WHERE company_id = %s
          GROUP BY move_id HAVING ROUND(SUM(debit) - SUM(credit), 2) != 0
            """,
            [self.company.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [])
