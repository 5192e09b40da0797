{
    "name": "KopDes: Savings",
    "summary": "Member savings of a Koperasi Desa/Kelurahan Merah Putih: simpanan pokok, wajib, "
    "sukarela and berjangka with posted journal entries, wajib dues, interest, passbook, "
    "exit settlement and payment from voluntary savings at the POS",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["kopdes_members", "account"],
    "data": [
        "security/kopdes_savings_security.xml",
        "security/ir.model.access.csv",
        "security/kopdes_savings_rules.xml",
        "data/kopdes_savings_data.xml",
        "data/kopdes_savings_cron.xml",
        "report/kopdes_savings_report_templates.xml",
        "report/kopdes_savings_reports.xml",
        "wizards/kopdes_savings_exit_wizard_views.xml",
        "wizards/kopdes_savings_dues_wizard_views.xml",
        "wizards/kopdes_savings_interest_wizard_views.xml",
        "views/kopdes_savings_product_views.xml",
        "views/kopdes_savings_account_views.xml",
        "views/kopdes_savings_transaction_views.xml",
        "views/kopdes_savings_due_views.xml",
        "views/kopdes_savings_interest_batch_views.xml",
        "views/kopdes_member_views.xml",
        "views/account_move_views.xml",
        "views/pos_payment_method_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/kopdes_savings_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "kopdes_savings/static/src/**/*",
        ],
        "web.assets_tests": [
            "kopdes_savings/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
