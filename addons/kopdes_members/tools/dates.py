"""Calendar arithmetic shared by every KopDes addon (plain Python, no Odoo import)."""

import calendar
import datetime


def add_months(day, months, anchor_day=None):
    """``day`` moved by ``months`` months (negative: back), on ``anchor_day`` (default:
    ``day.day``) or the last day of the target month when that month is shorter.

    >>> add_months(datetime.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(datetime.date(2026, 2, 28), 1, anchor_day=31)
    datetime.date(2026, 3, 31)
    """
    anchor_day = anchor_day or day.day
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(anchor_day, last))
