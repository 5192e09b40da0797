from . import test_close
