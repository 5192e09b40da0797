"""Repayments, late fees and early settlement in whole rupiah, free of Odoo.

Allocation: a payment goes to the oldest installment first; within an installment to its
late fee, then its interest, then its principal. What remains after the last installment
is the overpayment (the caller sends it to voluntary savings or refuses it).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .schedule import round_half_up, to_decimal

LATE_FEE = "late_fee"
INTEREST = "interest"
PRINCIPAL = "principal"
COMPONENTS = (LATE_FEE, INTEREST, PRINCIPAL)

# late fee modes
FEE_RATE = "rate"  # percent of the overdue installment per day
FEE_FIXED = "fixed"  # fixed rupiah per day

# what an early full repayment pays of the interest not yet due
EARLY_NONE = "none"  # only the interest of installments already due
EARLY_CURRENT = "current"  # plus the interest of the installment now running
EARLY_ALL = "all"  # all the scheduled interest
EARLY_RULES = (EARLY_NONE, EARLY_CURRENT, EARLY_ALL)


@dataclass(frozen=True)
class Due:
    """What is still owed on one installment."""

    key: object
    late_fee: int
    interest: int
    principal: int

    @property
    def total(self):
        return self.late_fee + self.interest + self.principal


@dataclass(frozen=True)
class Allocation:
    key: object
    late_fee: int
    interest: int
    principal: int

    @property
    def total(self):
        return self.late_fee + self.interest + self.principal


def allocate(amount, dues):
    """Allocate ``amount`` over ``dues`` (oldest first): late fee, interest, principal.

    Returns ``(allocations, rest)``: one :class:`Allocation` for every installment that
    receives something, and what is left over.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError("amount must be a non-negative whole number")
    allocations = []
    rest = amount
    for due in dues:
        if rest <= 0:
            break
        parts = {}
        for component in COMPONENTS:
            owed = getattr(due, component)
            if owed < 0:
                raise ValueError("an installment cannot owe a negative amount")
            take = min(rest, owed)
            parts[component] = take
            rest -= take
        if any(parts.values()):
            allocations.append(Allocation(due.key, **parts))
    return allocations, rest


def chargeable_days(due_date, on_date, grace_days=0):
    """Days of late fee of an installment due on ``due_date`` and unpaid on ``on_date``.

    No fee while the installment is late by ``grace_days`` days or less; beyond that,
    every day after the grace days counts.
    """
    late = (on_date - due_date).days
    return max(0, late - max(0, grace_days))


def late_fee(overdue, days, mode, value):
    """The late fee of ``days`` days on an overdue amount: ``value`` percent of it per
    day (mode ``rate``) or ``value`` rupiah per day (mode ``fixed``)."""
    if days <= 0 or overdue <= 0:
        return 0
    value = to_decimal(value)
    if value <= 0:
        return 0
    if mode == FEE_RATE:
        return round_half_up(Decimal(overdue) * value / 100 * days)
    if mode == FEE_FIXED:
        return round_half_up(value * days)
    raise ValueError(f"unknown late fee mode {mode!r}")


def late_fee_increment(due_date, overdue, charged_until, on_date, grace_days, mode, value):
    """The late fee to add on ``on_date`` for an installment whose fee was computed up to
    ``charged_until`` (or never, ``None``), on its current overdue amount."""
    if on_date <= due_date:
        return 0
    previous = chargeable_days(due_date, charged_until, grace_days) if charged_until else 0
    days = chargeable_days(due_date, on_date, grace_days) - previous
    return late_fee(overdue, days, mode, value)


def early_interest(installments, on_date, rule):
    """The interest an early full repayment on ``on_date`` pays, per installment.

    ``installments``: ``(key, period_start, due_date, interest_owed)`` in schedule order.
    Returns ``{key: interest to pay}``; the rest of the interest is waived.
    """
    if rule not in EARLY_RULES:
        raise ValueError(f"unknown early repayment rule {rule!r}")
    result = {}
    current_taken = False
    for key, period_start, due_date, owed in installments:
        if due_date <= on_date or rule == EARLY_ALL:
            result[key] = owed
        elif rule == EARLY_CURRENT and not current_taken and period_start < on_date:
            result[key] = owed
            current_taken = True
        else:
            result[key] = 0
            current_taken = current_taken or period_start < on_date
    return result


def days_past_due(oldest_unpaid_due, on_date):
    """Days past due of a loan whose oldest unpaid installment is due on that date."""
    if not oldest_unpaid_due:
        return 0
    if isinstance(oldest_unpaid_due, datetime.datetime):
        oldest_unpaid_due = oldest_unpaid_due.date()
    return max(0, (on_date - oldest_unpaid_due).days)
