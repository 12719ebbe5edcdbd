"""Rule messages read as plain English whatever the numbers: counts agree with their nouns
(`1 day`, `3 days`), a date before its anchor says "before" instead of a negative count, a
peak period's id is not preceded by "peak", several absent sections "are absent", and
LEG004's option says what it does."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from readiness.engine import evaluate
from readiness.loader import load_text
from readiness.options import RunOptions
from readiness.plan_checks import validate_plan
from readiness.reference.rules import case_plan_text, examples
from readiness.rubric import load_rubric
from readiness.rules import registry, rule_names

from .conftest import EXAMPLES, run_cli


def messages(rule_id: str, fragment: str, rubric: str = "default") -> dict[str, str]:
    """The rule's message per label on the example base plan with ``fragment`` merged on top."""
    doc = load_text("plan.yaml", case_plan_text({"plan": fragment}))
    plan = validate_plan(doc, rule_names())
    results, _ = evaluate(doc, plan, RunOptions.make(load_rubric(rubric), dt.date(2026, 1, 1)))
    return {r.label: r.message for r in results if r.rule == rule_id and r.status != "pass"}


def with_options(tmp_path: Path, rule_id: str, options: str) -> str:
    path = tmp_path / "rubric.yaml"
    path.write_text(f"name: tuned\nextends: default\nrules:\n  {rule_id}:\n    options: {options}\n")
    return str(path)


LATER_WAVE = """\
organisation:
  divisions:
    - {id: sales, name: Sales}
    - {id: service, name: Service}
rollout:
  phases:
    - {id: w1, type: wave, start: 2027-05-03, end: 2027-05-31, divisions: [service]}
"""


@pytest.mark.parametrize(
    ("end", "said"),
    [
        ("2027-04-16", "hypercare ends 2027-04-16, 17 days before the last go-live (minimum 14 days after)"),
        ("2027-05-03", "hypercare ends 2027-05-03, the same day as the last go-live (minimum 14 days after)"),
        ("2027-05-04", "hypercare ends 2027-05-04, 1 day after the last go-live (minimum 14)"),
        ("2027-05-12", "hypercare ends 2027-05-12, 9 days after the last go-live (minimum 14)"),
    ],
)
def test_hypercare_ending_before_the_last_go_live_says_before(end: str, said: str) -> None:
    fragment = LATER_WAVE + f"support:\n  hypercare: {{start: 2026-06-01, end: {end}, first_line: [help_desk]}}\n"
    assert messages("TRAIN004", fragment) == {"(plan)": f"Post-go-live support is not ready: {said}."}


@pytest.mark.parametrize(
    ("deadline", "said"),
    [
        ("2026-05-15", "17 days before the last go-live (minimum 30 days after)"),
        ("2026-06-01", "the same day as the last go-live (minimum 30 days after)"),
        ("2026-06-02", "only 1 day after the last go-live (minimum 30)"),
        ("2026-06-10", "only 9 days after the last go-live (minimum 30)"),
    ],
)
def test_hard_deadline_slack_is_never_a_negative_count(deadline: str, said: str) -> None:
    fragment = f"rollout:\n  hard_deadline: {{date: {deadline}}}\n  contingency: {{fallback_plan: Keep the old one.}}\n"
    assert messages("TIME003", fragment) == {"(plan)": f"Hard deadline {deadline}: {said}."}


def test_hard_deadline_slack_under_a_negative_minimum(tmp_path: Path) -> None:
    rubric = with_options(tmp_path, "TIME003", "{min_slack_days: -10}")
    fragment = "rollout:\n  hard_deadline: {date: 2026-05-12}\n  contingency: {fallback_plan: Keep the old one.}\n"
    assert messages("TIME003", fragment, rubric) == {
        "(plan)": "Hard deadline 2026-05-12: 20 days before the last go-live (at most 10 days before)."
    }


def test_peak_period_named_once_and_one_division_goes_live() -> None:
    fragment = """\
rollout:
  peak_periods:
    - {id: peak-storm, name: Storm season, start: 2026-06-10, end: 2026-06-30}
"""
    said = messages("TIME001", fragment)["peak-storm"]
    assert said == (
        "sales (Sales) goes live on 2026-06-01, within 30 days before or during peak-storm (Storm season), "
        "a peak period from 2026-06-10 to 2026-06-30."
    )
    assert "peak peak" not in said


