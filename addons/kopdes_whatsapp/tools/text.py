"""How amounts and dates are written in the messages members read (plain Python).

The messages are Indonesian whatever languages the database has loaded: ``Rp 112.000`` and
``28-02-2025`` (the form of the templates registered with Meta)."""

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def rupiah(amount, symbol="Rp", decimals=0):
    """``Rp 1.250.000`` (dots for thousands, a comma before decimals, minus in front)."""
    amount = float(amount or 0.0)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{sign}{symbol} {text}"


def tanggal(value):
    """``28-02-2025`` for a date or datetime (empty for nothing)."""
    if not value:
        return ""
    return value.strftime("%d-%m-%Y")


def bulan(value):
    """``Februari 2025``: the month of a date."""
    if not value:
        return ""
    return f"{MONTHS[value.month - 1]} {value.year}"
