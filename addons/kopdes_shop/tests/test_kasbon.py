import io
from datetime import timedelta

from PyPDF2 import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import KopdesShopCommon
from .test_kasbon_ledger import KasbonLedgerProperty


@tagged("post_install", "-at_install")
class TestKasbon(KasbonLedgerProperty, KopdesShopCommon):
    # ------------------------------------------------------------ the till's question

    def check(self, member, amount):
        return (
            self.env["pos.payment.method"]
            .with_user(self.cashier)
            .kopdes_kasbon_check(self.kasbon_method.id, member.partner_id.id, amount)
        )

    def test_cashier_sees_yes_or_no_and_the_room_rounded_down(self):
        answer = self.check(self.member_a, 72500)
        # limit = 1 x savings of Rp 200.500, shown rounded down to Rp 1.000
        self.assertEqual(answer, {"allowed": True, "room": 200000.0, "message": "Kasbon allowed."})
        answer = self.check(self.member_a, 200501)
        self.assertFalse(answer["allowed"])
        self.assertEqual(answer["room"], 200000.0)
        self.assertIn("above the member's kasbon limit", answer["message"])
        self.assertNotIn("200.500", answer["message"])
        # a manager's own limit counts instead of the savings
        self.assertEqual(self.check(self.member_b, 100000)["allowed"], True)
        self.assertEqual(self.check(self.member_b, 100001)["allowed"], False)
        # the fixed default limit
        self.company.kopdes_kasbon_limit_mode = "fixed"
        self.company.kopdes_kasbon_fixed_limit = 50000
        self.assertEqual(self.check(self.member_a, 72500)["room"], 50000.0)

    def test_no_kasbon_for_suspended_or_overdue_members(self):
        order = self.sell(self.member_a, 20000)
        self.make_overdue(order.kopdes_kasbon_ids)
        answer = self.check(self.member_a, 1000)
        self.assertEqual((answer["allowed"], answer["room"]), (False, False))
        self.assertIn("overdue kasbon", answer["message"])
        self.assertTrue(self.member_a.kasbon_overdue_amount)
        self.member_b._kopdes_change_state("suspended", self.today, "Rapat pengurus")
        answer = self.check(self.member_b, 1000)
        self.assertFalse(answer["allowed"])
        self.assertIn("not an active member", answer["message"])
        stranger = self.env["res.partner"].create({"name": "Bukan Anggota"})
        answer = (
            self.env["pos.payment.method"]
            .with_user(self.cashier)
            .kopdes_kasbon_check(self.kasbon_method.id, stranger.id, 1000)
        )
        self.assertFalse(answer["allowed"])

    # ------------------------------------------------------------ the sale

    def test_sale_is_a_member_receivable_with_a_due_date(self):
        order = self.sell(self.member_a, 72500)
        kasbon = order.kopdes_kasbon_ids
        self.assertEqual(len(kasbon), 1)
        self.assertEqual(
            (kasbon.amount, kasbon.amount_residual, kasbon.state), (72500, 72500, "open")
        )
        self.assertEqual(kasbon.due_date, self.today + timedelta(days=30))
        self.assertFalse(kasbon.over_limit)
        line = kasbon.move_line_id
        self.assertEqual(
            (line.account_id, line.partner_id), (self.kasbon_account, self.member_a.partner_id)
        )
        self.assertEqual((line.debit, line.date_maturity), (72500, kasbon.due_date))
        self.assertEqual(kasbon.move_id.state, "posted")
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 72500)
        self.assertEqual(self.member_a.kasbon_open, 72500)
        self.assertEqual(self.member_a.kasbon_room, 200500 - 72500)
        # syncing the same order again records nothing twice
        order._kopdes_kasbon_post_payments()
        self.assertEqual(
            len(self.env["kopdes.kasbon"].search([("pos_order_id", "=", order.id)])), 1
        )
        # closing the session: the sale's debit on the member's receivable is reconciled
        # with the kasbon entry; the member owes the kasbon, nothing else
        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        receivable = self.member_a.partner_id.with_company(
            self.company
        ).property_account_receivable_id
        self.assertEqual(self.gl_balance(receivable, self.member_a.partner_id), 0.0)
        self.assertFalse(
            self.env["account.move.line"].search(
                [
                    ("account_id", "=", receivable.id),
                    ("partner_id", "=", self.member_a.partner_id.id),
                    ("reconciled", "=", False),
                    ("parent_state", "=", "posted"),
                ]
            )
        )
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 72500)
        # the entry cannot be reset or reversed from Accounting
        with self.assertRaises(UserError):
            kasbon.move_id.button_draft()

    def test_offline_sale_above_the_limit_is_kept_and_flagged(self):
        self.sell(self.member_b, 60000)
        # made offline meanwhile: the room was 40.000
        order = self.sell(self.member_b, 55000)
        kasbon = order.kopdes_kasbon_ids
        self.assertEqual(order.state, "paid")
        self.assertTrue(kasbon.over_limit)
        self.assertEqual(kasbon.excess_amount, 15000)
        self.assertEqual(kasbon.amount, 55000)
        activity = kasbon.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("kopdes_members.group_kopdes_manager"))
        self.assertEqual(self.kasbon_gl(self.member_b.partner_id), 115000)
        # a member who was suspended meanwhile: the whole sale is flagged
        self.member_a._kopdes_change_state("suspended", self.today, "Rapat pengurus")
        kasbon = self.sell(self.member_a, 10000).kopdes_kasbon_ids
        self.assertTrue(kasbon.over_limit)
        self.assertEqual(kasbon.excess_amount, 10000)

    def test_refund_lowers_the_refunded_kasbon(self):
        first = self.sell(self.member_a, 30000)
        second = self.sell(self.member_a, 40000)
        self.refund(second, 40000)
        self.assertEqual(first.kopdes_kasbon_ids.amount_residual, 30000)
        self.assertEqual(second.kopdes_kasbon_ids.state, "paid")
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 30000)
        with self.assertRaisesMessage(UserError, "at most the member's open kasbon"):
            self.refund(first, 50000)

    # ------------------------------------------------------------ repayment at the teller

    def _repay(self, member, source, amount, user=None):
        form = Form(
            self.env["kopdes.kasbon.repay.wizard"]
            .with_user(user or self.user_petugas)
            .with_context(default_member_id=member.id)
        )
        form.source = source
        form.amount = amount
        return form.save().action_confirm()

    def test_repayment_from_savings_oldest_first(self):
        old = self.sell(self.member_a, 50000).kopdes_kasbon_ids
        new = self.sell(self.member_a, 40000).kopdes_kasbon_ids
        self.make_overdue(old, days=3)
        action = self._repay(self.member_a, "savings", 60000)
        repayment = self.env["kopdes.kasbon.repayment"].browse(action["res_id"])
        self.assertEqual(repayment.source, "savings")
        self.assertEqual((old.state, old.amount_residual), ("paid", 0))
        self.assertEqual(new.amount_residual, 30000)
        tx = repayment.savings_transaction_id
        self.assertEqual((tx.type, tx.state, tx.amount), ("withdrawal", "posted", 60000))
        self.assertEqual(self.account(self.member_a, "sukarela").balance, 200500 - 60000)
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 30000)
        lines = (old | new).move_line_id
        self.assertEqual(sum(lines.mapped("amount_residual")), 30000)
        self.assertFalse(self.member_a.kasbon_overdue_amount)
        # paid in cash the rest; more than owed is refused and changes nothing
        with self.assertRaisesMessage(UserError, "more than that"):
            self._repay(self.member_a, "cash", 30001)
        self.assertEqual(new.amount_residual, 30000)
        self._repay(self.member_a, "cash", 30000)
        self.assertEqual(new.state, "paid")
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 0)
        self.assertEqual(
            self.gl_balance(self.cash_journal.default_account_id, None) <= -30000, True
        )

    def test_savings_short_refuses_the_repayment(self):
        self.sell(self.member_b, 90000)
        with self.assertRaises(UserError):
            self._repay(self.member_b, "savings", 50000)
        self.assertEqual(self.member_b.kasbon_open, 90000)

    # ------------------------------------------------------------ who may do what

    def test_roles(self):
        kasbon = self.sell(self.member_a, 10000).kopdes_kasbon_ids
        with self.assertRaises(UserError):
            kasbon.with_user(self.user_pengurus).write({"amount_residual": 0})
        with self.assertRaises(UserError):
            self.env["kopdes.kasbon"].with_user(self.user_pengurus).with_context(
                kopdes_kasbon_posting=True
            ).create(
                {
                    "name": "palsu",
                    "company_id": self.company.id,
                    "member_id": self.member_a.id,
                    "date": self.today,
                    "due_date": self.today,
                    "amount": 1,
                }
            )
        # only a manager sets a member's own limit
        with self.assertRaises(AccessError):
            self.member_a.with_user(self.user_petugas).write({"kasbon_own_limit": True})
        self.member_a.with_user(self.user_pengurus).write(
            {"kasbon_own_limit": True, "kasbon_limit_amount": 5000}
        )
        self.assertEqual(self.member_a.kasbon_limit, 5000)
        with self.assertRaises(AccessError):
            self.member_a.with_user(self.user_akuntan).action_kasbon_repay()

    # ------------------------------------------------------------ exit and scoring

    def test_exit_settlement_deducts_open_kasbon(self):
        kasbon = self.sell(self.member_a, 45000).kopdes_kasbon_ids
        owed = self.member_a._kopdes_exit_amount_owed(self.today)
        self.assertEqual(owed[self.member_a.id], 45000)
        form = Form(
            self.env["kopdes.savings.exit.wizard"]
            .with_user(self.user_pengurus)
            .with_context(default_member_id=self.member_a.id)
        )
        form.exit_type = "resigned"
        form.reason = "Pindah domisili"
        form.save().action_confirm()
        self.assertEqual(self.member_a.state, "resigned")
        self.assertEqual(kasbon.state, "paid")
        self.assertEqual(kasbon.allocation_ids.repayment_id.source, "exit")
        self.assertEqual(self.kasbon_gl(self.member_a.partner_id), 0)
        self.assertTrue(kasbon.move_line_id.reconciled)

    def test_summary_as_of_a_date_in_one_query(self):
        old = self.sell(self.member_a, 50000).kopdes_kasbon_ids
        self.sell(self.member_a, 20000)
        self.make_overdue(old, days=12)
        self._repay(self.member_a, "cash", 10000)
        members = self.member_a | self.member_b
        self.env.flush_all()
        with self.assertQueryCount(1):
            summary = self.env["kopdes.member"]._kopdes_kasbon_summary(members, self.today)
        self.assertEqual(
            summary,
            {
                self.member_a.id: {"open": 60000.0, "overdue_days_max": 12, "count": 2},
                self.member_b.id: {"open": 0.0, "overdue_days_max": 0, "count": 0},
            },
        )
        # the day before the sales nothing was open
        before = self.env["kopdes.member"]._kopdes_kasbon_summary(
            members, self.today - timedelta(days=1)
        )
        self.assertEqual(before[self.member_a.id]["open"], 0.0)

    def test_statement_and_aging(self):
        old = self.sell(self.member_a, 50000).kopdes_kasbon_ids
        self.sell(self.member_a, 20000)
        self.make_overdue(old, days=40)
        self._repay(self.member_a, "cash", 10000)
        lines = self.member_a._kopdes_kasbon_statement_lines()
        self.assertEqual([line["balance"] for line in lines], [50000, 70000, 60000])
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, discard_logo_check=True)
            ._render_qweb_pdf(
                "kopdes_shop.action_report_kopdes_kasbon_statement", self.member_a.ids
            )
        )
        self.assertEqual(kind, "pdf")
        text = " ".join(
            " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
        )
        self.assertIn(self.member_a.name, text)
        self.assertIn("60.000", text.replace(",", "."))
        self.env.flush_all()
        aging = self.env["kopdes.kasbon.aging"].search([("member_id", "=", self.member_a.id)])
        self.assertEqual(
            sorted((a.bucket, a.amount_residual, a.days_overdue) for a in aging),
            [("0_not_due", 20000, 0), ("2_60", 40000, 40)],
        )
