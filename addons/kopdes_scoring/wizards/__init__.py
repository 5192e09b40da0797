from . import kopdes_loan_approve_wizard
from . import kopdes_scoring_reason_wizard
