from . import schedule
from . import repayment
from . import collectability
