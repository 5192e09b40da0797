"""Property test on a real database: whatever tellers, month-end and exits do, the members'
balances per product add up to the balance of the product's account in the general ledger,
and every refused operation leaves the books as they were."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_savings.tools import periods

from .common import KopdesSavingsCommon, books_snapshot

KINDS = ("pokok", "wajib", "sukarela", "berjangka")
OPERATION = st.tuples(
    st.sampled_from(["deposit"] * 4 + ["withdraw"] * 3 + ["reverse"] * 2 + ["interest", "exit"]),
    st.integers(min_value=0, max_value=2),  # member
    st.sampled_from(KINDS),
    st.integers(min_value=1, max_value=30).map(lambda n: n * 5000.0),  # amount
    st.integers(min_value=0, max_value=50),  # which transaction to reverse
)


@tagged("post_install", "-at_install")
class TestLedgerProperty(KopdesSavingsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_c = cls._create_member(9103, "Anggota Tiga")
        cls.members = [cls.member_a, cls.member_b, cls.member_c]
        cls.products = {
            "pokok": cls.pokok,
            "wajib": cls.wajib,
            "sukarela": cls.sukarela,
            "berjangka": cls.berjangka,
        }
        cls.today = kopdes_today(cls.env)
        # time deposits of these members have matured
        cls.berjangka.term_months = 1

    # ------------------------------------------------------------ the model

    def _expect(self, state, op, member, kind, amount):
        """Should the operation be accepted, according to the rules of the products?"""
        if member.id in state["left"]:
            return op in ("interest",)
        balance = state["balance"].get((member.id, kind), 0.0)
        if op == "deposit":
            return kind != "pokok" or balance + amount <= self.pokok.amount
        if op == "withdraw":
            return kind in ("sukarela", "berjangka") and amount <= balance
        return True

    def _run(self, state, op, member_index, kind, amount, pick, day):
        member = self.members[member_index]
        key = (member.id, kind)
        if op == "interest":
            month = periods.previous_period(day)
            batch = self.env["kopdes.savings.interest.batch"]._kopdes_run(self.company, month)
            if batch.id not in state["batches"]:
                state["batches"].add(batch.id)
                for tx in batch.transaction_ids:
                    account_key = (tx.member_id.id, tx.kind)
                    state["balance"][account_key] = (
                        state["balance"].get(account_key, 0.0) + tx.amount
                    )
                    state["posted"].append(tx)
            return
        if op == "reverse":
            candidates = [
                tx
                for tx in state["posted"]
                if tx.member_id == member and not tx.reversed_by_id and tx.type != "exit_refund"
            ]
            if not candidates:
                return
            tx = candidates[pick % len(candidates)]
            key = (tx.member_id.id, tx.kind)
            balance = state["balance"].get(key, 0.0)
            accepted = member.id not in state["left"] and balance + -tx.signed_amount >= 0
            before = books_snapshot(self.env, self.company)
            if accepted:
                reversal = tx.action_reverse(date=day)
                state["balance"][key] = balance + reversal.signed_amount
            else:
                with self.assertRaises(UserError):
                    tx.action_reverse(date=day)
                self.env.invalidate_all()
                self.assertEqual(books_snapshot(self.env, self.company), before)
            return
        if op == "exit":
            if member.id in state["left"]:
                return
            wizard = self.env["kopdes.savings.exit.wizard"].create(
                {"member_id": member.id, "reason": "Pindah domisili", "date": day}
            )
            wizard.action_confirm()
            state["left"].add(member.id)
            for other_kind in KINDS:
                state["balance"][(member.id, other_kind)] = 0.0
            return
        accepted = self._expect(state, op, member, kind, amount)
        before = books_snapshot(self.env, self.company)
        if accepted:
            account = self.account(member, kind)
            method = account._kopdes_deposit if op == "deposit" else account._kopdes_withdraw
            tx = method(amount, date=day)
            self.assertEqual(tx.state, "posted")
            state["posted"].append(tx)
            state["balance"][key] = state["balance"].get(key, 0.0) + tx.signed_amount
        else:
            with self.assertRaises(UserError):
                account = self.account(member, kind)
                method = account._kopdes_deposit if op == "deposit" else account._kopdes_withdraw
                method(amount, date=day)
            self.env.invalidate_all()
            self.assertEqual(books_snapshot(self.env, self.company), before)

    def _check_ledger(self, state):
        self.env.flush_all()
        self.env.invalidate_all()
        Account = self.env["kopdes.savings.account"]
        for kind, product in self.products.items():
            accounts = Account.with_context(active_test=False).search(
                [("product_id", "=", product.id)]
            )
            total = sum(accounts.mapped("balance"))
            self.assertAlmostEqual(total, self.gl_balance(product.account_id), places=2, msg=kind)
            for account in accounts:
                self.assertGreaterEqual(account.balance, 0.0)
                self.assertAlmostEqual(
                    account.balance,
                    state["balance"].get((account.member_id.id, kind), 0.0),
                    places=2,
                    msg=account.name,
                )
            posted = self.env["kopdes.savings.transaction"].search(
                [("product_id", "=", product.id), ("state", "=", "posted")]
            )
            self.assertAlmostEqual(total, sum(posted.mapped("signed_amount")), places=2)
        # every savings entry is balanced and posted
        moves = self.env["kopdes.savings.transaction"].search([]).move_id
        self.assertEqual(set(moves.mapped("state")), {"posted"} if moves else set())
        for move in moves:
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, places=2)

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(operations=st.lists(OPERATION, min_size=1, max_size=25))
    def test_balances_match_the_general_ledger(self, operations):
        start = self.today - timedelta(days=100)
        step = 95 / len(operations)
        with self.env.cr.savepoint() as savepoint:
            state = {"balance": {}, "posted": [], "left": set(), "batches": set()}
            for index, (op, member_index, kind, amount, pick) in enumerate(operations):
                day = start + timedelta(days=int(index * step))
                self._run(state, op, member_index, kind, amount, pick, day)
            self._check_ledger(state)
            self.env.flush_all()
            savepoint.close(rollback=True)
        self.env.invalidate_all()
