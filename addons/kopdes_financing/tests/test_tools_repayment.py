"""Plain-Python tests of tools/repayment.py and tools/collectability.py (no database)."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase

from odoo.addons.kopdes_financing.tools import collectability as c
from odoo.addons.kopdes_financing.tools import repayment as r

D = datetime.date


class TestAllocate(BaseCase):
    DUES = (
        r.Due(1, late_fee=5_000, interest=10_000, principal=100_000),
        r.Due(2, late_fee=0, interest=10_000, principal=100_000),
        r.Due(3, late_fee=0, interest=10_000, principal=100_000),
    )

    def test_order_fee_interest_principal_oldest_first(self):
        allocations, rest = r.allocate(20_000, self.DUES)
        self.assertEqual(allocations, [r.Allocation(1, 5_000, 10_000, 5_000)])
        self.assertEqual(rest, 0)
        allocations, rest = r.allocate(130_000, self.DUES)
        self.assertEqual(
            allocations,
            [r.Allocation(1, 5_000, 10_000, 100_000), r.Allocation(2, 0, 10_000, 5_000)],
        )

    def test_overpayment(self):
        allocations, rest = r.allocate(400_000, self.DUES)
        self.assertEqual(sum(a.total for a in allocations), 335_000)
        self.assertEqual(rest, 65_000)

    def test_nothing_and_bad_amounts(self):
        self.assertEqual(r.allocate(0, self.DUES), ([], 0))
        self.assertEqual(r.allocate(5, []), ([], 5))
        for bad in (-1, 1.5, True):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                r.allocate(bad, self.DUES)
        with self.assertRaises(ValueError):
            r.allocate(10, [r.Due(1, -1, 0, 0)])

    def test_skips_settled_installments(self):
        dues = [r.Due(1, 0, 0, 0), r.Due(2, 0, 3, 4)]
        self.assertEqual(r.allocate(5, dues), ([r.Allocation(2, 0, 3, 2)], 0))

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(
        amount=st.integers(min_value=0, max_value=10**9),
        dues=st.lists(
            st.tuples(st.integers(0, 10**6), st.integers(0, 10**7), st.integers(0, 10**8)),
            max_size=30,
        ),
    )
    def test_property(self, amount, dues):
        dues = [r.Due(k, *parts) for k, parts in enumerate(dues)]
        allocations, rest = r.allocate(amount, dues)
        self.assertEqual(sum(a.total for a in allocations) + rest, amount)
        by_key = {d.key: d for d in dues}
        for alloc in allocations:
            due = by_key[alloc.key]
            self.assertLessEqual(alloc.late_fee, due.late_fee)
            self.assertLessEqual(alloc.interest, due.interest)
            self.assertLessEqual(alloc.principal, due.principal)
            # a later component only gets money once the earlier ones are settled
            if alloc.interest:
                self.assertEqual(alloc.late_fee, due.late_fee)
            if alloc.principal:
                self.assertEqual(alloc.interest, due.interest)
        # every installment before the last one touched is settled completely
        keys = [a.key for a in allocations]
        for alloc in allocations[:-1]:
            self.assertEqual(alloc.total, by_key[alloc.key].total)
        if rest:
            self.assertEqual(sum(a.total for a in allocations), sum(d.total for d in dues))
        self.assertEqual(keys, sorted(keys))


class TestLateFees(BaseCase):
    def test_chargeable_days(self):
        due = D(2025, 3, 10)
        self.assertEqual(r.chargeable_days(due, D(2025, 3, 10), 3), 0)
        self.assertEqual(r.chargeable_days(due, D(2025, 3, 13), 3), 0)
        self.assertEqual(r.chargeable_days(due, D(2025, 3, 14), 3), 1)
        self.assertEqual(r.chargeable_days(due, D(2025, 4, 10), 0), 31)
        self.assertEqual(r.chargeable_days(due, D(2025, 3, 1), 0), 0)

    def test_rate_and_fixed(self):
        # 0.1 % a day of Rp 110.000 for 10 days: Rp 1.100
        self.assertEqual(r.late_fee(110_000, 10, r.FEE_RATE, "0.1"), 1_100)
        self.assertEqual(r.late_fee(110_000, 10, r.FEE_FIXED, 2_000), 20_000)
        self.assertEqual(r.late_fee(110_000, 0, r.FEE_FIXED, 2_000), 0)
        self.assertEqual(r.late_fee(0, 10, r.FEE_RATE, 1), 0)
        self.assertEqual(r.late_fee(110_000, 10, r.FEE_RATE, 0), 0)
        with self.assertRaises(ValueError):
            r.late_fee(1, 1, "weekly", 1)

    def test_daily_increments_add_up_and_are_idempotent(self):
        due = D(2025, 3, 10)
        for mode, value in ((r.FEE_RATE, Decimal("0.25")), (r.FEE_FIXED, 1_500)):
            total = 0
            charged = None
            day = due
            while day <= D(2025, 6, 30):
                total += r.late_fee_increment(due, 400_000, charged, day, 5, mode, value)
                # running twice the same day adds nothing
                self.assertEqual(r.late_fee_increment(due, 400_000, day, day, 5, mode, value), 0)
                charged = day
                day += datetime.timedelta(days=1)
            days = r.chargeable_days(due, D(2025, 6, 30), 5)
            self.assertEqual(days, 107)
            self.assertEqual(total, r.late_fee(400_000, days, mode, value))
            # one catch-up run gives the same
            self.assertEqual(
                r.late_fee_increment(due, 400_000, None, D(2025, 6, 30), 5, mode, value), total
            )

    def test_increment_before_due(self):
        self.assertEqual(
            r.late_fee_increment(D(2025, 3, 10), 1, None, D(2025, 3, 10), 0, r.FEE_FIXED, 9), 0
        )


class TestEarlyInterest(BaseCase):
    LINES = (
        (1, D(2025, 1, 1), D(2025, 2, 1), 10_000),
        (2, D(2025, 2, 1), D(2025, 3, 1), 10_000),
        (3, D(2025, 3, 1), D(2025, 4, 1), 10_000),
        (4, D(2025, 4, 1), D(2025, 5, 1), 10_000),
    )

    def test_rules(self):
        on = D(2025, 3, 15)
        self.assertEqual(
            r.early_interest(self.LINES, on, r.EARLY_NONE), {1: 10_000, 2: 10_000, 3: 0, 4: 0}
        )
        self.assertEqual(
            r.early_interest(self.LINES, on, r.EARLY_CURRENT),
            {1: 10_000, 2: 10_000, 3: 10_000, 4: 0},
        )
        self.assertEqual(
            r.early_interest(self.LINES, on, r.EARLY_ALL), {k: 10_000 for k in (1, 2, 3, 4)}
        )

    def test_on_a_due_date_nothing_is_running(self):
        on = D(2025, 3, 1)
        self.assertEqual(
            r.early_interest(self.LINES, on, r.EARLY_CURRENT), {1: 10_000, 2: 10_000, 3: 0, 4: 0}
        )
        with self.assertRaises(ValueError):
            r.early_interest(self.LINES, on, "half")

    def test_days_past_due(self):
        self.assertEqual(r.days_past_due(None, D(2025, 1, 1)), 0)
        self.assertEqual(r.days_past_due(D(2025, 1, 1), D(2025, 1, 1)), 0)
        self.assertEqual(r.days_past_due(D(2025, 1, 1), D(2025, 4, 1)), 90)
        self.assertEqual(r.days_past_due(D(2025, 5, 1), D(2025, 4, 1)), 0)


class TestCollectability(BaseCase):
    def test_default_thresholds(self):
        expected = {
            0: "Lancar",
            1: "Dalam Perhatian Khusus (DPK)",
            90: "Dalam Perhatian Khusus (DPK)",
            91: "Kurang Lancar",
            120: "Kurang Lancar",
            121: "Diragukan",
            180: "Diragukan",
            181: "Macet",
            5000: "Macet",
            -3: "Lancar",
        }
        for days, name in expected.items():
            with self.subTest(days=days):
                self.assertEqual(c.classify(days).name, name)

    def test_every_day_of_two_years(self):
        previous = None
        for days in range(0, 730):
            cls = c.classify(days)
            self.assertLessEqual(cls.min_days, days)
            if previous:
                self.assertGreaterEqual(int(cls.code), int(previous.code))
            previous = cls

    def test_provision(self):
        lancar, dpk, kl, diragukan, macet = c.DEFAULT_CLASSES
        self.assertEqual(c.provision(10_000_000, 0, lancar), 50_000)
        # Lancar keeps the general reserve whatever the collateral
        self.assertEqual(c.provision(10_000_000, 4_000_000, lancar), 50_000)
        self.assertEqual(c.provision(10_000_000, 4_000_000, dpk), 180_000)
        self.assertEqual(c.provision(10_000_000, 4_000_000, kl), 600_000)
        self.assertEqual(c.provision(10_000_000, 4_000_000, diragukan), 3_000_000)
        self.assertEqual(c.provision(10_000_000, 4_000_000, macet), 6_000_000)
        self.assertEqual(c.provision(10_000_000, 25_000_000, macet), 0)
        self.assertEqual(c.provision(10_000_000, -5, macet), 10_000_000)
        self.assertEqual(c.provision(0, 0, macet), 0)
        self.assertEqual(c.provision(333, 0, lancar), 2)  # 1,665 rounds up

    def test_check_classes(self):
        self.assertEqual(len(c.check_classes(c.DEFAULT_CLASSES)), 5)
        base = c.DEFAULT_CLASSES
        cases = {
            c.EMPTY: [],
            c.FIRST_NOT_ZERO: [base[1], base[2]],
            c.NOT_INCREASING: [base[0], base[1], c.CollectabilityClass("x", "X", 1, 5, True, True)],
            c.RATE_RANGE: [base[0], c.CollectabilityClass("x", "X", 9, 101, True, True)],
        }
        for code, classes in cases.items():
            with self.subTest(code=code), self.assertRaises(c.ClassesError) as caught:
                c.check_classes(classes)
            self.assertEqual(caught.exception.code, code)

    def test_ratio_and_aging(self):
        self.assertEqual(c.ratio(0, 0), 0.0)
        self.assertAlmostEqual(c.ratio(25, 200), 12.5)
        self.assertEqual(
            [c.aging_bucket(d) for d in (0, 1, 30, 31, 60, 61, 90, 91, 180, 181, 999)],
            [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
        )
