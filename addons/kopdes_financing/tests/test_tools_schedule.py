"""Plain-Python tests of tools/schedule.py (no database): worked examples, closed-form
formulas and an exhaustive grid of principals, rates, terms, grace periods and methods."""

import calendar
import datetime
import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase

from odoo.addons.kopdes_financing.tools import schedule as s

D = datetime.date

PRINCIPALS = (1, 2, 3, 7, 99, 1000, 999_999, 1_000_000, 5_000_000, 12_345_678, 100_000_000)
RATES = (0, "0.5", 1, "9.99", 12, 18, 24, 36, 100)
TERMS = tuple(range(1, 37)) + (48, 60, 120)


def closed_form_annuity(principal, annual_rate, periods, per_year):
    """The textbook annuity formula in floating point, to compare with."""
    i = float(annual_rate) / 100 / per_year
    if not i:
        return principal / periods
    return principal * i / (1 - (1 + i) ** -periods)


class TestWorkedExamples(BaseCase):
    def test_flat_monthly(self):
        # Rp 1.000.000, flat 12 % a year, 10 months: Rp 100.000 + Rp 10.000 a month
        lines = s.compute(1_000_000, 12, 10, s.FLAT, start=D(2025, 3, 10))
        self.assertEqual([(i.principal, i.interest) for i in lines], [(100_000, 10_000)] * 10)
        self.assertEqual(lines[0].due_date, D(2025, 4, 10))
        self.assertEqual(lines[-1].due_date, D(2026, 1, 10))
        self.assertEqual(s.totals(lines), (1_000_000, 100_000, 1_100_000))

    def test_flat_rounding_goes_to_last(self):
        # Rp 1.000.000 over 3 months at 10 %: 333.333 + 333.333 + 333.334
        lines = s.compute(1_000_000, 10, 3, s.FLAT, start=D(2025, 1, 1))
        self.assertEqual([i.principal for i in lines], [333_333, 333_333, 333_334])
        # interest: 1.000.000 x 10 % x 3/12 = 25.000 -> 8.333 + 8.333 + 8.334
        self.assertEqual([i.interest for i in lines], [8_333, 8_333, 8_334])
        self.assertEqual([i.balance for i in lines], [666_667, 333_334, 0])

    def test_effective_equal_principal(self):
        # Rp 12.000.000 at 12 %, 12 months: principal 1.000.000, interest 120.000 ... 10.000
        lines = s.compute(12_000_000, 12, 12, s.EFFECTIVE, start=D(2025, 1, 15))
        self.assertEqual({i.principal for i in lines}, {1_000_000})
        self.assertEqual([i.interest for i in lines], [10_000 * (12 - k) for k in range(12)])
        self.assertEqual(s.totals(lines)[1], 780_000)

    def test_annuity_textbook(self):
        # Rp 10.000.000 at 12 % a year over 12 months: the textbook Rp 888.487,88
        lines = s.compute(10_000_000, 12, 12, s.ANNUITY, start=D(2025, 1, 15))
        self.assertEqual(s.annuity_payment(10_000_000, 12, 12), 888_488)
        self.assertEqual({i.total for i in lines[:-1]}, {888_488})
        self.assertEqual(lines[0].interest, 100_000)
        self.assertEqual(lines[0].principal, 788_488)
        self.assertEqual(sum(i.principal for i in lines), 10_000_000)
        self.assertAlmostEqual(lines[-1].total, 888_488, delta=12)

    def test_murabahah_margin(self):
        # cost Rp 6.000.000, margin 20 % a year, 12 months: margin 1.200.000, 100.000 a month
        lines = s.compute(6_000_000, 20, 12, s.MURABAHAH, start=D(2025, 6, 1))
        self.assertEqual({(i.principal, i.interest) for i in lines}, {(500_000, 100_000)})
        self.assertEqual(s.totals(lines), (6_000_000, 1_200_000, 7_200_000))

    def test_weekly(self):
        # Rp 1.000.000 flat 26 % a year over 10 weeks: 1.000.000 x 0.26 x 10 / 52 = 50.000
        lines = s.compute(1_000_000, 26, 10, s.FLAT, s.WEEKLY, start=D(2025, 1, 1))
        self.assertEqual(
            [i.due_date for i in lines[:3]], [D(2025, 1, 8), D(2025, 1, 15), D(2025, 1, 22)]
        )
        self.assertEqual(lines[-1].due_date, D(2025, 3, 12))
        self.assertEqual({i.interest for i in lines}, {5_000})

    def test_grace_period(self):
        # flat: interest every month, principal only after the 3 months of grace
        lines = s.compute(9_000_000, 12, 12, s.FLAT, start=D(2025, 1, 1), grace=3)
        self.assertEqual([i.principal for i in lines[:3]], [0, 0, 0])
        self.assertEqual({i.principal for i in lines[3:]}, {1_000_000})
        self.assertEqual({i.interest for i in lines}, {90_000})
        # effective: interest on the full balance during the grace
        lines = s.compute(9_000_000, 12, 12, s.EFFECTIVE, start=D(2025, 1, 1), grace=3)
        self.assertEqual([i.interest for i in lines[:4]], [90_000] * 4)
        self.assertEqual(lines[4].interest, 80_000)
        # annuity: interest only, then the annuity of the 9 remaining months
        lines = s.compute(9_000_000, 12, 12, s.ANNUITY, start=D(2025, 1, 1), grace=3)
        self.assertEqual([i.total for i in lines[:3]], [90_000] * 3)
        payment = s.annuity_payment(9_000_000, 12, 9)
        self.assertEqual({i.total for i in lines[3:-1]}, {payment})

    def test_zero_rate(self):
        for method in s.METHODS:
            with self.subTest(method=method):
                lines = s.compute(1_000_000, 0, 7, method, start=D(2025, 1, 1))
                self.assertEqual({i.interest for i in lines}, {0})
                self.assertEqual(sum(i.principal for i in lines), 1_000_000)

    def test_tiny_principal_never_negative(self):
        for method in s.METHODS:
            for principal in (1, 2, 5):
                with self.subTest(method=method, principal=principal):
                    lines = s.compute(principal, 36, 12, method, start=D(2025, 1, 1))
                    self.assertTrue(all(i.principal >= 0 and i.interest >= 0 for i in lines))
                    self.assertEqual(sum(i.principal for i in lines), principal)


