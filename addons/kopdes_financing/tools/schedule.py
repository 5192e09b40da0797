"""Repayment schedules in whole rupiah, free of Odoo.

Four ways of charging for money, as Indonesian savings-and-loan units do:

``flat``
    bunga flat: the interest of every installment is the annual rate on the *original*
    principal; equal principal parts.
``effective``
    declining balance with equal principal parts: the interest of an installment is the
    period rate on the principal still outstanding before it.
``annuity``
    equal installments (principal + interest) on the declining balance.
``murabahah``
    a sale at cost price plus a fixed margin (the annual margin rate on the cost price for
    the whole term, agreed once), paid in equal parts. The numbers are those of ``flat``;
    the bookkeeping differs (margin, social fund) and lives in the models.

Rules of the house:

* every amount is a whole rupiah (``int``);
* the principal parts sum exactly to the principal, the interest parts to the interest
  of the schedule; the last installment absorbs the rounding;
* monthly installments fall on the disbursement's day of the month, or on the month's
  last day when the month is shorter (disbursed on 31 January: due on 28/29 February,
  31 March, 30 April, ...); weekly installments every seven days;
* a grace period of ``grace`` installments pays interest (or margin) only; the principal
  is repaid over the remaining ``term - grace`` installments.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext

from odoo.addons.kopdes_members.tools.dates import add_months  # noqa: F401 (re-exported)

FLAT = "flat"
EFFECTIVE = "effective"
ANNUITY = "annuity"
MURABAHAH = "murabahah"
METHODS = (FLAT, EFFECTIVE, ANNUITY, MURABAHAH)

MONTHLY = "monthly"
WEEKLY = "weekly"
PERIODS_PER_YEAR = {MONTHLY: 12, WEEKLY: 52}

# error codes (the models turn them into translated messages)
PRINCIPAL = "principal"
TERM = "term"
GRACE = "grace"
RATE = "rate"
METHOD = "method"
FREQUENCY = "frequency"
FIRST_DUE = "first_due"

_CONTEXT = Context(prec=50)
_ONE = Decimal(1)


class ScheduleError(ValueError):
    """Invalid input of a schedule; ``code`` says which (one of the constants above)."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Installment:
    sequence: int
    due_date: datetime.date
    principal: int
    interest: int
    balance: int  # principal still outstanding after this installment is paid

    @property
    def total(self):
        return self.principal + self.interest


# ---------------------------------------------------------------- rounding


def to_decimal(value):
    """An exact Decimal of an int, str, Decimal or float (floats through their repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value):
    """Round a non-negative Decimal (or number) to a whole rupiah, halves up."""
    return int(to_decimal(value).quantize(_ONE, rounding=ROUND_HALF_UP, context=_CONTEXT))


def round_down(value):
    return int(to_decimal(value).quantize(_ONE, rounding=ROUND_FLOOR, context=_CONTEXT))


def split(amount, parts):
    """Split a whole amount into ``parts`` whole parts summing exactly to ``amount``.

    All parts but the last are equal (the amount divided by the number of parts, rounded
    to the nearest rupiah); the last absorbs the difference and is never negative.
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")
    base = round_half_up(Decimal(amount) / parts)
    if base * (parts - 1) > amount:
        base = amount // parts
    return [base] * (parts - 1) + [amount - base * (parts - 1)]


# ---------------------------------------------------------------- dates


def due_dates(start, count, frequency=MONTHLY, first_due=None):
    """The ``count`` due dates of a schedule disbursed on ``start``.

    The first installment falls one period after ``start`` unless ``first_due`` is given;
    the following ones keep the first's day of the month (monthly) or weekday (weekly). A
    ``first_due`` on the last day of a month makes every installment fall on a month end.
    """
    if frequency not in PERIODS_PER_YEAR:
        raise ScheduleError(FREQUENCY, frequency=frequency)
    if first_due is not None and first_due <= start:
        raise ScheduleError(FIRST_DUE, first_due=first_due, start=start)
    if frequency == WEEKLY:
        first = first_due or start + datetime.timedelta(days=7)
        return [first + datetime.timedelta(days=7 * k) for k in range(count)]
    if first_due is None:
        return [add_months(start, k + 1) for k in range(count)]
    last_day = calendar.monthrange(first_due.year, first_due.month)[1]
    anchor = 31 if first_due.day == last_day else first_due.day
    return [add_months(first_due, k, anchor_day=anchor) for k in range(count)]


