"""A file wrong a million times costs little more than a valid one: every problem is counted, the
first 50 in file order are shown with the exact count of the rest, and only the problems kept
are formatted (positions, did-you-mean hints). Long lists and large mappings are validated in
pieces, so that no single validation holds millions of errors."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from readiness.errors import PlanError
from readiness.limits import MAX_SHOWN
from readiness.loader import load_text
from readiness.plan_checks import validate_plan
from readiness.rules import rule_names
from readiness.validation import KEPT, PIECE

from .conftest import MINIMAL, NORTHWIND
from .test_hardening import run_limited

PERSON = "{id: p%d, name: P, level: frontline, function: sales}"


def failure(text: str) -> PlanError:
    with pytest.raises(PlanError) as info:
        validate_plan(load_text("plan.yaml", text), rule_names())
    return info.value


def shown(error: PlanError) -> list[str]:
    return error.lines()


# in process: what is shown and counted ----------------------------------------------------------


def test_long_valid_lists_validate_whole() -> None:
    people = ", ".join(PERSON % i for i in range(3 * PIECE + 7))
    divisions = "".join(f"    - {{id: d{i}, name: D{i}}}\n" for i in range(2 * PIECE))
    text = MINIMAL + divisions + f"people: [{people}]\nleaders: [{{person: p{3 * PIECE + 6}, division: d7}}]\n"
    plan = validate_plan(load_text("plan.yaml", text), rule_names())
    assert plan.people is not None and len(plan.people) == 3 * PIECE + 7
    assert plan.people[-1].id == f"p{3 * PIECE + 6}" and "division" not in plan.people[-1].model_fields_set
    assert len(plan.organisation.divisions) == 2 * PIECE + 1


def test_errors_deep_in_a_long_list_keep_their_path_and_position() -> None:
    people = [PERSON % i for i in range(3 * PIECE)]
    people[150] = people[150].replace("level: frontline", "level: boss")
    people[2 * PIECE + 9] = "{id: p-x, name: P, level: frontline}"
    text = MINIMAL + "people:\n" + "".join(f"  - {p}\n" for p in people)
    error = failure(text)
    line_150, line_last = 9 + 150, 9 + 2 * PIECE + 9
    assert shown(error) == [
        (
            f"plan.yaml:{line_150}:32: error: people[150].level: 'boss' is not one of: "
            "executive, senior_manager, middle_manager, supervisor, frontline"
        ),
        f"plan.yaml:{line_last}:5: error: people[{2 * PIECE + 9}].function: required field is missing",
    ]


def test_a_long_list_that_needs_one_item_is_not_called_empty() -> None:
    divisions = "".join(f"    - {{id: d{i}, name: D{i}}}\n" for i in range(2 * PIECE))
    text = MINIMAL + divisions.replace("{id: d150, name: D150}", "{id: d150}")
    assert shown(failure(text)) == [
        f"plan.yaml:{158}:7: error: organisation.divisions[151].name: required field is missing"
    ]


def test_first_fifty_in_file_order_across_sections_and_an_exact_count() -> None:
    waivers = "waivers:\n  - {rule: NOPE001, reason: r, owner: o, expires: 2026-12-31}\n  - {rule: LEAD001}\n"
    people = "people: [" + ", ".join(["{}"] * 5 * PIECE) + "]\n"
    text = MINIMAL.replace("schema_version: 1\n", "schema_version: 1\n" + waivers) + people
    error = failure(text)
    assert error.count == 3 + 4 * 5 * PIECE
    lines = shown(error)
    assert len(lines) == MAX_SHOWN + 1
    assert lines[:4] == [
        "plan.yaml:4:5: error: waivers[1].reason: required field is missing",
        "plan.yaml:4:5: error: waivers[1].owner: required field is missing",
        "plan.yaml:4:5: error: waivers[1].expires: required field is missing",
        "plan.yaml:11:10: error: people[0].id: required field is missing",
    ]
    assert lines[4:8] == [
        f"plan.yaml:11:{c}: error: people[{i}].{f}: required field is missing"
        for i, c, f in [(0, 10, "name"), (0, 10, "level"), (0, 10, "function"), (1, 14, "id")]
    ]
    assert lines[-1] == f"plan.yaml: error: {error.count - MAX_SHOWN} more error(s) not shown"


def test_problems_of_the_checks_are_counted_and_only_the_kept_are_matched(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    close = difflib.get_close_matches

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return close(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    waivers = "".join(f"  - {{rule: LEAD9{i:02d}, reason: r, owner: o, expires: 2026-12-31}}\n" for i in range(99))
    error = failure(MINIMAL + "waivers:\n" + waivers * 6)
    assert error.count == 6 * 99
    assert 0 < len(calls) <= KEPT
    assert shown(error)[0] == "plan.yaml:9:12: error: waivers[0].rule: unknown rule 'LEAD900' (did you mean 'LEAD005'?)"


def test_a_mapping_with_very_many_unknown_keys() -> None:
    keys = ", ".join(f"levle{i}: 1" for i in range(3 * PIECE))
    error = failure(MINIMAL + f"people:\n  - {{id: a, name: A, level: frontline, function: sales, {keys}}}\n")
    assert error.count == 3 * PIECE
    assert shown(error)[0] == "plan.yaml:9:57: error: people[0].levle0: unknown key 'levle0' (did you mean 'level'?)"
    assert shown(error)[1].startswith("plan.yaml:9:68: error: people[0].levle1: unknown key 'levle1'")


def test_equal_positions_keep_the_order_of_the_fields() -> None:
    """Every missing field of an entry lies at the entry: they follow the format's field order."""
    lines = shown(failure(MINIMAL + "people: [{}]\n"))
    assert [line.split(": error: ")[1] for line in lines] == [
        f"people[0].{name}: required field is missing" for name in ("id", "name", "level", "function")
    ]


