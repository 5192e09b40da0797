from . import test_tools_shu
from . import test_shu
