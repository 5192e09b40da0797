import math
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_savings.tools import periods

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsInterest(KopdesSavingsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Batch = cls.env["kopdes.savings.interest.batch"]
        today = kopdes_today(cls.env)
        cls.month = periods.previous_period(today)  # last month, finished
        cls.month_end = periods.period_end(cls.month)
        cls.earlier = periods.previous_period(cls.month)
        cls.days = (cls.month_end - cls.month).days + 1
        cls.year_days = 366 if cls.month.year % 4 == 0 else 365

    def expected(self, base, rate):
        return math.floor(base * rate / 100 * self.days / self.year_days + 1e-9)

    def test_minimum_balance_interest(self):
        # 3% on the minimum balance; accounts below 50,000 earn nothing
        a = self.account(self.member_a, "sukarela")
        a._kopdes_deposit(1000000, date=self.earlier)
        a._kopdes_withdraw(400000, date=self.month + timedelta(days=9))
        a._kopdes_deposit(100000, date=self.month + timedelta(days=19))
        b = self.account(self.member_b, "sukarela")
        b._kopdes_deposit(40000, date=self.earlier)
        batch = self.Batch._kopdes_run(self.company, self.month)
        self.assertEqual(batch.account_count, 1)
        credit = batch.transaction_ids
        self.assertEqual(credit.account_id, a)
        self.assertEqual(credit.amount, self.expected(600000, 3.0))
        self.assertEqual(credit.type, "interest")
        self.assertEqual(credit.state, "posted")
        self.assertEqual(credit.date, self.month_end)
        self.assertEqual(credit.interest_period, self.month)
        self.assertEqual(a.balance, 700000 + credit.amount)
        self.assertEqual(credit.balance_after, 700000 + credit.amount)
        self.assertEqual(b.balance, 40000)
        # one entry for the journal: interest expense against the sukarela account
        move = batch.move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.kopdes_savings_transaction_ids, credit)
        lines = {line.account_id: line for line in move.line_ids}
        self.assertEqual(lines[self.sukarela.account_id].credit, credit.amount)
        self.assertEqual(lines[self.sukarela.interest_account_id].debit, credit.amount)
        self.assertEqual(self.gl_balance(self.sukarela.account_id), a.balance + b.balance)

    def test_average_balance_and_one_entry_per_journal(self):
        self.berjangka.interest_rate = 6.0
        self.berjangka.journal_id = self.env["account.journal"].create(
            {"name": "Simpanan Berjangka", "code": "SBJ", "type": "general"}
        )
        c = self.account(self.member_a, "berjangka")
        c._kopdes_deposit(2000000, date=self.earlier)
        half = self.days // 2
        c._kopdes_deposit(1000000, date=self.month_end - timedelta(days=half - 1))
        s = self.account(self.member_b, "sukarela")
        s._kopdes_deposit(500000, date=self.earlier)
        batch = self.Batch._kopdes_run(self.company, self.month)
        self.assertEqual(batch.account_count, 2)
        self.assertEqual(len(batch.move_ids), 2)
        self.assertEqual(set(batch.move_ids.journal_id.mapped("code")), {"SBJ", "SMPN"})
        by_account = {tx.account_id: tx for tx in batch.transaction_ids}
        average = (2000000 * self.days + 1000000 * half) / self.days
        self.assertEqual(by_account[c].amount, self.expected(average, 6.0))
        self.assertEqual(by_account[s].amount, self.expected(500000, 3.0))
        self.assertEqual(batch.total_amount, by_account[c].amount + by_account[s].amount)

    def test_idempotent_per_month(self):
        self.account(self.member_a, "sukarela")._kopdes_deposit(1000000, date=self.earlier)
        first = self.Batch._kopdes_run(self.company, self.month)
        moves = self.env["account.move"].search_count([("company_id", "=", self.company.id)])
        with self.assertBooksUnchanged():
            second = self.Batch._kopdes_run(self.company, self.month_end)
            self.env.ref("kopdes_savings.ir_cron_kopdes_savings_interest").method_direct_trigger()
        self.assertEqual(first, second)
        self.assertEqual(
            self.env["account.move"].search_count([("company_id", "=", self.company.id)]), moves
        )
        self.assertEqual(
            self.env["kopdes.savings.transaction"].search_count(
                [("type", "=", "interest"), ("company_id", "=", self.company.id)]
            ),
            1,
        )

    def test_current_month_refused(self):
        with self.assertRaisesMessage(UserError, "after the month has ended"):
            self.Batch._kopdes_run(self.company, kopdes_today(self.env))

    def test_interest_can_be_reversed(self):
        account = self.account(self.member_a, "sukarela")
        account._kopdes_deposit(1000000, date=self.earlier)
        credit = self.Batch._kopdes_run(self.company, self.month).transaction_ids
        credit.action_reverse()
        self.assertEqual(account.balance, 1000000)
        self.assertEqual(self.gl_balance(self.sukarela.account_id), 1000000)
        self.assertEqual(self.gl_balance(self.sukarela.interest_account_id), 0.0)

    def test_query_count_does_not_grow_with_accounts(self):
        """Crediting interest is a fixed number of queries, whatever the number of accounts."""
        start = periods.add_months(self.month, -4)
        counts = []
        for step, size in enumerate((1, 3, 25)):
            self.savers(f"33750401019{step}", size, start)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch = self.Batch._kopdes_run(self.company, periods.add_months(self.month, step - 2))
            counts.append(self.env.cr.sql_log_count - before)
            self.assertGreaterEqual(batch.account_count, size)
        # the first run also warms the caches
        self.assertEqual(counts[1], counts[2], counts)
