{
    "name": "KopDes: Shop Credit (Kasbon)",
    "summary": "Member credit at the cooperative's shop (kasbon): a POS payment method within a "
    "limit per member, member receivable with a due date, repayment at the teller or from "
    "voluntary savings, statement and aging",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["kopdes_financing", "point_of_sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/kopdes_shop_rules.xml",
        "report/kopdes_kasbon_reports.xml",
        "report/kopdes_kasbon_report_templates.xml",
        "wizards/kopdes_kasbon_repay_wizard_views.xml",
        "views/kopdes_kasbon_views.xml",
        "views/kopdes_kasbon_repayment_views.xml",
        "views/kopdes_kasbon_aging_views.xml",
        "views/kopdes_member_views.xml",
        "views/pos_payment_method_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/kopdes_shop_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "kopdes_shop/static/src/**/*",
        ],
        "web.assets_tests": [
            "kopdes_shop/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
