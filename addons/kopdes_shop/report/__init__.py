from . import kopdes_kasbon_aging
