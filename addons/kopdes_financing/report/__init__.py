from . import kopdes_loan_portfolio_report
from . import kopdes_loan_aging_report
from . import kopdes_loan_dashboard
