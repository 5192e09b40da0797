from . import test_tools_schedule
from . import test_tools_repayment
from . import test_loan_product
from . import test_loan_workflow
from . import test_loan_payment
from . import test_loan_month_end
from . import test_security
from . import test_reports
