from . import test_tools
from . import test_outbox
from . import test_webhook
