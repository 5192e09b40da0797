"""Collectability (kolektibilitas), provisions (PPAP) and portfolio ratios, free of Odoo.

Defaults follow the practice of Indonesian rural banks (POJK 33/2018 for BPR) that
savings-and-loan cooperatives copy; every cooperative can change them.
"""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from .schedule import round_half_up, to_decimal


@dataclass(frozen=True)
class CollectabilityClass:
    code: str
    name: str
    min_days: int  # the class starts at this many days past due
    provision_rate: Decimal  # percent of the outstanding (less collateral when deducted)
    deduct_collateral: bool
    non_performing: bool


DEFAULT_CLASSES = (
    CollectabilityClass("1", "Lancar", 0, Decimal("0.5"), False, False),
    CollectabilityClass("2", "Dalam Perhatian Khusus (DPK)", 1, Decimal("3"), True, False),
    CollectabilityClass("3", "Kurang Lancar", 91, Decimal("10"), True, True),
    CollectabilityClass("4", "Diragukan", 121, Decimal("50"), True, True),
    CollectabilityClass("5", "Macet", 181, Decimal("100"), True, True),
)


class ClassesError(ValueError):
    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


FIRST_NOT_ZERO = "first_not_zero"
NOT_INCREASING = "not_increasing"
RATE_RANGE = "rate_range"
EMPTY = "empty"


def check_classes(classes):
    """Raise :class:`ClassesError` unless the classes start at 0 days, in strictly
    increasing order of days, with rates between 0 and 100 percent."""
    ordered = sorted(classes, key=lambda c: c.min_days)
    if not ordered:
        raise ClassesError(EMPTY)
    if ordered[0].min_days != 0:
        raise ClassesError(FIRST_NOT_ZERO, name=ordered[0].name)
    for before, after in itertools.pairwise(ordered):
        if after.min_days <= before.min_days:
            raise ClassesError(NOT_INCREASING, name=after.name, days=after.min_days)
    for cls in ordered:
        rate = to_decimal(cls.provision_rate)
        if not 0 <= rate <= 100:
            raise ClassesError(RATE_RANGE, name=cls.name, rate=cls.provision_rate)
    return ordered


def classify(days, classes=DEFAULT_CLASSES):
    """The class of a loan ``days`` days past due: the one with the largest
    ``min_days`` not above ``days``."""
    ordered = sorted(classes, key=lambda c: c.min_days)
    found = ordered[0]
    for cls in ordered:
        if cls.min_days <= max(0, days):
            found = cls
        else:
            break
    return found


def eligible_collateral(outstanding, collateral):
    """Collateral counts up to the outstanding amount, never below zero."""
    return max(0, min(outstanding, collateral))


def provision(outstanding, collateral, cls):
    """The provision (PPAP) a loan of this class needs, in whole rupiah."""
    if outstanding <= 0:
        return 0
    base = outstanding
    if cls.deduct_collateral:
        base -= eligible_collateral(outstanding, collateral)
    return round_half_up(Decimal(base) * to_decimal(cls.provision_rate) / 100)


def ratio(part, whole):
    """``part`` as a percentage of ``whole`` (0 when there is nothing)."""
    if not whole:
        return 0.0
    return float(Decimal(part) * 100 / Decimal(whole))


AGING_BUCKETS = ((0, 0), (1, 30), (31, 60), (61, 90), (91, 180), (181, None))


def aging_bucket(days):
    """Index of the aging bucket of an installment ``days`` days past due."""
    for index, (low, high) in enumerate(AGING_BUCKETS):
        if days >= low and (high is None or days <= high):
            return index
    return 0
