"""SHU allocation in whole rupiah (plain Python, no Odoo).

- :func:`largest_remainder` splits a whole amount in proportion to weights so that the
  parts are whole numbers and sum exactly to the amount (Hamilton's method: everyone gets
  the floor of their exact quota, the units left over go to the largest remainders, ties
  to the smallest key).
- :func:`split_pools` splits the year's SHU over the rule's funds by percentage.
- :func:`member_shares` divides each members' pool over the members.

Weights are integers or :class:`fractions.Fraction` (exact), never floats: the result must
be the same rupiah whoever recomputes it.
"""

from decimal import Decimal
from fractions import Fraction


def _exact(value):
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        raise TypeError("weights must be exact (int, Fraction or Decimal), not float")
    return Fraction(value)  # Decimal, str


def _integer_weights(weights):
    """The same weights as integers when they are all integers or Decimals (scaled by the
    power of ten of the most decimals; exact), else ``None``."""
    places = 0
    for weight in weights.values():
        if isinstance(weight, int):
            continue
        if not isinstance(weight, Decimal) or not weight.is_finite():
            return None
        places = max(places, -weight.as_tuple().exponent)
    if places > 12:
        return None
    factor = 10**places
    return {key: int(weight * factor) if places else int(weight) for key, weight in weights.items()}


def largest_remainder(amount, weights):
    """``{key: int}`` summing exactly to ``amount`` (a whole number >= 0), proportional to
    ``weights`` (``{key: weight >= 0}``). Keys with a zero weight are left out; when every
    weight is zero the result is empty (nobody to share with)."""
    if amount != int(amount) or amount < 0:
        raise ValueError("the amount to share must be a whole number of rupiah, not negative")
    amount = int(amount)
    integers = _integer_weights(weights)
    if integers is not None:
        return _largest_remainder_int(amount, integers)
    exact = {}
    for key, weight in weights.items():
        weight = _exact(weight)
        if weight < 0:
            raise ValueError(f"negative weight for {key!r}")
        if weight:
            exact[key] = weight
    total = sum(exact.values())
    if not total or not amount:
        return {key: 0 for key in exact} if total else {}
    shares, remainders = {}, []
    all_int = all(w.denominator == 1 for w in exact.values()) and total.denominator == 1
    if all_int:
        total_int = total.numerator
        for key, weight in exact.items():
            quotient, remainder = divmod(amount * weight.numerator, total_int)
            shares[key] = quotient
            remainders.append((-remainder, _sort_key(key), key))
    else:
        for key, weight in exact.items():
            quota = amount * weight / total
            floor = quota.numerator // quota.denominator
            shares[key] = floor
            remainders.append((-(quota - floor), _sort_key(key), key))
    left = amount - sum(shares.values())
    if left:
        remainders.sort()
        for _neg, _order, key in remainders[:left]:
            shares[key] += 1
    return shares


def _largest_remainder_int(amount, weights):
    """:func:`largest_remainder` for integer weights (fast path, same result)."""
    for key, weight in weights.items():
        if weight < 0:
            raise ValueError(f"negative weight for {key!r}")
    positive = {key: weight for key, weight in weights.items() if weight}
    total = sum(positive.values())
    if not total:
        return {}
    if not amount:
        return {key: 0 for key in positive}
    shares, remainders = {}, []
    for key, weight in positive.items():
        quotient, remainder = divmod(amount * weight, total)
        shares[key] = quotient
        remainders.append((-remainder, _sort_key(key), key))
    left = amount - sum(shares.values())
    if left:
        remainders.sort()
        for _neg, _order, key in remainders[:left]:
            shares[key] += 1
    return shares


def _sort_key(key):
    """Ties go to the smallest key; keys of mixed types compare by their text."""
    return (0, key) if isinstance(key, int) else (1, str(key))


def split_pools(amount, percentages):
    """``{fund: int}``: the whole-rupiah ``amount`` split by ``percentages``
    (``{fund: percent}``, summing to 100), exactly."""
    total = sum(_exact(p) for p in percentages.values())
    if total != 100:
        raise ValueError(f"the percentages sum to {total}, not 100")
    shares = largest_remainder(amount, percentages)
    return {fund: shares.get(fund, 0) for fund in percentages}


def member_shares(pools, measures):
    """``{pool: {member: int}}``: each pool (``{pool: amount}``) divided over the members
    in proportion to that pool's measure (``measures[pool]`` = ``{member: weight}``). A pool
    whose members all have a zero measure is left undivided (``{}``); the caller decides
    where it goes."""
    return {
        pool: largest_remainder(amount, measures.get(pool, {})) for pool, amount in pools.items()
    }


def scale(amount, numerator, denominator):
    """The whole-rupiah part of ``amount`` × ``numerator`` / ``denominator`` (rounded
    down), e.g. the members' part of the patronage pool; 0 when the denominator is 0."""
    if not denominator:
        return 0
    value = Fraction(int(amount)) * _exact(numerator) / _exact(denominator)
    return value.numerator // value.denominator
