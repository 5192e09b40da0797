{
    "name": "KopDes: SHU Slips on WhatsApp",
    "summary": "Tell each member their SHU (what they saved, bought and paid, and what each "
    "gave them) on WhatsApp once the distribution is posted",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["kopdes_shu", "kopdes_whatsapp"],
    "data": [
        "views/kopdes_shu_distribution_views.xml",
    ],
    "demo": [
        "demo/kopdes_shu_whatsapp_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "auto_install": True,
    "installable": True,
}
