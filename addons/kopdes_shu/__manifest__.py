{
    "name": "KopDes: SHU and RAT Reports",
    "summary": "Year-end SHU of a Koperasi Desa/Kelurahan Merah Putih by the RAT's rules "
    "(reserve, capital and patronage shares, funds), posting, payout in cash or to voluntary "
    "savings, SHU slips and the RAT report pack",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["kopdes_close"],
    "data": [
        "security/ir.model.access.csv",
        "security/kopdes_shu_rules.xml",
        "report/kopdes_shu_report_templates.xml",
        "report/kopdes_shu_reports.xml",
        "views/kopdes_shu_rule_views.xml",
        "views/kopdes_shu_distribution_views.xml",
        "wizards/kopdes_rat_report_wizard_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/kopdes_shu_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