class TestDueDates(BaseCase):
    def test_month_ends(self):
        # disbursed on 31 January: due at the end of every shorter month
        self.assertEqual(
            s.due_dates(D(2024, 1, 31), 6),
            [
                D(2024, 2, 29),
                D(2024, 3, 31),
                D(2024, 4, 30),
                D(2024, 5, 31),
                D(2024, 6, 30),
                D(2024, 7, 31),
            ],
        )
        self.assertEqual(s.due_dates(D(2025, 1, 31), 2), [D(2025, 2, 28), D(2025, 3, 31)])
        self.assertEqual(s.due_dates(D(2025, 1, 30), 2), [D(2025, 2, 28), D(2025, 3, 30)])
        self.assertEqual(s.due_dates(D(2024, 2, 29), 2), [D(2024, 3, 29), D(2024, 4, 29)])
        self.assertEqual(s.due_dates(D(2025, 12, 15), 2), [D(2026, 1, 15), D(2026, 2, 15)])
        # 2100 is no leap year
        self.assertEqual(s.due_dates(D(2100, 1, 29), 1), [D(2100, 2, 28)])

    def test_every_start_day_of_three_years(self):
        day = D(2023, 1, 1)
        while day <= D(2025, 12, 31):
            dates = s.due_dates(day, 25)
            for k, due in enumerate(dates, 1):
                month_index = day.year * 12 + day.month - 1 + k
                year, month = divmod(month_index, 12)
                last = calendar.monthrange(year, month + 1)[1]
                self.assertEqual(due, D(year, month + 1, min(day.day, last)), (day, k))
            self.assertEqual(dates, sorted(set(dates)))
            weekly = s.due_dates(day, 10, s.WEEKLY)
            self.assertEqual([(d - day).days for d in weekly], [7 * k for k in range(1, 11)])
            day += datetime.timedelta(days=1)

    def test_first_due_given(self):
        self.assertEqual(
            s.due_dates(D(2025, 1, 20), 3, first_due=D(2025, 3, 31)),
            [D(2025, 3, 31), D(2025, 4, 30), D(2025, 5, 31)],
        )
        # a first due date at a month end keeps every installment at the month end
        self.assertEqual(
            s.due_dates(D(2025, 1, 20), 4, first_due=D(2025, 2, 28)),
            [D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30), D(2025, 5, 31)],
        )
        self.assertEqual(
            s.due_dates(D(2025, 1, 20), 2, first_due=D(2025, 2, 27)),
            [D(2025, 2, 27), D(2025, 3, 27)],
        )
        self.assertEqual(
            s.due_dates(D(2025, 1, 20), 2, s.WEEKLY, first_due=D(2025, 1, 24)),
            [D(2025, 1, 24), D(2025, 1, 31)],
        )
        with self.assertRaises(s.ScheduleError) as caught:
            s.due_dates(D(2025, 1, 20), 2, first_due=D(2025, 1, 20))
        self.assertEqual(caught.exception.code, s.FIRST_DUE)

    def test_schedule_dates_follow_start(self):
        lines = s.compute(1_000_000, 12, 3, s.FLAT, start=D(2024, 1, 31))
        self.assertEqual(
            [i.due_date for i in lines], [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]
        )


