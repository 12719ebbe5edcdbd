"""What the language server says about a text, in process: the ranges of nodes, the diagnostics
of hostile and broken files, the waiver stub in every shape of plan, the reference slots derived
from the models, and the checking process's guard against a check that never ends."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.errors import ReadinessError, RubricError
from readiness.loader import compose
from readiness.lsp import settings
from readiness.lsp.analysis import analyse, parse_path, walk_path
from readiness.lsp.outline import fields
from readiness.lsp.positions import Positions
from readiness.lsp.report import ANY, RULE, Report, containing, slot_at
from readiness.lsp.worker import Checker
from readiness.model import AssuranceReview, Leader, Plan, Waiver, field_layout
from readiness.options import RunOptions
from readiness.paths import format_path
from readiness.rubric import load_rubric
from readiness.types import kinds as split_kinds

from . import test_hardening, test_hostile
from .conftest import MINIMAL, NORTHWIND, budget

AS_OF = dt.date(2026, 2, 2)
TEXT = NORTHWIND.read_text(encoding="utf-8")


def on(as_of: dt.date = AS_OF, rubric: str = "default") -> Any:
    return lambda path: RunOptions.make(load_rubric(rubric), as_of)


def check(text: str, **kwargs: Any) -> Report:
    return analyse("plan.yaml", text, 1, kwargs.pop("encoding", "utf-16"), kwargs.pop("options_for", on()))


def errors(report: Report) -> list[str]:
    """What keeps the plan from being judged: its problems and the options'."""
    return [d.message for d in report.diagnostics if d.status in ("invalid", "setup")]


def covered(text: str, rng: tuple[tuple[int, int], tuple[int, int]]) -> str:
    """The text a range covers (code-point columns: for ASCII lines, the same as UTF-16)."""
    lines = text.split("\n")
    (a, b), (c, d) = rng
    if a == c:
        return lines[a][b:d]
    return "\n".join([lines[a][b:], *lines[a + 1 : c], lines[c][:d]])


# where nodes end ----------------------------------------------------------------------------------

SHAPES = """\
plain: just words  # a comment
double: "say \\"hi\\", then # go"
single: 'it''s'
folded: >-
  two lines
  of text

next: 1
literal: |
    kept
      as is
plain_lines: one
  two
  three
flow: &f [a, {b: c},   # a comment
   d ]
alias: *f
block:
  - x
  - y: [1, 2]
empty:
quoted_lines: "one
  two"
"""


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("plain",), "just words"),
        (("double",), '"say \\"hi\\", then # go"'),
        (("single",), "'it''s'"),
        (("folded",), ">-\n  two lines\n  of text"),
        (("literal",), "|\n    kept\n      as is"),
        (("plain_lines",), "one\n  two\n  three"),
        (("flow",), "&f [a, {b: c},   # a comment\n   d ]"),
        (("flow", 1), "{b: c}"),
        (("block",), "- x\n  - y: [1, 2]"),
        (("block", 1), "y: [1, 2]"),
        (("quoted_lines",), '"one\n  two"'),
    ],
)
def test_a_node_spans_exactly_its_text(path: tuple[Any, ...], text: str) -> None:
    pos = Positions(SHAPES, "utf-32")
    _, node = walk_path(compose("x", SHAPES), path)
    assert covered(SHAPES, (pos.start(node), pos.end(node))) == text


def test_an_empty_value_takes_its_key() -> None:
    text = TEXT.replace("    date: 2026-05-20\n", "    date:\n")
    report = check(text)
    (d,) = [d for d in report.diagnostics if d.severity == "error"]
    assert d.message.startswith("rollout.go_no_go.date: ")
    assert covered(text, d.range) == "date"


