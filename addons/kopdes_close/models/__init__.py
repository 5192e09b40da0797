from . import kopdes_close
