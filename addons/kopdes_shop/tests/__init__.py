from . import test_kasbon
