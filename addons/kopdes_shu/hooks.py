def post_init_hook(env):
    """Give every existing cooperative the SHU accounts of the chart templates."""
    env["res.company"]._kopdes_shu_setup_all()
