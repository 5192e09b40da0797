def post_init_hook(env):
    """Give every existing cooperative its loan sequences, collectability classes and the
    financing accounts and journal of the chart templates."""
    env["res.company"]._kopdes_financing_setup_all()
