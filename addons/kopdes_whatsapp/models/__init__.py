# transport (h10a)
from . import kopdes_wa_account
from . import kopdes_wa_contact
from . import kopdes_wa_template
from . import kopdes_wa_message
from . import kopdes_wa_event
from . import kopdes_wa_broadcast
from . import res_company
from . import res_config_settings
from . import kopdes_member
from . import kopdes_notifications
from . import kopdes_wa_demo
# chatbot, privacy and portal (h10b)
