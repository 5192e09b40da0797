"""Plain-Python tests of tools/shu.py (no database): exhaustive on small cases."""

import itertools
import random
from decimal import Decimal
from fractions import Fraction

from odoo.tests import BaseCase

from odoo.addons.kopdes_shu.tools import shu


class TestLargestRemainder(BaseCase):
    def check(self, amount, weights):
        shares = shu.largest_remainder(amount, weights)
        positive = {k: Fraction(w) for k, w in weights.items() if Fraction(w) > 0}
        total = sum(positive.values())
        if not total:
            self.assertEqual(shares, {})
            return shares
        self.assertEqual(sum(shares.values()), amount)
        self.assertEqual(set(shares), set(positive))
        for key, weight in positive.items():
            quota = Fraction(amount) * weight / total
            # every share is its quota rounded down or up, never further
            self.assertLessEqual(abs(shares[key] - quota), 1, (amount, weights, key))
            self.assertGreaterEqual(shares[key], quota - 1 + Fraction(1, 10**9))
            self.assertIsInstance(shares[key], int)
        return shares

    def test_exhaustive_small(self):
        # every amount 0..30 over every weight vector of 1..3 members with weights 0..4
        for size in (1, 2, 3):
            for weights in itertools.product(range(5), repeat=size):
                for amount in range(31):
                    self.check(amount, dict(enumerate(weights)))

    def test_largest_remainders_get_the_units(self):
        # quotas 3.5, 3.3, 3.2 (sum 10): floors 3, 3, 3; the one unit left goes to the 0.5
        self.assertEqual(
            shu.largest_remainder(10, {"a": 35, "b": 33, "c": 32}), {"a": 4, "b": 3, "c": 3}
        )
        # equal remainders: the smallest key gets the unit
        self.assertEqual(shu.largest_remainder(1, {2: 1, 1: 1}), {1: 1, 2: 0})
        self.assertEqual(shu.largest_remainder(100, {1: 1, 2: 1, 3: 1}), {1: 34, 2: 33, 3: 33})

    def test_proportional_and_doubling(self):
        shares = shu.largest_remainder(3000000, {"a": 100, "b": 200, "c": 300})
        self.assertEqual(shares, {"a": 500000, "b": 1000000, "c": 1500000})
        shares = shu.largest_remainder(999, {1: 1, 2: 2})
        self.assertEqual(shares, {1: 333, 2: 666})

    def test_random_large(self):
        rng = random.Random(11)
        for _i in range(200):
            n = rng.randint(1, 60)
            weights = {k: rng.choice([0, rng.randint(1, 10**9)]) for k in range(n)}
            self.check(rng.randint(0, 10**10), weights)

    def test_exact_weights(self):
        # Decimal and Fraction weights are exact; floats are refused
        shares = self.check(10, {1: Decimal("0.1"), 2: Decimal("0.2"), 3: Fraction(7, 10)})
        self.assertEqual(shares, {1: 1, 2: 2, 3: 7})
        with self.assertRaises(TypeError):
            shu.largest_remainder(10, {1: 0.1})
        with self.assertRaises(ValueError):
            shu.largest_remainder(10, {1: -1, 2: 3})
        with self.assertRaises(ValueError):
            shu.largest_remainder(10.5, {1: 1})
        with self.assertRaises(ValueError):
            shu.largest_remainder(-1, {1: 1})

    def test_nobody_to_share_with(self):
        self.assertEqual(shu.largest_remainder(100, {}), {})
        self.assertEqual(shu.largest_remainder(100, {1: 0, 2: 0}), {})
        self.assertEqual(shu.largest_remainder(0, {1: 5, 2: 0}), {1: 0})


class TestPools(BaseCase):
    def test_split_sums_exactly(self):
        pcts = {
            "reserve": Decimal("25"),
            "capital": Decimal("20"),
            "patronage": Decimal("25"),
            "management": Decimal("10"),
            "staff": Decimal("5"),
            "education": Decimal("5"),
            "social": Decimal("5"),
            "development": Decimal("5"),
        }
        for amount in (0, 1, 7, 99, 101, 12345679, 98765432101):
            pools = shu.split_pools(amount, pcts)
            self.assertEqual(sum(pools.values()), amount)
            self.assertEqual(list(pools), list(pcts))
        self.assertEqual(shu.split_pools(1000, pcts)["reserve"], 250)

    def test_percentages_not_100(self):
        with self.assertRaises(ValueError):
            shu.split_pools(1000, {"a": Decimal("50"), "b": Decimal("49.99")})

    def test_member_shares_and_scale(self):
        result = shu.member_shares(
            {"capital": 1000, "pos": 500, "loan": 300},
            {"capital": {1: 1, 2: 3}, "pos": {1: 10, 2: 0}, "loan": {}},
        )
        self.assertEqual(result, {"capital": {1: 250, 2: 750}, "pos": {1: 500}, "loan": {}})
        self.assertEqual(shu.scale(1000, 1, 3), 333)
        self.assertEqual(shu.scale(1000, Decimal("7.5"), 10), 750)
        self.assertEqual(shu.scale(1000, 5, 0), 0)
