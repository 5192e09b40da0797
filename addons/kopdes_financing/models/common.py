"""Financing's names for the shared system helpers of kopdes_members (kept for the
financing code that imports them); see ``kopdes_members/models/kopdes_system.py``."""

from odoo.addons.kopdes_members.models import kopdes_system as _system
from odoo.addons.kopdes_members.models.kopdes_system import (  # noqa: F401
    LOAN_POSTING,
    kopdes_check_group,
    kopdes_is_system,
    kopdes_today,
)


def kopdes_is_posting(env):
    """Whether ``env`` belongs to the financing posting code: superuser mode (``sudo()``)
    with the ``kopdes_loan_posting`` context key. A context key alone can be sent by any
    client, so it never suffices."""
    return _system.kopdes_is_system(env, LOAN_POSTING)


def kopdes_system(records, key=LOAN_POSTING):
    """``records`` as the posting code writes them (superuser mode plus the key)."""
    return _system.kopdes_system(records, key)
