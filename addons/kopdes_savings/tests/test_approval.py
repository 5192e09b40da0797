from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestWithdrawalApproval(KopdesSavingsCommon):
    """Maker-checker on withdrawals above the approval limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.kopdes_savings_approval_limit = 1_000_000
        cls.other_pengurus = new_test_user(
            cls.env,
            login="sav_pengurus_2",
            groups="kopdes_members.group_kopdes_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.savings = cls.member_a._kopdes_savings_account(
            "sukarela", create=True, open_date=date(2024, 1, 15)
        )
        cls.savings._kopdes_deposit(5_000_000)

    def request(self, user, amount=2_000_000):
        tx = (
            self.env["kopdes.savings.transaction"]
            .with_user(user)
            .create(
                {
                    "account_id": self.savings.id,
                    "type": "withdrawal",
                    "amount": amount,
                    "payment_journal_id": self.cash_journal.id,
                }
            )
        )
        tx.action_post()
        return tx

    def test_teller_request_is_numbered_and_announced(self):
        tx = self.request(self.user_petugas)
        self.assertEqual(tx.state, "to_approve")
        self.assertNotEqual(tx.name, "/")
        self.assertTrue(tx.name)
        self.assertEqual(tx.requested_by_id, self.user_petugas)
        self.assertIn("waits for a manager", tx.message_ids[0].body)
        activity = tx.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn(activity.user_id, self.user_pengurus | self.other_pengurus)
        name = tx.name
        tx.with_user(self.user_pengurus).action_approve()
        self.assertEqual(tx.state, "posted")
        self.assertEqual(tx.name, name, "the number given at the request is kept")
        self.assertEqual(tx.approved_by_id, self.user_pengurus)
        self.assertFalse(tx.activity_ids)

    def test_manager_cannot_approve_own_withdrawal(self):
        tx = self.request(self.user_pengurus)
        self.assertEqual(tx.state, "to_approve", "four eyes: a manager's own withdrawal waits")
        self.assertEqual(tx.activity_ids.user_id, self.other_pengurus)
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "four eyes"):
            tx.with_user(self.user_pengurus).action_approve()
        self.assertEqual(tx.state, "to_approve")
        tx.with_user(self.other_pengurus).action_approve()
        self.assertEqual(tx.state, "posted")
        self.assertEqual(tx.requested_by_id, self.user_pengurus)
        self.assertEqual(tx.approved_by_id, self.other_pengurus)

    def test_four_eyes_can_be_switched_off(self):
        self.company.kopdes_four_eyes = False
        tx = self.request(self.user_pengurus)
        self.assertEqual(tx.state, "posted")
        tx = self.request(self.user_petugas)
        self.assertEqual(tx.state, "to_approve")
        tx.with_user(self.user_pengurus).action_approve()
        self.assertEqual(tx.state, "posted")
