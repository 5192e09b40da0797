def post_init_hook(env):
    """Give every existing cooperative the bank agent accounts of the chart templates."""
    env["res.company"]._kopdes_bank_setup_all()