@pytest.mark.parametrize(
    ("encoding", "units"),
    [("utf-16", 2), ("utf-8", 4), ("utf-32", 1)],
)
def test_columns_are_counted_in_the_agreed_encoding(encoding: str, units: int) -> None:
    text = TEXT.replace("{id: customer-care, name: Customer Care,", "{id: customer-care, name: Care \U0001f6d2,")
    line = text.split("\n")[45]
    report = check(text, encoding=encoding)
    (inv002,) = [d for d in report.diagnostics if d.rule == "INV002"]
    assert inv002.range == ((44, 6), (45, len(line)))  # the astral character is on the line before
    column = text.split("\n")[44].index("\U0001f6d2")
    pos = Positions(text, encoding)
    assert pos.lsp((44, column + 1)) == (44, column + units)  # just after it
    assert pos.from_lsp(44, column + units) == (44, column + 1)


def test_line_breaks_an_editor_does_not_count_are_mapped() -> None:
    # libyaml breaks lines at LS, NEL and PS; editors only at CR and LF. A BOM is dropped first.
    text = "\ufeff" + TEXT.replace('name: Northwind CRM ("Compass")', 'name: "Northwind\u2028CRM"', 1)
    text = text.replace("    decided_by: p-ceo\n", "    decided_by: p-nobody\n")
    report = check(text)
    (d,) = [d for d in report.diagnostics if d.severity == "error"]
    assert d.range == ((30, 16), (30, 24))
    assert text.split("\n")[30][16:24] == "p-nobody"


def test_crlf_text_has_the_same_ranges() -> None:
    lf = {(d.rule, d.range) for d in check(TEXT).diagnostics}
    assert {(d.rule, d.range) for d in check(TEXT.replace("\n", "\r\n")).diagnostics} == lf


# problems -----------------------------------------------------------------------------------------


def test_problems_cover_the_node_or_the_key() -> None:
    text = TEXT.replace("  approach: pilot_then_waves\n", "  approach: pilot_then_waves\n  aproach: big_bang\n")
    text = text.replace("headcount: 140,", "headcount: many,")
    report = check(text)
    found = {d.message.split(":")[0]: covered(text, d.range) for d in report.diagnostics}
    assert found == {"rollout.aproach": "aproach", "organisation.divisions[0].headcount": "many"}


def test_a_missing_field_marks_the_first_line_of_its_mapping() -> None:
    text = TEXT.replace("  go_live: 2026-06-01                       # wave 1; Customer Care follows in wave 2\n", "")
    (d,) = check(text).diagnostics
    assert d.message == "rollout.go_live: required field is missing"
    assert covered(text, d.range) == 'name: Northwind CRM ("Compass")'


def test_a_broken_rubric_is_one_diagnostic_and_the_plan_is_still_validated(tmp_path: Any) -> None:
    rubric = tmp_path / "team.yaml"
    rubric.write_text("name: team\nextends: default\npass_score: lots\nfail_on: sometimes\n")

    def options_for(path: str | None) -> RunOptions:
        return RunOptions.make(load_rubric(str(rubric)), AS_OF)

    with pytest.raises(RubricError):
        options_for(None)
    report = check(TEXT, options_for=options_for)
    (d,) = report.diagnostics
    assert d.status == "setup" and d.severity == "error"
    assert d.message.startswith(f"the rubric cannot be used: {rubric}:3:13: pass_score: ")
    assert d.message.endswith("(and 1 more problem(s))")
    assert covered(TEXT, d.range) == "schema_version: 1"
    broken = check(TEXT.replace("decided_by: p-ceo", "decided_by: p-nobody"), options_for=options_for)
    assert [x.status for x in broken.diagnostics] == ["setup", "invalid"]


def test_over_the_byte_limit_is_one_diagnostic() -> None:
    def small(path: str | None) -> RunOptions:
        return RunOptions.make(load_rubric("default"), AS_OF, max_bytes=1000)

    (d,) = check(TEXT, options_for=small).diagnostics
    assert d.message == f"{len(TEXT.encode())} bytes, over the 1000-byte limit (--max-bytes)"


def _texts(cases: list[tuple[str, bytes, str | None, float]]) -> list[tuple[str, str, str | None, float]]:
    """The hostile cases an editor can send: text (an editor holds text, not bytes)."""
    out = []
    for name, data, error, seconds in cases:
        try:
            out.append((name, data.decode("utf-8"), error, seconds))
        except UnicodeDecodeError:
            continue
    return out


