{
    "name": "KopDes: Kasbon Repaid with QRIS",
    "summary": "Members repay their shop kasbon at the teller with a dynamic QRIS code; the "
    "repayment posts once the QRIS provider confirms",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    "depends": ["kopdes_shop", "kopdes_bank"],
    "data": [
        "views/kopdes_kasbon_repay_wizard_views.xml",
        "views/kopdes_qris_payment_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
