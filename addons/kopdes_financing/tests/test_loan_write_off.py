from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanWriteOff(KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._create_cooperative("KKMP Hapus Buku Lain")
        common = {"company_id": cls.other.id, "company_ids": [Command.set(cls.other.ids)]}
        cls.other_manager = new_test_user(
            cls.env,
            login="fin_wo_other_manager",
            groups="kopdes_members.group_kopdes_manager,kopdes_members.group_kopdes_accountant",
            **common,
        )

    def written_off_loan(self):
        """A loan with accrued interest and late fees unpaid, classed Macet and written
        off on 31/03/2025."""
        loan = self.active_loan(
            member=self.member_c, amount=3_000_000, term=6, day=date(2024, 6, 15)
        )
        self.pay(loan, 500_000 + 30_000, date(2024, 7, 15))
        self.env["kopdes.loan.month.end"].with_user(self.user_akuntan)._kopdes_close(
            date(2025, 3, 31), self.company
        )
        lines = loan.current_line_ids
        self.accrued_open = sum(lines.mapped("interest_accrued")) - sum(
            lines.mapped("interest_receivable_settled")
        )
        self.fees_open = sum(lines.mapped("late_fee_residual"))
        self.assertGreater(self.accrued_open, 0)
        self.assertGreater(self.fees_open, 0)
        write_off = loan.with_user(self.user_pengurus)._kopdes_write_off(
            date(2025, 3, 31), "Anggota pindah, tidak tertagih"
        )
        return loan, write_off

    def test_write_off_is_recorded_once_with_the_entry_amounts(self):
        WriteOff = self.env["kopdes.loan.write.off"]
        self.assertFalse(WriteOff.search([("company_id", "=", self.company.id)]))
        loan, write_off = self.written_off_loan()
        self.assertEqual(WriteOff.search([("loan_id", "=", loan.id)]), write_off)
        self.assertEqual(len(write_off), 1)
        self.assertEqual(loan.write_off_id, write_off)
        self.assertEqual(loan.state, "written_off")
        # the loan's own fields stay filled as before
        self.assertEqual(loan.write_off_date, date(2025, 3, 31))
        self.assertEqual(loan.write_off_reason, "Anggota pindah, tidak tertagih")
        self.assertEqual(loan.write_off_move_id, write_off.move_id)
        self.assertEqual(write_off.date, date(2025, 3, 31))
        self.assertEqual(write_off.reason, "Anggota pindah, tidak tertagih")
        self.assertEqual(write_off.written_off_by_id, self.user_pengurus)
        self.assertEqual(write_off.member_id, loan.member_id)
        self.assertEqual(write_off.company_id, self.company)
        # the figures: the principal left, the accrued interest and fees unpaid
        self.assertEqual(write_off.principal, 2_500_000)
        self.assertEqual(write_off.interest_reversed, self.accrued_open)
        self.assertEqual(write_off.late_fee_reversed, self.fees_open)
        self.assertEqual(write_off.provision_used, 2_500_000)
        # ... equal to the entry's lines
        move = write_off.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.kopdes_loan_id, loan)

        def balance(account):
            lines = move.line_ids.filtered(lambda line: line.account_id == account)
            return sum(lines.mapped("balance"))

        ppap = self.company.kopdes_loan_provision_account_id
        self.assertEqual(balance(ppap), write_off.provision_used)
        self.assertEqual(balance(self.flat.account_principal_id), -write_off.principal)
        self.assertEqual(balance(self.flat.account_interest_income_id), write_off.interest_reversed)
        self.assertEqual(balance(self.flat.account_late_fee_id), write_off.late_fee_reversed)
        self.assertEqual(
            balance(self.flat.account_interest_receivable_id),
            -(write_off.interest_reversed + write_off.late_fee_reversed),
        )
        # ... and to the write-off allocations on the installments
        allocations = self.env["kopdes.loan.allocation"].search(
            [("loan_id", "=", loan.id), ("kind", "=", "write_off")]
        )
        self.assertEqual(sum(allocations.mapped("principal")), write_off.principal)
        self.assertEqual(sum(allocations.mapped("late_fee")), write_off.late_fee_reversed)
        self.assertEqual(
            sum(allocations.mapped("interest_receivable")), write_off.interest_reversed
        )
        self.assertEqual(
            write_off.with_context(lang="en_US").display_name,
            f"{loan.name} – Write-off (03/31/2025)",
        )
        self.assertLedgerMatchesLoans()
        # written off once: a second write-off is refused and records nothing
        with self.assertNothingChanged(), self.assertRaisesMessage(UserError, "Only active"):
            loan.with_user(self.user_pengurus)._kopdes_write_off(date(2025, 3, 31), "lagi")
        self.assertEqual(WriteOff.search([("loan_id", "=", loan.id)]), write_off)
        # the smart button opens it
        action = loan.with_user(self.user_officer).action_view_write_off()
        self.assertEqual(action["res_model"], "kopdes.loan.write.off")
        self.assertEqual(action["res_id"], write_off.id)

    def test_staff_cannot_create_or_change_write_offs(self):
        loan, write_off = self.written_off_loan()
        snapshot = write_off.read(["principal", "reason", "date", "move_id"])
        other_loan = self.active_loan(member=self.member_b)
        vals = {
            "loan_id": other_loan.id,
            "date": date(2025, 3, 31),
            "reason": "x",
            "principal": 1,
        }
        for user in (self.user_officer, self.user_petugas, self.user_pengurus):
            WriteOff = self.env["kopdes.loan.write.off"].with_user(user)
            with self.assertRaises(AccessError):
                WriteOff.create(vals)
            with self.assertRaises(AccessError):
                write_off.with_user(user).write({"principal": 1, "reason": "ubah"})
            with self.assertRaises(AccessError):
                write_off.with_user(user).unlink()
        # the officers, the manager and the accountant read it; the teller does not
        for user in (self.user_officer, self.user_pengurus, self.user_akuntan):
            self.assertEqual(
                write_off.with_user(user).read(["principal"])[0]["principal"], 2_500_000
            )
        with self.assertRaises(AccessError):
            write_off.with_user(self.user_petugas).read(["principal"])
        # superuser mode without the posting code is refused as well
        with self.assertRaisesMessage(UserError, "only by writing off"):
            self.env["kopdes.loan.write.off"].sudo().create(vals)
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            write_off.sudo().with_context(kopdes_loan_posting=False).write({"principal": 1})
        with self.assertRaisesMessage(UserError, "never deleted"):
            write_off.sudo().unlink()
        self.env.invalidate_all()
        self.assertEqual(write_off.read(["principal", "reason", "date", "move_id"]), snapshot)
        self.assertEqual(
            self.env["kopdes.loan.write.off"].search([("loan_id", "=", other_loan.id)]).ids, []
        )
        self.assertEqual(other_loan.state, "active")

    def test_other_cooperative_sees_no_write_off(self):
        loan, write_off = self.written_off_loan()
        WriteOff = (
            self.env["kopdes.loan.write.off"]
            .with_user(self.other_manager)
            .with_context(allowed_company_ids=self.other.ids)
        )
        self.assertFalse(WriteOff.search([]))
        self.assertEqual(WriteOff.search_count([("loan_id", "=", loan.id)]), 0)
        with self.assertRaises(AccessError):
            write_off.with_env(WriteOff.env).read(["principal"])
        # the own cooperative's manager finds it
        mine = self.env["kopdes.loan.write.off"].with_user(self.user_pengurus).search([])
        self.assertEqual(mine, write_off)
