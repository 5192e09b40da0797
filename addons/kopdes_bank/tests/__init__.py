from . import test_fake_qris
from . import test_kopdes_bank