# ---------------------------------------------------------------- schedules


def period_rate(annual_rate, frequency=MONTHLY):
    """The rate of one period as a fraction (18 % a year, monthly: 0.015)."""
    with localcontext(_CONTEXT):
        return to_decimal(annual_rate) / 100 / PERIODS_PER_YEAR[frequency]


def period_interest(balance, annual_rate, frequency=MONTHLY, periods=1):
    """Interest of ``periods`` periods on ``balance``, rounded once to a whole rupiah.

    The division comes last, so that exact halves round up as they should.
    """
    with localcontext(_CONTEXT):
        numerator = Decimal(balance) * to_decimal(annual_rate) * periods
        return round_half_up(numerator / (100 * PERIODS_PER_YEAR[frequency]))


def flat_interest_total(principal, annual_rate, term, frequency=MONTHLY):
    """Closed form of the interest (or margin) of a flat schedule, in whole rupiah."""
    return period_interest(principal, annual_rate, frequency, term)


def annuity_payment(principal, annual_rate, periods, frequency=MONTHLY):
    """The (rounded) equal installment of an annuity over ``periods`` periods."""
    with localcontext(_CONTEXT):
        rate = period_rate(annual_rate, frequency)
        if not rate:
            return round_half_up(Decimal(principal) / periods)
        return round_half_up(Decimal(principal) * rate / (1 - (1 + rate) ** -periods))


def _check(principal, annual_rate, term, method, frequency, grace):
    if method not in METHODS:
        raise ScheduleError(METHOD, method=method)
    if frequency not in PERIODS_PER_YEAR:
        raise ScheduleError(FREQUENCY, frequency=frequency)
    if isinstance(principal, bool) or not isinstance(principal, int) or principal <= 0:
        raise ScheduleError(PRINCIPAL, principal=principal)
    if isinstance(term, bool) or not isinstance(term, int) or term < 1:
        raise ScheduleError(TERM, term=term)
    if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace < term:
        raise ScheduleError(GRACE, grace=grace, term=term)
    try:
        rate = to_decimal(annual_rate)
    except (TypeError, ValueError, ArithmeticError) as err:
        raise ScheduleError(RATE, rate=annual_rate) from err
    if not rate.is_finite() or rate < 0:
        raise ScheduleError(RATE, rate=annual_rate)


def amounts(principal, annual_rate, term, method, frequency=MONTHLY, grace=0):
    """The (principal, interest) of every installment, without dates."""
    _check(principal, annual_rate, term, method, frequency, grace)
    paying = term - grace
    if method in (FLAT, MURABAHAH):
        principals = [0] * grace + split(principal, paying)
        interests = split(flat_interest_total(principal, annual_rate, term, frequency), term)
        return list(zip(principals, interests, strict=True))
    result = []
    balance = principal
    with localcontext(_CONTEXT):
        for _k in range(grace):
            result.append((0, period_interest(balance, annual_rate, frequency)))
        if method == EFFECTIVE:
            for part in split(principal, paying):
                result.append((part, period_interest(balance, annual_rate, frequency)))
                balance -= part
            return result
        payment = annuity_payment(principal, annual_rate, paying, frequency)
        for k in range(paying):
            interest = period_interest(balance, annual_rate, frequency)
            if k == paying - 1:
                part = balance
            else:
                part = max(0, min(payment - interest, balance))
            result.append((part, interest))
            balance -= part
    return result


def compute(
    principal,
    annual_rate,
    term,
    method,
    frequency=MONTHLY,
    start=None,
    grace=0,
    first_due=None,
):
    """The installments of a loan of ``principal`` rupiah disbursed on ``start``.

    ``annual_rate`` is the yearly interest (or murabahah margin) rate in percent,
    ``term`` the number of installments (grace included), ``grace`` the number of
    first installments that pay interest only.
    """
    parts = amounts(principal, annual_rate, term, method, frequency, grace)
    start = start or datetime.date.today()
    dates = due_dates(start, term, frequency, first_due)
    installments = []
    balance = principal
    for sequence, ((part, interest), due) in enumerate(zip(parts, dates, strict=True), 1):
        balance -= part
        installments.append(Installment(sequence, due, part, interest, balance))
    return installments


def totals(installments):
    """(principal, interest, total) of a list of installments."""
    principal = sum(i.principal for i in installments)
    interest = sum(i.interest for i in installments)
    return principal, interest, principal + interest
