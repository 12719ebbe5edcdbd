"""Waivers (plan-format.md §4.18, rubrics.md §4): matching, target limits, expiry, unused,
inactive and over-limit waivers, with the PLAN rules that report them."""

from __future__ import annotations

import datetime as dt

from readiness.engine import evaluate
from readiness.findings import Result, WaiverState
from readiness.loader import load_text
from readiness.plan_checks import validate_plan
from readiness.rules import rule_names

from .conftest import MINIMAL, options

TWO_DIVISIONS = MINIMAL.replace(
    "    - {id: sales, name: Sales}\n", "    - {id: sales, name: Sales}\n    - {id: service, name: Service}\n"
)
NO_CHAMPIONS = TWO_DIVISIONS + "champions: []\nsupport: {hypercare: null}\n"


def run(
    waivers: str, as_of: str = "2026-01-05", rubric: str = "default", ignore: list[str] | None = None
) -> tuple[list[Result], list[WaiverState]]:
    doc = load_text("plan.yaml", NO_CHAMPIONS + "waivers:\n" + waivers)
    plan = validate_plan(doc, rule_names())
    return evaluate(doc, plan, options(rubric, dt.date.fromisoformat(as_of), ignore=ignore))


def statuses(results: list[Result], rule: str) -> dict[str, str]:
    return {r.label: r.status for r in results if r.rule == rule}


def test_target_limited_waiver_waives_only_its_target() -> None:
    results, states = run("  - {rule: INV001, target: sales, reason: r, owner: o, expires: 2026-03-31}\n")
    assert statuses(results, "INV001") == {"sales": "waived", "service": "fail"}
    waived = next(r for r in results if r.rule == "INV001" and r.status == "waived")
    assert waived.waiver is not None and (waived.waiver.index, waived.waiver.owner) == (0, "o")
    assert [s.state for s in states] == ["applied"]
    assert statuses(results, "PLAN001") == {"waivers[0]": "pass"}


def test_waiver_without_target_waives_every_failing_result_by_slug() -> None:
    results, _ = run("  - {rule: division-without-champion, reason: r, owner: o, expires: 2026-03-31}\n")
    assert statuses(results, "INV001") == {"sales": "waived", "service": "waived"}


def test_targeted_waiver_never_matches_a_plan_level_result() -> None:
    results, _ = run("  - {rule: TRAIN004, target: sales, reason: r, owner: o, expires: 2026-03-31}\n")
    assert statuses(results, "TRAIN004") == {"(plan)": "fail"}
    assert statuses(results, "PLAN001") == {"waivers[0]": "fail"}
    message = next(r.message for r in results if r.rule == "PLAN001")
    assert message == "Waiver for TRAIN004 on sales matches no failing result; remove it or correct its target."


def test_first_matching_waiver_records_the_result_and_both_are_used() -> None:
    results, _ = run(
        "  - {rule: INV001, reason: first, owner: o, expires: 2026-03-31}\n"
        "  - {rule: INV001, target: sales, reason: second, owner: o, expires: 2026-03-31}\n"
    )
    sales = next(r for r in results if r.rule == "INV001" and r.target == "sales")
    assert sales.waiver is not None and sales.waiver.reason == "first"
    assert statuses(results, "PLAN001") == {"waivers[0]": "pass", "waivers[1]": "pass"}


def test_expired_waiver_waives_nothing_and_raises_plan002() -> None:
    results, states = run("  - {rule: INV001, reason: r, owner: o, expires: 2026-01-04}\n")
    assert statuses(results, "INV001") == {"sales": "fail", "service": "fail"}
    assert [s.state for s in states] == ["expired"]
    plan002 = [r for r in results if r.rule == "PLAN002"]
    assert [(r.status, r.severity, r.message) for r in plan002] == [
        ("fail", "info", "Waiver for INV001 expired on 2026-01-04; its findings are live again.")
    ]
    assert "PLAN001" not in {r.rule for r in results if r.status == "fail"}


def test_waiver_is_valid_on_its_last_day() -> None:
    results, states = run("  - {rule: INV001, reason: r, owner: o, expires: 2026-01-05}\n")
    assert [s.state for s in states] == ["applied"]
    assert set(statuses(results, "INV001").values()) == {"waived"}


def test_waiver_for_a_disabled_rule_is_inactive_and_not_unused() -> None:
    results, states = run("  - {rule: INV001, reason: r, owner: o, expires: 2026-03-31}\n", ignore=["INV"])
    assert [s.state for s in states] == ["inactive"]
    assert not [r for r in results if r.rule == "PLAN001"]


def test_custom_rule_waiver_is_inactive_without_its_rubric() -> None:
    _, states = run("  - {rule: XSAL001, reason: r, owner: o, expires: 2026-03-31}\n")
    assert [s.state for s in states] == ["inactive"]


def test_strict_flags_long_waivers_but_still_applies_them() -> None:
    results, states = run("  - {rule: INV001, reason: r, owner: o, expires: 2026-12-31}\n", rubric="strict")
    assert [s.state for s in states] == ["applied"]
    assert set(statuses(results, "INV001").values()) == {"waived"}
    assert statuses(results, "PLAN003") == {"waivers[0]": "fail"}
