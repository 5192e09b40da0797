from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsSecurity(KopdesSavingsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._create_cooperative("KKMP Uji Lain")
        cls.user_other = new_test_user(
            cls.env,
            login="sav_other_petugas",
            groups="kopdes_members.group_kopdes_manager",
            company_id=cls.other.id,
            company_ids=[Command.set(cls.other.ids)],
        )
        cls.other_member = cls._create_member(9201, "Anggota Lain", company=cls.other)
        cls.other_account = (
            cls.other_member.with_company(cls.other)
            .with_context(allowed_company_ids=cls.other.ids)
            ._kopdes_savings_account("sukarela", create=True)
        )
        cls.other_account.with_context(allowed_company_ids=cls.other.ids)._kopdes_deposit(500000)

    def test_petugas_deposits_and_withdraws(self):
        Transaction = self.env["kopdes.savings.transaction"].with_user(self.user_petugas)
        account = self.account(self.member_a, "sukarela")
        for tx_type, amount in (("deposit", 100000), ("withdrawal", 30000)):
            tx = Transaction.create(
                {
                    "member_id": self.member_a.id,
                    "kind": "sukarela",
                    "type": tx_type,
                    "amount": amount,
                }
            )
            tx.action_post()
            self.assertEqual(tx.state, "posted")
        self.assertEqual(account.with_user(self.user_petugas).balance, 70000.0)
        with self.assertRaises(AccessError):
            self.sukarela.with_user(self.user_petugas).interest_rate = 10
        with self.assertRaises(AccessError):
            self.env["kopdes.savings.product"].with_user(self.user_petugas).create(
                {
                    "name": "X",
                    "code": "X",
                    "kind": "sukarela",
                    "journal_id": self.sukarela.journal_id.id,
                    "account_id": self.sukarela.account_id.id,
                }
            )

    def test_pengurus_configures_products(self):
        self.sukarela.with_user(self.user_pengurus).interest_rate = 4.0
        self.assertEqual(self.sukarela.interest_rate, 4.0)

    def test_akuntan_reads_everything_and_posts_nothing(self):
        tx = self.deposit(self.member_a, "sukarela", 100000)
        as_akuntan = self.env(user=self.user_akuntan)
        self.assertEqual(as_akuntan["kopdes.savings.transaction"].browse(tx.id).amount, 100000.0)
        self.assertEqual(
            as_akuntan["kopdes.savings.account"].browse(tx.account_id.id).balance, 100000.0
        )
        self.assertTrue(as_akuntan["account.move"].browse(tx.move_id.id).line_ids)
        self.assertTrue(as_akuntan["kopdes.savings.product"].search([]))
        as_akuntan["kopdes.savings.due"].search([])
        with self.assertRaises(AccessError):
            as_akuntan["kopdes.savings.transaction"].create(
                {"member_id": self.member_a.id, "kind": "sukarela", "type": "deposit", "amount": 5}
            )
        with self.assertRaises(AccessError):
            as_akuntan["kopdes.savings.transaction"].browse(tx.id).action_reverse()

    def test_other_company_sees_nothing(self):
        self.deposit(self.member_a, "sukarela", 100000)
        as_other = self.env(user=self.user_other, context={"allowed_company_ids": self.other.ids})
        for model in (
            "kopdes.savings.account",
            "kopdes.savings.transaction",
            "kopdes.savings.product",
        ):
            with self.subTest(model=model):
                records = as_other[model].search([])
                self.assertTrue(records)
                self.assertEqual(records.company_id, self.other)
        mine = self.account(self.member_a, "sukarela")
        with self.assertRaises(AccessError):
            as_other["kopdes.savings.account"].browse(mine.id).balance  # noqa: B018

    def test_withdrawal_on_other_company_account_refused(self):
        Transaction = self.env["kopdes.savings.transaction"]
        with self.assertBooksUnchanged(self.other), self.assertBooksUnchanged():
            # a teller of this cooperative cannot use the account (access or company check)
            with self.assertRaises(UserError):
                Transaction.with_user(self.user_petugas).create(
                    {
                        "account_id": self.other_account.id,
                        "member_id": self.other_member.id,
                        "type": "withdrawal",
                        "amount": 1000,
                        "company_id": self.company.id,
                    }
                )
            # and the cooperative of a transaction must be the account's
            with self.assertRaises(UserError):
                Transaction.create(
                    {
                        "account_id": self.other_account.id,
                        "member_id": self.other_member.id,
                        "type": "withdrawal",
                        "amount": 1000,
                        "company_id": self.company.id,
                        "payment_journal_id": self.cash_journal.id,
                    }
                ).action_post()
        self.assertEqual(self.other_account.balance, 500000.0)

    def test_pos_check_never_tells_the_amount(self):
        self.deposit(self.member_a, "sukarela", 123456)
        method = self.company._kopdes_savings_pos_payment_method()
        cashier = new_test_user(
            self.env,
            login="sav_kasir",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        Method = self.env["pos.payment.method"].with_user(cashier)
        ok = Method.kopdes_savings_check(method.id, self.member_a.partner_id.id, 100000)
        short = Method.kopdes_savings_check(method.id, self.member_a.partner_id.id, 200000)
        self.assertEqual(set(ok), {"sufficient", "message"})
        self.assertTrue(ok["sufficient"])
        self.assertFalse(short["sufficient"])
        for answer in (ok, short):
            self.assertNotIn("123", answer["message"])
        stranger = self.env["res.partner"].create({"name": "Bukan Anggota"})
        self.assertFalse(Method.kopdes_savings_check(method.id, stranger.id, 1)["sufficient"])
        # the cashier cannot read the account itself
        with self.assertRaises(AccessError):
            self.env["kopdes.savings.account"].with_user(cashier).search([])