HOSTILE = _texts([(n, d, e, 1.0) for n, (d, e) in test_hostile.CASES.items()]) + _texts(
    [(c.name, c.data, c.error, c.seconds) for c in test_hardening.CASES if isinstance(c.data, bytes)]
)


@pytest.mark.parametrize(("name", "text", "error", "seconds"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_text_gets_a_bounded_answer(name: str, text: str, error: str | None, seconds: float) -> None:
    started = time.perf_counter()
    report = check(text)
    elapsed = time.perf_counter() - started
    assert elapsed < budget(seconds), f"{name} took {elapsed:.2f}s"
    lines = text.split("\n")
    for d in report.diagnostics:
        (a, b), (c, e) = d.range
        assert 0 <= a <= c < max(len(lines), 1) and (a, b) <= (c, e), d
        assert len(d.message) <= 600 and "\x1b" not in d.message
    problems = [d for d in report.diagnostics if d.status == "invalid"]
    if error is None:
        assert problems == []
    else:
        assert any(error in d.message for d in problems), problems[:3]
        if name in test_hostile.CASES:
            assert len(problems) == 1, problems


# the waiver stub ----------------------------------------------------------------------------------

WAIVER = TEXT[TEXT.index("waivers:\n") :]
NO_WAIVERS = TEXT[: TEXT.index("waivers:\n")]


def _json_plan() -> str:
    data = yaml.safe_load(TEXT)
    return json.dumps(data, indent=2, default=str) + "\n"


def _indentless(text: str) -> str:
    """Top-level lists written without indenting their items (valid YAML, and common)."""
    return text.replace("\npeople:\n  - ", "\npeople:\n- ").replace("\n  - {id: p-", "\n- {id: p-")


@pytest.mark.parametrize(
    ("shape", "text", "rule", "tail"),
    [
        ("a block list", TEXT, "INV002", "    expires: 2026-03-04\n"),
        ("no waivers yet", NO_WAIVERS, "LEG001", "contact]}\n\nwaivers:\n  - rule: LEG001\n"),
        ("an empty flow list", NO_WAIVERS + "waivers: []\n", "LEG001", "expires: 2026-03-04}]\n"),
        (
            "a flow list",
            NO_WAIVERS + "waivers: [{rule: TRAIN002, target: t-wholesale-reps, reason: later, owner: p-pm, "
            "expires: 2026-05-01}]\n",
            "LEG001",
            "expires: 2026-03-04}]\n",
        ),
        (
            "flow items in a block list",
            NO_WAIVERS
            + "waivers:\n    - {rule: TRAIN002, target: t-wholesale-reps, reason: later, owner: p-pm, expires: 2026-05-01}\n",
            "LEG001",
            "expires: 2026-03-04}\n",
        ),
        ("indentless lists", _indentless(NO_WAIVERS), "LEG001", "\n- rule: LEG001\n"),
        ("a JSON plan", _json_plan(), "INV002", '"expires": "2026-03-04"}\n  ]\n}\n'),
    ],
)
def test_the_waiver_stub_fits_the_plan_and_waives_the_finding(shape: str, text: str, rule: str, tail: str) -> None:
    report = check(text)
    assert errors(report) == []
    (d,) = [d for d in report.diagnostics if d.rule == rule and d.status == "fail"]
    assert d.waiver is not None and report.stub is not None
    (a, b), (c, e) = report.stub.at
    lines = text.split("\n")
    offsets = [sum(len(line) + 1 for line in lines[:n]) for n in range(len(lines))]
    start, end = offsets[a] + b, offsets[c] + e
    edited = text[:start] + report.stub.text(rule, d.waiver or None) + text[end:]
    assert tail in edited[-400:], edited[-400:]
    after = check(edited)
    assert errors(after) == [], shape
    (same,) = [x for x in after.diagnostics if x.rule == rule and x.target == d.target]
    assert same.status == "waived"
    assert "owner TODO name who answers for this risk, expires 2026-03-04" in same.message
    assert not [x for x in after.diagnostics if x.rule and x.rule.startswith("PLAN")]
    if shape == "a JSON plan":
        assert json.loads(edited)["waivers"][-1]["rule"] == rule


def test_the_stub_expires_within_the_rubric_horizon(tmp_path: Any) -> None:
    rubric = tmp_path / "short.yaml"
    rubric.write_text("name: short\nextends: default\nmax_waiver_days: 10\n")
    report = check(TEXT, options_for=on(rubric=str(rubric)))
    assert report.stub is not None and report.stub.expires == "2026-02-12"


def test_no_waiver_is_offered_when_waivers_are_forbidden(tmp_path: Any) -> None:
    rubric = tmp_path / "strict.yaml"
    rubric.write_text("name: strict\nextends: default\nwaivers: forbidden\n")
    report = check(TEXT, options_for=on(rubric=str(rubric)))
    assert report.stub is None
    assert all(d.waiver is None for d in report.diagnostics)


# references, from the declarations ----------------------------------------------------------------


def test_reference_fields_are_read_from_the_models() -> None:
    assert fields(Leader)["person"] == ("ref", "person") and fields(Leader)["division"] == ("ref", "division")
    assert fields(Waiver) == {"target": ("ref", ANY), "rule": ("ref", RULE)}
    # every kind a field refers to is the kind of some entity
    kinds: set[str] = set()
    entities: set[str] = set()
    seen: set[type] = set()
    todo: list[type] = [Plan]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        if getattr(model, "entity", None):
            entities.add(model.entity)  # type: ignore[attr-defined]
        for _, _, holds, kind in field_layout(model):
            if holds == "ref":
                kinds.update(split_kinds(kind))
            else:
                todo.append(kind)
    assert kinds == {"person", "division", "role", "segment", "vendor", "delivery team"}
    assert kinds <= entities
    # a reviewer may be any of three kinds: the slot names them all, and completion offers each kind's ids
    assert fields(AssuranceReview)["by"] == ("ref", "vendor|delivery team|person")


def test_slots_and_ids_come_from_the_tree_even_when_the_plan_is_invalid() -> None:
    text = TEXT.replace("decided_by: p-ceo", "decided_by: p-")
    report = check(text)
    assert errors(report) and report.parsed
    slot = slot_at(report.slots, 30, 18)
    assert slot is not None and slot[1] == "person"
    assert [i for i, _ in report.ids["person"]][:3] == ["p-ceo", "p-coo", "p-cfo"]
    assert report.ids["division"] == [
        ("retail-sales", "Retail Sales"),
        ("wholesale", "Wholesale Distribution"),
        ("customer-care", "Customer Care"),
    ]
    assert slot_at(report.slots, 4, 10) is None  # rollout.name


def test_containing_puts_the_innermost_first() -> None:
    outer = ((1, 0), (9, 0))
    inner = ((3, 2), (3, 9))
    assert containing([(outer, "outer"), (inner, "inner")], 3, 4) == ["inner", "outer"]
    assert containing([(outer, "outer"), (inner, "inner")], 5, 0) == ["outer"]


@pytest.mark.parametrize(
    "path",
    [(), ("rollout",), ("training", "sessions", 3, "start"), ("x-a.b", 0, 'q"uote'), ("waivers", 12, "rule")],
)
def test_error_paths_are_read_back(path: tuple[Any, ...]) -> None:
    assert parse_path(format_path(path)) == path


def test_plans_are_known_by_their_top_level_key() -> None:
    assert settings.is_plan(None, TEXT)
    assert settings.is_plan(None, _json_plan())
    assert settings.is_plan(None, '{"rollout": {}, "schema_version": 1}')
    assert settings.is_plan(None, "schema_version: [unclosed\n")
    assert not settings.is_plan(None, "services:\n  schema_version: 1\n")
    assert not settings.is_plan(None, "# schema_version: 1\n")


# the checking process -----------------------------------------------------------------------------


def test_a_check_that_outlasts_its_time_is_stopped_and_the_next_one_runs() -> None:
    checker = Checker(timeout=0.05)

    async def run() -> tuple[Report, Report]:
        checker.start()
        big = MINIMAL + "x-list: [" + ",".join(["1"] * 900_000) + "]\n"
        slow = await checker.analyse(None, big, 1, "utf-16")
        checker.timeout = budget(30)
        fine = await checker.analyse(None, MINIMAL, 2, "utf-16")
        return slow, fine

    try:
        slow, fine = asyncio.run(run())
    finally:
        checker.stop()
    (d,) = slow.diagnostics
    assert d.message.startswith("checking took more than 0.05 seconds and was stopped")
    assert fine.version == 2 and fine.parsed and not errors(fine)


class _Stillborn(Checker):
    """A checker whose processes end before they answer anything, as when they cannot start."""

    started = 0

    def start(self) -> None:
        ours, theirs = self._context.Pipe()
        self._answered = False
        process = self._context.Process(target=sys.exit, args=(3,), daemon=True)
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        type(self).started += 1


def test_a_checking_process_that_cannot_start_is_not_started_again_and_again() -> None:
    checker = _Stillborn()

    async def run() -> list[Report]:
        return [await checker.analyse(None, MINIMAL, n, "utf-16") for n in range(3)]

    try:
        reports = asyncio.run(run())
    finally:
        checker.stop()
    assert [r.diagnostics[0].message for r in reports] == [
        "the checking process cannot start (its error is on the server's standard error)"
    ] * 3
    assert _Stillborn.started == 1


def test_a_configured_glob_or_folder_names_the_files_readiness_check_would_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.readiness]\nplans = ["plans/*.yaml", "docs"]\n')
    (tmp_path / "docs" / "deep").mkdir(parents=True)  # a folder names the plans below it
    monkeypatch.chdir(tmp_path)
    text = "rollout: {}\n"  # no schema_version: only the configuration can make it a plan
    assert settings.is_plan(str(tmp_path / "plans" / "a.yaml"), text)
    assert settings.is_plan(str(tmp_path / "docs" / "deep" / "b.yml"), text)
    assert not settings.is_plan(str(tmp_path / "plans" / "sub" / "a.yaml"), text)  # * stops at a /
    assert not settings.is_plan(str(tmp_path / "docs" / "notes.md"), text)  # a folder holds YAML plans
    assert not settings.is_plan(str(tmp_path / "docs" / ".hidden.yaml"), text)


def test_the_project_configuration_decides_the_options_and_which_files_are_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "office"
    (project / "plans" / "emea").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.readiness]\nrubric = "strict"\nplans = ["plans/"]\nas-of = 2026-03-01\nfail-on = "info"\n'
        'select = ["LEAD", "COMM"]\n'
    )
    monkeypatch.chdir(tmp_path)
    plan = project / "plans" / "emea" / "acme.yaml"
    options = settings.options_for(str(plan))
    assert options.rubric.name == "strict" and options.as_of == dt.date(2026, 3, 1)
    assert options.policy.fail_on == "info"
    assert {r[:4] for r in options.enabled} <= {"LEAD", "COMM", "PLAN"}
    assert settings.is_plan(str(plan), "rollout: {}\n")  # named by the configuration
    assert not settings.is_plan(str(project / "other.yaml"), "rollout: {}\n")
    monkeypatch.setattr(settings, "AS_OF", dt.date(2026, 4, 1))  # readiness lsp --as-of wins
    assert settings.options_for(str(plan)).as_of == dt.date(2026, 4, 1)
    assert settings.options_for(str(tmp_path / "loose.yaml")).rubric.name == "default"  # no configuration there
    (project / "pyproject.toml").write_text('[tool.readiness]\nrubric = "nope"\n')
    with pytest.raises(ReadinessError):
        settings.options_for(str(plan))
