from . import test_kasbon
from . import test_kasbon_tour
from . import test_kasbon_arrears