# end to end, in a child process: time and peak memory -------------------------------------------


def empty_people(n: int) -> str:
    return MINIMAL + "people: [" + ",".join(["{}"] * n) + "]\n"


@pytest.mark.parametrize(
    ("n", "seconds", "megabytes"),
    [
        (400_000, 6.0, 200),
        # The loaded tree and plain data of a million mappings alone take about 270 MB; the
        # validation adds little to that. This file made the validator panic and then hang.
        (999_000, 14.0, 400),
    ],
    ids=["400k", "999k"],
)
def test_a_list_of_empty_mappings(tmp_path: Path, n: int, seconds: float, megabytes: int) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(empty_people(n))
    run = run_limited(["check", str(plan)], seconds=seconds)
    lines = run.stderr.splitlines()
    assert run.code == 2 and len(lines) == MAX_SHOWN + 1, run.stderr[-500:]
    assert lines[0] == f"{plan}:8:10: error: people[0].id: required field is missing"
    assert lines[48] == f"{plan}:8:46: error: people[12].id: required field is missing"
    assert lines[-1] == f"{plan}: error: {4 * n - MAX_SHOWN} more error(s) not shown"
    assert run.peak_mb < megabytes, f"{run.peak_mb:.0f} MB"


def test_aliased_waivers_naming_unknown_rules(tmp_path: Path) -> None:
    """Did-you-mean ran for each of the 90,000 errors while 50 were shown."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL
        + "x-w: &w {rule: NOPE999, reason: r, owner: o, expires: 2030-01-01}\n"
        + "waivers: ["
        + ", ".join(["*w"] * 90_000)
        + "]\n"
    )
    run = run_limited(["check", str(plan)], seconds=2.0)
    lines = run.stderr.splitlines()
    assert run.code == 2 and len(lines) == MAX_SHOWN + 1
    message = "unknown rule 'NOPE999'; a custom rule is waived by its ID, such as XSAL001"
    assert lines[:3] == [f"{plan}:8:16: error: waivers[{i}].rule: {message}" for i in range(3)]
    assert lines[-1] == f"{plan}: error: {90_000 - MAX_SHOWN} more error(s) not shown"
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"


@pytest.mark.parametrize(
    ("text", "first", "total"),
    [
        (
            MINIMAL
            + "people:\n  - {id: a, name: A, level: frontline, function: sales, "
            + ", ".join(f"k{i}: 1" for i in range(100_000))
            + "}\n",
            "9:57: error: people[0].k0: unknown key 'k0' (expected one of: id, name, level, function, division, title)",
            100_000,
        ),
        (
            MINIMAL + "governance:\n  co_owners: [" + ", ".join(["{}"] * 200_000) + "]\n",
            "9:15: error: governance.co_owners[0]: expected an id, got a mapping",
            200_000,
        ),
    ],
    ids=["unknown-keys", "list-of-references"],
)
def test_other_amplified_plans(tmp_path: Path, text: str, first: str, total: int) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    run = run_limited(["check", str(plan)], seconds=2.5)
    lines = run.stderr.splitlines()
    assert run.code == 2 and lines[0] == f"{plan}:{first}", lines[:2]
    assert lines[-1] == f"{plan}: error: {total - MAX_SHOWN} more error(s) not shown"
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "name: r\nrules: {" + ", ".join(f"RULE{i}: {{}}" for i in range(40_000)) + "}\n",
            "2:9: error: rules.RULE0: unknown rule 'RULE0'",
        ),
        (
            "name: r\nrules: {LEAD001: {options: {" + ", ".join(f"opt{i}: 1" for i in range(40_000)) + "}}}\n",
            "2:29: error: rules.LEAD001.options.opt0: unknown key 'opt0' (expected one of: lead_days)",
        ),
        (
            "name: r\ncategories: {" + ", ".join(f"C{i}: {{enabled: maybe}}" for i in range(40_000)) + "}\n",
            "2:28: error: categories.C0.enabled: expected true or false, got 'maybe'",
        ),
    ],
    ids=["unknown-rules", "unknown-options", "category-settings"],
)
def test_amplified_rubrics(tmp_path: Path, text: str, first: str) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(text)
    run = run_limited(["check", str(NORTHWIND), "--rubric", str(rubric)], seconds=2.0)
    lines = run.stderr.splitlines()
    assert run.code == 2 and lines[0] == f"{rubric}:{first}", lines[:2]
    assert lines[-1] == f"{rubric}: error: {40_000 - MAX_SHOWN} more error(s) not shown"
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"
