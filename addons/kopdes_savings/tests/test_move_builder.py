from datetime import timedelta

from odoo.exceptions import UserError
from odoo.fields import Date
from odoo.tests import tagged

from odoo.addons.kopdes_savings.tools import periods

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsMoveBuilder(KopdesSavingsCommon):
    """The entries built by ``kopdes.move.mixin``: linked to what posted them, and not
    changed from Accounting."""

    def test_transaction_entry_is_linked_and_balanced(self):
        account = self.account(self.member_a, "sukarela")
        tx = account._kopdes_deposit(250_000, date=Date.context_today(account))
        move = tx.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.kopdes_savings_transaction_ids, tx)
        lines = {line.account_id: line for line in move.line_ids}
        self.assertEqual(lines[self.sukarela.account_id].credit, 250_000)
        self.assertEqual(lines[tx.counterpart_account_id].debit, 250_000)
        self.assertEqual(move.line_ids.partner_id, self.member_a.partner_id)

    def test_interest_batch_entry_is_linked_and_guarded(self):
        month = periods.previous_period(Date.context_today(self.env.user))
        account = self.account(self.member_a, "sukarela")
        account._kopdes_deposit(1_000_000, date=periods.previous_period(month))
        batch = self.env["kopdes.savings.interest.batch"]._kopdes_run(self.company, month)
        move = batch.move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.kopdes_savings_interest_batch_id, batch)
        balance = account.balance
        for action in (
            lambda m: m.button_draft(),
            lambda m: m.button_cancel(),
            lambda m: m._reverse_moves([{"date": m.date + timedelta(days=1)}]),
            lambda m: m.unlink(),
        ):
            with self.assertRaisesMessage(UserError, "reverse the savings transaction"):
                action(move.sudo())
            self.assertEqual(move.state, "posted")
        self.assertEqual(account.balance, balance)