class TestErrors(BaseCase):
    def assertScheduleError(self, code, *args, **kwargs):
        with self.assertRaises(s.ScheduleError) as caught:
            s.compute(*args, **kwargs)
        self.assertEqual(caught.exception.code, code)

    def test_bad_input(self):
        start = {"start": D(2025, 1, 1)}
        self.assertScheduleError(s.PRINCIPAL, 0, 12, 12, s.FLAT, **start)
        self.assertScheduleError(s.PRINCIPAL, -1_000, 12, 12, s.FLAT, **start)
        self.assertScheduleError(s.PRINCIPAL, 1000.5, 12, 12, s.FLAT, **start)
        self.assertScheduleError(s.PRINCIPAL, True, 12, 12, s.FLAT, **start)
        self.assertScheduleError(s.TERM, 1_000, 12, 0, s.FLAT, **start)
        self.assertScheduleError(s.TERM, 1_000, 12, -3, s.FLAT, **start)
        self.assertScheduleError(s.TERM, 1_000, 12, 2.5, s.FLAT, **start)
        self.assertScheduleError(s.GRACE, 1_000, 12, 3, s.FLAT, grace=3, **start)
        self.assertScheduleError(s.GRACE, 1_000, 12, 3, s.FLAT, grace=-1, **start)
        self.assertScheduleError(s.RATE, 1_000, -1, 3, s.FLAT, **start)
        self.assertScheduleError(s.RATE, 1_000, "abc", 3, s.FLAT, **start)
        self.assertScheduleError(s.RATE, 1_000, float("nan"), 3, s.FLAT, **start)
        self.assertScheduleError(s.RATE, 1_000, float("inf"), 3, s.FLAT, **start)
        self.assertScheduleError(s.METHOD, 1_000, 12, 3, "compound", **start)
        self.assertScheduleError(s.FREQUENCY, 1_000, 12, 3, s.FLAT, "daily", **start)


class TestSplitAndRounding(BaseCase):
    def test_split_exhaustive(self):
        for amount in range(0, 400):
            for parts in range(1, 40):
                pieces = s.split(amount, parts)
                self.assertEqual(len(pieces), parts)
                self.assertEqual(sum(pieces), amount)
                self.assertEqual(len(set(pieces[:-1])), min(1, parts - 1))
                self.assertTrue(all(p >= 0 for p in pieces), (amount, parts))
                self.assertLess(abs(pieces[-1] - amount / parts), parts, (amount, parts))

    def test_round_half_up(self):
        self.assertEqual(s.round_half_up(Decimal("0.5")), 1)
        self.assertEqual(s.round_half_up(Decimal("1.4999")), 1)
        self.assertEqual(s.round_half_up(Decimal("2.5")), 3)
        self.assertEqual(s.round_half_up(0.1 + 0.2), 0)
        self.assertEqual(s.round_down(Decimal("2.999")), 2)

    def test_add_months(self):
        self.assertEqual(s.add_months(D(2025, 11, 30), 3), D(2026, 2, 28))
        self.assertEqual(s.add_months(D(2025, 2, 28), 1, anchor_day=31), D(2025, 3, 31))
        self.assertEqual(s.add_months(D(2025, 1, 31), -2), D(2024, 11, 30))


