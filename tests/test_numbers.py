"""Numbers are bounded as written (docs/decisions.md): at most 40 significant digits, and a value
that is 0 or lies within the normal range of a double. A number outside those bounds is refused
before any exact arithmetic or formatting, wherever it is read: plan fields, rubric fields, rule
options, custom-rule operands and the command line. Every message quotes the literal as written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic_core import PydanticCustomError

from readiness.types import parse_int, parse_number

from .conftest import MINIMAL, NORTHWIND, run_cli
from .test_hardening import run_limited

TINY = "-1e-999999999"
SESSION = "training:\n  sessions:\n    - {id: t1, audience: {divisions: all}, start: 2026-05-01, hours: HOURS}\n"


def refused(value: object) -> str:
    with pytest.raises(PydanticCustomError) as info:
        parse_number(value)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12.50", Decimal("12.50")),
        ("1" * 40, Decimal("1" * 40)),
        ("0.000000001", Decimal("1e-9")),
        ("1.7976931348623157e308", Decimal("1.7976931348623157e308")),  # the largest double
        ("1.7976931348623158e308", Decimal("1.7976931348623158e308")),  # a double reads it as the largest
        ("-1.79769313486231580793e308", Decimal("-1.79769313486231580793e308")),  # just below half an ulp more
        ("2.2250738585072014e-308", Decimal("2.2250738585072014e-308")),  # the smallest normal double
        ("-2.2250738585072014e-308", Decimal("-2.2250738585072014e-308")),
        ("0." + "0" * 400 + "1e400", Decimal("0.1")),  # leading zeros are not significant
        ("1230e-2", Decimal("12.30")),
    ],
)
def test_numbers_within_the_bounds_are_exact(text: str, value: Decimal) -> None:
    parsed = parse_number(text)
    assert parsed == value and str(parsed) == str(value)


@pytest.mark.parametrize("text", ["0", "-0", "0.000", "0e-999999999", "-0.0e999999999", "0e" + "9" * 5000])
def test_zero_is_exactly_zero_whatever_its_exponent(text: str) -> None:
    parsed = parse_number(text)
    assert parsed == 0 and parsed.as_tuple() == Decimal(0).as_tuple()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1" * 41, f"'{'1' * 37}...' has 41 significant digits (at most 40)"),
        ("1.0000000000000000000000000000000000000000", "has 41 significant digits (at most 40)"),
        ("1e309", "'1e309' is too large (not finite as a double)"),
        ("1.7976931348623159e308", "'1.7976931348623159e308' is too large (not finite as a double)"),
        ("1e999999999", "'1e999999999' is too large (not finite as a double)"),
        ("1e" + "9" * 5000, "'1e" + "9" * 35 + "...' is too large"),
        ("2.2250738585072013e-308", "'2.2250738585072013e-308' is too close to zero: below 2.2e-308 in size"),
        (TINY, f"'{TINY}' is too close to zero: below 2.2e-308 in size, the smallest normal double (write 0 for zero)"),
        ("-1e-" + "9" * 5000, "'-1e-" + "9" * 33 + "...' is too close to zero"),
        ("0." + "0" * 400 + "1", "'0." + "0" * 35 + "...' is too close to zero"),
    ],
)
def test_numbers_outside_the_bounds_are_refused_as_written(text: str, message: str) -> None:
    assert message in refused(text)


def test_decimals_and_integers_from_code_are_bounded_too() -> None:
    assert "too close to zero" in refused(Decimal("1e-999999999"))
    assert "too large" in refused(Decimal("1e999999999"))
    assert "significant digits" in refused(Decimal("1" * 41))
    assert parse_number(Decimal("0e-999999999")) == 0
    assert "integer too large" in refused(10**40)
    assert parse_number(10**40 - 1) == 10**40 - 1


def test_integer_fields_quote_the_literal() -> None:
    with pytest.raises(PydanticCustomError) as info:
        parse_int("9" * 60)
    assert str(info.value) == f"integer too large: {'9' * 37}... has 60 digits (at most 40)"


# end to end, in a child process with a time budget and peak memory --------------------------------


def test_plan_number_with_a_billion_digit_exponent(tmp_path: Path) -> None:
    """242 bytes used to build a gigabyte error string, formatting the exact value in full."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL + SESSION.replace("HOURS", TINY))
    run = run_limited(["check", str(plan)], seconds=1.0)
    column = (MINIMAL + SESSION).splitlines()[9].index("HOURS") + 1
    assert (run.code, run.stderr) == (
        2,
        (
            f"{plan}:10:{column}: error: training.sessions[0].hours: '{TINY}' is too close to zero: below 2.2e-308 "
            "in size, the smallest normal double (write 0 for zero)\n"
        ),
    )
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"


