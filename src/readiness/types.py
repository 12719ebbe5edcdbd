"""Field types of plan format v1 and rubrics.

The loader leaves every scalar but booleans and nulls as a string, so each type here parses its
own grammar (docs/plan-format.md, "Numbers") instead of pydantic's lax coercion, which would turn ``012``
into 10, ``1_000`` into 1000 and an epoch integer into a date. Every type raises one clear
message, and rejects ``null`` unless it says ``OrNull``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, TypeVar

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from readiness.limits import DATE_MAX, DATE_MIN, DATE_RANGE

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
CUSTOM_RULE_ID = re.compile(r"X[A-Z]{1,6}[0-9]{3}\Z")  # a custom rule's ID, such as XSAL001
ID_WORDS = "1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"

_DECIMAL = re.compile(r"-?(?P<whole>0|[1-9][0-9]*)(\.(?P<fraction>[0-9]+))?([eE](?P<exponent>[-+]?[0-9]+))?\Z")
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]")
_ID = re.compile(ID_PATTERN[:-1] + r"\Z")
_YAML11_BOOLS = {"yes": "true", "on": "true", "y": "true", "no": "false", "off": "false", "n": "false"}

NULL_SCHEMA = {"type": "null"}


def _error(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def describe(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _null(value: Any, nullable: bool) -> bool:
    if value is None:
        if nullable:
            return True
        raise _error("null_not_allowed", "null is not allowed here")
    return False


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _error("date_type", "expected a date YYYY-MM-DD, not a date-time")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        match = _DATE.match(value)
        if not match:
            if _DATETIME.match(value):
                raise _error("date_type", f"expected a date YYYY-MM-DD, not a date-time ({describe(value)})")
            raise _error("date_type", f"expected a date YYYY-MM-DD, got {describe(value)}")
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise _error("date_value", f"{value} is not a calendar date") from None
    else:
        raise _error("date_type", f"expected a date YYYY-MM-DD, got {describe(value)}")
    if not DATE_MIN <= day <= DATE_MAX:
        raise _error("date_range", f"{day.isoformat()} is outside {DATE_RANGE}")
    return day


# Bounds on a number as written, checked before any Decimal or Fraction arithmetic or formatting:
# an exact value of 1e-999999999 has a billion digits, and a 200-byte file must not make the tool
# build it (docs/decisions.md, "Numbers are bounded as written").
MAX_DIGITS = 40  # significant digits of a number, and digits of an integer
DOUBLE_MIN = Decimal("2.2250738585072014e-308")  # the smallest normal double
_MAX_EXPONENT_DIGITS = 400  # an exponent longer than this is out of range whatever the digits


def literal(value: str) -> str:
    """A literal quoted in a message as written, clipped to a readable length."""
    return value if len(value) <= 40 else value[:37] + "..."


def _too_large(shown: str) -> PydanticCustomError:
    return _error("number_range", f"{shown} is too large (not finite as a double)")


def _too_small(shown: str) -> PydanticCustomError:
    return _error(
        "number_range",
        f"{shown} is too close to zero: below 2.2e-308 in size, the smallest normal double (write 0 for zero)",
    )


def _too_long(shown: str, digits: int) -> PydanticCustomError:
    return _error("number_digits", f"{shown} has {digits} significant digits (at most {MAX_DIGITS})")


def _bounded(digits: int, adjusted: int, shown: str) -> None:
    """Refuse a non-zero number of ``digits`` significant digits whose leading digit stands for
    10**adjusted, unless it lies within the normal range of a double."""
    if digits > MAX_DIGITS:
        raise _too_long(shown, digits)
    if adjusted > 308:
        raise _too_large(shown)
    if adjusted < -308:
        raise _too_small(shown)


def parse_number(value: Any) -> Decimal:
    """A plan, rubric or command-line number: a decimal literal (or an int
    or Decimal from code), bounded as written before it becomes a Decimal. Zero is exactly 0
    whatever its exponent."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise _error("number_type", f"expected a number, got {describe(value)}")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise _error("number_digits", f"integer too large (more than {MAX_DIGITS} digits)")
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _error("number_type", "expected a finite number")
        if value.is_zero():
            return Decimal(0)
        shown = f"'{literal(str(value))}'"
        _bounded(len(value.as_tuple().digits), value.adjusted(), shown)
    else:
        match = _DECIMAL.match(value)
        if not match:
            raise _error("number_type", f"expected a number written as a decimal literal, got {describe(value)}")
        whole, fraction, exponent = match["whole"], match["fraction"] or "", match["exponent"] or "0"
        written = whole + fraction
        significant = written.lstrip("0")
        if not significant:
            return Decimal(0)
        shown = f"'{literal(value)}'"
        power = exponent.lstrip("+-").lstrip("0")
        if len(power) > _MAX_EXPONENT_DIGITS:
            raise _too_small(shown) if exponent.startswith("-") else _too_large(shown)
        # the leading significant digit stands for 10**adjusted
        adjusted = int(exponent) + len(whole) - 1 - (len(written) - len(significant))
        _bounded(len(significant), adjusted, shown)
    number = Decimal(value)
    # finite as a double: whatever rounds to the largest double (1.7976931348623158e308 does)
    # is accepted, and only what a double cannot hold is too large
    if not math.isfinite(float(number)):
        raise _too_large(shown)
    if abs(number) < DOUBLE_MIN:
        raise _too_small(shown)
    return number


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _error("int_type", f"expected an integer, got {describe(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.match(value):
        digits = len(value.lstrip("-"))
        if digits > MAX_DIGITS:
            raise _error("int_type", f"integer too large: {literal(value)} has {digits} digits (at most {MAX_DIGITS})")
        return int(value)
    raise _error("int_type", f"expected an integer, got {describe(value)}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        hint = _YAML11_BOOLS[value.lower()]
        raise _error("bool_type", f"expected true or false, got {describe(value)} (write {hint})")
    raise _error("bool_type", f"expected true or false, got {describe(value)}")


def _make(parse: Callable[[Any], Any], schema: dict[str, Any], nullable: bool) -> tuple[Any, ...]:
    def validate(value: Any) -> Any:
        if _null(value, nullable):
            return None
        return parse(value)

    full = {"anyOf": [schema, NULL_SCHEMA]} if nullable else schema
    return (PlainValidator(validate), WithJsonSchema(full))


def _ranged(parse: Callable[[Any], Any], low: Any, high: Any) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        number = parse(value)
        if low is not None and number < low:
            raise _error("range", f"{_shown(value, number)} is below the minimum {low}")
        if high is not None and number > high:
            raise _error("range", f"{_shown(value, number)} is above the maximum {high}")
        return number

    return check


def _shown(value: Any, number: Any) -> str:
    """A number in a message: as written when it was read from text, else in plain notation."""
    if isinstance(value, str):
        return literal(value)
    if isinstance(number, Decimal):
        text = format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
        return literal(text)
    return str(number)


def _string(blank_ok: bool) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _error("string_type", f"expected a string, got {describe(value)}")
        if not blank_ok and not value.strip():
            raise _error("string_blank", "must not be blank")
        return value

    return check


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise _error("id_type", f"expected an id, got {describe(value)}")
    if value == "all":
        raise _error("id_reserved", "'all' is reserved and cannot be an id")
    if not _ID.match(value):
        raise _error(
            "id_format",
            f"malformed id {describe(value)} (expected {ID_WORDS})",
        )
    return value


def _ref(value: Any) -> str:
    if not isinstance(value, str):
        raise _error("id_type", f"expected an id, got {describe(value)}")
    return value


def enum_parser(values: Sequence[str]) -> Callable[[Any], str]:
    allowed = tuple(values)
    listing = ", ".join(allowed)

    def check(value: Any) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        raise _error("enum", f"{describe(value)} is not one of: {listing}")

    return check


# JSON Schema of the plain types. "patternErrorMessage" is what the YAML language server shows when
# a pattern fails (other validators ignore it), instead of the bare regular expression.
ID_SCHEMA = {
    "type": "string",
    "pattern": "^(?!all$)" + ID_PATTERN[1:],
    "patternErrorMessage": f"an id is {ID_WORDS}; 'all' is reserved",
}
REF_SCHEMA = {"type": "string", "pattern": ID_PATTERN, "patternErrorMessage": f"an id is {ID_WORDS}"}
TEXT_SCHEMA = {"type": "string", "pattern": r"\S", "patternErrorMessage": "must not be blank"}


def _date_schema() -> dict[str, Any]:
    return {
        "type": "string",
        "format": "date",
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "patternErrorMessage": "a date is written YYYY-MM-DD",
    }


def _int_schema(low: int | None, high: int | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    return schema


def _num_schema(low: Any, high: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "number"}
    if low is not None:
        schema["minimum"] = int(low)
    if high is not None:
        schema["maximum"] = int(high)
    return schema


# Each returns the metadata of an ``Annotated`` type, declared once as ``Annotated[T, *checks]``:
# a type checker sees T, pydantic runs the validator and publishes the JSON Schema.


def date_checks(nullable: bool = False) -> tuple[Any, ...]:
    return _make(parse_date, _date_schema(), nullable)


def int_checks(low: int | None = 0, high: int | None = None, nullable: bool = False) -> tuple[Any, ...]:
    return _make(_ranged(parse_int, low, high), _int_schema(low, high), nullable)


def num_checks(low: Any = None, high: Any = None, nullable: bool = False) -> tuple[Any, ...]:
    lo = Decimal(low) if low is not None else None
    hi = Decimal(high) if high is not None else None
    return _make(_ranged(parse_number, lo, hi), _num_schema(low, high), nullable)


def enum_checks(values: Sequence[str], nullable: bool = False) -> tuple[Any, ...]:
    return _make(enum_parser(values), {"enum": list(values)}, nullable)


Date = Annotated[dt.date, *date_checks()]
DateOrNull = Annotated[dt.date | None, *date_checks(nullable=True)]
Count = Annotated[int, *int_checks(0)]
PositiveInt = Annotated[int, *int_checks(1)]
CountOrNull = Annotated[int | None, *int_checks(0, None, nullable=True)]
DaysOrNull = Annotated[int | None, *int_checks(1, 36_500, nullable=True)]
SignedDays = Annotated[int, *int_checks(-36_500, 36_500)]
Pct = Annotated[Decimal, *num_checks(0, 100)]
PctOrNull = Annotated[Decimal | None, *num_checks(0, 100, nullable=True)]
Ratio = Annotated[Decimal, *num_checks(0, 1)]
Number = Annotated[Decimal, *num_checks()]
NumberOrNull = Annotated[Decimal | None, *num_checks(nullable=True)]
NonNegNumber = Annotated[Decimal, *num_checks(0)]

if TYPE_CHECKING:
    _T = TypeVar("_T")
    Absent: TypeAlias = _T | None  # Absent[T]: absent (None) or a T, but never an explicit null
else:

    class Absent:
        """``Absent[T]`` is T itself to pydantic (an explicit null stays an error), and
        ``T | None`` to a type checker (the attribute is None when the key was left out)."""

        def __class_getitem__(cls, item: Any) -> Any:
            return item


Bool = Annotated[bool, *_make(_bool, {"type": "boolean"}, False)]
Str = Annotated[str, *_make(_string(True), {"type": "string"}, False)]
StrOrNull = Annotated[str | None, *_make(_string(True), {"type": "string"}, True)]
Text = Annotated[str, *_make(_string(False), TEXT_SCHEMA, False)]
Id = Annotated[str, *_make(_id, ID_SCHEMA, False)]
Ref = Annotated[str, *_make(_ref, REF_SCHEMA, False)]
RefOrNull = Annotated[str | None, *_make(_ref, REF_SCHEMA, True)]


def _all_or_refs(kind: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value == "all":
            return "all"
        if isinstance(value, list):
            return [_ref(item) if item is not None else _null(item, False) for item in value]
        example = f", such as [{value}]" if isinstance(value, str) and _ID.match(value) else ""
        raise _error("all_or_list", f"expected 'all' or a list of {kind} ids{example}, got {describe(value)}")

    return check


_ALL_OR_REFS_SCHEMA = {"anyOf": [{"const": "all"}, {"type": "array", "items": REF_SCHEMA}]}
AllOrRefs = Annotated[Literal["all"] | list[str], *_make(_all_or_refs("division"), _ALL_OR_REFS_SCHEMA, False)]
AllOrSegments = Annotated[Literal["all"] | list[str], *_make(_all_or_refs("segment"), _ALL_OR_REFS_SCHEMA, False)]


def all_or_enum_checks(values: Sequence[str]) -> tuple[Any, ...]:
    check = enum_parser(values)
    allowed = tuple(values)

    def parse(value: Any) -> Any:
        if value == "all":
            return "all"
        if isinstance(value, list):
            return [check(item) for item in value]
        if isinstance(value, str) and value in allowed:
            raise _error("all_or_list", f"expected 'all' or a list, such as [{value}], got {describe(value)}")
        raise _error("all_or_list", f"expected 'all' or a list of: {', '.join(allowed)}; got {describe(value)}")

    schema = {"anyOf": [{"const": "all"}, {"type": "array", "items": {"enum": list(values)}}]}
    return _make(parse, schema, False)


KIND_SEPARATOR = "|"  # between the kinds a reference may name, in a kind written as one string


@dataclass(frozen=True, init=False)
class Refers:
    """Marks a field as naming entities of one kind (``Annotated[Ref, Refers("person")]``), or of
    any of a few (``Refers("vendor", "person")``): the reference checks, their did-you-mean, the
    editor's completion and the rules' look-ups all read it from the model. ``kind`` is the kinds
    joined by ``|``, the form every one of them receives."""

    kind: str

    def __init__(self, *kinds: str) -> None:
        object.__setattr__(self, "kind", KIND_SEPARATOR.join(kinds))


def kinds(kind: str) -> tuple[str, ...]:
    """The entity kinds a reference of ``kind`` may name (``Refers.kind``)."""
    return tuple(kind.split(KIND_SEPARATOR))


def kind_words(kind: str) -> str:
    """``person``, or ``vendor, delivery team or person``."""
    *most, last = kinds(kind)
    return f"{', '.join(most)} or {last}" if most else last
