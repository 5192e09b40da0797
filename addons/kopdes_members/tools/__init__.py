from . import nik
from . import phone
