from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

from .common import FORGED_CONTEXT, KopdesSavingsCommon

REFUSED = (AccessError, UserError, ValidationError)


@tagged("post_install", "-at_install")
class TestSavingsForging(KopdesSavingsCommon):
    """A teller or a loan officer calling the ORM directly, with any context, cannot post,
    pay out or back-date (forward-date) anything; each refusal leaves the books as they were."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def deposit(kind, amount):
            account = cls.member_a._kopdes_savings_account(
                kind, create=True, open_date=date(2024, 1, 15)
            )
            return account._kopdes_deposit(amount)

        deposit("pokok", cls.pokok.amount)
        deposit("wajib", 50000)
        cls.posted = deposit("sukarela", 300000)

    def forgers(self):
        for user in (self.user_petugas, self.user_officer):
            with self.subTest(user=user.login):
                yield user

    def as_forger(self, user, model="kopdes.savings.transaction"):
        return self.env[model].with_user(user).with_context(**FORGED_CONTEXT)

    def draft(self, user, **vals):
        return self.as_forger(user).create(
            {"member_id": self.member_a.id, "kind": "sukarela", "amount": 10000, **vals}
        )

    def test_draft_cannot_be_written_posted(self):
        for user in self.forgers():
            tx = self.draft(user)
            with self.assertBooksUnchanged():
                for vals in (
                    {"state": "posted", "move_id": self.posted.move_id.id},
                    {"state": "posted"},
                    {"move_id": self.posted.move_id.id},
                    {"name": "SIM/0001", "posted_by_id": user.id},
                    {"approved_by_id": self.user_pengurus.id},
                    {"balance_after": 1e9},
                ):
                    with (
                        self.subTest(vals=vals),
                        self.assertRaisesMessage(AccessError, "not by hand"),
                    ):
                        tx.write(vals)
            self.assertEqual(tx.state, "draft")
            self.assertFalse(tx.move_id)
            self.assertEqual(self.posted.move_id.kopdes_savings_transaction_ids, self.posted)

    def test_created_only_as_deposit_or_withdrawal_draft(self):
        other = self.account(self.member_b, "sukarela")
        expense = self.sukarela.interest_account_id
        for user in self.forgers():
            with self.assertBooksUnchanged():
                for vals, error in (
                    ({"state": "posted", "move_id": self.posted.move_id.id}, UserError),
                    ({"type": "interest"}, UserError),
                    ({"type": "reversal", "reversal_of_id": self.posted.id}, AccessError),
                    ({"type": "reversal"}, UserError),
                    ({"move_id": self.posted.move_id.id}, AccessError),
                    ({"counterpart_account_id": expense.id}, AccessError),
                    ({"account_id": other.id, "member_id": self.member_a.id}, ValidationError),
                ):
                    with self.subTest(vals=vals), self.assertRaises(error):
                        self.draft(user, **vals)

    def test_exit_refund_only_through_the_wizard(self):
        pokok = self.account(self.member_a, "pokok")
        wajib = self.account(self.member_a, "wajib")
        for user in self.forgers():
            with self.assertBooksUnchanged():
                for account in (pokok, wajib):
                    with (
                        self.subTest(kind=account.kind),
                        self.assertRaisesMessage(UserError, "exit settlement"),
                    ):
                        self.as_forger(user).create(
                            {
                                "account_id": account.id,
                                "type": "exit_refund",
                                "amount": account.balance,
                            }
                        ).action_post()
            # an exit refund made by other code (as superuser) still cannot be posted by
            # a teller with the key in the context, nor by sudo() without the key
            refund = self.env["kopdes.savings.transaction"].create(
                {"account_id": pokok.id, "type": "exit_refund", "amount": pokok.balance}
            )
            with self.assertBooksUnchanged():
                with self.assertRaisesMessage(UserError, "exit settlement wizard"):
                    refund.with_user(user).with_context(**FORGED_CONTEXT).action_post()
                with self.assertRaisesMessage(UserError, "exit settlement wizard"):
                    refund.sudo()._kopdes_post()
            self.assertEqual(refund.state, "draft")
        self.assertEqual(pokok.balance, self.pokok.amount)
        self.assertEqual(wajib.balance, 50000)
        self.assertEqual(self.member_a.state, "active")

    def test_member_with_savings_cannot_leave_without_settlement(self):
        wizard = (
            self.env["kopdes.member.state.wizard"]
            .with_user(self.user_pengurus)
            .with_context(**FORGED_CONTEXT)
            .create(
                {
                    "member_ids": [(6, 0, self.member_a.ids)],
                    "new_state": "resigned",
                    "reason": "Pindah",
                    "change_date": fields.Date.today() - timedelta(days=1),
                }
            )
        )
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "still have"):
            wizard.action_confirm()
        self.assertEqual(self.member_a.state, "active")

    def test_accounts_dues_and_interest_are_the_systems(self):
        account = self.account(self.member_a, "sukarela")
        self.env["kopdes.savings.due"]._kopdes_generate(self.company)
        due = self.env["kopdes.savings.due"].search([("member_id", "=", self.member_a.id)])
        self.assertTrue(due)
        for user in self.forgers():
            with self.assertBooksUnchanged():
                for vals in ({"balance": 1e9}, {"state": "closed"}, {"name": "X"}):
                    with self.subTest(vals=vals), self.assertRaises(AccessError):
                        account.with_user(user).with_context(**FORGED_CONTEXT).write(vals)
        manager = self.user_pengurus
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "raised and settled by the system"):
                due.with_user(manager).with_context(**FORGED_CONTEXT).write(
                    {"amount_paid": due.amount, "state": "paid"}
                )
            with self.assertRaisesMessage(UserError, "raised and settled by the system"):
                self.as_forger(manager, "kopdes.savings.due").create(
                    {
                        "company_id": self.company.id,
                        "account_id": due.account_id.id,
                        "member_id": self.member_a.id,
                        "product_id": self.wajib.id,
                        "period_start": "2020-01-01",
                        "period_label": "Januari 2020",
                        "due_date": "2020-01-31",
                        "amount": 1,
                        "amount_paid": 1,
                        "state": "paid",
                    }
                )
            with self.assertRaisesMessage(UserError, "month-end interest run"):
                self.as_forger(manager, "kopdes.savings.interest.batch").create(
                    {
                        "name": "JS/forged",
                        "company_id": self.company.id,
                        "period_start": "2020-01-01",
                        "period_end": "2020-01-31",
                    }
                )
        self.assertEqual(account.balance, 300000)
        self.assertEqual(due.amount_paid, min(50000, due.amount))

    @freeze_time("2026-03-10 16:30:00")  # 23:30 in Jakarta, already 11 March in Kiritimati
    def test_no_transaction_after_today_whatever_the_context_says(self):
        today = kopdes_today(self.env)
        tomorrow = today + timedelta(days=1)
        self.assertEqual(today, datetime(2026, 3, 10).date())
        forged = dict(FORGED_CONTEXT, date=fields.Date.to_string(tomorrow))
        Transaction = self.env["kopdes.savings.transaction"]
        # the context would move "today": the refusal below does not come from a test that
        # cannot fail
        self.assertEqual(fields.Date.context_today(Transaction.with_context(**forged)), tomorrow)
        for user in self.forgers():
            tx = (
                Transaction.with_user(user)
                .with_context(**forged)
                .create(
                    {
                        "member_id": self.member_a.id,
                        "kind": "sukarela",
                        "type": "deposit",
                        "amount": 10000,
                        "date": tomorrow,
                    }
                )
            )
            with self.assertBooksUnchanged():
                with self.assertRaisesMessage(UserError, "cannot be dated in the future"):
                    tx.with_context(**forged).action_post()
            self.assertEqual(tx.state, "draft")
            # a new transaction made through the form is dated today, not tomorrow
            form = Form(Transaction.with_user(user).with_context(**forged))
            self.assertEqual(form.date, today)

    def test_teller_cannot_open_the_exit_wizard_or_change_status(self):
        for user in self.forgers():
            with self.assertBooksUnchanged(), self.assertRaises(AccessError):
                self.env["kopdes.savings.exit.wizard"].with_user(user).with_context(
                    **FORGED_CONTEXT
                ).create({"member_id": self.member_a.id, "reason": "x"}).action_confirm()
        self.assertEqual(self.member_a.state, "active")
