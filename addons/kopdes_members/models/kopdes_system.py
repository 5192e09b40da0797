"""The one place that says who is the system, who has a role and what day it is.

Every KopDes addon imports these helpers (``from odoo.addons.kopdes_members.models.kopdes_system
import ...``) instead of reading the context itself:

- A context key is never a permission: any client can send any context over RPC. Code that
  writes protected fields (states, postings, payouts) does it through :func:`kopdes_system`,
  i.e. as superuser *and* with a key that only that code sets; the guarded ``create``/``write``
  ask :func:`kopdes_is_system`.
- Public methods check the user's role first with :func:`kopdes_check_group`.
- "Today" is :func:`kopdes_today`: the date in the cooperative's time zone, never a date or a
  time zone taken from the caller's context.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo.exceptions import AccessError

# the time zone of a cooperative whose contact has none (most cooperatives are in WIB)
KOPDES_DEFAULT_TZ = "Asia/Jakarta"

# the context keys of the system code of each addon
STATE_CHANGE = "kopdes_state_change"  # kopdes_members: member status
SAVINGS_POSTING = "kopdes_savings_posting"  # kopdes_savings: posting transactions
EXIT_SETTLEMENT = "kopdes_exit_settlement"  # kopdes_savings: exit refunds
SAVINGS_DUES = "kopdes_savings_dues"  # kopdes_savings: wajib dues
LOAN_POSTING = "kopdes_loan_posting"  # kopdes_financing: loans, payments, schedules


def kopdes_is_system(env, key):
    """Whether ``env`` belongs to the system code owning ``key``: superuser mode
    (``sudo()``) together with the context key ``key``. Neither alone suffices."""
    return bool(env.su and env.context.get(key))


def kopdes_system(records, key):
    """``records`` (or a model) as the system code owning ``key`` writes them: superuser
    mode plus the key (see :func:`kopdes_is_system`)."""
    return records.sudo().with_context(**{key: True})


def kopdes_has_group(env, xmlid):
    """Whether the user of ``env`` has the group ``xmlid``; superuser mode always has it."""
    return env.su or env.user.has_group(xmlid)


def kopdes_check_group(env, xmlid, message):
    """Raise ``AccessError(message)`` unless the user of ``env`` has the group ``xmlid``
    (superuser mode passes). The one role check of every KopDes addon."""
    if not kopdes_has_group(env, xmlid):
        raise AccessError(message)


def kopdes_tz(env, company=None):
    """The time zone of the cooperative (``company``, by default the current one).

    The cooperative's contact says it (WIB, WITA or WIT); without one it is Asia/Jakarta.
    Neither the context nor the user's preferences are read: a user chooses their own time
    zone, so it cannot decide what day the cooperative's books are on.
    """
    company = company or env.company
    name = company.sudo().partner_id.tz or KOPDES_DEFAULT_TZ
    try:
        return pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        return pytz.timezone(KOPDES_DEFAULT_TZ)


def kopdes_today(env, company=None):
    """Today in the cooperative's time zone (:func:`kopdes_tz`).

    Unlike ``fields.Date.context_today`` it ignores the ``tz`` and ``date`` keys of the
    context, so a caller cannot move "today" to date a posting in the future.
    """
    return datetime.now(kopdes_tz(env, company)).date()


def kopdes_utc_bounds(env, company, date_from, date_to):
    """``(start, end)``: the cooperative's days ``date_from`` to ``date_to`` (both
    included, in its time zone, :func:`kopdes_tz`) as naive UTC datetimes for a filter
    ``start <= datetime_column < end`` on a stored Odoo datetime (which the index serves)."""
    tz = kopdes_tz(env, company)
    return tuple(
        tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        for day in (date_from, date_to + timedelta(days=1))
    )


def kopdes_check_fields(records, vals, allowed, message=None):
    """Refuse (``AccessError``) ``vals`` that name a field outside ``allowed``.

    ``allowed`` is the explicit list of fields a role may write on ``create``/``write``;
    everything else is written by the workflow methods. ``message`` may contain
    ``%(fields)s`` (the labels of the refused fields).
    """
    refused = sorted(set(vals) - set(allowed))
    if not refused:
        return
    env = records.env
    labels = ", ".join(
        records._fields[name]._description_string(env) if name in records._fields else name
        for name in refused
    )
    if message is None:
        message = env._(
            "These fields are filled in by the cooperative's procedures and cannot be written "
            "directly: %(fields)s",
            fields=labels,
        )
    else:
        message = message % {"fields": labels}
    raise AccessError(message)
