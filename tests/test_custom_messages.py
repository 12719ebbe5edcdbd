"""Custom rules give a message for every operator of `rubrics.md` §7.3 on every kind of value the
plan data holds (strings, integers of any size, floats, booleans, null, lists, objects, dates) and
every kind of operand (numbers read as exact decimals, core-schema scalars), as §7.4 words it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from readiness.custom import SHOWN_CHARS, show

from .conftest import MINIMAL, run_cli

HEX = "0x" + "f" * 4000  # 2**16000 - 1: 4,817 decimal digits, over Python's int-to-string limit
BIG = "30194693372392275795…655882469375 (4817 digits)"
LONG = "y" * 300

PLAN = (
    MINIMAL.replace("{id: sales, name: Sales}", "{id: sales, name: Sales, headcount: 85}")
    + f"""\
x-s: hello
x-int: 3
x-neg: -7
x-float: 2.5
x-tiny: 1.0e-7
x-big: {HEX}
x-bool: true
x-null: null
x-empty: ""
x-blank: "   "
x-list: [1, two, 2.5]
x-one: [only]
x-biglist: [{HEX}]
x-obj: {{a: 1, b: [true, null]}}
x-emptyobj: {{}}
x-date: 2026-05-20
x-long: {LONG}
x-nan: nan
x-huge: "1e999"
x-ninf: "-1e999"
"""
)

# (condition as written in the rubric, the failing text of §7.4)
CASES = [
    # exists
    ("{path: '\"x-missing\"', exists: true}", '"x-missing" is absent'),
    ("{path: '\"x-null\"', exists: true}", '"x-null" is null'),
    ("{path: '\"x-s\"', exists: false}", '"x-s" is hello (expected absent)'),
    ("{path: '\"x-int\"', exists: false}", '"x-int" is 3 (expected absent)'),
    ("{path: '\"x-float\"', exists: false}", '"x-float" is 2.5 (expected absent)'),
    ("{path: '\"x-tiny\"', exists: false}", '"x-tiny" is 0.0000001 (expected absent)'),
    ("{path: '\"x-big\"', exists: false}", f'"x-big" is {BIG} (expected absent)'),
    ("{path: '\"x-bool\"', exists: false}", '"x-bool" is true (expected absent)'),
    ("{path: '\"x-list\"', exists: false}", '"x-list" is [1,"two",2.5] (expected absent)'),
    ("{path: '\"x-biglist\"', exists: false}", f'"x-biglist" is [{BIG}] (expected absent)'),
    ("{path: '\"x-obj\"', exists: false}", '"x-obj" is {"a":1,"b":[true,null]} (expected absent)'),
    ("{path: '\"x-date\"', exists: false}", '"x-date" is 2026-05-20 (expected absent)'),
    ("{path: '\"x-long\"', exists: false}", f'"x-long" is {LONG[:SHOWN_CHARS]}… (expected absent)'),
    (
        "{path: 'organisation.divisions[0].headcount', exists: false}",
        "organisation.divisions[0].headcount is 85 (expected absent)",
    ),
    # not_empty
    ("{path: '\"x-empty\"', not_empty: true}", '"x-empty" is empty'),
    ("{path: '\"x-blank\"', not_empty: true}", '"x-blank" is empty'),
    ("{path: '\"x-emptyobj\"', not_empty: true}", '"x-emptyobj" is empty'),
    ("{path: '\"x-missing\"', not_empty: true}", '"x-missing" is absent'),
    ("{path: '\"x-null\"', not_empty: true}", '"x-null" is null'),
    # equals, operand of each type against values of each type
    ("{path: '\"x-s\"', equals: Hello}", '"x-s" is hello (expected Hello)'),
    ("{path: '\"x-int\"', equals: 4}", '"x-int" is 3 (expected 4)'),
    ("{path: '\"x-int\"', equals: '3'}", '"x-int" is 3 (expected 3)'),  # the string "3" is not the number
    ("{path: '\"x-float\"', equals: 2.25}", '"x-float" is 2.5 (expected 2.25)'),
    ("{path: '\"x-neg\"', equals: 1.0e+21}", '"x-neg" is -7 (expected 1000000000000000000000)'),
    ("{path: '\"x-bool\"', equals: 1}", '"x-bool" is true (expected 1)'),
    ("{path: '\"x-big\"', equals: 3}", f'"x-big" is {BIG} (expected 3)'),
    ("{path: '\"x-int\"', equals: " + HEX + "}", f'"x-int" is 3 (expected {BIG})'),
    ("{path: '\"x-list\"', equals: 1}", '"x-list" is [1,"two",2.5] (expected 1)'),
    ("{path: '\"x-obj\"', equals: a}", '"x-obj" is {"a":1,"b":[true,null]} (expected a)'),
    ("{path: '\"x-null\"', equals: 0}", '"x-null" is null'),
    # in
    (
        "{path: '\"x-s\"', in: [1, 2.5, Hello, false, " + HEX + "]}",
        f'"x-s" is hello (expected one of 1, 2.5, Hello, false, {BIG})',
    ),
    ("{path: '\"x-big\"', in: [0, -1]}", f'"x-big" is {BIG} (expected one of 0, -1)'),
    ("{path: '\"x-obj\"', in: [a]}", '"x-obj" is {"a":1,"b":[true,null]} (expected one of a)'),
    ("{path: '\"x-null\"', in: [a]}", '"x-null" is null'),
    # min and max: the operand is an exact decimal
    ("{path: '\"x-int\"', min: 5}", '"x-int" is 3 (at least 5)'),
    ("{path: '\"x-float\"', min: 2.75}", '"x-float" is 2.5 (at least 2.75)'),
    ("{path: '\"x-neg\"', min: 0.10}", '"x-neg" is -7 (at least 0.1)'),
    ("{path: '\"x-tiny\"', min: 1.5e-6}", '"x-tiny" is 0.0000001 (at least 0.0000015)'),
    (
        "{path: 'organisation.divisions[0].headcount', max: 84.5}",
        "organisation.divisions[0].headcount is 85 (at most 84.5)",
    ),
    ("{path: '\"x-int\"', max: 2}", '"x-int" is 3 (at most 2)'),
    # an expression can make a number that is not finite: it compares with nothing
    (
        "{path: 'to_number(\"x-nan\")', min: 1}",
        'to_number("x-nan") has the wrong type: non-finite number (expected number)',
    ),
    (
        "{path: 'to_number(\"x-huge\")', min: 1}",
        'to_number("x-huge") has the wrong type: non-finite number (expected number)',
    ),
    (
        "{path: 'to_number(\"x-ninf\")', max: 1}",
        'to_number("x-ninf") has the wrong type: non-finite number (expected number)',
    ),
    (
        "{path: '\"x-neg\"', min: 1e-300}",  # never written out in full
        '"x-neg" is -7 (at least 0.000000000000000000…000000000001 (301 digits))',
    ),
    (
        "{path: '\"x-big\"', max: 1.0e+300}",
        f'"x-big" is {BIG} (at most 1' + "0" * 19 + "…" + "0" * 12 + " (301 digits))",
    ),
    ("{path: '\"x-s\"', min: 1}", '"x-s" has the wrong type: string (expected number)'),
    ("{path: '\"x-bool\"', max: 1}", '"x-bool" has the wrong type: boolean (expected number)'),
    ("{path: '\"x-list\"', max: 1}", '"x-list" has the wrong type: array (expected number)'),
    ("{path: '\"x-obj\"', min: 1}", '"x-obj" has the wrong type: object (expected number)'),
    ("{path: '\"x-null\"', min: 1}", '"x-null" is null'),
    # min_items
    ("{path: '\"x-list\"', min_items: 4}", '"x-list" has 3 items (at least 4)'),
    ("{path: '\"x-one\"', min_items: 2}", '"x-one" has 1 item (at least 2)'),
    ("{path: '\"x-big\"', min_items: 1}", '"x-big" has the wrong type: number (expected array)'),
    ("{path: '\"x-obj\"', min_items: 1}", '"x-obj" has the wrong type: object (expected array)'),
    ("{path: '\"x-s\"', min_items: 1}", '"x-s" has the wrong type: string (expected array)'),
    ("{path: '\"x-null\"', min_items: 1}", '"x-null" is null'),
    # before and after
    (
        "{path: '\"x-date\"', before: {date_of: rollout.go_live, days: 30}}",
        '"x-date" 2026-05-20 is not on or before 2026-05-02',
    ),
    ("{path: '\"x-date\"', after: {date_of: rollout.go_live}}", '"x-date" 2026-05-20 is not on or after 2026-06-01'),
    ("{path: '\"x-int\"', before: {date_of: rollout.go_live}}", '"x-int" has the wrong type: number (expected date)'),
    ("{path: '\"x-s\"', after: {date_of: rollout.go_live}}", '"x-s" has the wrong type: string (expected date)'),
    ("{path: '\"x-big\"', after: {date_of: rollout.go_live}}", '"x-big" has the wrong type: number (expected date)'),
    ("{path: '\"x-date\"', before: {date_of: '\"x-s\"'}}", '"x-date": the reference "x-s" is not a date'),
    ("{path: '\"x-date\"', after: {date_of: '\"x-big\"'}}", '"x-date": the reference "x-big" is not a date'),
    ("{path: '\"x-null\"', before: {date_of: rollout.go_live}}", '"x-null" is null'),
]


def rubric(condition: str) -> str:
    return f"""\
