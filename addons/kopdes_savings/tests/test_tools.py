"""Plain-Python tests of tools/interest.py and tools/periods.py (no database)."""

from datetime import date

from odoo.tests import BaseCase

from odoo.addons.kopdes_savings.tools import interest, periods


class TestPeriods(BaseCase):
    def test_period_start_and_end(self):
        self.assertEqual(periods.period_start(date(2026, 2, 17)), date(2026, 2, 1))
        self.assertEqual(periods.period_end(date(2026, 2, 1)), date(2026, 2, 28))
        self.assertEqual(periods.period_end(date(2028, 2, 1)), date(2028, 2, 29))
        self.assertEqual(periods.period_start(date(2026, 8, 31), "quarterly"), date(2026, 7, 1))
        self.assertEqual(periods.period_end(date(2026, 7, 1), "quarterly"), date(2026, 9, 30))
        self.assertEqual(periods.period_start(date(2026, 8, 31), "yearly"), date(2026, 1, 1))
        self.assertEqual(periods.period_end(date(2026, 1, 1), "yearly"), date(2026, 12, 31))

    def test_next_previous_and_labels(self):
        self.assertEqual(periods.next_period(date(2026, 12, 1)), date(2027, 1, 1))
        self.assertEqual(periods.previous_period(date(2026, 1, 20)), date(2025, 12, 1))
        self.assertEqual(periods.next_period(date(2026, 10, 5), "quarterly"), date(2027, 1, 1))
        self.assertEqual(periods.period_label(date(2026, 3, 1)), "2026-03")
        self.assertEqual(periods.period_label(date(2026, 4, 1), "quarterly"), "2026-Q2")
        self.assertEqual(periods.period_label(date(2026, 1, 1), "yearly"), "2026")

    def test_add_months_clamps_to_month_end(self):
        self.assertEqual(periods.add_months(date(2026, 1, 31), 1), date(2026, 2, 28))
        self.assertEqual(periods.add_months(date(2026, 3, 31), -1), date(2026, 2, 28))
        self.assertEqual(periods.add_months(date(2026, 11, 15), 14), date(2028, 1, 15))

    def test_periods_between(self):
        self.assertEqual(
            periods.periods_between(date(2026, 11, 20), date(2027, 2, 3)),
            [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)],
        )
        self.assertEqual(periods.periods_between(date(2026, 5, 1), date(2026, 4, 1)), [])


class TestInterest(BaseCase):
    NOV = (date(2026, 11, 1), date(2026, 11, 30))

    def test_daily_balances(self):
        first, last = date(2026, 11, 1), date(2026, 11, 5)
        moves = [(date(2026, 11, 2), 100.0), (date(2026, 11, 4), -30.0), (date(2026, 11, 4), 5.0)]
        self.assertEqual(
            interest.daily_balances(50.0, moves, first, last), [50.0, 150.0, 150.0, 125.0, 125.0]
        )
        # movements outside the range are ignored
        self.assertEqual(
            interest.daily_balances(0.0, [(date(2026, 10, 31), 9.0)], first, first), [0.0]
        )
        with self.assertRaises(ValueError):
            interest.daily_balances(0.0, [], last, first)

    def test_minimum_balance(self):
        moves = [(date(2026, 11, 10), -400000.0), (date(2026, 11, 20), 1000000.0)]
        base = interest.interest_base(1000000.0, moves, *self.NOV, base="minimum")
        self.assertEqual(base, 600000.0)
        # an account opened during the month had 0 on its first days
        opened = interest.interest_base(0.0, [(date(2026, 11, 15), 500000.0)], *self.NOV)
        self.assertEqual(opened, 0.0)

    def test_average_daily_balance(self):
        # 1,000,000 for 15 days and 2,500,000 for 15 days: average 1,750,000
        moves = [(date(2026, 11, 16), 1500000.0)]
        base = interest.interest_base(1000000.0, moves, *self.NOV, base="average")
        self.assertEqual(base, 1750000.0)

    def test_unknown_base_refused(self):
        with self.assertRaises(ValueError):
            interest.interest_base(0.0, [], *self.NOV, base="maximum")

    def test_interest_amount_rounds_down_to_the_unit(self):
        # 1,000,000 at 3% for 30 of 365 days = 2465.75... -> 2465 rupiah
        self.assertEqual(interest.interest_amount(1000000.0, 3.0, *self.NOV, unit=1.0), 2465.0)
        self.assertEqual(interest.interest_amount(1000000.0, 3.0, *self.NOV, unit=0.01), 2465.75)
        # leap year: 366 days
        feb = (date(2028, 2, 1), date(2028, 2, 29))
        self.assertEqual(interest.interest_amount(3660000.0, 10.0, *feb, unit=1.0), 29000.0)
        self.assertEqual(interest.interest_amount(0.0, 3.0, *self.NOV), 0.0)
        self.assertEqual(interest.interest_amount(100.0, 0.0, *self.NOV), 0.0)
        self.assertEqual(interest.interest_amount(-100.0, 3.0, *self.NOV), 0.0)

    def test_round_down(self):
        self.assertEqual(interest.round_down(10.999, 1.0), 10.0)
        # float noise just under a unit does not lose the unit
        self.assertAlmostEqual(interest.round_down(0.29999999999, 0.01), 0.30)
        self.assertEqual(interest.round_down(12345.0, 100.0), 12300.0)
        with self.assertRaises(ValueError):
            interest.round_down(1.0, 0.0)
