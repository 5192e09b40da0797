from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestExitSettlement(KopdesSavingsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Member = type(cls.env["kopdes.member"])
        cls.loan_receivable = cls.env["account.account"].create(
            {
                "name": "Piutang Pinjaman Anggota (uji)",
                "code": "11990001",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )

    def _fill(self, member):
        self.deposit(member, "pokok", 100000)
        self.deposit(member, "wajib", 60000)
        self.deposit(member, "sukarela", 250000)

    def _wizard(self, member, **values):
        form = Form(
            self.env["kopdes.savings.exit.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_member_id=member.id)
        )
        form.exit_type = values.pop("exit_type", "resigned")
        form.reason = values.pop("reason", "Surat pengunduran diri")
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    @contextmanager
    def owes(self, amount, captured=None):
        """Stand-in for kopdes_financing: the extension point says the member owes ``amount``."""

        def deduction_lines(members, day):
            return [
                {
                    "member_id": self.member_a.id,
                    "amount": amount,
                    "account_id": self.loan_receivable.id,
                    "name": "Pelunasan pinjaman",
                    "loan_ref": "PJM/001",
                }
            ]

        def settled(members, move, deductions):
            if captured is not None:
                captured.append((move, deductions))
            return True

        with (
            patch.object(self.Member, "_kopdes_exit_deduction_lines", deduction_lines),
            patch.object(self.Member, "_kopdes_exit_settled", settled),
        ):
            yield

    def test_resignation_refunds_everything(self):
        self._fill(self.member_a)
        self.env["kopdes.savings.due"]._kopdes_generate(self.company)
        wizard = self._wizard(self.member_a)
        self.assertEqual(wizard.total_savings, 410000.0)
        self.assertEqual(wizard.amount_owed, 0.0)
        self.assertEqual(wizard.net_refund, 410000.0)
        self.assertEqual(len(wizard.line_ids), 3)
        wizard.action_confirm()
        self.assertEqual(self.member_a.state, "resigned")
        accounts = self.member_a.savings_account_ids
        self.assertEqual(set(accounts.mapped("state")), {"closed"})
        self.assertEqual(set(accounts.mapped("balance")), {0.0})
        refunds = self.env["kopdes.savings.transaction"].search(
            [("member_id", "=", self.member_a.id), ("type", "=", "exit_refund")]
        )
        self.assertEqual(len(refunds), 3)
        move = refunds.move_id
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "posted")
        cash = self.cash_journal.default_account_id
        lines = {line.account_id: line for line in move.line_ids}
        self.assertEqual(lines[cash].credit, 410000.0)
        self.assertEqual(lines[self.pokok.account_id].debit, 100000.0)
        self.assertEqual(lines[self.wajib.account_id].debit, 60000.0)
        self.assertEqual(lines[self.sukarela.account_id].debit, 250000.0)
        for product in (self.pokok, self.wajib, self.sukarela):
            self.assertEqual(self.gl_balance(product.account_id, self.member_a.partner_id), 0.0)
        # this month's unpaid due is cancelled; no arrears after leaving
        self.member_a.invalidate_recordset()
        self.assertEqual(self.member_a.wajib_months_behind, 0)
        # nothing more can be saved or withdrawn
        with self.assertRaises(UserError):
            self.deposit(self.member_a, "sukarela", 1000)

    def test_deduction_of_what_is_owed(self):
        self._fill(self.member_a)
        captured = []
        with self.owes(150000, captured):
            wizard = self._wizard(self.member_a, exit_type="deceased", beneficiary="Sumiyati")
            self.assertEqual(wizard.amount_owed, 150000.0)
            self.assertEqual(wizard.net_refund, 260000.0)
            wizard.action_confirm()
        self.assertEqual(self.member_a.state, "deceased")
        ((move, deductions),) = captured
        lines = {line.account_id: line for line in move.line_ids}
        self.assertEqual(lines[self.cash_journal.default_account_id].credit, 260000.0)
        deduction_line = lines[self.loan_receivable]
        self.assertEqual(deduction_line.credit, 150000.0)
        self.assertEqual(deduction_line.partner_id, self.member_a.partner_id)
        self.assertTrue(deduction_line.kopdes_exit_deduction)
        self.assertEqual(deductions[0]["move_line_id"], deduction_line.id)
        self.assertEqual(deductions[0]["amount"], 150000.0)
        self.assertEqual(deductions[0]["loan_ref"], "PJM/001")

    def test_debt_larger_than_savings(self):
        self._fill(self.member_a)
        captured = []
        with self.owes(1000000, captured):
            wizard = self._wizard(self.member_a)
            self.assertEqual(wizard.amount_deducted, 410000.0)
            self.assertEqual(wizard.net_refund, 0.0)
            self.assertEqual(wizard.remaining_debt, 590000.0)
            wizard.action_confirm()
        ((move, deductions),) = captured
        self.assertEqual(deductions[0]["amount"], 410000.0)
        self.assertFalse(
            move.line_ids.filtered(
                lambda line: line.account_id == self.cash_journal.default_account_id
            )
        )

    def test_member_without_savings(self):
        wizard = self._wizard(self.member_b)
        wizard.action_confirm()
        self.assertEqual(self.member_b.state, "resigned")
        self.assertEqual(set(self.member_b.savings_account_ids.mapped("state")), {"closed"})

    def test_only_managers_settle_and_only_once(self):
        self._fill(self.member_a)
        with self.assertRaises(AccessError):
            self.member_a.with_user(self.user_petugas).action_open_exit_wizard()
        wizard = self._wizard(self.member_a)
        with self.assertBooksUnchanged(), self.assertRaises(AccessError):
            wizard.with_user(self.user_petugas).action_confirm()
        wizard.action_confirm()
        again = self.env["kopdes.savings.exit.wizard"].create(
            {"member_id": self.member_a.id, "reason": "lagi"}
        )
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "already left"):
            again.action_confirm()
        # exit refunds are not reversible
        refund = self.env["kopdes.savings.transaction"].search(
            [("member_id", "=", self.member_a.id), ("type", "=", "exit_refund")], limit=1
        )
        with self.assertRaisesMessage(UserError, "cannot be reversed"):
            refund.action_reverse()

    def test_future_exit_date_refused(self):
        self._fill(self.member_a)
        wizard = self._wizard(self.member_a)
        wizard.date = date(2999, 1, 1)
        with self.assertBooksUnchanged(), self.assertRaisesMessage(UserError, "future"):
            wizard.action_confirm()
        self.assertEqual(self.member_a.state, "active")
