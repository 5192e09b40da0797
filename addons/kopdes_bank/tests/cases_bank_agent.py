"""The bank agent counter: entries per transaction, the settlement balance per bank equal to
the general ledger, the daily settlement, reversals and refusals; referrals need consent."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user


class BankAgentTests:
    """Mixed into :class:`TestKopdesBank` (one cooperative for all the tests)."""

    @classmethod
    def _setup_agent(cls):
        Partner = cls.env["res.partner"]
        cash = cls.company._kopdes_savings_cash_journal()
        Bank = cls.env["kopdes.agent.bank"]
        cls.bri = Bank.create(
            {
                "name": "BRILink",
                "company_id": cls.company.id,
                "partner_id": Partner.create({"name": "BRI", "is_company": True}).id,
                "fee_cash_in": 2000,
                "fee_cash_out": 3000,
                "max_amount": 5_000_000,
                "cash_journal_id": cash.id,
            }
        )
        cls.bni = Bank.create(
            {
                "name": "Agen46",
                "company_id": cls.company.id,
                "partner_id": Partner.create({"name": "BNI", "is_company": True}).id,
                "fee_cash_in": 1500,
                "fee_cash_out": 2500,
                "cash_journal_id": cash.id,
            }
        )
        cls.cash_account = cash.default_account_id
        cls.settlement = cls.company.kopdes_agent_settlement_account_id
        cls.income = cls.company.kopdes_agent_fee_account_id

    def counter(self, bank, kind, amount, post=True, user=None):
        tx = (
            self.env["kopdes.agent.transaction"]
            .with_user(user or self.user_petugas)
            .create(
                {
                    "bank_id": bank.id,
                    "type": kind,
                    "amount": amount,
                    "customer_name": "Nasabah",
                    "customer_account": "0091020033445502",
                    "company_id": self.company.id,
                }
            )
        )
        if post:
            tx.action_post()
        return tx

    def test_accounts_from_the_chart(self):
        self.assertTrue(self.settlement)
        self.assertEqual(self.settlement.account_type, "asset_current")
        self.assertEqual(self.income.account_type, "income")

    def test_entries_and_settlement(self):
        cash_before = self.gl(self.cash_account)
        cash_in = self.counter(self.bri, "cash_in", 500_000)
        cash_out = self.counter(self.bri, "cash_out", 200_000)
        self.counter(self.bni, "cash_in", 100_000)
        self.assertEqual(cash_in.state, "posted")
        self.assertEqual(cash_in.fee, 2000)
        self.assertTrue(cash_in.name.startswith("AGEN/"))
        self.assertEqual(cash_in.posted_by_id, self.user_petugas)
        self.assertEqual(cash_in.customer_account_masked[-4:], "5502")
        self.assertNotIn("00910200", cash_in.customer_account_masked)
        # cash: +500,000 - 200,000 + 100,000
        self.assertEqual(self.gl(self.cash_account) - cash_before, 400_000)
        # BRI owes the cooperative: -500,000 + 2,000 + 200,000 + 3,000
        self.assertEqual(self.gl(self.settlement, self.bri.partner_id), -295_000)
        self.assertEqual(self.bri.balance, -295_000)
        self.assertEqual(self.gl(self.settlement, self.bni.partner_id), -98_500)
        self.assertEqual(self.bni.balance, -98_500)
        self.assertEqual(-self.gl(self.income), 6_500)
        self.env.flush_all()
        rows = self.env["kopdes.agent.settlement.report"].search(
            [("company_id", "=", self.company.id), ("bank_id", "=", self.bri.id)]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            (rows.transaction_count, rows.cash_in, rows.cash_out, rows.fees, rows.net),
            (2, 500_000, 200_000, 5_000, -295_000),
        )
        pdf, _type = self.env["ir.actions.report"]._render_qweb_html(
            "kopdes_bank.report_kopdes_agent_settlement", rows.ids
        )
        self.assertIn(b"BRILink", pdf)
        receipt, _type = self.env["ir.actions.report"]._render_qweb_html(
            "kopdes_bank.report_kopdes_agent_receipt", cash_out.ids
        )
        self.assertIn(cash_out.customer_account_masked.encode(), receipt)
        self.assertNotIn(b"0091020033445502", receipt)

    def test_reversal_and_guards(self):
        tx = self.counter(self.bni, "cash_out", 300_000)
        move = self.env["account.move"].browse(tx.sudo().move_id.id)  # as an accountant
        # not from Accounting
        for action in (move.button_draft, move.button_cancel):
            with self.assertRaisesMessage(UserError, "reverse the transaction"):
                action()
        with self.assertRaises(UserError):
            tx.with_user(self.user_petugas).write({"amount": 1})
        with self.assertRaises(AccessError):
            tx.with_user(self.user_petugas).action_reverse()
        tx.with_user(self.user_pengurus).action_reverse()
        self.assertEqual(tx.state, "reversed")
        self.assertEqual(self.gl(self.settlement, self.bni.partner_id), 0)
        self.assertEqual(self.bni.balance, 0)
        with self.assertRaises(UserError):
            tx.with_user(self.user_pengurus).action_reverse()

    def test_agent_refusals_change_nothing(self):
        with self.assertBooksUnchanged():
            with self.assertRaisesMessage(ValidationError, "BRILink"):
                self.counter(self.bri, "cash_in", 6_000_000)
            with self.assertRaises(ValidationError):
                self.counter(self.bri, "cash_in", 0)
            with self.assertRaisesMessage(UserError, "posting"):
                self.env["kopdes.agent.transaction"].with_user(self.user_petugas).create(
                    {
                        "bank_id": self.bri.id,
                        "amount": 1000,
                        "customer_name": "X",
                        "customer_account": "1",
                        "state": "posted",
                        "fee": 0,
                    }
                )
            cashier = new_test_user(
                self.env,
                login="agent_cashier",
                groups="point_of_sale.group_pos_user",
                company_id=self.company.id,
                company_ids=[Command.set(self.company.ids)],
            )
            with self.assertRaises(AccessError):
                self.counter(self.bri, "cash_in", 1000, user=cashier)

    def test_referral_needs_consent(self):
        Referral = self.env["kopdes.bank.referral"].with_user(self.user_officer)
        referral = Referral.create(
            {"member_id": self.member_b.id, "bank_id": self.bri.id, "company_id": self.company.id}
        )
        messages = len(self.member_b.message_ids)
        with self.assertRaisesMessage(UserError, "consent"):
            referral.action_send()
        self.assertEqual(referral.state, "draft")
        self.assertEqual(len(self.member_b.message_ids), messages)
        self.env["kopdes.consent"].create(
            {"member_id": self.member_b.id, "purpose": "bank_sharing", "channel": "office"}
        )
        referral.action_send()
        self.assertEqual(referral.state, "sent")
        self.assertIn("BRILink", self.member_b.message_ids[0].body)
        referral.action_accepted()
        self.assertEqual(referral.state, "accepted")
        with self.assertRaises(AccessError):
            Referral.with_user(self.user_petugas).create(
                {"member_id": self.member_b.id, "bank_id": self.bri.id}
            )

    def test_referral_is_sent_only_by_its_button(self):
        """Without the member's consent, no referral becomes 'sent' by its values, by a
        default in the context or by writing its status."""
        Referral = self.env["kopdes.bank.referral"].with_user(self.user_officer)
        vals = {"member_id": self.member_b.id, "bank_id": self.bri.id}
        with self.assertRaisesMessage(AccessError, "written by sending it"):
            Referral.create(dict(vals, state="sent"))
        referral = Referral.with_context(default_state="accepted").create(vals)
        self.assertEqual(referral.state, "draft")
        with self.assertRaisesMessage(AccessError, "written by sending it"):
            referral.write({"state": "sent"})
        referral.write({"note": "Ingin membuka rekening digital"})
        self.assertEqual(referral.state, "draft")
        with self.assertRaisesMessage(UserError, "consent"):
            referral.action_send()
        self.assertEqual(referral.state, "draft")
        self.assertFalse(
            Referral.search([("member_id", "=", self.member_b.id), ("state", "!=", "draft")])
        )
