from . import calendar_features
from . import forecast
from . import replenish
