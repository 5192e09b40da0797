from . import test_tools_schedule
from . import test_tools_repayment
from . import test_loan_workflow
