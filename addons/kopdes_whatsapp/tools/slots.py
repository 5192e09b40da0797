"""Amounts and terms in members' own words, free of Odoo.

Members write amounts as ``5 juta``, ``5jt``, ``3,5 juta``, ``3.5jt``, ``500rb``,
``500 ribu``, ``Rp 2.000.000``, ``2.000.000,00``, ``10k``, ``sejuta``, ``lima juta``,
``2 juta 500 ribu`` and terms as ``12 bulan``, ``6 bln``, ``1 tahun``, ``setahun``,
``12x``, ``12 kali``, ``10 minggu``.

:func:`parse_amount` returns whole rupiah (``int``) or ``None``; :func:`parse_term` a
:class:`Term` (count and unit) or ``None``. Numbers that belong to the term are never read
as amounts and the other way round.
"""

import re
from collections import namedtuple
from decimal import Decimal, InvalidOperation

MONTH = "month"
WEEK = "week"

Term = namedtuple("Term", ["count", "unit"])

# multipliers of an amount, by the words members use
_AMOUNT_UNITS = {
    "rb": 1_000,
    "ribu": 1_000,
    "rebu": 1_000,  # Javanese
    "ewu": 1_000,  # Javanese
    "k": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "jeti": 1_000_000,
    "yuta": 1_000_000,
    "m": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
}
# how many months one unit of a term is (weeks are kept apart)
_TERM_UNITS = {
    "bulan": (1, MONTH),
    "bln": (1, MONTH),
    "bl": (1, MONTH),
    "sasi": (1, MONTH),  # Javanese
    "wulan": (1, MONTH),  # Javanese
    "tahun": (12, MONTH),
    "thn": (12, MONTH),
    "th": (12, MONTH),
    "taun": (12, MONTH),
    "minggu": (1, WEEK),
    "mgg": (1, WEEK),
    "pekan": (1, WEEK),
    "x": (1, None),  # number of installments, in the product's own frequency
    "kali": (1, None),
    "kali angsuran": (1, None),
}

# Indonesian (and some Javanese) number words
_DIGIT_WORDS = {
    "nol": 0,
    "satu": 1,
    "siji": 1,
    "dua": 2,
    "loro": 2,
    "tiga": 3,
    "telu": 3,
    "empat": 4,
    "papat": 4,
    "lima": 5,
    "limo": 5,
    "enam": 6,
    "enem": 6,
    "tujuh": 7,
    "pitu": 7,
    "delapan": 8,
    "wolu": 8,
    "sembilan": 9,
    "songo": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "seribu": 1_000,
    "sewu": 1_000,
    "sejuta": 1_000_000,
    "setengah": Decimal("0.5"),
    "separuh": Decimal("0.5"),
}

_NUMBER = r"\d+(?:[.,]\d+)*"
_AMOUNT_UNIT_RE = "|".join(sorted(map(re.escape, _AMOUNT_UNITS), key=len, reverse=True))
_TERM_UNIT_RE = "|".join(sorted(map(re.escape, _TERM_UNITS), key=len, reverse=True))

_TERM_RE = re.compile(rf"(?<![\w.,])({_NUMBER})\s*({_TERM_UNIT_RE})(?![a-z])")
_AMOUNT_WITH_UNIT_RE = re.compile(rf"(?<![\w.,])({_NUMBER})\s*({_AMOUNT_UNIT_RE})(?![a-z])")
_RP_RE = re.compile(rf"\brp\.?\s*({_NUMBER})(?:\s*({_AMOUNT_UNIT_RE})(?![a-z]))?")
_PLAIN_NUMBER_RE = re.compile(rf"(?<![\w.,])({_NUMBER})(?![\w])")


def _words_to_numbers(text):
    """Replace number words by digits: ``lima juta`` → ``5 juta``, ``dua belas bulan`` →
    ``12 bulan``, ``dua ratus lima puluh ribu`` → ``250 ribu``, ``satu setengah juta`` →
    ``1.5 juta``, ``setahun`` → ``1 tahun``."""
    text = re.sub(r"\bsetengah tahun\b", "6 bulan", text)
    text = re.sub(r"\bsetahun\b", "1 tahun", text)
    text = re.sub(r"\bsebulan\b", "1 bulan", text)
    text = re.sub(r"\bseminggu\b", "1 minggu", text)
    out = []
    total = part = None

    def flush():
        nonlocal total, part
        if total is not None or part is not None:
            out.append(_format_decimal((total or 0) + (part or 0)))
        total = part = None

    for token in text.split():
        if token in _DIGIT_WORDS:
            value = Decimal(_DIGIT_WORDS[token])
            if value >= 100 or value < 1:
                if value == Decimal("0.5") and (total is not None or part is not None):
                    part = (part or 0) + value  # "satu setengah" = 1.5
                    flush()
                    continue
                flush()
                out.append(_format_decimal(value))
                continue
            part = (part or 0) + value
        elif token == "belas" and part is not None and part < 10:
            part += 10
        elif token == "puluh" and part is not None and part < 10:
            part *= 10
        elif token == "ratus" and part is not None and part < 10:
            total = (total or 0) + part * 100
            part = None
        else:
            flush()
            out.append(token)
    flush()
    return " ".join(out)


