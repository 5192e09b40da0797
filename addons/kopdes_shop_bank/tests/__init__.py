from . import test_kasbon_qris
