"""Cross-addon: a ``default_<field>`` in the caller's context is a value like any other.

Any client can send any context over RPC, and ``create`` fills a missing field from a
``default_<field>`` key. For the fields the workflow writes (states, numbers, approvals,
entries) such a key is ignored by every guarded model (``kopdes_without_defaults``): what a
user creates starts where the workflow starts, and what the workflow creates takes nothing
from the caller. The defaults a user may fill in still apply."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon
from odoo.addons.kopdes_members.tests.common import make_nik


@tagged("post_install", "-at_install")
class TestContextDefaults(KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stranger_move = cls.env["account.move"].create(
            {"move_type": "entry", "journal_id": cls.cash.id, "date": date(2025, 1, 5)}
        )

    def as_user(self, user, **context):
        return self.env(user=user, context=dict(self.env.context, **context))

    def test_member_registered_by_staff_stays_an_applicant(self):
        env = self.as_user(
            self.user_petugas,
            default_state="active",
            default_member_number="9999",
            default_approved_by_id=self.user_petugas.id,
            default_join_date="2020-01-01",
            default_village="Sokoduwet",
        )
        member = env["kopdes.member"].create(
            {"name": "Calon Anggota", "nik": make_nik(9801), "company_id": self.company.id}
        )
        self.assertEqual(member.state, "applicant")
        self.assertFalse(member.member_number)
        self.assertFalse(member.approved_by_id)
        self.assertFalse(member.join_date)  # a manager's field
        self.assertEqual(member.village, "Sokoduwet")  # staff fill it in: the default applies

    def test_teller_transaction_starts_as_a_draft(self):
        account = self.account(self.member_a, "sukarela")
        env = self.as_user(
            self.user_petugas,
            default_state="posted",
            default_move_id=self.stranger_move.id,
            default_name="SIM/PALSU/0001",
            default_balance_after=9_999_999,
            default_note="dari konteks",
        )
        tx = env["kopdes.savings.transaction"].create(
            {"account_id": account.id, "type": "deposit", "amount": 50_000}
        )
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.move_id)
        self.assertEqual(tx.name, "/")
        self.assertFalse(tx.balance_after)
        self.assertEqual(tx.note, "dari konteks")
        self.assertEqual(account.balance, 0)

    def test_posting_code_takes_nothing_from_the_caller(self):
        earlier = self.deposit(self.member_a, "sukarela", 100_000, day=date(2025, 1, 6))
        env = self.as_user(
            self.user_petugas,
            default_reversal_of_id=earlier.id,
            default_approved_by_id=self.user_pengurus.id,
            default_balance_after=9_999_999,
            default_posting_seq=1,
        )
        account = self.account(self.member_a, "sukarela").with_env(env)
        tx = account._kopdes_deposit(25_000, date=date(2025, 1, 7))
        self.assertEqual(tx.state, "posted")
        self.assertEqual(tx.type, "deposit")
        self.assertFalse(tx.reversal_of_id)
        self.assertFalse(tx.approved_by_id)
        self.assertEqual(tx.balance_after, 125_000)
        self.assertEqual(account.balance, 125_000)
        self.assertEqual(sum(tx.move_id.line_ids.mapped("debit")), 25_000)

    def test_a_default_is_checked_like_a_value(self):
        account = self.account(self.member_a, "sukarela")
        income = self.env["account.account"].search(
            [("company_ids", "in", self.company.id), ("account_type", "=", "income")], limit=1
        )
        teller = self.as_user(self.user_petugas, default_counterpart_account_id=income.id)
        with self.assertRaisesRegex(AccessError, "cash or bank journal"):
            account.with_env(teller)._kopdes_deposit(25_000, date=date(2025, 1, 7))
        teller = self.as_user(self.user_petugas, default_type="interest")
        with self.assertRaisesRegex(UserError, "interest is credited by the month-end run"):
            teller["kopdes.savings.transaction"].create({"account_id": account.id, "amount": 1})
        self.assertFalse(
            self.env["kopdes.savings.transaction"].search([("account_id", "=", account.id)])
        )
        self.assertEqual(account.balance, 0)

    def test_loan_application_and_its_schedule_start_open(self):
        env = self.as_user(
            self.user_officer,
            default_state="active",
            default_approved_by_id=self.user_pengurus.id,
            default_disbursement_date="2025-01-15",
            default_disbursement_move_id=self.stranger_move.id,
        )
        loan = env["kopdes.loan"].create(
            {
                "member_id": self.member_a.id,
                "product_id": self.flat.id,
                "amount": 1_200_000,
                "term": 12,
                "application_date": date(2025, 1, 10),
            }
        )
        self.assertEqual(loan.state, "draft")
        self.assertFalse(loan.approved_by_id)
        self.assertFalse(loan.disbursement_date)
        self.assertFalse(loan.disbursement_move_id)
        self.assertEqual(len(loan.line_ids), 12)
        self.assertEqual(set(loan.line_ids.mapped("state")), {"open"})

    def test_payment_and_its_allocations_come_from_the_schedule(self):
        loan = self.active_loan(amount=1_200_000, term=12, day=date(2025, 1, 31))
        payment = (
            loan.with_context(
                default_state="reversed",
                default_amount=1,
                default_move_id=self.stranger_move.id,
                default_kind="write_off",
                default_principal=999,
            )
            .with_user(self.user_officer)
            ._kopdes_pay(112_000, date=date(2025, 2, 28), journal=self.cash)
        )
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.amount, 112_000)
        self.assertNotEqual(payment.move_id, self.stranger_move)
        allocations = payment.allocation_ids
        self.assertEqual(set(allocations.mapped("kind")), {"payment"})
        self.assertEqual(sum(allocations.mapped("total")), 112_000)
        self.assertLedgerMatchesLoans()

    def test_close_starts_as_a_draft_and_refuses_workflow_values(self):
        env = self.as_user(
            self.user_akuntan,
            default_state="done",
            default_run_count=3,
            default_closed_by_id=self.user_akuntan.id,
        )
        close = env["kopdes.close"].create(
            {"company_id": self.company.id, "date_from": "2025-01-01"}
        )
        self.assertEqual(close.state, "draft")
        self.assertFalse(close.run_count)
        self.assertFalse(close.closed_by_id)
        with self.assertRaisesRegex(UserError, "draft"):
            self.as_user(self.user_akuntan)["kopdes.close"].create(
                {"company_id": self.company.id, "date_from": "2025-02-01", "state": "done"}
            )
        with self.assertRaisesRegex(UserError, "draft"):
            self.as_user(self.user_akuntan)["kopdes.close"].create(
                {"company_id": self.company.id, "date_from": "2025-02-01", "run_count": 1}
            )
        self.assertFalse(
            self.env["kopdes.close"].search(
                [("company_id", "=", self.company.id), ("date_from", "=", "2025-02-01")]
            )
        )

    def test_shu_rule_and_distribution_wait_for_the_board(self):
        akuntan = self.as_user(
            self.user_akuntan,
            default_state="approved",
            default_approved_by_id=self.user_akuntan.id,
            default_version=7,
        )
        rule = akuntan["kopdes.shu.rule"].create(
            {
                "company_id": self.company.id,
                "fiscal_year": 2025,
                "approval_date": date(2026, 2, 20),
                "minutes_ref": "RAT/2026/01",
            }
        )
        self.assertEqual(rule.state, "draft")
        self.assertFalse(rule.approved_by_id)
        self.assertEqual(rule.version, 1)
        rule.with_user(self.user_pengurus).action_approve()
        self.assertEqual(rule.state, "approved")
        self.assertEqual(rule.approved_by_id, self.user_pengurus)
        distribution = self.as_user(
            self.user_akuntan,
            default_state="posted",
            default_move_id=self.stranger_move.id,
            default_payout_move_id=self.stranger_move.id,
        )["kopdes.shu.distribution"].create({"company_id": self.company.id, "rule_id": rule.id})
        self.assertEqual(distribution.state, "draft")
        self.assertFalse(distribution.move_id)
        self.assertFalse(distribution.payout_move_id)
        distribution.action_compute()
        self.assertEqual(distribution.state, "computed")
        self.assertFalse(distribution.move_id)
