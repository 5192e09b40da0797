from . import test_tools_nik
from . import test_tools_phone
from . import test_member
from . import test_consent
from . import test_import
from . import test_report
from . import test_performance
from . import test_pos_tour
