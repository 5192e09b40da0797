from . import test_tools
from . import test_setup
from . import test_transactions
from . import test_dues
from . import test_interest
from . import test_exit
from . import test_security
from . import test_property_ledger
