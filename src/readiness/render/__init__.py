"""Renderers: results in, text out. None of them prints, reads files or knows about the CLI."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from readiness.findings import round1

# C0 controls except tab and newline, DEL, C1, bidi controls, lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def sanitize(text: str) -> str:
    """Make plan text inert for terminals and logs: every control, bidi or surrogate character
    becomes a visible ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def strip_trailing(text: str) -> str:
    """Drop the blanks Rich pads lines with (before any closing colour codes)."""
    return _TRAILING.sub(r"\1", text)


def score_number(value: Fraction | None) -> float | None:
    """A score as the JSON number shown in reports: one decimal, half away from zero."""
    return None if value is None else float(round1(value))


def plain_number(value: Decimal | int | None) -> Any:
    """A rubric number for JSON: an integer when it is one, else a float."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)
