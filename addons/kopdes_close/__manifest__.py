{
    "name": "KopDes: Month-End Close",
    "summary": "One month-end close per cooperative: wajib dues, savings interest with PPh "
    "final, loan late fees, accrual, arrears and provisions, ledger reconciliation and lock",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["kopdes_financing"],
    "data": [
        "security/ir.model.access.csv",
        "security/kopdes_close_rules.xml",
        "data/kopdes_close_cron.xml",
        "report/kopdes_close_report_templates.xml",
        "report/kopdes_close_reports.xml",
        "views/kopdes_close_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/kopdes_close_demo.xml"],
    "installable": True,
}
