from . import nik
from . import phone
from . import dates
