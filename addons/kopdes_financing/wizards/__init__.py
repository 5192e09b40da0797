from . import kopdes_loan_approve_wizard
from . import kopdes_loan_override_wizard
from . import kopdes_loan_disburse_wizard
from . import kopdes_loan_payment_wizard
from . import kopdes_loan_payment_reverse_wizard
from . import kopdes_loan_write_off_wizard
from . import kopdes_loan_reschedule_wizard
from . import kopdes_loan_month_end_wizard
