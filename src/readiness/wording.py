"""How numbers, counts, lists and dates are written in messages and reports, in one place.

Rules, renderers and the diff all word things the same way: a score as ``93.5``, a rubric number
in its shortest form, ``1 day`` but ``2 days``, ``a, b and c``, ``17 days before go-live``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction


def round1(value: Fraction | Decimal | int) -> Decimal:
    """One decimal, half away from zero, computed exactly (``85/4`` -> ``21.3``)."""
    return rounded(value, 1)


def rounded(value: Fraction | Decimal | int, places: int) -> Decimal:
    """``places`` decimals, half away from zero, computed exactly."""
    exact = value if isinstance(value, Fraction) else Fraction(value)
    # integer arithmetic on the exact ratio: this runs for every score of every plan rendered
    numerator, denominator = exact.numerator, exact.denominator
    whole, rest = divmod(abs(numerator) * 10**places, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return Decimal(-whole if numerator < 0 else whole).scaleb(-places)


def shown_against(value: Fraction, bound: Fraction | Decimal) -> str:
    """``value`` to one decimal, or to as many more as it takes for the number shown to compare
    with ``bound`` as the value does: a score of 79.96 against a pass score of 80 is shown as
    79.96, not 80.0, and 93.548 against 93.55 as 93.548."""
    limit = Fraction(bound)
    places = 1
    while places < 12:
        shown = Fraction(rounded(value, places))
        if (shown < limit) == (value < limit) and (shown == limit) == (value == limit):
            break
        places += 1
    return format(rounded(value, places), "f")


def ratio(value: Fraction) -> str:
    """A computed ratio, percentage or score: one decimal, half away from zero."""
    return format(round1(value), "f")


def num(value: Decimal | int | Fraction) -> str:
    """A plan or rubric number in its shortest decimal form: ``20.0`` -> ``20``, ``0.80`` -> ``0.8``."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format(value.normalize(), "f")


LIST_LIMIT = 10  # items a list in running text names before "and N more"


def first(items: Iterable[str], limit: int = LIST_LIMIT) -> tuple[list[str], int]:
    """The items a list names, and how many more it leaves out."""
    values = list(items)
    return values[:limit], max(0, len(values) - limit)


def join(items: Iterable[str], limit: int = LIST_LIMIT) -> str:
    """``a, b, c``; past ``limit`` items, ``a, …, j and 2 more``."""
    shown, more = first(items, limit)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def join_and(items: Iterable[str], limit: int = LIST_LIMIT) -> str:
    """A list that ends a clause: ``a``, ``a and b``, ``a, b and c`` (``a, …, j and 2 more``)."""
    values = list(items)
    if 1 < len(values) <= limit:
        return ", ".join(values[:-1]) + " and " + values[-1]
    return join(values, limit)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """A count with its noun: ``1 day``, ``0 days``, ``2 days``; ``nouns`` where ``s`` is wrong."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def relative(offset: int, anchor: str) -> str:
    """Where a date lies, ``offset`` days from ``anchor``: ``3 days after the last go-live``,
    ``17 days before the last go-live``, ``the same day as the last go-live``; never a negative
    count of days."""
    if offset == 0:
        return f"the same day as {anchor}"
    return f"{plural(abs(offset), 'day')} {'after' if offset > 0 else 'before'} {anchor}"


def parts(prefix: str, items: list[str]) -> str:
    """A finding that lists several failed conditions: ``prefix`` then the parts joined by ``; ``."""
    return prefix + "; ".join(items) + "."


def day(value: dt.date) -> str:
    return value.isoformat()


def countdown(days: int) -> str:
    """How far a date is from the evaluation date: ``in 119 days``, ``today``, ``3 days ago``."""
    if days == 0:
        return "today"
    return f"in {plural(days, 'day')}" if days > 0 else f"{plural(-days, 'day')} ago"
