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
    return any(
        kopdes_has_group(env, xmlid) for xmlid in (GROUP_OFFICER, GROUP_MANAGER, GROUP_ACCOUNTANT)
    )


def check_scoring_role(env, message):
    """Refuse unless the user is a loan officer or a manager (who may score)."""
    if kopdes_has_group(env, GROUP_MANAGER):
        return
    kopdes_check_group(env, GROUP_OFFICER, message)


# The expert scorecard: points per bin of the cooperative's features, set by hand from the
# cooperative's credit policy; it serves until enough outcomes exist to train a model.
# Numeric rules (tools.scorecard.ExpertScorecard): bin i holds edges[i-1] <= x < edges[i];
# missing values (no history) score 0 points (neutral). ``monotone`` is checked by the
# library: more days late never earns points, longer tenure never costs points.
EXPERT_BASE = 560
EXPERT_RULES = {
    "rep_max_dpd": {
        "edges": [1, 8, 31, 61, 91],
        "points": [25, 15, 0, -30, -60, -90],
        "monotone": -1,
    },
    "rep_late_count": {"edges": [1, 3, 6], "points": [10, 0, -15, -30], "monotone": -1},
    "rep_loans_closed_clean": {"edges": [1, 2], "points": [0, 10, 20], "monotone": 1},
    "rep_restructured": {"edges": [1], "points": [0, -25], "monotone": -1},
    "rep_written_off": {"edges": [1], "points": [0, -80], "monotone": -1},
    "sav_months_behind": {"edges": [1, 2, 4], "points": [15, 0, -20, -40], "monotone": -1},
    "sav_wajib_on_time_rate": {"edges": [0.5, 0.8], "points": [-15, 0, 10], "monotone": 1},
    "sav_voluntary_balance": {
        "edges": [100_000, 1_000_000, 5_000_000],
        "points": [-5, 0, 10, 20],
        "monotone": 1,
    },
    "sav_trend_3m": {"edges": [0, 1], "points": [-5, 0, 5], "monotone": 1},
    "tenure_months": {"edges": [6, 24, 60], "points": [-10, 0, 5, 10], "monotone": 1},
    "shop_weeks_active": {"edges": [4, 13], "points": [0, 5, 10]},
    "kasbon_overdue_days": {"edges": [1, 31], "points": [5, -10, -30], "monotone": -1},
}
