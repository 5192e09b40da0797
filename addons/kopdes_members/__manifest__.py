{
    "name": "KopDes: Members",
    "summary": "Member registry of a Koperasi Desa/Kelurahan Merah Putih: NIK, phones, "
    "lifecycle, consent ledger, member card and POS member lookup",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["base", "mail", "contacts", "phone_validation", "point_of_sale"],
    "external_dependencies": {"python": ["python-stdnum", "phonenumbers"]},
    "data": [
        "security/kopdes_security.xml",
        "security/ir.model.access.csv",
        "security/kopdes_rules.xml",
        "data/kopdes_business_type_data.xml",
        "data/kopdes_barcode_rule_data.xml",
        "report/kopdes_report_layout.xml",
        "report/kopdes_member_card_report.xml",
        "wizards/kopdes_member_state_wizard_views.xml",
        "views/kopdes_member_views.xml",
        "views/kopdes_consent_views.xml",
        "views/kopdes_business_type_views.xml",
        "views/res_config_settings_views.xml",
        "views/pos_bill_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/kopdes_members_demo.xml",
        "demo/kopdes_members_pos_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "kopdes_members/static/src/**/*",
        ],
        "web.assets_tests": [
            "kopdes_members/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
