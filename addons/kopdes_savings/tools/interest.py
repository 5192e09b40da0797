"""Interest on savings (jasa simpanan), plain Python, no Odoo import.

The base of a month's interest is either the minimum end-of-day balance of the month
(``minimum``) or the average of the end-of-day balances (``average``). The interest is
``base * annual rate * days / days in the year``, rounded *down* to the currency unit so
the cooperative never credits more than the rule gives.
"""

import calendar
import math
from datetime import timedelta

BASES = ("minimum", "average")


def daily_balances(opening, movements, first_day, last_day):
    """End-of-day balances from ``first_day`` to ``last_day`` (both included).

    :param opening: balance at the start of ``first_day``
    :param movements: iterable of ``(day, amount)``; amounts are signed, days outside the
        range are ignored (earlier ones belong in ``opening``)
    """
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    by_day = {}
    for day, amount in movements:
        if first_day <= day <= last_day:
            by_day[day] = by_day.get(day, 0.0) + amount
    balances = []
    balance = opening
    day = first_day
    while day <= last_day:
        balance += by_day.get(day, 0.0)
        balances.append(balance)
        day += timedelta(days=1)
    return balances


def interest_base(opening, movements, first_day, last_day, base="minimum"):
    """The balance interest is paid on: minimum or average end-of-day balance, never < 0."""
    if base not in BASES:
        raise ValueError(f"unknown interest base {base!r}")
    balances = daily_balances(opening, movements, first_day, last_day)
    value = min(balances) if base == "minimum" else sum(balances) / len(balances)
    return max(value, 0.0)


def round_down(amount, unit):
    """``amount`` rounded down to a multiple of ``unit`` (e.g. 1 rupiah or 0.01)."""
    if unit <= 0:
        raise ValueError("unit must be positive")
    # the small epsilon keeps 0.1 + 0.2 style float noise from losing a whole unit
    return math.floor(amount / unit + 1e-9) * unit


def interest_amount(base_balance, annual_rate, first_day, last_day, unit=1.0):
    """Interest for the days from ``first_day`` to ``last_day`` at ``annual_rate`` percent."""
    if base_balance <= 0 or annual_rate <= 0:
        return 0.0
    days = (last_day - first_day).days + 1
    days_in_year = 366 if calendar.isleap(first_day.year) else 365
    return round_down(base_balance * annual_rate / 100.0 * days / days_in_year, unit)
