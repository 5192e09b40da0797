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
        "security/chatbot/ir.model.access.csv",
        "security/chatbot/kopdes_whatsapp_chatbot_rules.xml",
        "security/chatbot/kopdes_whatsapp_portal_rules.xml",
        "views/kopdes_wa_conversation_views.xml",
        "views/kopdes_member_chatbot_views.xml",
        "views/res_config_settings_chatbot_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        # transport (h10a)
        "demo/kopdes_whatsapp_demo.xml",
        # chatbot, privacy and portal (h10b)
        "demo/kopdes_whatsapp_chatbot_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kopdes_whatsapp/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
