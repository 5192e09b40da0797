from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today
from odoo.addons.kopdes_savings.tools import periods

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestWajibDues(KopdesSavingsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Due = cls.env["kopdes.savings.due"]
        today = kopdes_today(cls.env)
        cls.this_month = periods.period_start(today)
        cls.months = [periods.add_months(cls.this_month, -i) for i in (3, 2, 1)]

    def _dues(self, member):
        return self.Due.search([("member_id", "=", member.id)], order="period_start")

    def test_generate_for_active_members_idempotent(self):
        suspended = self._create_member(9120, "Anggota Dibekukan")
        suspended._kopdes_change_state("suspended", date.today(), "Tunggakan")
        applicant = self._create_member(9121, "Calon", state="applicant")
        count = self.Due._kopdes_generate(self.company)
        self.assertEqual(count, 2)
        dues = self.Due.search([("company_id", "=", self.company.id)])
        self.assertEqual(dues.member_id, self.member_a | self.member_b)
        self.assertEqual(set(dues.mapped("amount")), {20000.0})
        self.assertEqual(set(dues.mapped("period_start")), {self.this_month})
        self.assertEqual(set(dues.mapped("state")), {"open"})
        self.assertFalse(self._dues(suspended) | self._dues(applicant))
        # a second run raises nothing
        self.assertEqual(self.Due._kopdes_generate(self.company), 0)
        self.assertEqual(self.Due.search_count([("company_id", "=", self.company.id)]), 2)
        # the wizard (button) does the same for managers only
        wizard = (
            self.env["kopdes.savings.dues.wizard"]
            .with_user(self.user_pengurus)
            .create({"company_id": self.company.id})
        )
        wizard.action_generate()
        self.assertEqual(self.Due.search_count([("company_id", "=", self.company.id)]), 2)

    def test_members_joined_later_get_no_earlier_due(self):
        late = self._create_member(9122, "Anggota Baru", join_date=self.this_month)
        self.Due._kopdes_generate(self.company, self.months[0])
        self.assertFalse(self._dues(late))
        self.assertTrue(self._dues(self.member_a))

    def test_payments_settle_oldest_first(self):
        for month in self.months:
            self.Due._kopdes_generate(self.company, month)
        self.assertEqual(self.member_a.wajib_months_behind, 3)
        self.assertEqual(self.member_a.wajib_arrears, 60000.0)
        self.deposit(self.member_a, "wajib", 30000)
        dues = self._dues(self.member_a)
        self.assertEqual(dues.mapped("amount_paid"), [20000.0, 10000.0, 0.0])
        self.assertEqual(dues.mapped("state"), ["paid", "partial", "open"])
        self.member_a.invalidate_recordset()
        self.assertEqual(self.member_a.wajib_arrears, 30000.0)
        self.assertEqual(self.member_a.wajib_months_behind, 2)
        # pay ahead: the next due is settled as soon as it is raised
        big = self.deposit(self.member_a, "wajib", 50000)
        self.assertEqual(self._dues(self.member_a).mapped("state"), ["paid"] * 3)
        self.Due._kopdes_generate(self.company)
        self.assertEqual(self._dues(self.member_a).mapped("state"), ["paid"] * 4)
        self.member_a.invalidate_recordset()
        self.assertEqual(self.member_a.wajib_months_behind, 0)
        # a reversed payment un-settles the newest dues
        big.action_reverse()
        self.assertEqual(
            self._dues(self.member_a).mapped("amount_paid"), [20000.0, 10000.0, 0.0, 0.0]
        )
        # member_b never paid: three past periods in arrears; this period's due is not late
        # until the period has ended
        self.member_b.invalidate_recordset()
        self.assertEqual(self.member_b.wajib_months_behind, 3)
        account = self.account(self.member_b, "wajib")
        self.assertEqual(account.dues_arrears, 60000.0)
        current = self._dues(self.member_b)[-1]
        self.assertEqual(current.due_date, periods.period_end(self.this_month))
        self.assertFalse(current.filtered_domain(self.Due._kopdes_arrears_domain()))
        self.assertTrue(
            current.filtered_domain(
                self.Due._kopdes_arrears_domain(current.due_date + timedelta(1))
            )
        )
        # the arrears report groups by member
        rows = self.Due._read_group(
            [("company_id", "=", self.company.id), ("state", "in", ("open", "partial"))],
            ["member_id"],
            ["amount_residual:sum", "__count"],
        )
        self.assertEqual(
            {member: (residual, count) for member, residual, count in rows},
            {self.member_a: (50000.0, 3), self.member_b: (80000.0, 4)},
        )

    def test_dues_are_not_edited_by_hand(self):
        self.Due._kopdes_generate(self.company)
        due = self._dues(self.member_a)
        with self.assertRaisesMessage(UserError, "by the system"):
            due.amount_paid = 20000
        self.deposit(self.member_a, "wajib", 20000)
        with self.assertRaisesMessage(UserError, "never deleted"):
            due.unlink()

    def test_cron_raises_dues_everywhere(self):
        self.env.ref("kopdes_savings.ir_cron_kopdes_savings_wajib_dues").method_direct_trigger()
        self.assertEqual(
            self.Due.search_count(
                [("company_id", "=", self.company.id), ("period_start", "=", self.this_month)]
            ),
            2,
        )

    def test_query_count_does_not_grow_with_members(self):
        """Raising dues is a fixed number of queries, whatever the number of members."""
        counts = []
        for month, new_members in zip(self.months[:2], (3, 30), strict=True):
            self.env["kopdes.member"].create(
                [
                    {
                        "name": f"Anggota Massal {len(counts)}-{i}",
                        "nik": f"33750401018{len(counts)}{i:04d}"[:16],
                        "company_id": self.company.id,
                        "state": "active",
                        "join_date": date(2024, 1, 1),
                    }
                    for i in range(1, new_members + 1)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            created = self.Due._kopdes_generate(self.company, month)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertGreaterEqual(created, new_members)
        # ten times the members, no more queries (the first run may warm a cache of an addon
        # reacting to the hook)
        self.assertLessEqual(counts[1], counts[0], counts)