name: one-condition
extends: default
custom_rules:
  - id: XT001
    name: one-condition
    severity: warning
    category: GOV
    require:
      - {condition}
    message: "{{failed}}."
    remediation: Fix it.
"""


def case_id(condition: str) -> str:
    operator = re.search(r"(exists|not_empty|equals|in|min_items|min|max|before|after):", condition)
    value = re.search(r"x-[a-z]+|headcount", condition)
    assert operator and value
    return f"{operator[1]}-{value[0]}"


@pytest.mark.parametrize(("condition", "text"), CASES, ids=[case_id(c) for c, _ in CASES])
def test_every_operator_fails_with_its_message_on_every_kind_of_value(
    tmp_path: Path, condition: str, text: str
) -> None:
    (tmp_path / "plan.yaml").write_text(PLAN)
    (tmp_path / "rubric.yaml").write_text(rubric(condition))
    result = run_cli(
        "check",
        str(tmp_path / "plan.yaml"),
        "--rubric",
        str(tmp_path / "rubric.yaml"),
        "--select",
        "XT001",
        "--as-of",
        "2026-02-02",
        "--format",
        "json",
    )
    assert (result.code, result.stderr) == (1, "")
    found = [f for f in json.loads(result.stdout)["plans"][0]["findings"] if f["rule"] == "XT001"]
    assert [(f["status"], f["message"]) for f in found] == [("fail", f"{text}.")]


def test_an_operator_that_holds_gives_no_finding(tmp_path: Path) -> None:
    """The same values pass where the condition holds: the exact comparisons behind the messages."""
    (tmp_path / "plan.yaml").write_text(PLAN)
    conditions = [
        "{path: '\"x-big\"', equals: " + HEX + "}",
        "{path: '\"x-big\"', min: 1.0e+300}",
        "{path: '\"x-float\"', equals: 2.50}",
        "{path: '\"x-tiny\"', max: 0.0000001}",
        "{path: '\"x-int\"', in: [a, 3.0]}",
    ]
    for condition in conditions:
        (tmp_path / "rubric.yaml").write_text(rubric(condition))
        result = run_cli(
            "check",
            str(tmp_path / "plan.yaml"),
            "--rubric",
            str(tmp_path / "rubric.yaml"),
            "--select",
            "XT001",
            "--as-of",
            "2026-02-02",
            "--format",
            "json",
        )
        assert result.stderr == "", condition
        assert not [f for f in json.loads(result.stdout)["plans"][0]["findings"] if f["rule"] == "XT001"], condition


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (10**45, "10000000000000000000…000000000000 (46 digits)"),
        (-(10**45) - 7, "-10000000000000000000…000000000007 (46 digits)"),
        (5e-324, "0.000000000000000000…000000000005 (325 digits)"),
        (1e16, "10000000000000000"),
        (-0.0, "0"),
        ("z" * (SHOWN_CHARS + 1), "z" * SHOWN_CHARS + "…"),
        ([LONG], '["' + LONG[: SHOWN_CHARS - 2] + "…"),
        ({"k": None}, '{"k":null}'),
        (None, "null"),
    ],
)
def test_shown_values_are_exact_and_bounded(value: object, shown: str) -> None:
    assert show(value) == shown
