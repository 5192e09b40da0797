from . import interest
from . import periods
