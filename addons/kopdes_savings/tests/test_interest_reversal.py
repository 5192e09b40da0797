from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_savings.tools import periods

from .common import KopdesSavingsCommon, books_snapshot


@tagged("post_install", "-at_install")
class TestInterestBatchReversal(KopdesSavingsCommon):
    """A month's interest taken back as a whole (``_kopdes_reverse_credits``, what reopening
    a month-end close does): one entry per journal, one reversal per credit, PPh included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Batch = cls.env["kopdes.savings.interest.batch"]
        cls.month = periods.previous_period(kopdes_today(cls.env))
        cls.earlier = periods.previous_period(cls.month)
        cls.end = periods.period_end(cls.month)
        cls.sukarela.interest_rate = 12.0
        cls.berjangka.interest_rate = 12.0
        cls.tax_account = cls.company.kopdes_savings_pph_account_id
        cls.member_c = cls._create_member(9103, "Anggota Tiga")

    def setUp(self):
        super().setUp()
        # a above the PPh threshold (taxed), b on two products, c small
        self.a = self.account(self.member_a, "sukarela")
        self.a._kopdes_deposit(30_000_000, date=self.earlier)
        self.b = self.account(self.member_b, "sukarela")
        self.b._kopdes_deposit(2_000_000, date=self.earlier)
        self.b_term = self.account(self.member_b, "berjangka")
        self.b_term._kopdes_deposit(5_000_000, date=self.earlier)
        self.c = self.account(self.member_c, "sukarela")
        self.c._kopdes_deposit(150_000, date=self.earlier)
        self.accounts = self.a | self.b | self.b_term | self.c
        self.before = {acc: acc.balance for acc in self.accounts}

    def ledger(self):
        return {
            account: self.gl_balance(account)
            for account in (
                self.tax_account,
                self.sukarela.interest_account_id,
                self.berjangka.interest_account_id,
                self.sukarela.account_id,
                self.berjangka.account_id,
            )
        }

    def test_reversal_as_a_whole(self):
        ledger_before = self.ledger()
        batch = self.Batch._kopdes_run(self.company, self.month)
        credits = batch.transaction_ids
        self.assertEqual(len(credits), 4)
        self.assertTrue(credits.filtered(lambda tx: tx.account_id == self.a).tax_withheld)
        reversals = batch._kopdes_reverse_credits(self.end, "Tutup buku dibuka kembali")
        self.assertEqual(batch.state, "reversed")
        self.assertEqual(len(reversals), 4)
        self.assertEqual(set(reversals.mapped("type")), {"reversal"})
        self.assertEqual(set(reversals.mapped("state")), {"posted"})
        self.assertEqual(set(reversals.mapped("date")), {self.end})
        self.assertEqual(reversals.reversal_of_id, credits)
        for credit in credits:
            self.assertEqual(credit.reversed_by_id.reversal_of_id, credit)
            self.assertEqual(credit.reversed_by_id.amount, credit.amount)
            self.assertEqual(credit.reversed_by_id.signed_amount, -credit.amount)
        # one entry per journal of the batch, the balances and the ledger as before
        self.assertEqual(len(reversals.move_id), len(batch.move_ids))
        self.assertTrue(all(move.state == "posted" for move in reversals.move_id))
        self.assertEqual({acc: acc.balance for acc in self.accounts}, self.before)
        self.assertEqual(self.ledger(), ledger_before)
        for account in self.accounts:
            last = self.env["kopdes.savings.transaction"].search(
                [("account_id", "=", account.id), ("state", "=", "posted")],
                order="date desc, posting_seq desc, id desc",
                limit=1,
            )
            self.assertEqual(last, reversals.filtered(lambda tx, acc=account: tx.account_id == acc))
            self.assertEqual(last.balance_after, self.before[account])
        # the entries are the savings code's: Accounting cannot reset them
        with self.assertRaises(UserError):
            reversals.move_id[:1].button_draft()
        # the month can be credited again, with the same figures
        again = self.Batch._kopdes_run(self.company, self.month)
        self.assertNotEqual(again, batch)
        self.assertEqual(
            (again.total_gross, again.total_tax, again.total_amount),
            (batch.total_gross, batch.total_tax, batch.total_amount),
        )

    def test_a_credit_reversed_on_its_own_is_not_reversed_twice(self):
        ledger_before = self.ledger()
        batch = self.Batch._kopdes_run(self.company, self.month)
        taxed = batch.transaction_ids.filtered(lambda tx: tx.account_id == self.a)
        alone = taxed.action_reverse(reason="Salah hitung")
        reversals = batch._kopdes_reverse_credits(self.end, "Tutup buku dibuka kembali")
        self.assertEqual(len(reversals), 3)
        self.assertNotIn(taxed, reversals.reversal_of_id)
        self.assertEqual(taxed.reversed_by_id, alone)
        self.assertEqual({acc: acc.balance for acc in self.accounts}, self.before)
        self.assertEqual(self.ledger(), ledger_before)
        self.assertEqual(batch.state, "reversed")

    def test_refused_when_the_interest_was_spent(self):
        batch = self.Batch._kopdes_run(self.company, self.month)
        credit_c = batch.transaction_ids.filtered(lambda tx: tx.account_id == self.c)
        self.assertGreater(credit_c.amount, 0)
        # the member takes out everything, interest included
        self.c._kopdes_withdraw(self.c.balance - self.sukarela.minimum_balance)
        self.env.flush_all()
        books = books_snapshot(self.env, self.company)
        with self.assertRaisesMessage(UserError, self.c.display_name):
            batch._kopdes_reverse_credits(self.end, "Tutup buku dibuka kembali")
        self.env.invalidate_all()
        self.assertEqual(books_snapshot(self.env, self.company), books)
        self.assertEqual(batch.state, "posted")
        self.assertFalse(batch.transaction_ids.reversed_by_id)

    def test_queries_do_not_grow_with_the_accounts(self):
        counts = []
        for step, size in enumerate((2, 4, 20)):
            start = periods.add_months(self.earlier, -6 + 2 * step)
            self.savers(f"33750401029{step}", size, start, amount=100_000)
            batch = self.Batch._kopdes_run(self.company, periods.add_months(start, 1))
            self.assertGreaterEqual(batch.account_count, size)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch._kopdes_reverse_credits(batch.period_end, "Uji")
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(batch.state, "reversed")
        # the first reversal also warms the caches
        self.assertEqual(counts[1], counts[2], counts)
