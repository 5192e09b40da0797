import math

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_savings.tools import periods

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsInterestTax(KopdesSavingsCommon):
    """PPh final on the interest of savings (PP 15/2009), withheld per member and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Batch = cls.env["kopdes.savings.interest.batch"]
        cls.month = periods.previous_period(kopdes_today(cls.env))
        cls.earlier = periods.previous_period(cls.month)
        cls.days = (periods.period_end(cls.month) - cls.month).days + 1
        cls.year_days = 366 if cls.month.year % 4 == 0 else 365
        # rates that reach the threshold with balances of a village cooperative
        cls.sukarela.interest_rate = 12.0
        cls.berjangka.interest_rate = 12.0
        cls.tax_account = cls.company.kopdes_savings_pph_account_id

    def gross(self, base, rate=12.0):
        return math.floor(base * rate / 100 * self.days / self.year_days + 1e-9)

    def assertLedger(self, batch):
        """Tax account = tax withheld, savings accounts = balances, expense = gross."""
        credits = batch.transaction_ids
        self.assertEqual(self.gl_balance(self.tax_account), sum(credits.mapped("tax_withheld")))
        self.assertEqual(batch.total_tax, sum(credits.mapped("tax_withheld")))
        self.assertEqual(batch.total_gross, sum(credits.mapped("interest_gross")))
        self.assertEqual(batch.total_amount, sum(credits.mapped("amount")))
        self.assertEqual(batch.total_gross, batch.total_tax + batch.total_amount)
        self.assertEqual(
            -self.gl_balance(self.sukarela.interest_account_id),
            sum(credits.mapped("interest_gross")),
        )
        for product in (self.sukarela, self.berjangka):
            accounts = self.env["kopdes.savings.account"].search([("product_id", "=", product.id)])
            self.assertEqual(self.gl_balance(product.account_id), sum(accounts.mapped("balance")))
        for credit in credits:
            self.assertEqual(credit.amount, credit.interest_gross - credit.tax_withheld)

    def test_chart_template_gives_the_tax_account(self):
        self.assertEqual(self.tax_account.name, "Utang PPh Final Bunga Simpanan")
        self.assertEqual(self.tax_account.account_type, "liability_current")
        self.assertTrue(self.tax_account.code.startswith("217"), self.tax_account.code)
        self.assertEqual(self.company.kopdes_savings_pph_threshold, 240000)
        self.assertEqual(self.company.kopdes_savings_pph_rate, 10.0)
        generic = self._create_cooperative("KKMP Generik Pajak", chart_template="generic_coa")
        account = generic.kopdes_savings_pph_account_id
        self.assertEqual(account.account_type, "liability_current")
        self.assertEqual(len(account.with_company(generic).code), 6)
        # a company whose field is empty (chart loaded before) gets it from the install step
        self.company.kopdes_savings_pph_account_id = False
        self.company._kopdes_savings_setup()
        self.assertEqual(self.company.kopdes_savings_pph_account_id, self.tax_account)

    def test_at_or_below_threshold_no_tax(self):
        a = self.account(self.member_a, "sukarela")
        a._kopdes_deposit(20000000, date=self.earlier)
        gross = self.gross(20000000)
        self.assertLess(gross, 240000)
        # exactly at the threshold: still no tax
        self.company.kopdes_savings_pph_threshold = gross
        batch = self.Batch._kopdes_run(self.company, self.month)
        credit = batch.transaction_ids
        self.assertEqual(credit.interest_gross, gross)
        self.assertEqual(credit.tax_withheld, 0)
        self.assertEqual(credit.amount, gross)
        self.assertEqual(a.balance, 20000000 + gross)
        self.assertNotIn(self.tax_account, batch.move_ids.line_ids.account_id)
        self.assertLedger(batch)

    def test_above_threshold_whole_interest_taxed(self):
        a = self.account(self.member_a, "sukarela")
        a._kopdes_deposit(30000000, date=self.earlier)
        b = self.account(self.member_b, "sukarela")
        b._kopdes_deposit(1000000, date=self.earlier)
        gross = self.gross(30000000)
        self.assertGreater(gross, 240000)
        batch = self.Batch._kopdes_run(self.company, self.month)
        by_account = {tx.account_id: tx for tx in batch.transaction_ids}
        tax = round(gross * 0.10)
        self.assertEqual(by_account[a].interest_gross, gross)
        self.assertEqual(by_account[a].tax_withheld, tax)
        self.assertEqual(by_account[a].amount, gross - tax)
        self.assertEqual(a.balance, 30000000 + gross - tax)
        self.assertEqual(a.transaction_ids.sorted("date")[-1:].balance_after, a.balance)
        self.assertEqual(by_account[b].tax_withheld, 0)
        self.assertEqual(by_account[b].amount, self.gross(1000000))
        lines = batch.move_ids.line_ids
        self.assertEqual(
            lines.filtered(lambda line: line.account_id == self.tax_account).credit, tax
        )
        self.assertLedger(batch)

    def test_reversing_a_taxed_credit_reverses_the_tax(self):
        a = self.account(self.member_a, "sukarela")
        a._kopdes_deposit(30000000, date=self.earlier)
        batch = self.Batch._kopdes_run(self.company, self.month)
        credit = batch.transaction_ids
        self.assertTrue(credit.tax_withheld)
        expense = self.sukarela.interest_account_id
        reversal = credit.action_reverse(reason="Salah hitung")
        self.assertEqual(reversal.amount, credit.amount)
        self.assertEqual(a.balance, 30000000)
        # the whole credit is undone: gross off the expense, tax off the tax payable account
        self.assertEqual(self.gl_balance(self.tax_account), 0)
        self.assertEqual(self.gl_balance(expense), 0)
        self.assertEqual(self.gl_balance(self.sukarela.account_id), a.balance)
        lines = reversal.move_id.line_ids
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            lines.filtered(lambda line: line.account_id == expense).credit, credit.interest_gross
        )

    def test_two_accounts_crossing_threshold_taxed_on_both(self):
        s = self.account(self.member_a, "sukarela")
        s._kopdes_deposit(13000003, date=self.earlier)
        d = self.account(self.member_a, "berjangka")
        d._kopdes_deposit(14500007, date=self.earlier)
        g_s, g_d = self.gross(13000003), self.gross(14500007)
        self.assertLess(g_s, 240000)
        self.assertLess(g_d, 240000)
        self.assertGreater(g_s + g_d, 240000)
        batch = self.Batch._kopdes_run(self.company, self.month)
        by_account = {tx.account_id: tx for tx in batch.transaction_ids}
        tax_s, tax_d = by_account[s].tax_withheld, by_account[d].tax_withheld
        self.assertEqual(tax_s + tax_d, round((g_s + g_d) * 0.10))
        for tax, gross in ((tax_s, g_s), (tax_d, g_d)):
            self.assertIn(tax, (math.floor(gross * 0.10), math.ceil(gross * 0.10)))
        self.assertEqual(s.balance, 13000003 + g_s - tax_s)
        self.assertEqual(d.balance, 14500007 + g_d - tax_d)
        self.assertLedger(batch)

    def test_settings_threshold_and_rate(self):
        settings = self.env["res.config.settings"].create(
            {"kopdes_savings_pph_threshold": 100000, "kopdes_savings_pph_rate": 15.0}
        )
        settings.execute()
        self.assertEqual(self.company.kopdes_savings_pph_threshold, 100000)
        self.assertEqual(self.company.kopdes_savings_pph_rate, 15.0)
        a = self.account(self.member_a, "sukarela")
        a._kopdes_deposit(20000000, date=self.earlier)
        gross = self.gross(20000000)
        credit = self.Batch._kopdes_run(self.company, self.month).transaction_ids
        self.assertEqual(credit.tax_withheld, round(gross * 0.15))
        self.assertEqual(credit.amount, gross - round(gross * 0.15))
        with self.assertRaisesMessage(ValidationError, "below 100"):
            self.company.kopdes_savings_pph_rate = 100.0

    def test_rerun_posts_nothing_twice(self):
        self.account(self.member_a, "sukarela")._kopdes_deposit(30000000, date=self.earlier)
        first = self.Batch._kopdes_run(self.company, self.month)
        tax = self.gl_balance(self.tax_account)
        self.assertGreater(tax, 0)
        with self.assertBooksUnchanged():
            second = self.Batch._kopdes_run(self.company, self.month)
        self.assertEqual(first, second)
        self.assertEqual(self.gl_balance(self.tax_account), tax)

    def test_no_tax_account_refused(self):
        self.account(self.member_a, "sukarela")._kopdes_deposit(30000000, date=self.earlier)
        self.company.kopdes_savings_pph_account_id = False
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(UserError, "tax payable account"):
                with self.env.cr.savepoint():
                    self.Batch._kopdes_run(self.company, self.month)
        self.assertFalse(self.Batch.search([("company_id", "=", self.company.id)]))

    def test_hooks_get_the_net_credits(self):
        self.account(self.member_a, "sukarela")._kopdes_deposit(30000000, date=self.earlier)
        with (
            self.watch("kopdes.savings.interest.batch", "_kopdes_interest_credited") as credited,
            self.watch("kopdes.savings.transaction", "_kopdes_transactions_posted") as posted,
        ):
            batch = self.Batch._kopdes_run(self.company, self.month)
        self.assertEqual(credited.call_args.args[1], batch.transaction_ids)
        self.assertEqual(posted.call_args.args[1], batch.transaction_ids)
        self.assertGreater(batch.transaction_ids.tax_withheld, 0)
