from . import kopdes_savings_exit_wizard
from . import kopdes_savings_dues_wizard
from . import kopdes_savings_interest_wizard
