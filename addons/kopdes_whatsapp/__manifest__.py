{
    "name": "KopDes: WhatsApp",
    "summary": "WhatsApp Cloud API notifications, broadcasts and a member chatbot",
    "version": "18.0.1.0.0",
    "category": "Accounting/Koperasi",
    "author": "KopDes",
    "license": "LGPL-3",
    "depends": ["kopdes_financing", "portal"],
    "external_dependencies": {"python": ["phonenumbers", "requests", "scikit-learn"]},
    "data": [],
    "demo": [],
    "installable": True,
}
