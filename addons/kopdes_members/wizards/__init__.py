from . import kopdes_member_state_wizard
