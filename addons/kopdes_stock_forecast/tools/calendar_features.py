"""Weekly calendar features from dated events (no Odoo import).

An event is ``(kind, date_start, date_end)`` with both dates included. The feature of a kind in
a week is the share of the week's seven days inside an event of that kind, so a Ramadan that
starts on a Thursday gives that week 4/7. Two kinds are derived rather than configured:

- ``pre_lebaran``: the fourteen days before Idul Fitri (the shopping peak of the year);
- ``payday``: the days from the 25th to the 1st of the next month (salaries, pensions).
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

EVENT_KINDS = (
    "ramadan",
    "idul_fitri",
    "idul_adha",
    "school_start",
    "planting",
    "harvest",
    "aid",
)
DERIVED_KINDS = ("pre_lebaran", "payday")
FEATURE_KINDS = EVENT_KINDS + DERIVED_KINDS


def week_start(day):
    """The Monday of the week of ``day`` (a date)."""
    return day - timedelta(days=day.weekday())


def week_index(first_week, n_weeks):
    """``n_weeks`` Mondays from ``first_week`` (a Monday) as a pandas DatetimeIndex."""
    return pd.date_range(pd.Timestamp(first_week), periods=n_weeks, freq="7D")


def _derived_events(events):
    derived = []
    for kind, start, _end in events:
        if kind == "idul_fitri":
            derived.append(("pre_lebaran", start - timedelta(days=14), start - timedelta(days=1)))
    return derived


def calendar_matrix(weeks, events):
    """Array (len(weeks), len(FEATURE_KINDS)): share of each week's days in each kind."""
    weeks = pd.DatetimeIndex(weeks)
    n = len(weeks)
    if not n:
        return np.zeros((0, len(FEATURE_KINDS)))
    first = weeks[0].date()
    n_days = n * 7
    days = np.zeros((n_days, len(FEATURE_KINDS)))
    col = {kind: i for i, kind in enumerate(FEATURE_KINDS)}
    events = [(k, s, e) for k, s, e in events if k in col]
    for kind, start, end in list(events) + _derived_events(events):
        a = max((start - first).days, 0)
        b = min((end - first).days + 1, n_days)
        if a < b:
            days[a:b, col[kind]] = 1.0
    calendar_days = pd.date_range(pd.Timestamp(first), periods=n_days, freq="D")
    dom = calendar_days.day.to_numpy()
    days[:, col["payday"]] = ((dom >= 25) | (dom == 1)).astype(float)
    # the weeks must be consecutive (they are: weekly_matrix builds them so)
    return days.reshape(n, 7, len(FEATURE_KINDS)).mean(axis=1)


def events_from_rows(rows):
    """``rows`` of dicts (kind, date_start, date_end) as event tuples with ``date`` values."""
    out = []
    for row in rows:
        start, end = row["date_start"], row["date_end"] or row["date_start"]
        if isinstance(start, str):
            start, end = date.fromisoformat(start), date.fromisoformat(end)
        out.append((row["kind"], start, end))
    return out