class TestExhaustiveGrid(BaseCase):
    """Every combination of the grid: invariants and closed forms."""

    def check(self, principal, rate, term, method, frequency, grace):
        lines = s.compute(
            principal, rate, term, method, frequency, start=D(2024, 1, 31), grace=grace
        )
        where = (principal, rate, term, method, frequency, grace)
        self.assertEqual(len(lines), term, where)
        self.assertEqual([i.sequence for i in lines], list(range(1, term + 1)), where)
        self.assertEqual(sum(i.principal for i in lines), principal, where)
        self.assertTrue(all(i.principal >= 0 and i.interest >= 0 for i in lines), where)
        self.assertTrue(all(i.principal == 0 for i in lines[:grace]), where)
        self.assertEqual(lines[-1].balance, 0, where)
        balances = [principal] + [i.balance for i in lines]
        self.assertTrue(all(a >= b for a, b in itertools.pairwise(balances)), where)
        per_year = s.PERIODS_PER_YEAR[frequency]
        i = Decimal(str(rate)) / 100 / per_year
        paying = term - grace
        interest_total = sum(x.interest for x in lines)
        if method in (s.FLAT, s.MURABAHAH):
            # closed form: principal x rate x term, rounded once
            exact = Decimal(principal) * Decimal(str(rate)) * term / (100 * per_year)
            self.assertEqual(interest_total, int((exact + Decimal("0.5")) // 1), where)
            self.assertLessEqual(len({x.interest for x in lines[:-1]}), 1, where)
            self.assertLessEqual(len({x.principal for x in lines[grace:-1]}), 1, where)
        elif method == s.EFFECTIVE:
            for before, line in zip(balances, lines, strict=False):
                self.assertEqual(line.interest, s.period_interest(before, rate, frequency), where)
            if principal % paying == 0:
                # closed form for equal principal parts: P i (grace + (m + 1) / 2), each
                # installment rounded by at most half a rupiah
                exact = Decimal(principal) * i * (grace + Decimal(paying + 1) / 2)
                self.assertLessEqual(abs(interest_total - exact), Decimal(term) / 2, where)
            self.assertLessEqual(len({x.principal for x in lines[grace:-1]}), 1, where)
        else:
            payment = s.annuity_payment(principal, rate, paying, frequency)
            textbook = closed_form_annuity(principal, rate, paying, per_year)
            self.assertLessEqual(abs(payment - textbook), 0.5 + 1e-6 * textbook, where)
            if principal >= 100 * paying:  # rounding of a rupiah is small against the payment
                self.assertEqual({x.total for x in lines[grace:-1]} or {payment}, {payment}, where)
                # the last installment absorbs the rounding of every period (at most one
                # rupiah of payment and interest a period, compounded: an annuity factor)
                growth = (1 + float(i)) ** paying
                bound = paying if not i else (growth - 1) / float(i)
                self.assertLessEqual(abs(lines[-1].total - payment), bound + 1, where)
            for before, line in zip(balances, lines, strict=False):
                self.assertEqual(line.interest, s.period_interest(before, rate, frequency), where)
            # closed form of the interest: m payments less the principal (grace: interest only)
            if principal >= 100 * paying:
                expected = Decimal(textbook) * paying - principal + Decimal(principal) * i * grace
                self.assertLessEqual(abs(interest_total - expected), bound + term + 1, where)

    def test_grid_monthly(self):
        for principal in PRINCIPALS:
            for rate in RATES:
                for term in TERMS:
                    for grace in range(min(term, 4)):
                        for method in s.METHODS:
                            self.check(principal, rate, term, method, s.MONTHLY, grace)

    def test_grid_weekly(self):
        for principal in PRINCIPALS[::2]:
            for rate in RATES[::2]:
                for term in (1, 2, 4, 10, 13, 25, 26, 50, 52, 104):
                    for grace in (0, min(2, term - 1)):
                        for method in s.METHODS:
                            self.check(principal, rate, term, method, s.WEEKLY, grace)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(
        principal=st.integers(min_value=1, max_value=10**11),
        rate=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
        term=st.integers(min_value=1, max_value=240),
        method=st.sampled_from(s.METHODS),
        frequency=st.sampled_from((s.MONTHLY, s.WEEKLY)),
        data=st.data(),
    )
    def test_property(self, principal, rate, term, method, frequency, data):
        grace = data.draw(st.integers(min_value=0, max_value=term - 1))
        self.check(principal, rate, term, method, frequency, grace)
