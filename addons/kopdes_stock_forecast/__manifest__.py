{
    "name": "KopDes: Stock Forecast",
    "summary": "Weekly demand forecasts of the shop and the pharmacy from POS history, with "
    "the Indonesian calendar, turned into suggested reorder rules; expiry-aware",
    "version": "18.0.1.0.0",
    "category": "Koperasi",
    "author": "KopDes",
    "website": "https://github.com/kopdes/kopdes",
    "license": "LGPL-3",
    # kopdes_members: the Pengurus group, the system helpers and the demo cooperative's shop
    "depends": ["kopdes_members", "point_of_sale", "stock", "product_expiry", "purchase_stock"],
    "external_dependencies": {"python": ["pandas", "scikit-learn"]},
    "data": [
        "security/kopdes_stock_forecast_security.xml",
        "security/ir.model.access.csv",
        "data/kopdes.calendar.event.csv",
        "data/kopdes_stock_forecast_cron.xml",
        "views/kopdes_calendar_event_views.xml",
        "views/kopdes_stock_forecast_run_views.xml",
        "views/kopdes_stock_forecast_product_views.xml",
        "views/kopdes_stock_forecast_group_views.xml",
        "views/kopdes_stock_forecast_line_views.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        "views/stock_lot_views.xml",
        "views/product_category_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/kopdes_stock_forecast_demo.xml",
    ],
    "installable": True,
}