def _format_decimal(value):
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.normalize())


def _to_decimal(number, unit_follows):
    """``number`` as written by a member. Dots and commas are thousands separators
    (``2.000.000``) unless they mark a decimal fraction of a unit (``3,5 juta``,
    ``1.5jt``) or the cents of a rupiah amount (``2.000.000,00``)."""
    number = number.strip()
    if re.fullmatch(r"\d+", number):
        return Decimal(number)
    groups = re.split(r"[.,]", number)
    separators = re.findall(r"[.,]", number)
    # "2.000.000,00" / "2,000,000.00": the last separator differs and has 2 digits
    if len(set(separators)) == 2 and len(groups[-1]) <= 2:
        whole = "".join(groups[:-1])
        return Decimal(f"{whole}.{groups[-1]}")
    if len(separators) == 1 and (unit_follows or len(groups[-1]) != 3):
        return Decimal(f"{groups[0]}.{groups[1]}")
    if all(len(g) == 3 for g in groups[1:]):
        return Decimal("".join(groups))
    raise InvalidOperation(number)


def normalize(text):
    text = (text or "").lower()
    text = re.sub(r"(?<=\d)\s*(?=[.,]\d)", "", text)  # "3 ,5" → "3,5"
    text = re.sub(r"[^\w.,+\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _words_to_numbers(text)


def _strip_terms(text):
    return _TERM_RE.sub(" ", text)


def parse_term(text):
    """The repayment term in ``text``: :class:`Term` (``count``, ``unit``) where ``unit``
    is ``"month"``, ``"week"`` or ``None`` (a count of installments, ``12x``), or
    ``None`` when there is none. ``1 tahun`` is ``Term(12, "month")``."""
    text = normalize(text)
    for match in _TERM_RE.finditer(text):
        try:
            count = _to_decimal(match.group(1), unit_follows=True)
        except InvalidOperation:
            continue
        factor, unit = _TERM_UNITS[match.group(2)]
        months = count * factor
        if months <= 0 or months != months.to_integral_value():
            continue
        return Term(int(months), unit)
    return None


def parse_amount(text):
    """The amount of money in ``text`` in whole rupiah, or ``None``.

    Written with a unit (``5 juta``, ``500rb``, ``1,5jt``), with ``Rp`` or as a plain
    number of at least 1.000 (``2000000``, ``2.000.000``). Several parts add up
    (``2 juta 500 ribu`` = 2.500.000). Numbers of a term (``12 bulan``) are ignored.
    """
    text = _strip_terms(normalize(text))
    total = Decimal(0)
    found = False
    rest = text
    for match in _RP_RE.finditer(text):
        unit = match.group(2)
        try:
            value = _to_decimal(match.group(1), unit_follows=bool(unit))
        except InvalidOperation:
            continue
        total += value * (_AMOUNT_UNITS[unit] if unit else 1)
        found = True
    rest = _RP_RE.sub(" ", rest)
    if not found:
        for match in _AMOUNT_WITH_UNIT_RE.finditer(rest):
            unit = match.group(2)
            try:
                value = _to_decimal(match.group(1), unit_follows=True)
            except InvalidOperation:
                continue
            total += value * _AMOUNT_UNITS[unit]
            found = True
        rest = _AMOUNT_WITH_UNIT_RE.sub(" ", rest)
    if not found:
        for match in _PLAIN_NUMBER_RE.finditer(rest):
            try:
                value = _to_decimal(match.group(1), unit_follows=False)
            except InvalidOperation:
                continue
            if value >= 1000:
                total += value
                found = True
                break
    if not found or total <= 0:
        return None
    return int(total.to_integral_value())


def mask_slots(text):
    """``text`` with amounts and terms replaced by the words ``nominal`` and ``tenor``,
    so that the intent classifier sees the shape of a simulation request rather than
    its numbers."""
    text = normalize(text)
    text = _TERM_RE.sub(" tenor ", text)
    text = _RP_RE.sub(" nominal ", text)
    text = _AMOUNT_WITH_UNIT_RE.sub(" nominal ", text)
    text = re.sub(r"(?<![\w.,])\d{4,}(?:[.,]\d+)*(?!\w)", " nominal ", text)
    text = re.sub(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?!\w)", " nominal ", text)
    return re.sub(r"\s+", " ", text).strip()
