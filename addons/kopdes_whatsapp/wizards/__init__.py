from . import kopdes_wa_verify_wizard
