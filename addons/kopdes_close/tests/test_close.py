from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon

MONTH = date(2025, 4, 1)  # a 30-day month in the past
END = date(2025, 4, 30)


@tagged("post_install", "-at_install")
class TestMonthEndClose(KopdesFinancingCommon):
    """The month-end close of one cooperative: jobs in order, reconciliation, lock, reopen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 3.65 % a year over a 30-day month: the interest is 0.3 % of the balance, so
        # 80,000,000 gives exactly the Rp 240.000 PPh threshold
        cls.sukarela.interest_rate = 3.65
        cls.tax_account = cls.company.kopdes_savings_pph_account_id
        cls.Close = cls.env["kopdes.close"]

    def setUp(self):
        super().setUp()
        self.deposit(self.member_a, "sukarela", 80_000_000, date(2025, 3, 15))
        self.deposit(self.member_b, "sukarela", 80_000_400, date(2025, 3, 15))
        self.account(self.member_a, "wajib")
        self.account(self.member_b, "wajib")
        # a loan left unpaid from its first installment (due 2025-02-28): late fees,
        # accrued interest, days past due and a provision at the end of April
        self.loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))

    def make_close(self, user=None):
        return self.Close.with_user(user or self.user_akuntan).create(
            {"company_id": self.company.id, "date_from": MONTH}
        )

    def books(self):
        """Everything the close may change: ledger per account, savings balances, the
        installments' late fees and accruals, dues, snapshots."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "SELECT account_id, SUM(balance) FROM account_move_line WHERE company_id = %s "
            "AND parent_state = 'posted' GROUP BY account_id HAVING SUM(balance) != 0 "
            "ORDER BY account_id",
            [self.company.id],
        )
        ledger = cr.fetchall()
        cr.execute(
            "SELECT id, balance FROM kopdes_savings_account WHERE company_id = %s ORDER BY id",
            [self.company.id],
        )
        balances = cr.fetchall()
        cr.execute(
            "SELECT id, late_fee, late_fee_date, interest_accrued FROM kopdes_loan_line "
            "WHERE company_id = %s ORDER BY id",
            [self.company.id],
        )
        lines = cr.fetchall()
        cr.execute(
            "SELECT COUNT(*) FROM kopdes_savings_due WHERE company_id = %s", [self.company.id]
        )
        dues = cr.fetchone()[0]
        cr.execute(
            "SELECT COUNT(*) FROM kopdes_loan_snapshot WHERE company_id = %s", [self.company.id]
        )
        snapshots = cr.fetchone()[0]
        return ledger, balances, lines, dues, snapshots

    def manual_entry(self, day, amount, ref):
        """A posted entry typed in Accounting on the sukarela control account (no savings
        transaction behind it): the reconciliation must show it."""
        manual = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "journal_id": self.cash.id,
                    "company_id": self.company.id,
                    "date": day,
                    "ref": ref,
                    "line_ids": [
                        Command.create(
                            {"account_id": self.sukarela.account_id.id, "credit": amount}
                        ),
                        Command.create(
                            {"account_id": self.cash.default_account_id.id, "debit": amount}
                        ),
                    ],
                }
            )
        )
        manual.action_post()
        return manual

    def step(self, close, code):
        return close.step_ids.filtered(lambda step: step.code == code)

    def test_close_runs_the_jobs_in_order_and_twice_posts_nothing_twice(self):
        close = self.make_close()
        close.action_run()
        self.assertEqual(close.state, "running")
        self.assertEqual(
            close.step_ids.mapped("code"),
            ["dues", "interest", "late_fees", "accrual", "arrears", "provision"],
        )
        dues = self.env["kopdes.savings.due"].search(
            [("company_id", "=", self.company.id), ("period_start", "=", MONTH)]
        )
        self.assertIn(self.member_a, dues.member_id)
        self.assertEqual(self.step(close, "dues").record_count, len(dues))
        self.assertEqual(dues.kopdes_close_id, close)
        interest = self.step(close, "interest")
        self.assertEqual(interest.record_count, 2)
        # PPh final: none at exactly Rp 240.000, 10 % of the whole just above it
        credits = close.interest_batch_id.transaction_ids.sorted("member_id")
        by_member = {tx.member_id: tx for tx in credits}
        self.assertEqual(by_member[self.member_a].interest_gross, 240_000)
        self.assertEqual(by_member[self.member_a].tax_withheld, 0)
        self.assertEqual(by_member[self.member_b].interest_gross, 240_001)
        self.assertEqual(by_member[self.member_b].tax_withheld, 24_000)
        self.assertEqual(by_member[self.member_b].amount, 216_001)
        self.assertEqual(self.gl(self.tax_account), -24_000)
        self.assertEqual(interest.amount, 480_001)
        # loans: late fees, accrual (Feb, Mar, Apr installments) and provision posted
        self.assertTrue(self.step(close, "late_fees").move_ids)
        self.assertEqual(self.step(close, "accrual").amount, 36_000)
        self.assertEqual(self.step(close, "arrears").record_count, 1)
        self.assertTrue(self.step(close, "provision").move_ids)
        self.assertEqual(close.snapshot_count, 1)
        snapshot = self.env["kopdes.loan.snapshot"].search(
            [("month_end_id", "=", close.loan_month_end_id.id)]
        )
        self.assertEqual(snapshot.date, END)
        self.assertEqual(snapshot.days_past_due, (END - date(2025, 2, 28)).days)
        self.assertEqual(snapshot.outstanding, 1_200_000)
        moves = close.move_ids
        self.assertEqual(moves, (close.step_ids.move_ids | close.interest_batch_id.move_ids))
        self.assertTrue(all(move.date == END for move in moves))
        self.assertFalse(close.difference_count, close.reconciliation_ids.mapped("difference"))
        kinds = set(close.reconciliation_ids.mapped("kind"))
        self.assertEqual(kinds, {"savings", "principal", "receivable", "provision"})
        first = self.books()
        # again: nothing posted twice
        close.action_run()
        self.assertEqual(self.books(), first)
        self.assertEqual(close.move_ids, moves)
        self.assertEqual(close.run_count, 2)
        # confirm: the month is locked
        close.action_confirm()
        self.assertEqual(close.state, "done")
        self.assertEqual(self.company.fiscalyear_lock_date, END)
        self.assertTrue(self.Close._kopdes_is_closed(self.company, date(2025, 4, 17)))
        self.assertFalse(self.Close._kopdes_is_closed(self.company, date(2025, 5, 1)))
        with self.assertRaisesMessage(UserError, "reopen"):
            close.action_run()
        # the cron on the first day of the next months: closes that month, the locked one
        # stays as it is
        self.assertEqual(self.books(), first)
        messages = close.message_ids.mapped("body")
        self.assertEqual(len([m for m in messages if "Close run" in m or "Tutup buku" in m]), 2)

    def test_difference_refuses_to_lock(self):
        close = self.make_close()
        # an entry typed in Accounting on the sukarela control account
        manual = self.manual_entry(date(2025, 4, 10), 5_000, "Koreksi manual")
        close.action_run()
        line = close.reconciliation_ids.filtered(
            lambda rec: rec.account_id == self.sukarela.account_id
        )
        self.assertEqual(line.difference, 5_000)
        self.assertEqual(line.ledger_balance - line.subledger_balance, 5_000)
        self.assertEqual(line.document_ids.move_id, manual)
        self.assertEqual(line.document_ids.reason, "manual")
        self.assertEqual(close.difference_count, 1)
        before = self.books()
        with self.assertRaisesMessage(UserError, self.sukarela.account_id.code):
            close.action_confirm()
        self.assertEqual(close.state, "running")
        self.assertFalse(self.company.fiscalyear_lock_date)
        self.assertEqual(self.books(), before)

    def report(self, close, user=None):
        """The close report (HTML of the PDF) as an lxml tree."""
        html = (
            self.env["ir.actions.report"]
            .with_user(user or self.user_akuntan)
            ._render_qweb_html("kopdes_close.action_report_close", close.ids)[0]
        )
        return etree.fromstring(html, etree.HTMLParser())

    @staticmethod
    def rows(tree, table_class):
        return [
            [" ".join("".join(cell.itertext()).split()) for cell in row.findall("td")]
            for row in tree.xpath(f"//table[contains(@class, '{table_class}')]/tbody/tr")
        ]

    def test_close_report(self):
        close = self.make_close()
        close.action_run()
        close.action_confirm()
        tree = self.report(close)
        steps = self.rows(tree, "kopdes-close-steps")
        self.assertEqual(len(steps), 6)
        by_step = {row[0]: row for row in steps}
        interest = self.step(close, "interest")
        label = dict(interest._fields["code"]._description_selection(self.env))["interest"]
        self.assertEqual(by_step[label][1], "2")
        self.assertIn("480,001.00", by_step[label][2])
        self.assertIn(interest.move_ids[:1].name, by_step[label][3])
        reconciliation = self.rows(tree, "kopdes-close-reconciliation")
        self.assertEqual(len(reconciliation), len(close.reconciliation_ids))
        sukarela = next(row for row in reconciliation if self.sukarela.account_id.code in row[1])
        line = close.reconciliation_ids.filtered(
            lambda rec: rec.account_id == self.sukarela.account_id
        )
        # 80,000,000 + 80,000,400 deposited, 240,000 + 216,001 interest credited
        self.assertEqual(line.ledger_balance, 160_456_401)
        self.assertIn("160,456,401.00", sukarela[2])
        self.assertEqual(sukarela[2], sukarela[3])
        self.assertTrue(tree.xpath("//p[contains(@class, 'kopdes-close-agree')]"))
        self.assertFalse(tree.xpath("//table[contains(@class, 'kopdes-close-documents')]"))
        self.assertEqual(
            close.company_id.name, tree.xpath("//*[@class='kopdes-letterhead-name']")[0].text
        )

    def test_close_report_lists_the_documents_that_differ(self):
        close = self.make_close()
        manual = self.manual_entry(date(2025, 4, 12), 7_500, "Setoran tanpa transaksi")
        close.action_run()
        tree = self.report(close, self.user_pengurus)
        self.assertFalse(tree.xpath("//p[contains(@class, 'kopdes-close-agree')]"))
        self.assertTrue(tree.xpath("//p[contains(@class, 'kopdes-close-differ')]"))
        documents = self.rows(tree, "kopdes-close-documents")
        self.assertEqual(len(documents), 1)
        account, _name, move, amount, _reason = documents[0]
        self.assertEqual(account, self.sukarela.account_id.code)
        self.assertEqual(move, manual.name)
        self.assertIn("7,500.00", amount)
        sukarela = next(
            row
            for row in self.rows(tree, "kopdes-close-reconciliation")
            if self.sukarela.account_id.code in row[1]
        )
        self.assertIn("7,500.00", sukarela[4])

    def test_reopen_undoes_the_close_completely(self):
        before = self.books()
        close = self.make_close()
        close.action_run()
        after_first = self.books()
        gross_first = close.interest_batch_id.total_gross
        close.action_confirm()
        batch = close.interest_batch_id
        with self.assertRaises(AccessError):
            close.with_user(self.user_akuntan).action_reopen()
        close.with_user(self.user_pengurus).action_reopen()
        self.assertEqual(close.state, "draft")
        self.assertFalse(self.company.fiscalyear_lock_date)
        self.assertFalse(self.Close._kopdes_is_closed(self.company, END))
        ledger, balances, lines, _dues, snapshots = self.books()
        self.assertEqual(
            (ledger, balances, lines, snapshots), (before[0], before[1], before[2], before[4])
        )
        self.assertEqual(_dues, before[3])
        self.assertEqual(batch.state, "reversed")
        self.assertTrue(
            any("reopened" in b or "dibuka kembali" in b for b in close.message_ids.mapped("body"))
        )
        # run again: the same figures as the first run
        close.action_run()
        self.assertEqual(close.interest_batch_id.total_gross, gross_first)
        self.assertNotEqual(close.interest_batch_id, batch)
        again = self.books()
        self.assertEqual(again[0], after_first[0])
        self.assertEqual(again[1], after_first[1])
        self.assertEqual(again[2], after_first[2])
        self.assertFalse(close.difference_count)

    def test_close_entries_are_guarded_in_accounting(self):
        close = self.make_close()
        close.action_run()
        move = self.step(close, "provision").move_ids
        accountant = new_test_user(
            self.env,
            login="close_gl",
            groups="account.group_account_manager,kopdes_members.group_kopdes_accountant",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        before = self.books()
        as_accountant = move.with_user(accountant)
        for action in (
            as_accountant.button_draft,
            as_accountant.button_cancel,
            lambda: as_accountant._reverse_moves(),
            as_accountant.unlink,
        ):
            with self.assertRaisesMessage(UserError, close.name):
                action()
        self.assertEqual(self.books(), before)
        self.assertEqual(move.state, "posted")

    def test_who_runs_closes(self):
        for user in (self.user_petugas, self.user_officer):
            with self.assertRaises(UserError):
                self.make_close(user)
        close = self.make_close(self.user_pengurus)
        before = self.books()
        with self.assertRaises(UserError):
            close.with_user(self.user_petugas).action_run()
        with self.assertRaises(UserError):
            close.with_user(self.user_akuntan).write({"state": "done"})
        self.assertEqual(self.books(), before)
        # the current month cannot be closed before its end
        current = self.Close.with_user(self.user_akuntan).create(
            {"company_id": self.company.id, "date_from": fields.Date.today()}
        )
        with self.assertRaisesMessage(UserError, "last day"):
            current.action_run()
        self.assertEqual(self.books(), before)
        # another cooperative's close is invisible
        other = self._create_cooperative("KKMP Lain")
        stranger = new_test_user(
            self.env,
            login="close_stranger",
            groups="kopdes_members.group_kopdes_accountant",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        as_stranger = self.Close.with_user(stranger).with_context(allowed_company_ids=other.ids)
        self.assertFalse(as_stranger.search([("id", "=", close.id)]))

    def test_cron_closes_the_previous_month_once(self):
        with freeze_time("2025-05-01 03:00:00"):
            self.Close._cron_close()
            close = self.Close.search(
                [("company_id", "=", self.company.id), ("date_from", "=", MONTH)]
            )
            self.assertEqual(close.state, "running")
            self.assertEqual(close.date_to, END)
            self.assertTrue(close.interest_batch_id.move_ids)
            first = self.books()
            moves = close.move_ids
            self.Close._cron_close()
            self.assertEqual(self.books(), first)
            self.assertEqual(close.move_ids, moves)
            self.assertEqual(close.run_count, 2)
        cron = self.env.ref("kopdes_close.ir_cron_kopdes_close")
        self.assertTrue(cron.active)
        # the close runs the savings interest and the loan month-end itself
        self.assertFalse(self.env.ref("kopdes_savings.ir_cron_kopdes_savings_interest").active)
        self.assertFalse(self.env.ref("kopdes_financing.ir_cron_kopdes_loan_month_end").active)
