from . import kopdes_wa_account
from . import kopdes_shu_distribution
