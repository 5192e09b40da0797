from . import kopdes_rat_report_wizard
