def post_init_hook(env):
    """Give every existing cooperative its member-number sequence and member pricelist."""
    env["res.company"].search([])._kopdes_setup_members()