def test_zero_with_a_billion_digit_exponent_is_zero(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL + SESSION.replace("HOURS", "0e-999999999") + "x-pct: 1\n")
    run = run_limited(["check", str(plan), "--format", "json"], seconds=1.0)
    assert run.code == 1, run.stderr
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"


def test_below_the_minimum_quotes_the_literal(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL + SESSION.replace("HOURS", "-1e-300"))
    run = run_cli("check", str(plan))
    assert run.code == 2
    assert run.stderr.endswith("training.sessions[0].hours: -1e-300 is below the minimum 0\n"), run.stderr


@pytest.mark.parametrize(
    ("setting", "path"),
    [
        (f"pass_score: {TINY[1:]}", "pass_score"),
        (f"unknown_credit: {TINY[1:]}", "unknown_credit"),
        (f"rules: {{LEAD001: {{weight: {TINY[1:]}}}}}", "rules.LEAD001.weight"),
        (f"categories: {{LEAD: {{weight_multiplier: {TINY[1:]}}}}}", "categories.LEAD.weight_multiplier"),
        (f"rules: {{INV002: {{options: {{max_users_per_champion: {TINY[1:]}}}}}}}", "rules.INV002.options"),
        (f"rules: {{TIME002: {{options: {{min_ratio: {TINY[1:]}}}}}}}", "rules.TIME002.options.min_ratio"),
        (
            (
                "custom_rules:\n  - {id: XSAL001, name: x-rule, severity: info, category: VAL, message: m,\n"
                f"     remediation: r, require: [{{path: rollout.name, min: {TINY[1:]}}}]}}"
            ),
            "custom_rules[0].require[0].min",
        ),
    ],
)
def test_rubric_numbers_are_bounded(tmp_path: Path, setting: str, path: str) -> None:
    """Each of these spun in exact arithmetic until killed."""
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(f"name: r\n{setting}\n")
    run = run_limited(["check", str(NORTHWIND), "--rubric", str(rubric), "--as-of", "2026-02-02"], seconds=1.0)
    assert run.code == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"{rubric}:") and f": error: {path}" in line and "is too close to zero" in line, line


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(NORTHWIND), "--min-score", "1e-999999999"],
        ["check", str(NORTHWIND), "--min-score", "1" * 5000],
        ["diff", str(NORTHWIND), str(NORTHWIND), "--max-score-drop", "1e-999999999"],
        ["diff", str(NORTHWIND), str(NORTHWIND), "--max-score-drop", "0." + "0" * 5000 + "1"],
    ],
    ids=["min-score", "min-score-digits", "max-score-drop", "max-score-drop-zeros"],
)
def test_command_line_numbers_are_bounded(args: list[str]) -> None:
    run = run_limited([*args, "--as-of", "2026-02-02"], seconds=1.0)
    assert run.code == 2
    assert run.stderr.startswith("readiness: error: --m") and run.stderr.count("\n") == 1, run.stderr[:300]


def test_command_line_zero_with_a_huge_exponent_is_zero() -> None:
    run = run_limited(
        ["diff", str(NORTHWIND), str(NORTHWIND), "--max-score-drop", "0e-999999999", "--format", "json"], seconds=1.5
    )
    assert run.code == 0, run.stderr


def test_extension_numbers_too_close_to_zero_are_refused(tmp_path: Path) -> None:
    """Plan data is JSON: a non-zero literal that a double would turn into 0 is an error there."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL + "x-tiny: 1e-400\nx-zero: 0e-400\nx-small: 1e-300\n")
    run = run_cli("check", str(plan))
    assert run.code == 2
    assert run.stderr == (
        f"{plan}:8:9: error: x-tiny: number 1e-400 is too close to zero to be represented in plan data; "
        "quote it to keep it a string\n"
    )
    plan.write_text(MINIMAL + "x-zero: 0e-400\nx-small: 1e-300\n")
    run = run_cli("check", str(plan), "--format", "json")
    assert run.code == 1, run.stderr
