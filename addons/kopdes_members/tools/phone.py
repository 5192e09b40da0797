"""Phone numbers in E.164, free of Odoo.

Indonesian members write their numbers as 0812..., 812..., 62812... or +62812...; all
are stored as ``+62812...``. Numbers of other countries are accepted when written with
their ``+`` prefix.
"""

import re

import phonenumbers

DEFAULT_REGION = "ID"

EMPTY = "empty"
INVALID = "invalid"

_SEPARATORS = re.compile(r"[\s().\-/]")


class PhoneError(ValueError):
    def __init__(self, code, number=""):
        super().__init__(code, number)
        self.code = code
        self.number = number


def normalize(number, region=DEFAULT_REGION):
    """Return ``number`` in E.164 (``+6281234567890``) or raise :class:`PhoneError`."""
    raw = (number or "").strip()
    if not raw:
        raise PhoneError(EMPTY)
    compact = _SEPARATORS.sub("", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+"):
        if not compact.isdigit():
            raise PhoneError(INVALID, raw)
        if region == "ID":
            if compact.startswith("62"):
                compact = "+" + compact
            elif compact.startswith("8"):
                compact = "0" + compact
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException as err:
        raise PhoneError(INVALID, raw) from err
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneError(INVALID, raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164):
    """Whether an E.164 number is a mobile number (WhatsApp needs one)."""
    parsed = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def whatsapp_id(e164):
    """The number as the WhatsApp Cloud API writes it: E.164 without the plus."""
    return e164.lstrip("+")
