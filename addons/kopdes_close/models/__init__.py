from . import kopdes_close
from . import kopdes_close_step
from . import kopdes_close_installment
from . import kopdes_close_reconciliation
from . import account_move
from . import kopdes_savings_due
