from . import kopdes_qris_payment
from . import kopdes_kasbon_repay_wizard
