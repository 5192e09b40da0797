from . import kopdes_kasbon_repay_wizard
