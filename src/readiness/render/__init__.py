"""Renderers: results in, text out. None of them prints, reads files or knows about the CLI."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from readiness.findings import PlanResult, round1

if TYPE_CHECKING:
    from readiness.rubric import Rubric
    from readiness.rules import RuleSpec

# C0 controls except tab and newline, DEL, C1, bidi controls and marks, zero-width characters,
# line and paragraph separators, lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def sanitize(text: str) -> str:
    """Make plan text inert for terminals and logs: every control, bidi or surrogate character
    becomes a visible ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def strip_trailing(text: str) -> str:
    """Drop the blanks Rich pads lines with (before any closing colour codes)."""
    return _TRAILING.sub(r"\1", text)


# What JSON may carry raw but a terminal must not: C1 controls, DEL, bidi controls, line separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(document: Any) -> str:
    """JSON text with the exact data, where characters that could act on a terminal are written
    as ``\\uXXXX`` escapes (JSON escapes C0 controls itself)."""
    import json

    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def error_count(p: PlanResult) -> str:
    """How many errors kept an invalid plan from being checked: "1 error", "6 errors"."""
    n = len(p.errors) + p.errors_omitted
    return f"{n} error" if n == 1 else f"{n} errors"


def score_number(value: Fraction | None) -> float | None:
    """A score as the JSON number shown in reports: one decimal, half away from zero."""
    return None if value is None else float(round1(value))


def plain_number(value: Decimal | int | None) -> Any:
    """A rubric number for JSON: an integer when it is one, else a float."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class Report:
    """What every renderer is given: the checked plans and the policy and date they were judged by."""

    plans: list[PlanResult]
    rubric: Rubric
    as_of: dt.date
    version: str
    statistics: bool = False
    quiet: bool = False
    color: bool = False
    width: int = 100

    def rule(self, rule_id: str) -> RuleSpec | None:
        config = self.rubric.rules.get(rule_id)
        return config.spec if config is not None else None

    def remediation(self, rule_id: str) -> str:
        spec = self.rule(rule_id)
        return spec.remediation if spec is not None else ""

    @property
    def checked(self) -> list[PlanResult]:
        return [p for p in self.plans if p.verdict is not None]
