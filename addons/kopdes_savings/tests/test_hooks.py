from odoo.tests import Form, tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

from ..tools import periods
from .common import KopdesSavingsCommon

POSTED = ("kopdes.savings.transaction", "_kopdes_transactions_posted")


@tagged("post_install", "-at_install")
class TestSavingsHooks(KopdesSavingsCommon):
    """Every posting path and every batch step announces its records in one hook call."""

    def test_teller_posting_is_announced_once_per_batch(self):
        account_a = self.account(self.member_a, "sukarela")
        account_b = self.account(self.member_b, "sukarela")
        Transaction = self.env["kopdes.savings.transaction"].with_user(self.user_petugas)
        txs = Transaction.create(
            [
                {"account_id": account.id, "type": "deposit", "amount": amount}
                for account, amount in ((account_a, 100000), (account_b, 200000))
            ]
        )
        with self.watch(*POSTED) as posted:
            txs.action_post()
        posted.assert_called_once()
        announced = posted.call_args.args[1]
        self.assertEqual(announced, txs)
        self.assertEqual(announced.mapped("state"), ["posted", "posted"])
        self.assertEqual(announced.mapped("balance_after"), [100000.0, 200000.0])

    def test_reversal_is_announced_with_its_link(self):
        tx = self.deposit(self.member_a, "sukarela", 100000)
        seen = []
        original = type(self.env[POSTED[0]])._kopdes_transactions_posted

        def record(model, txs):
            seen.append([(t.type, t.reversal_of_id.reversed_by_id == t) for t in txs])
            return original(model, txs)

        with self.watch(*POSTED) as posted:
            posted.side_effect = record
            reversal = tx.with_user(self.user_petugas).action_reverse(reason="Salah ketik")
        posted.assert_called_once()
        self.assertEqual(posted.call_args.args[1], reversal)
        self.assertEqual(seen, [[("reversal", True)]])
        self.assertEqual(tx.reversed_by_id, reversal)

    def test_approval_is_announced_when_posted(self):
        self.deposit(self.member_a, "sukarela", 2000000)
        self.company.kopdes_savings_approval_limit = 1000000
        with self.watch(*POSTED) as posted:
            request = (
                self.account(self.member_a, "sukarela")
                .with_user(self.user_petugas)
                ._kopdes_withdraw(1500000)
            )
            self.assertEqual(request.state, "to_approve")
            posted.assert_not_called()
            request.with_user(self.user_pengurus).action_approve()
        posted.assert_called_once()
        self.assertEqual(posted.call_args.args[1], request)
        self.assertEqual(request.state, "posted")

    def test_exit_refunds_are_announced_once(self):
        self.deposit(self.member_b, "pokok", self.pokok.amount)
        self.deposit(self.member_b, "wajib", 60000)
        self.deposit(self.member_b, "sukarela", 250000)
        form = Form(
            self.env["kopdes.savings.exit.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_member_id=self.member_b.id)
        )
        form.reason = "Pindah ke Batang"
        wizard = form.save()
        with self.watch(*POSTED) as posted:
            wizard.action_confirm()
        posted.assert_called_once()
        refunds = posted.call_args.args[1]
        self.assertEqual(set(refunds.mapped("type")), {"exit_refund"})
        self.assertEqual(
            refunds,
            self.env["kopdes.savings.transaction"].search(
                [("member_id", "=", self.member_b.id), ("type", "=", "exit_refund")]
            ),
        )
        self.assertEqual(len(refunds), 3)
        self.assertEqual(self.member_b.state, "resigned")

    def test_interest_batch_announces_its_credits(self):
        month = periods.previous_period(kopdes_today(self.env))
        earlier = periods.previous_period(month)
        self.account(self.member_a, "sukarela")._kopdes_deposit(1000000, date=earlier)
        self.account(self.member_b, "sukarela")._kopdes_deposit(2000000, date=earlier)
        Batch = self.env["kopdes.savings.interest.batch"]
        with (
            self.watch("kopdes.savings.interest.batch", "_kopdes_interest_credited") as credited,
            self.watch(*POSTED) as posted,
        ):
            batch = Batch._kopdes_run(self.company, month)
        self.assertEqual(batch.account_count, 2)
        credits = batch.transaction_ids
        self.assertEqual(len(credits), 2)
        credited.assert_called_once()
        self.assertEqual(credited.call_args.args[0], batch)
        self.assertEqual(credited.call_args.args[1], credits)
        posted.assert_called_once()
        self.assertEqual(posted.call_args.args[1], credits)
        # the records are usable as they are: balances were updated before the call
        self.assertEqual(
            sorted(credited.call_args.args[1].mapped("balance_after")),
            sorted(credits.account_id.mapped("balance")),
        )
        # running the month again announces nothing
        credited.reset_mock()
        with self.watch("kopdes.savings.interest.batch", "_kopdes_interest_credited") as again:
            Batch._kopdes_run(self.company, month)
        again.assert_not_called()

    def test_dues_raised_and_settled_are_announced(self):
        Due = self.env["kopdes.savings.due"]
        month = periods.period_start(kopdes_today(self.env))
        # member_a paid a due ahead: the new due is raised settled
        self.deposit(self.member_a, "wajib", self.wajib.amount)
        with (
            self.watch("kopdes.savings.due", "_kopdes_dues_raised") as raised,
            self.watch("kopdes.savings.due", "_kopdes_dues_settled") as settled,
        ):
            count = Due._kopdes_generate(self.company, month)
        dues = Due.search([("company_id", "=", self.company.id), ("period_start", "=", month)])
        self.assertEqual(count, 2)
        self.assertEqual(len(dues), 2)
        raised.assert_called_once()
        self.assertEqual(raised.call_args.args[1], dues)
        due_a = dues.filtered(lambda d: d.member_id == self.member_a)
        settled.assert_called_once()
        self.assertEqual(settled.call_args.args[1], due_a)
        self.assertEqual(due_a.state, "paid")
        # a deposit settles member_b's due: announced with exactly that due
        due_b = dues - due_a
        with self.watch("kopdes.savings.due", "_kopdes_dues_settled") as settled:
            self.deposit(self.member_b, "wajib", self.wajib.amount, day=kopdes_today(self.env))
        settled.assert_called_once()
        self.assertEqual(settled.call_args.args[1], due_b)
        self.assertEqual(due_b.state, "paid")
        # raising the same period again raises (and announces) nothing
        with self.watch("kopdes.savings.due", "_kopdes_dues_raised") as raised:
            self.assertEqual(Due._kopdes_generate(self.company, month), 0)
        raised.assert_not_called()
