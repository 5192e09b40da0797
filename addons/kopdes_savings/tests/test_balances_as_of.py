from datetime import date, timedelta

from odoo.exceptions import ValidationError

from .common import KopdesSavingsCommon


class TestBalancesAsOf(KopdesSavingsCommon):
    """The one API for savings balances at a past date and the average daily balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deposit_cls(cls.member_a, "pokok", 100000, date(2024, 1, 15))
        cls.deposit_cls(cls.member_a, "wajib", 20000, date(2024, 2, 1))
        cls.deposit_cls(cls.member_a, "sukarela", 500000, date(2024, 3, 1))
        cls.account_cls(cls.member_a, "sukarela")._kopdes_withdraw(200000, date=date(2024, 3, 11))
        cls.deposit_cls(cls.member_b, "pokok", 100000, date(2024, 6, 30))

    @classmethod
    def account_cls(cls, member, kind):
        return member._kopdes_savings_account(kind, create=True, open_date=date(2024, 1, 15))

    @classmethod
    def deposit_cls(cls, member, kind, amount, day):
        return cls.account_cls(member, kind)._kopdes_deposit(amount, date=day)

    def brute_force_average(self, member, kinds, start, end):
        """The average end-of-day balance, day by day from the transactions."""
        txs = self.env["kopdes.savings.transaction"].search(
            [("member_id", "=", member.id), ("state", "=", "posted"), ("kind", "in", kinds)]
        )
        days, total, day = 0, 0.0, start
        while day <= end:
            total += sum(tx.signed_amount for tx in txs if tx.date <= day)
            days += 1
            day += timedelta(days=1)
        return total / days

    def test_balances_as_of(self):
        Account = self.env["kopdes.savings.account"]
        self.assertEqual(
            Account._kopdes_balances_as_of(date(2024, 3, 10), self.company),
            {self.member_a.id: 620000.0},
        )
        self.assertEqual(
            Account._kopdes_balances_as_of(date(2024, 3, 11), self.company),
            {self.member_a.id: 420000.0},
        )
        self.assertEqual(
            Account._kopdes_balances_as_of(
                date(2024, 12, 31), self.company, kinds=["pokok", "wajib"]
            ),
            {self.member_a.id: 120000.0, self.member_b.id: 100000.0},
        )
        self.assertEqual(
            Account._kopdes_balances_as_of(date(2024, 12, 31), self.company, members=self.member_b),
            {self.member_b.id: 100000.0},
        )
        self.assertEqual(
            Account._kopdes_balances_as_of(date(2024, 12, 31), self.company, groupby="kind"),
            {"pokok": 200000.0, "wajib": 20000.0, "sukarela": 300000.0},
        )
        # the current balance is the balance as of today
        by_kind = Account._kopdes_balances_as_of(
            date(2099, 1, 1), self.company, groupby="member_kind"
        )
        self.assertEqual(
            by_kind[(self.member_a.id, "sukarela")],
            self.account(self.member_a, "sukarela").balance,
        )

    def test_average_daily_balance_matches_day_by_day(self):
        Account = self.env["kopdes.savings.account"]
        start, end = date(2024, 1, 1), date(2024, 12, 31)
        for kinds in (["pokok", "wajib"], ["pokok", "wajib", "sukarela"], ["sukarela"]):
            averages = Account._kopdes_average_daily_balances(start, end, self.company, kinds)
            for member in self.member_a | self.member_b:
                expected = self.brute_force_average(member, kinds, start, end)
                self.assertAlmostEqual(averages.get(member.id, 0.0), expected, places=2)
        # a period inside the year: the sukarela balance is 500.000 for 10 days, then 300.000
        averages = Account._kopdes_average_daily_balances(
            date(2024, 3, 1), date(2024, 3, 20), self.company, ["sukarela"]
        )
        self.assertEqual(averages[self.member_a.id], (500000 * 10 + 300000 * 10) / 20)
        days = Account._kopdes_balance_days(
            date(2024, 3, 1), date(2024, 3, 20), self.company, kinds=["sukarela"]
        )
        self.assertEqual(days[self.member_a.id], 8000000)

    def test_one_query_whatever_the_number_of_members(self):
        Account = self.env["kopdes.savings.account"]
        Account._kopdes_balance_days(date(2024, 1, 1), date(2024, 12, 31), self.company)
        with self.assertQueryCount(1):
            Account._kopdes_balance_days(date(2024, 1, 1), date(2024, 12, 31), self.company)
        with self.assertQueryCount(1):
            Account._kopdes_balances_as_of(date(2024, 12, 31), self.company)

    def test_period_the_wrong_way_round(self):
        with self.assertRaisesMessage(ValidationError, "before its start"):
            self.env["kopdes.savings.account"]._kopdes_balance_days(
                date(2024, 12, 31), date(2024, 1, 1), self.company
            )
