from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_savings.tests.common import FORGED_CONTEXT

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestFinancingSecurity(KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loan = cls.make_loan_cls()
        cls.other = cls._create_cooperative("KKMP Uji Lain")
        common = {"company_id": cls.other.id, "company_ids": [Command.set(cls.other.ids)]}
        cls.other_manager = new_test_user(
            cls.env,
            login="fin_other_manager",
            groups="kopdes_members.group_kopdes_manager",
            **common,
        )

    @classmethod
    def make_loan_cls(cls):
        return cls.env["kopdes.loan"].create(
            {
                "member_id": cls.member_a.id,
                "product_id": cls.flat.id,
                "amount": 1_200_000,
                "term": 12,
                "application_date": date(2025, 1, 31),
            }
        )

    def test_loan_officer_prepares_and_takes_payments(self):
        loan = self.make_loan(member=self.member_b)
        self.assertEqual(loan.create_uid, self.user_officer)
        loan.with_user(self.user_officer).action_submit()
        with self.assertRaises(AccessError):
            loan.with_user(self.user_officer).action_approve("saya sendiri")
        with self.assertRaises(AccessError):
            self.flat.with_user(self.user_officer).write({"annual_rate": 1})
        self.approve(self.loan)
        self.loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        payment = self.pay(self.loan, 112_000, date(2025, 2, 28))
        self.assertEqual(payment.create_uid, self.user_officer)
        with self.assertRaises(AccessError):
            self.env["kopdes.loan.month.end"].with_user(self.user_officer)._kopdes_close(
                date(2025, 2, 28), self.company
            )
        with self.assertRaises(AccessError):
            self.loan.with_user(self.user_officer)._kopdes_write_off(date(2025, 3, 1), "x")

    def test_teller_reads_but_cannot_lend(self):
        self.assertTrue(self.loan.with_user(self.user_petugas).read(["name"]))
        with self.assertRaises(AccessError):
            self.env["kopdes.loan"].with_user(self.user_petugas).create(
                {
                    "member_id": self.member_b.id,
                    "product_id": self.flat.id,
                    "amount": 1_000_000,
                    "term": 6,
                }
            )
        self.approve(self.loan)
        with self.assertRaises(AccessError):
            self.loan.with_user(self.user_petugas).action_disburse(date(2025, 1, 31), self.cash)

    def test_manager_configures_products_and_limits(self):
        self.flat.with_user(self.user_pengurus).annual_rate = 15
        limit = (
            self.env["kopdes.loan.approval.limit"]
            .with_user(self.user_pengurus)
            .create(
                {"company_id": self.company.id, "user_id": self.user_pengurus.id, "max_amount": 5}
            )
        )
        self.assertTrue(limit)
        with self.assertRaises(AccessError):
            self.env["kopdes.loan.approval.limit"].with_user(self.user_officer).create(
                {"company_id": self.company.id, "user_id": self.user_officer.id, "max_amount": 9}
            )

    def test_accountant_runs_month_end_and_reads(self):
        self.approve(self.loan)
        self.loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        run = (
            self.env["kopdes.loan.month.end"]
            .with_user(self.user_akuntan)
            ._kopdes_close(date(2025, 2, 28), self.company)
        )
        self.assertEqual(run.interest_accrued, 12_000)
        self.assertTrue(self.loan.with_user(self.user_akuntan).read(["principal_residual"]))
        with self.assertRaises(AccessError):
            self.loan.with_user(self.user_akuntan)._kopdes_pay(
                112_000, date(2025, 2, 28), self.cash
            )
        with self.assertRaises(AccessError):
            self.loan.with_user(self.user_akuntan).write({"note": "x"})

    def test_other_cooperative_sees_nothing(self):
        self.approve(self.loan)
        self.loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        self.pay(self.loan, 112_000, date(2025, 2, 28))
        self.env["kopdes.loan.month.end"]._kopdes_close(date(2025, 2, 28), self.company)
        for model in (
            "kopdes.loan",
            "kopdes.loan.line",
            "kopdes.loan.payment",
            "kopdes.loan.allocation",
            "kopdes.loan.product",
            "kopdes.loan.month.end",
            "kopdes.loan.portfolio.report",
            "kopdes.loan.aging.report",
        ):
            with self.subTest(model=model):
                Model = (
                    self.env[model]
                    .with_user(self.other_manager)
                    .with_context(allowed_company_ids=self.other.ids)
                )
                self.assertFalse(Model.search([("company_id", "=", self.company.id)]), model)
        other_env = self.env(
            user=self.other_manager, context={"allowed_company_ids": self.other.ids}
        )
        collectability = other_env["kopdes.loan.collectability"]
        self.assertEqual(collectability.search([]).company_id, self.other)
        self.assertFalse(other_env["kopdes.loan"].search([]))
        with self.assertRaises(AccessError):
            self.loan.with_env(other_env).read(["name"])

    def test_member_of_another_cooperative_cannot_borrow_here(self):
        stranger = self._create_member(9190, "Anggota Lain", company=self.other)
        with self.assertNothingChanged(), self.assertRaises(UserError):
            self.make_loan(member=stranger, product=self.flat, company_id=self.company.id)

    def test_status_and_books_cannot_be_forged(self):
        officer = self.loan.with_user(self.user_officer)
        for vals in (
            {"state": "approved"},
            {"approved_by_id": self.user_pengurus.id},
            {"override_by_id": self.user_pengurus.id},
            {"days_past_due": 0},
        ):
            with self.subTest(vals=vals), self.assertNothingChanged():
                with self.assertRaisesMessage(UserError, "buttons"):
                    officer.with_context(kopdes_loan_posting=True).write(vals)
        with self.assertRaisesMessage(UserError, "starts as an application"):
            self.env["kopdes.loan"].with_user(self.user_officer).create(
                {
                    "member_id": self.member_b.id,
                    "product_id": self.flat.id,
                    "amount": 1_000_000,
                    "term": 6,
                    "state": "active",
                }
            )
        self.approve(self.loan)
        self.loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        payment = self.pay(self.loan, 112_000, date(2025, 2, 28))
        line = self.loan.line_ids.sorted("sequence")[1]
        with self.assertRaises(AccessError):
            self.env["kopdes.loan.allocation"].with_user(self.user_officer).with_context(
                kopdes_loan_posting=True
            ).create(
                {
                    "loan_id": self.loan.id,
                    "line_id": line.id,
                    "kind": "payment",
                    "date": date(2025, 3, 1),
                    "principal": 100_000,
                }
            )
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            payment.with_user(self.user_officer).with_context(kopdes_loan_posting=True).write(
                {"amount": 1}
            )
        with self.assertRaisesMessage(UserError, "Installments change only"):
            line.with_user(self.user_officer).with_context(kopdes_loan_posting=True).write(
                {"principal": 1}
            )

    def test_loan_officer_cannot_forge_savings_or_members(self):
        """The cross cases: a loan officer with every system key in the context."""
        officer = self.user_officer
        posted = self.deposit(self.member_a, "sukarela", 50000)
        tx = (
            self.env["kopdes.savings.transaction"]
            .with_user(officer)
            .with_context(**FORGED_CONTEXT)
            .create({"member_id": self.member_a.id, "kind": "sukarela", "amount": 10000})
        )
        with self.assertNothingChanged(), self.assertBooksUnchanged():
            with self.assertRaises(AccessError):
                tx.with_user(officer).with_context(**FORGED_CONTEXT).write(
                    {"state": "posted", "move_id": posted.move_id.id}
                )
            with self.assertRaisesMessage(UserError, "buttons"):
                self.member_a.with_user(officer).with_context(**FORGED_CONTEXT).write(
                    {"state": "resigned"}
                )
            with self.assertRaises(UserError):
                self.env["kopdes.member"].with_user(officer).with_context(**FORGED_CONTEXT).create(
                    {
                        "name": "Anggota Palsu",
                        "nik": "3375040101809998",
                        "state": "active",
                        "company_id": self.company.id,
                    }
                )
            with self.assertRaises(AccessError):
                self.loan.with_user(officer).with_context(**FORGED_CONTEXT).action_approve("x")
        self.assertEqual(tx.state, "draft")
        self.assertEqual(self.member_a.state, "active")

    @freeze_time("2025-03-10 16:30:00")  # 23:30 in Jakarta, already 11 March in Kiritimati
    def test_payment_not_after_today_whatever_the_context_says(self):
        """Fails until kopdes.loan._kopdes_today stops reading the ``date`` context key
        (kopdes_financing/models/kopdes_loan.py) and uses kopdes_members' kopdes_today."""
        self.approve(self.loan)
        self.loan.with_user(self.user_officer).action_disburse(date(2025, 1, 31), self.cash)
        today = kopdes_today(self.env)
        self.assertEqual(today, date(2025, 3, 10))
        tomorrow = today + timedelta(days=1)
        forged = dict(FORGED_CONTEXT, date=fields.Date.to_string(tomorrow))
        Wizard = (
            self.env["kopdes.loan.payment.wizard"]
            .with_user(self.user_officer)
            .with_context(**forged)
        )
        with self.assertNothingChanged():
            with self.assertRaisesMessage(UserError, "cannot be dated in the future"):
                Wizard.create(
                    {
                        "loan_id": self.loan.id,
                        "date": tomorrow,
                        "amount": 112_000,
                        "journal_id": self.cash.id,
                    }
                ).action_confirm()
        self.assertFalse(self.loan.payment_ids)
