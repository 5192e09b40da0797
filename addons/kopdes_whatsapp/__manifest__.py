{
    "name": "KopDes: WhatsApp",
    "summary": "WhatsApp Cloud API notifications, broadcasts and a member chatbot",
    "version": "18.0.1.0.0",
    "category": "Accounting/Koperasi",
    "author": "KopDes",
    "license": "LGPL-3",
    "depends": ["kopdes_financing", "portal"],
    "external_dependencies": {"python": ["phonenumbers", "requests", "scikit-learn"]},
    "data": [
        # transport (h10a)
        "security/ir.model.access.csv",
        "security/kopdes_whatsapp_rules.xml",
        "data/ir_cron.xml",
        "views/kopdes_wa_message_views.xml",
        "views/kopdes_wa_account_views.xml",
        "views/menus.xml",
        # chatbot, privacy and portal (h10b)
    ],
    "demo": [
        # transport (h10a)
        "demo/kopdes_whatsapp_demo.xml",
        # chatbot, privacy and portal (h10b)
    ],
    "installable": True,
}
