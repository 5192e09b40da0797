from . import kopdes_purchase_report
