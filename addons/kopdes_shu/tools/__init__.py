from . import shu  # noqa: F401
