def post_init_hook(env):
    """Give every existing cooperative its loan sequences, journal and collectability classes."""
    env["res.company"].search([])._kopdes_setup_financing()
