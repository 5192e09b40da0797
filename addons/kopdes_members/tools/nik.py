"""NIK (Nomor Induk Kependudukan) checks, free of Odoo.

A NIK has 16 digits ``PPRRSSDDMMYYXXXX``: region of registration (province, regency,
district), birth date as DDMMYY with 40 added to the day for women, and a serial.
``stdnum.id.nik`` (python-stdnum 2 or later) knows the region codes; on top of it this
module is strict about the day (1-31 for men, 41-71 for women), refuses a serial of
0000, settles the century from a known birth date and cross-checks birth date and
gender.

Errors are raised as :class:`NikError` with a ``code`` so that the caller can show a
translated message.
"""

import datetime

from stdnum import exceptions as stdnum_exceptions
from stdnum.id import nik as stdnum_nik

MALE = "male"
FEMALE = "female"

# error codes
EMPTY = "empty"
FORMAT = "format"
LENGTH = "length"
REGION = "region"
DAY = "day"
MONTH = "month"
DATE = "date"
SERIAL = "serial"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"
GENDER_MISMATCH = "gender_mismatch"
FUTURE = "future"


class NikError(ValueError):
    """A NIK that cannot be accepted; ``code`` says why."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def compact(number):
    """The NIK without spaces, dots and dashes."""
    return stdnum_nik.compact(number or "")


def parse(number):
    """Check the structure of a NIK and return its parts.

    Returns a dict with ``nik`` (compact), ``region`` (6 digits), ``gender``, ``day``,
    ``month``, ``yy`` (two-digit year) and ``serial``. Does not decide the century.
    """
    nik = compact(number)
    if not nik:
        raise NikError(EMPTY)
    if not nik.isdigit() or not nik.isascii():
        raise NikError(FORMAT)
    if len(nik) != 16:
        raise NikError(LENGTH, length=len(nik))
    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= raw_day <= 31:
        gender, day = MALE, raw_day
    elif 41 <= raw_day <= 71:
        gender, day = FEMALE, raw_day - 40
    else:
        raise NikError(DAY, day=nik[6:8])
    if not 1 <= month <= 12:
        raise NikError(MONTH, month=nik[8:10])
    # the day must exist in that month in at least one century (29 February: leap years)
    if not any(_is_date(century + yy, month, day) for century in (1900, 2000)):
        raise NikError(DATE, date=f"{day:02d}-{month:02d}-{yy:02d}")
    if nik[12:] == "0000":
        raise NikError(SERIAL)
    try:
        stdnum_nik.validate(nik)
    except stdnum_exceptions.InvalidComponent as err:
        raise NikError(REGION, region=nik[:4]) from err
    except stdnum_exceptions.ValidationError as err:  # pragma: no cover - covered above
        raise NikError(FORMAT) from err
    if not region_name(nik):
        # stdnum checks the province; the regency (kabupaten/kota) must be known too
        raise NikError(REGION, region=nik[:4])
    return {
        "nik": nik,
        "region": nik[:6],
        "gender": gender,
        "day": day,
        "month": month,
        "yy": yy,
        "serial": nik[12:],
    }


def region_name(number):
    """Name of the regency (kabupaten/kota) of the NIK's first four digits, or ``""``."""
    from stdnum import numdb

    info = numdb.get("id/loc").info(compact(number)[:4])
    if len(info) < 2 or not info[0][1]:
        return ""
    return info[1][1].get("name_id", "")


def _is_date(year, month, day):
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def birth_date(number, today=None):
    """The birth date encoded in the NIK, choosing the latest century not in the future."""
    parts = parse(number)
    today = today or datetime.date.today()
    for century in (2000, 1900):
        year = century + parts["yy"]
        if _is_date(year, parts["month"], parts["day"]):
            candidate = datetime.date(year, parts["month"], parts["day"])
            if candidate <= today:
                return candidate
    raise NikError(FUTURE)


def validate(number, birth_date=None, gender=None):
    """Validate a NIK, cross-checked with a known birth date and gender.

    ``birth_date`` (a date) settles the century; ``gender`` is ``"male"`` or ``"female"``.
    Returns the compact NIK.
    """
    parts = parse(number)
    if gender and gender in (MALE, FEMALE) and gender != parts["gender"]:
        raise NikError(GENDER_MISMATCH, nik_gender=parts["gender"], gender=gender)
    if birth_date:
        if (
            birth_date.day != parts["day"]
            or birth_date.month != parts["month"]
            or birth_date.year % 100 != parts["yy"]
        ):
            raise NikError(
                BIRTH_DATE_MISMATCH,
                nik_date=f"{parts['day']:02d}-{parts['month']:02d}-{parts['yy']:02d}",
                birth_date=birth_date.strftime("%d-%m-%Y"),
            )
    return parts["nik"]


def gender(number):
    """``"male"`` or ``"female"`` as encoded in the NIK."""
    return parse(number)["gender"]