def test_several_divisions_go_live_in_a_peak() -> None:
    fragment = """\
organisation:
  divisions:
    - {id: sales, name: Sales}
    - {id: service, name: Service}
rollout:
  peak_periods:
    - {id: peak-storm, start: 2026-05-20, end: 2026-06-30}
"""
    assert messages("TIME001", fragment)["peak-storm"] == (
        "sales (Sales), service (Service) go live on 2026-06-01, within 30 days before or during peak-storm, "
        "a peak period from 2026-05-20 to 2026-06-30."
    )


def test_gate_dates_on_or_after_go_live_say_after() -> None:
    fragment = """\
people:
  - {id: p-ceo, name: Cleo Chief, level: executive, function: general_management}
rollout:
  go_no_go: {date: 2026-06-02, decided_by: p-ceo, criteria: [trained]}
  contingency: {fallback_plan: Keep the old one.}
governance:
  readiness_review: {date: 2026-06-03}
"""
    assert messages("GOV005", fragment) == {
        "(plan)": "The go-live gate is incomplete: go/no-go on 2026-06-02, 1 day after go-live (at least 7 days "
        "before it expected); readiness review on 2026-06-03 is 2 days after go-live (at least 28 days before "
        "expected)."
    }
    before = fragment.replace("2026-06-02", "2026-05-28").replace("2026-06-03", "2026-05-31")
    assert messages("GOV005", before) == {
        "(plan)": "The go-live gate is incomplete: go/no-go on 2026-05-28, less than 7 days before go-live; "
        "readiness review on 2026-05-31 is 1 day before go-live (at least 28 expected)."
    }


CHANGES = """\
organisation:
  divisions:
    - {{id: sales, name: Sales}}
  concurrent_changes:
{changes}
"""


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (
            ["{id: chg-re, name: Reorganisation, type: restructuring, divisions: all, start: 2026-05-01}"],
            (
                "sales (Sales) faces 1 other change within 90 days of its go-live 2026-06-01: chg-re (Reorganisation). "
                "Includes restructuring, which threatens jobs."
            ),
        ),
        (
            [
                "{id: chg-cut, name: Cuts, type: layoff, divisions: [sales], start: 2026-05-01}",
                "{id: chg-re, name: Reorganisation, type: restructuring, divisions: all, start: 2026-05-01}",
            ],
            (
                "sales (Sales) faces 2 other changes within 90 days of its go-live 2026-06-01: chg-cut (Cuts), "
                "chg-re (Reorganisation). Includes layoff and restructuring, which threaten jobs."
            ),
        ),
    ],
)
def test_change_saturation_counts_and_agreement(changes: list[str], said: str) -> None:
    fragment = CHANGES.format(changes="".join(f"    - {c}\n" for c in changes))
    assert messages("LEG004", fragment) == {"sales": said}


def test_escalate_types_option_says_one_such_change_fails_the_rule() -> None:
    """One restructuring alone fails LEG004 even under max_other_changes (rules.md LEG004); the
    option's description must say so, not only that it raises the level."""
    page = run_cli("explain", "LEG004").stdout
    text = " ".join(page.split())
    assert "a single overlapping change of one of these types fails the rule on its own" in text
    assert "raises the finding one level" in text


@pytest.mark.parametrize(
    ("rule_id", "fragment", "said"),
    [
        ("LEG002", "rollout: {kickoff: 2025-06-02}", "cannot evaluate: legacy and adoption_design are absent"),
        ("INV005", "rollout: {kickoff: 2025-06-02}", "cannot evaluate: project_team and champions are absent"),
        ("TIME003", "rollout: {kickoff: 2025-06-02}", "cannot evaluate: rollout.hard_deadline is absent"),
        (
            "ADOPT001",
            "adoption_design:\n  roles:\n    - {id: rep, name: Rep, function: sales, level: frontline}\n",
            (
                "cannot evaluate: adoption_design.roles[0].manual_fields_per_record, "
                "adoption_design.roles[0].minutes_per_day_data_entry and adoption_design.roles[0].automations are absent"
            ),
        ),
    ],
)
def test_unknown_names_every_absent_section_with_agreement(rule_id: str, fragment: str, said: str) -> None:
    assert list(messages(rule_id, fragment).values()) == [said]


