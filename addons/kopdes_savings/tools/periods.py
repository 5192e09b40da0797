"""Savings periods (plain Python, no Odoo import).

A period is identified by its first day. Wajib dues are monthly by default; quarterly and
yearly periods are supported for cooperatives that collect less often.
"""

from datetime import date, timedelta

from odoo.addons.kopdes_members.tools.dates import add_months  # noqa: F401 (re-exported)

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "yearly": 12}


def period_start(day, period="monthly"):
    """First day of the period that contains ``day``."""
    step = MONTHS_PER_PERIOD[period]
    month = (day.month - 1) // step * step + 1
    return date(day.year, month, 1)


def period_end(start, period="monthly"):
    """Last day of the period that starts on ``start``."""
    return add_months(period_start(start, period), MONTHS_PER_PERIOD[period]) - timedelta(days=1)


def next_period(start, period="monthly"):
    """First day of the period after the one that starts on ``start``."""
    return add_months(period_start(start, period), MONTHS_PER_PERIOD[period])


def previous_period(start, period="monthly"):
    """First day of the period before the one that starts on ``start``."""
    return add_months(period_start(start, period), -MONTHS_PER_PERIOD[period])


def period_label(start, period="monthly"):
    """Short label: 2026-03 (monthly), 2026-Q1 (quarterly), 2026 (yearly)."""
    if period == "monthly":
        return f"{start.year:04d}-{start.month:02d}"
    if period == "quarterly":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


def periods_between(first, last, period="monthly"):
    """Starts of all periods from the one containing ``first`` to the one containing ``last``."""
    starts = []
    current = period_start(first, period)
    end = period_start(last, period)
    while current <= end:
        starts.append(current)
        current = next_period(current, period)
    return starts
