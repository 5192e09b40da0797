def post_init_hook(env):
    """Give every existing cooperative the kasbon account, journal and POS payment method of
    the chart templates."""
    env["res.company"]._kopdes_shop_setup_all()