@pytest.mark.parametrize(
    ("rule_id", "fragment", "said"),
    [
        (
            "GOV001",
            (
                "vendors:\n  - {id: v1, name: Acme, role: implementor, due_diligence: {references_checked: 1, "
                "demo_on_our_data: true, named_team: true, team_experience_verified: true}}\n"
            ),
            "Implementor v1 (Acme) has not been vetted: only 1 reference checked (minimum 2).",
        ),
        (
            "INV002",
            (
                "organisation:\n  divisions:\n    - {id: sales, name: Sales, headcount: 85}\n"
                "champions:\n  - {id: ch1, division: sales, count: 1, allocation_pct: 5, selected_on: 2026-01-05}\n"
            ),
            (
                "sales (Sales): 85 people share 1 champion (85.0 each, limit 20); champion ch1 at 5% has too little "
                "protected time (minimum 10%)."
            ),
        ),
        (
            "INV003",
            (
                "people:\n  - {id: p1, name: Pat, level: executive, function: sales}\n"
                "  - {id: p2, name: Sam, level: middle_manager, function: sales}\n"
                "project_team:\n  members:\n    - {person: p1}\n    - {person: p2}\n"
            ),
            "The project team has no member at level frontline.",
        ),
        (
            "INV003",
            (
                "people:\n  - {id: p1, name: Pat, level: executive, function: sales}\n"
                "project_team:\n  members:\n    - {person: p1}\n"
            ),
            "The project team has no member at levels middle_manager, frontline.",
        ),
        (
            "TRAIN003",
            (
                "training:\n  completion_target_pct: 95\n  completion_tracked: true\n  sessions:\n"
                "    - {id: t1, audience: {divisions: all, levels: [frontline]}, start: 2026-05-01, mandatory: false}\n"
            ),
            "Training is not enforced: session t1 is optional.",
        ),
        (
            "LEAD001",
            "leaders: []",
            (
                "sales (Sales) has no leader with an adoption commitment signed by 2026-05-02 (30 days before its "
                "go-live 2026-06-01); 0 of 1 impacted division is covered."
            ),
        ),
        (
            "TIME004",
            "rollout:\n  approach: pilot_then_waves\n  phases: []\n",
            "The approach is pilot_then_waves but no pilot ends before go-live.",
        ),
    ],
)
def test_counts_agree_with_their_nouns(rule_id: str, fragment: str, said: str) -> None:
    assert list(messages(rule_id, fragment).values()) == [said]


def test_counts_of_one_under_tuned_options(tmp_path: Path) -> None:
    cases = [
        ("LEAD003", "{lead_days: 1}", "sponsor: {primary: null}\ncommunications: []\n", None),
        (
            "CUST001",
            "{notice_lead_days: 1}",
            "customers:\n  segments:\n    - {id: smb, name: Small business, changes: [ordering]}\ncommunications: []\n",
            "Customers in smb (Small business) are not told about ordering by 2026-05-31 (1 day before go-live).",
        ),
        (
            "VAL003",
            "{max_review_cadence_days: 1}",
            "success_metrics: []\n",
            "Adoption is not measured after go-live: no adoption metric with a target reviewed at least every day.",
        ),
        (
            "TIME004",
            "{min_divisions: 1}",
            "rollout:\n  approach: big_bang\n  phases: []\n",
            "1 division goes live at once on 2026-06-01 with no pilot before it.",
        ),
    ]
    for rule_id, options, fragment, said in cases:
        got = messages(rule_id, fragment, with_options(tmp_path, rule_id, options))
        if said is not None:
            assert list(got.values()) == [said], rule_id
        assert all(" 1 days" not in m for m in got.values()), got


def test_the_second_rounds_rules_count_in_plain_english(tmp_path: Path) -> None:
    vendor = (
        "vendors:\n  - {id: v1, name: Acme, role: implementor, due_diligence: {references_checked: 3, "
        "similar_implementations: 1, demo_on_our_data: true, named_team: true, team_experience_verified: true}}\n"
    )
    got = messages("GOV001", vendor, with_options(tmp_path, "GOV001", "{min_similar_implementations: 2}"))
    assert got == {"v1": "Implementor v1 (Acme) has not been vetted: only 1 comparable rollout delivered (minimum 2)."}
    role = "adoption_design:\n  roles:\n    - {id: rep, function: sales, level: frontline}\n"
    one_hour = (
        role
        + "training:\n  sessions:\n    - {id: t1, audience: {divisions: all}, start: 2026-05-04, mandatory: true, hours: 1}\n"
    )
    assert messages("TRAIN005", one_hour) == {
        "rep": "Role rep gets 1 hour of mandatory training before go-live in sales (Sales); it needs at least 4 for "
        "any change to its work."
    }


