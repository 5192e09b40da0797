from . import kopdes_business_type
from . import kopdes_member
from . import kopdes_consent
from . import res_company
from . import res_partner
from . import res_config_settings
from . import pos_config
from . import ir_module_module
