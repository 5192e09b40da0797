{
    "name": "KopDes: Credit Scoring",
    "summary": "Explainable credit scoring, member segments and product recommendations",
    "version": "18.0.1.0.0",
    "category": "Accounting/Koperasi",
    "author": "KopDes",
    "license": "LGPL-3",
    "depends": ["kopdes_financing"],
    "external_dependencies": {"python": ["pandas", "scikit-learn"]},
    "data": [],
    "demo": [],
    "installable": True,
}
