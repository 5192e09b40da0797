from . import test_tools
from . import test_whatsapp
from . import test_webhook
