"""What the scoring models share: the system key, the role checks, grades and the
expert scorecard's rules."""

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_group,
    kopdes_has_group,
    kopdes_is_system,
    kopdes_system,
)

SCORING = "kopdes_scoring_system"  # kopdes_scoring: scores, models, segments, exports

GROUP_OFFICER = "kopdes_members.group_kopdes_loan_officer"
GROUP_MANAGER = "kopdes_members.group_kopdes_manager"
GROUP_ACCOUNTANT = "kopdes_members.group_kopdes_accountant"
GROUP_USER = "kopdes_members.group_kopdes_user"

GRADES = [
    ("A", "A - Very low risk"),
    ("B", "B - Low risk"),
    ("C", "C - Medium risk"),
    ("D", "D - High risk"),
    ("E", "E - Very high risk"),
]
# lowest score of each grade (600 points at 50:1 good:bad odds, 20 points to double them)
GRADE_FLOORS = (("A", 600), ("B", 570), ("C", 540), ("D", 510), ("E", -(10**9)))
# a decision against these grades needs a written reason
GRADES_AGAINST_APPROVAL = ("D", "E")
GRADES_AGAINST_REJECTION = ("A", "B")


def grade_of(score):
    """The grade A-E of a score."""
    for grade, floor in GRADE_FLOORS:
        if score >= floor:
            return grade
    return "E"


def scoring_system(records):
    """``records`` as the scoring code writes them (superuser plus the scoring key)."""
    return kopdes_system(records, SCORING)


def is_scoring_system(env):
    return kopdes_is_system(env, SCORING)


def can_read_scores(env):
    """Loan officers, managers and accountants see scores; tellers and cashiers do not."""
    return any(kopdes_has_group(env, xmlid) for xmlid in (GROUP_OFFICER, GROUP_MANAGER, GROUP_ACCOUNTANT))


def check_scoring_role(env, message):
    """Refuse unless the user is a loan officer or a manager (who may score)."""
    if kopdes_has_group(env, GROUP_MANAGER):
        return
    kopdes_check_group(env, GROUP_OFFICER, message)


# The expert scorecard: points per bin of the cooperative's features, set by hand from the
# cooperative's credit policy. Serves until enough outcomes exist to train a model.
# Each rule is ``feature: [(upper bound (exclusive) or None for the rest, points), ...]``;
# missing values (no history) always score 0 (neutral).
EXPERT_BASE = 560
EXPERT_RULES = {
    "rep_max_dpd": [(1, 25), (8, 15), (31, 0), (61, -30), (91, -60), (None, -90)],
    "rep_late_count": [(1, 10), (3, 0), (6, -15), (None, -30)],
    "rep_loans_closed_clean": [(1, 0), (2, 10), (None, 20)],
    "rep_restructured": [(1, 0), (None, -25)],
    "rep_written_off": [(1, 0), (None, -80)],
    "sav_months_behind": [(1, 15), (2, 0), (4, -20), (None, -40)],
    "sav_wajib_on_time_rate": [(0.5, -15), (0.8, 0), (None, 10)],
    "sav_voluntary_balance": [(100_000, -5), (1_000_000, 0), (5_000_000, 10), (None, 20)],
    "sav_trend_3m": [(0, -5), (1, 0), (None, 5)],
    "tenure_months": [(6, -10), (24, 0), (60, 5), (None, 10)],
    "shop_weeks_active": [(4, 0), (13, 5), (None, 10)],
}
