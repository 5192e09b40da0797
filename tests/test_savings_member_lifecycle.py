"""Cross-addon: a member's whole life with the cooperative, from application to exit
(kopdes_members lifecycle, kopdes_savings accounts and transactions, Accounting)."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.kopdes_members.tests.common import make_nik
from odoo.addons.kopdes_savings.tests.common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsMemberLifecycle(KopdesSavingsCommon):
    def test_from_application_to_exit(self):
        # an applicant has no savings accounts yet
        member = (
            self.env["kopdes.member"]
            .with_user(self.user_petugas)
            .create(
                {
                    "name": "Wahyu Hidayat",
                    "nik": make_nik(9301),
                    "mobile": "081399990001",
                    "company_id": self.company.id,
                }
            )
        )
        self.assertEqual(member.state, "applicant")
        self.assertFalse(member.savings_account_ids)
        # the manager approves: member number, pokok and wajib accounts
        member.with_user(self.user_pengurus).action_approve()
        self.assertEqual(member.state, "active")
        self.assertTrue(member.member_number)
        self.assertEqual(sorted(member.savings_account_ids.mapped("kind")), ["pokok", "wajib"])

        # the teller takes simpanan pokok and the first wajib at the counter
        Transaction = self.env["kopdes.savings.transaction"].with_user(self.user_petugas)
        for kind, amount in (("pokok", 100000), ("wajib", 20000)):
            form = Form(Transaction.with_context(default_type="deposit", default_kind=kind))
            form.member_id = member
            form.amount = amount
            form.save().action_post()
        self.env["kopdes.savings.due"]._kopdes_generate(self.company)
        member.invalidate_recordset()
        self.assertEqual(member.wajib_months_behind, 0)
        self.assertEqual(member.savings_balance_pokok, 100000)
        self.assertEqual(member.savings_balance_wajib, 20000)
        # and opens simpanan sukarela with a first deposit
        sukarela = member._kopdes_savings_account("sukarela", create=True)
        sukarela.with_user(self.user_petugas)._kopdes_deposit(300000)
        self.assertEqual(member.savings_balance_total, 420000)

        # every rupiah is in the books, on the member's partner
        partner = member.partner_id
        self.assertEqual(self.gl_balance(self.pokok.account_id, partner), 100000)
        self.assertEqual(self.gl_balance(self.wajib.account_id, partner), 20000)
        self.assertEqual(self.gl_balance(self.sukarela.account_id, partner), 300000)

        # a member with money is never deleted and does not simply resign
        self.assertEqual(member._kopdes_money_attached(), member)
        with self.assertRaises(UserError):
            member.with_user(self.user_pengurus).unlink()
        with self.assertRaisesMessage(UserError, "Exit Settlement"):
            member.with_user(self.user_pengurus)._kopdes_change_state(
                "resigned", date.today(), "Pindah ke kota"
            )

        # the exit settlement refunds everything and ends the membership
        action = member.with_user(self.user_pengurus).action_open_exit_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_pengurus)
            .with_context(action["context"])
        )
        wizard.reason = "Pindah ke kota"
        wizard = wizard.save()
        self.assertEqual(wizard.net_refund, 420000)
        wizard.action_confirm()
        self.assertEqual(member.state, "resigned")
        self.assertEqual(member.savings_balance_total, 0)
        for product in (self.pokok, self.wajib, self.sukarela):
            self.assertEqual(self.gl_balance(product.account_id, partner), 0)
        self.assertFalse(member.savings_account_ids.filtered(lambda a: a.state == "open"))
        # the passbook still shows the whole history
        lines = sukarela._kopdes_passbook_lines()
        self.assertEqual([line["balance"] for line in lines], [300000, 0])
        self.assertIn("Exit", lines[-1]["label"])
