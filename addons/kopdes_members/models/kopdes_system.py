"""The one place that says who is the system, who has a role and what day it is.

Every KopDes addon imports these helpers (``from odoo.addons.kopdes_members.models.kopdes_system
import ...``) instead of reading the context itself:

- A context key is never a permission: any client can send any context over RPC. Code that
  writes protected fields (states, postings, payouts) does it through :func:`kopdes_system`,
  i.e. as superuser *and* with a key that only that code sets; the guarded ``create``/``write``
  ask :func:`kopdes_is_system`.
- Public methods check the user's role first with :func:`kopdes_check_group`.
- ``create`` of a guarded model takes no ``default_<field>`` of the caller's context for a
  field outside what a user may write (:func:`kopdes_without_defaults`): a default is a value
  like any other.
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


def kopdes_without_defaults(records, allowed=(), protected=None, vals_list=None):
    """``records`` without the caller's ``default_<field>`` context keys for the fields of
    their model that the caller may not write: every field outside ``allowed`` (or, when
    ``protected`` is given, the fields in ``protected``), and in superuser mode every field.

    ``create`` fills a missing field from such a key, so a client sending
    ``{"default_state": "posted"}`` over RPC would otherwise write a protected field without
    naming it in the values, and system code (which runs in superuser mode and passes what it
    writes as values) would take the rest from the caller. Guarded models call this at the
    start of ``create``: the defaults a user may use (``default_member_id`` from a member's
    form) still apply to what the user creates, the others are ignored and the field takes
    its own default. Keys of other models' fields are left as they are.

    With ``vals_list`` (the values of ``create``, changed in place) the defaults that apply
    are copied into every ``vals`` that lacks them and taken out of the context as well, so
    the checks ``create`` makes on its values (a type, an account) also see them: a default
    is then a value like any other."""
    context = records.env.context
    fields = records._fields
    system = records.env.su

    def refused(name):
        if system:
            return True
        return name in protected if protected is not None else name not in allowed

    drop = set()
    for key, value in context.items():
        name = key[8:] if key.startswith("default_") else None
        if name not in fields:
            continue
        if refused(name):
            drop.add(key)
        elif vals_list is not None and fields[name].type not in ("one2many", "many2many"):
            for vals in vals_list:
                vals.setdefault(name, value)
            drop.add(key)
    if not drop:
        return records
    # the whole context replaced on purpose: keys are taken out, which keyword arguments cannot
    kept = {key: value for key, value in context.items() if key not in drop}
    return records.with_context(kept)  # pylint: disable=context-overridden


def _default(records, name):
    """The default of the field ``name`` of ``records``' model (``None`` without one)."""
    field = records._fields.get(name)
    if field is None or field.default is None:
        return None
    return field.default(records)


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


def kopdes_check_fields(records, vals, allowed, message=None, new=False):
    """Refuse (``AccessError``) ``vals`` that name a field outside ``allowed``.

    ``allowed`` is the explicit list of fields a role may write on ``create``/``write``;
    everything else is written by the workflow methods. ``message`` may contain
    ``%(fields)s`` (the labels of the refused fields).

    ``new``: ``vals`` (a dict) are those of ``create``, where a new record's form also sends
    the fields it leaves empty or at their default; only the others count as written.
    """
    if new:
        vals = {name for name, value in vals.items() if value and value != _default(records, name)}
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
