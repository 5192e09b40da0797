from . import test_scoring
from . import test_tools_scorecard
from . import test_tools_german
from . import test_recommendation
from . import test_bank_profile