def test_an_unknown_lists_ten_missing_fields_and_counts_the_rest() -> None:
    """TRAIN005 names the first ten fields that undecided sessions lack, and counts the others
    exactly, without listing every one of a large plan's sessions."""
    role = (
        "adoption_design:\n  roles:\n    - {id: rep, function: sales, level: frontline, "
        "minutes_per_day_before: 30, minutes_per_day_after: 60}\n"
    )
    sessions = "".join(
        f"    - {{id: t{i}, audience: {{divisions: all}}, start: 2026-05-{1 + i:02d}, mandatory: true}}\n"
        for i in range(12)
    )
    fields = ", ".join(f"training.sessions[{i}].hours" for i in range(10))
    assert messages("TRAIN005", role + "training:\n  sessions:\n" + sessions) == {
        "rep": f"cannot evaluate: {fields} and 2 more are absent"
    }


def test_an_unknown_names_the_roles_own_measures_before_the_sessions_and_counts_once() -> None:
    """A role without measures and many undecided sessions: its four measures come first, and the
    sessions' fields past the tenth name are counted in one "and N more"."""
    role = "adoption_design:\n  roles:\n    - {id: rep, function: sales, level: frontline}\n"
    sessions = "".join(
        f"    - {{id: t{i}, audience: {{divisions: all}}, start: 2026-05-{1 + i:02d}}}\n" for i in range(8)
    )
    measures = ", ".join(
        f"adoption_design.roles[0].{f}"
        for f in ("minutes_per_day_before", "minutes_per_day_after", "steps_before", "steps_after")
    )
    fields = ", ".join(f"training.sessions[{i}].{f}" for i in range(3) for f in ("hours", "mandatory"))
    assert messages("TRAIN005", role + "training:\n  sessions:\n" + sessions) == {
        "rep": f"cannot evaluate: {measures}, {fields} and 10 more are absent"
    }


# every message the examples produce ---------------------------------------------------------------

DOUBLED = re.compile(r"\b(\w+)[\s-]+\1\b", re.IGNORECASE)
NEGATIVE_COUNT = re.compile(r"(?<![\w.])-\d+ days?\b")


def _example_messages() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for rule_id in registry():
        spec = examples(rule_id)
        for case in spec["cases"]:
            rubric = case.get("rubric", spec.get("rubric", "default"))
            found += [(rule_id, m) for m in messages(rule_id, case["plan"], rubric).values()]
    for plan in sorted(EXAMPLES.glob("*.yaml")):
        doc = load_text(str(plan), plan.read_text())
        run_options = RunOptions.make(load_rubric("default"), dt.date(2026, 2, 2))
        results, _ = evaluate(doc, validate_plan(doc, rule_names()), run_options)
        found += [(r.rule, r.message) for r in results if r.status != "pass"]
    return found


def test_no_message_has_a_bracketed_plural_a_negative_count_or_a_doubled_word() -> None:
    bad: list[Any] = []
    for rule_id, message in _example_messages():
        if "(s)" in message or NEGATIVE_COUNT.search(message) or " 1 days" in message:
            bad.append((rule_id, message))
        doubled = DOUBLED.search(message)
        if doubled and not doubled[1].isdigit():
            bad.append((rule_id, message))
    assert bad == []


@pytest.mark.parametrize(
    ("ident", "said"),
    [
        ("role-rep", "role-rep (Field rep) enters the same data twice after go-live."),
        ("rep", "Role rep (Field rep) enters the same data twice after go-live."),
        ("roleplay", "Role roleplay (Field rep) enters the same data twice after go-live."),
    ],
)
def test_an_id_that_starts_with_its_kind_is_not_preceded_by_it(ident: str, said: str) -> None:
    fragment = (
        "legacy: {systems: []}\nadoption_design:\n  roles:\n"
        f"    - {{id: {ident}, name: Field rep, function: sales, level: frontline, double_entry: true}}\n"
    )
    assert messages("LEG002", fragment) == {ident: said}
