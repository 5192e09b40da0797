from . import test_tools
from . import test_setup
from . import test_transactions
