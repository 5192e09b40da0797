from . import test_tools
from . import test_whatsapp
from . import test_webhook
from . import test_tools_slots
from . import test_tools_intent
from . import test_chatbot
from . import test_portal
