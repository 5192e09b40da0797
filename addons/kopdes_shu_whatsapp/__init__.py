from . import models


def post_init_hook(env):
    """Accounts made before this addon get the ``slip_shu`` template as a draft to submit."""
    env["kopdes.wa.account"].with_context(active_test=False).search(
        []
    )._kopdes_create_default_templates(names={"slip_shu"})
