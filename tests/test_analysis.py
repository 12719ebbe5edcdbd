"""What the reports tell people to act on (readiness.analysis): the verdict's reasons, findings
grouped per rule, the points each failing rule costs, actions with owners and due dates (and
their CSV), and the heat map of divisions."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from readiness.analysis import grouped, regained
from readiness.findings import SEVERITY_RANK, Result
from readiness.pipeline import check_plan
from readiness.scoring import score
from tests.conftest import EXAMPLES, MINIMAL, NORTHWIND, options, run_cli

S1 = EXAMPLES / "s1-leader-keeps-old-reports.yaml"
S4 = EXAMPLES / "s4-turf-and-fax.yaml"


def plan_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", *args, "--format", "json")
    return result.code, json.loads(result.stdout)["plans"][0]


def gates(plan: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    return {r["gate"]: (r["detail"], r["blocks"]) for r in plan["verdict_reasons"]}


# verdict reasons ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            [],
            {
                "score": ("score 93.5 reaches the pass score 80", False),
                "fail_on": ("no live error (fail_on: error)", False),
            },
        ),
        (
            ["--fail-on", "warning"],
            {
                "fail_on_override": ("--fail-on warning overrides the rubric's error", False),
                "score": ("score 93.5 reaches the pass score 80", False),
                "fail_on": ("2 live warnings block (fail_on: warning)", True),
            },
        ),
        (
            ["--fail-on", "info", "--min-score", "95"],
            {
                "min_score": ("--min-score 95 overrides the rubric's 80", False),
                "fail_on_override": ("--fail-on info overrides the rubric's error", False),
                "score": ("score 93.5 is below the pass score 95", True),
                "fail_on": ("2 live warnings and 1 live info block (fail_on: info)", True),
            },
        ),
        (
            ["--min-score", "93.5"],  # the exact score is 93.548...: shown so that it compares as it does
            {
                "min_score": ("--min-score 93.5 overrides the rubric's 80", False),
                "score": ("score 93.55 reaches the pass score 93.5", False),
                "fail_on": ("no live error (fail_on: error)", False),
            },
        ),
        (
            ["--no-waivers"],
            {
                "score": ("score 90.3 reaches the pass score 80", False),
                "fail_on": ("1 live error blocks (fail_on: error)", True),
                "waivers_forbidden": ("--no-waivers forbids waivers: 1 waiver waives nothing", False),
            },
        ),
        (
            ["--fail-on", "never"],
            {
                "fail_on_override": ("--fail-on never overrides the rubric's error", False),
                "score": ("score 93.5 reaches the pass score 80", False),
                "fail_on": ("no finding blocks (fail_on: never)", False),
            },
        ),
    ],
)
def test_each_gate_gives_its_reason(flags: list[str], expected: dict[str, tuple[str, bool]]) -> None:
    code, plan = plan_json(str(NORTHWIND), "--as-of", "2026-02-02", *flags)
    assert gates(plan) == expected
    assert list(gates(plan)) == list(expected)  # a fixed order
    assert code == (1 if any(blocks for _, blocks in expected.values()) else 0)
    # --exit-zero changes the exit code, not the reasons
    _, same = plan_json(str(NORTHWIND), "--as-of", "2026-02-02", *flags, "--exit-zero")
    assert same["verdict_reasons"] == plan["verdict_reasons"]


def test_expired_and_over_the_limit_waivers_are_reasons(tmp_path: Path) -> None:
    _, plan = plan_json(str(NORTHWIND), "--as-of", "2027-01-05")
    assert gates(plan)["expired_waivers"] == (
        "1 waiver has expired (the latest on 2026-12-31): their findings are live again",
        False,
    )
    rubric = tmp_path / "none.yaml"
    rubric.write_text("name: none\nextends: default\nmax_waivers: 0\n")
    _, plan = plan_json(str(NORTHWIND), "--as-of", "2026-02-02", "--rubric", str(rubric))
    assert gates(plan)["max_waivers"] == ("1 waiver over the rubric max_waivers (0) waives nothing", False)
    assert gates(plan)["fail_on"] == ("1 live error blocks (fail_on: error)", True)


def test_the_reasons_reach_every_human_format_and_the_ci_formats(tmp_path: Path) -> None:
    args = ("check", str(S1), "--as-of", "2026-02-02")
    wanted = ("score 50.0 is below the pass score 80", "4 live errors block (fail_on: error)")
    rich = run_cli(*args).stdout
    assert "why: score 50.0 is below the pass score 80; 4 live errors block (fail_on: error)" in " ".join(rich.split())
    quiet = run_cli(*args, "--quiet").stdout
    assert quiet.endswith(": not_ready (score 50.0): " + "; ".join(wanted) + "\n")
    markdown = run_cli(*args, "--format", "markdown").stdout
    assert "Why:\n\n- score 50.0 is below the pass score 80\n- 4 live errors block (fail_on: error)\n" in markdown
    html = run_cli(*args, "--format", "html").stdout
    assert '<li class="blocks"><strong class="tag">Blocks:</strong> score 50.0 is below the pass score 80</li>' in html
    junit = run_cli(*args, "--format", "junit").stdout
    assert '<property name="verdict_reason.score" value="score 50.0 is below the pass score 80"' in junit
    assert 'message="not ready: score 50.0 is below the pass score 80; 4 live errors block' in junit
    sarif = json.loads(run_cli(*args, "--format", "sarif").stdout)
    (entry,) = sarif["runs"][0]["properties"]["plans"]
    assert [r["detail"] for r in entry["verdictReasons"]] == list(wanted)
    summary = tmp_path / "summary.md"
    result = run_cli(*args, "--format", "github", "--exit-zero")
    assert result.code == 0
    import os

    os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
    try:
        run_cli(*args, "--format", "github")
    finally:
        del os.environ["GITHUB_STEP_SUMMARY"]
    assert "- 4 live errors block" in summary.read_text()


# grouping and ordering ------------------------------------------------------------------------------


def test_findings_are_grouped_per_rule_errors_first() -> None:
    result = check_plan(str(S1), options())
    groups = grouped(result.results)
    kinds = [g.status for g in groups]
    assert kinds == sorted(kinds, key=("fail", "unknown", "waived").index)
    live = [g for g in groups if g.status == "fail"]
    ranks = [-SEVERITY_RANK[g.severity] for g in live]
    assert ranks == sorted(ranks)
    lead001 = next(g for g in groups if g.rule == "LEAD001")
    assert [r.label for r in lead001.results] == ["sales-amer", "sales-emea", "sales-apac"]
    assert len({(g.rule, g.status) for g in groups}) == len(groups)  # one entry per rule and kind
    assert sum(len(g.results) for g in groups) == len(result.findings)
    rich = run_cli("check", str(S1), "--as-of", "2026-02-02").stdout
    assert rich.count("LEAD001 leader-without-commitment") == 2  # once in the top risks, once in findings
    assert rich.count("fix: Before go-live, have each division leader") == 1


def test_points_regained_equal_a_rescore_with_the_rule_passing() -> None:
    run_options = options()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        result = check_plan(str(path), run_options)
        assert result.score is not None
        points = regained(result.results, result.score, run_options)
        for a in result.actions:
            fixed = [
                Result(r.rule, r.slug, r.category, r.severity, "pass", r.target, r.path, "")
                if r.rule == a.rule and r.status == "fail"
                else r
                for r in result.results
            ]
            rescored, _ = score(fixed, run_options)
            assert a.points == points[a.rule] == rescored - result.score, (path.name, a.rule)
            assert a.points >= 0


def test_top_risks_are_the_actions_worth_most() -> None:
    _, plan = plan_json(str(S1), "--as-of", "2026-02-02")
    worth = {a["rule"]: a["points"] for a in plan["actions"]}
    top = plan["top_risks"]
    assert 0 < len(top) <= 5 and [worth[r] for r in top] == sorted((worth[r] for r in top), reverse=True)
    assert min(worth[r] for r in top) >= max((v for r, v in worth.items() if r not in top), default=0)


# questions --------------------------------------------------------------------------------------------


def test_unknowns_carry_their_rules_question_in_every_human_format() -> None:
    _, plan = plan_json(str(S1), "--as-of", "2026-02-02")
    unknown = [f for f in plan["findings"] if f["status"] == "unknown"]
    assert unknown and all(f["question"] and f["question"].endswith((".", "?")) for f in unknown)
    gov003 = next(f for f in unknown if f["rule"] == "GOV003")
    first = gov003["question"].split("? ")[0] + "?"
    rich = " ".join(run_cli("check", str(S1), "--as-of", "2026-02-02").stdout.split())
    assert "Questions for the client" in rich and f"GOV003 {first}" in rich
    markdown = " ".join(run_cli("check", str(S1), "--as-of", "2026-02-02", "--format", "markdown").stdout.split())
    assert "## Questions for the client" in markdown and "- [ ] GOV003 no-change-manager: Who is the change" in markdown


# actions ----------------------------------------------------------------------------------------------


def test_actions_name_owners_and_due_dates_and_are_sorted_by_due_date() -> None:
    _, plan = plan_json(str(S1), "--as-of", "2026-02-02")
    actions = plan["actions"]
    lead001 = next(a for a in actions if a["rule"] == "LEAD001")
    assert lead001["due"] == "2026-08-02" and lead001["overdue"] is False
    owners = {t["target"]: (t["owner"]["name"], t["owner"]["role"]) for t in lead001["targets"]}
    assert owners == {
        "sales-amer": ("Dale Porter", "division leader"),
        "sales-emea": ("Viktor Lange", "division leader"),
        "sales-apac": ("Mei Lin Ong", "division leader"),
    }
    leg001 = next(a for a in actions if a["rule"] == "LEG001")
    assert leg001["targets"][0]["owner"]["role"] == "legacy report owner"
    keys = [a["due"] or plan["go_live"] for a in actions]
    assert keys == sorted(keys)
    _, late = plan_json(str(S1), "--as-of", "2026-08-10")
    assert next(a for a in late["actions"] if a["rule"] == "LEAD001")["overdue"] is True


def test_a_finding_nobody_is_named_for_is_unassigned(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL + "leaders: []\n")
    _, doc = plan_json(str(plan), "--as-of", "2026-02-02")
    lead001 = next(a for a in doc["actions"] if a["rule"] == "LEAD001")
    assert lead001["targets"][0]["owner"] == {"id": None, "name": None, "role": "unassigned"}
    assert "owner: unassigned for sales" in run_cli("check", str(plan), "--as-of", "2026-02-02").stdout


OWNED = (
    MINIMAL.replace("    - {id: sales, name: Sales}", "    - {id: sales, name: Sales}\n    - {id: ops, name: Ops}")
    + """\
people:
  - {id: p-ceo, name: Cora Chief, level: executive, function: general_management}
  - {id: p-ops, name: Otto Ops, level: executive, function: operations}
  - {id: p-lead, name: Lena Lead, level: middle_manager, function: sales, division: sales}
  - {id: p-train, name: Tara Train, level: middle_manager, function: hr}
  - {id: p-pm, name: Pia Prog, level: senior_manager, function: it}
  - {id: p-pm-old, name: Olaf Old, level: senior_manager, function: it}
sponsor:
  primary: p-ceo
  authority_over: [sales]
  co_sponsors: [{person: p-ops, authority_over: [ops]}]
leaders:
  - {person: p-lead, division: sales}
training:
  owner: p-train
governance:
  programme_lead_history:
    - {person: p-pm-old, from: 2025-01-01, to: 2025-06-30}
    - {person: p-pm, from: 2025-07-01}
"""
)


@pytest.mark.parametrize(
    ("kinds", "target", "expected"),
    [
        (("leader",), "sales", ("p-lead", "division leader")),
        (("leader",), "ops", (None, "unassigned")),  # no leader named for ops
        (("leader", "sponsor"), "ops", ("p-ops", "co-sponsor")),
        (("sponsor",), "sales", ("p-ceo", "sponsor")),
        (("sponsor",), None, ("p-ceo", "sponsor")),
        (("training_owner",), None, ("p-train", "training owner")),
        (("programme_lead",), None, ("p-pm", "programme lead")),
        (("business_owner", "change_manager"), None, (None, "unassigned")),
    ],
)
def test_owner_kinds_resolve_from_the_plan(kinds: tuple[str, ...], target: str | None, expected: tuple) -> None:
    from readiness.loader import load_text
    from readiness.plan_checks import validate_plan
    from readiness.rules import rule_names
    from readiness.rules.context import Context

    plan = validate_plan(load_text("p.yaml", OWNED), rule_names())
    ctx = Context(plan)
    result = Result("X", "x", "LEAD", "error", "fail", target, (), "m")
    owner = ctx.owner_of(kinds, result)
    assert (owner.id, owner.role) == expected


# CSV --------------------------------------------------------------------------------------------------


def test_csv_holds_one_row_per_action_and_target_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "actions.csv"
    run_cli("check", str(S1), "--as-of", "2026-02-02", "--format", f"csv={out}")
    text = out.read_bytes().decode("utf-8")
    _, plan = plan_json(str(S1), "--as-of", "2026-02-02")
    assert "\r\n" in text and text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    expected = [
        (a["rule"], t["label"], t["owner"]["name"] or "", t["message"]) for a in plan["actions"] for t in a["targets"]
    ]
    assert [(r["rule"], r["target"], r["owner"], r["message"]) for r in rows] == expected
    assert {r["points"] for r in rows if r["rule"] == "LEAD001"} == {"3.2"}


def test_csv_cells_never_become_formulas(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL
        + "people:\n"
        + '  - {id: p-x, name: \'=HYPERLINK("http://evil","x")\', level: senior_manager, function: sales, division: sales}\n'
        + "leaders:\n  - {person: p-x, division: sales, commitment: {signed: false}}\n"
    )
    rows = list(csv.reader(io.StringIO(run_cli("check", str(plan), "--format", "csv").stdout, newline="")))
    owner = rows[0].index("owner")
    assert rows[1][rows[0].index("rule")] == "LEAD001"
    cells = [row[owner] for row in rows[1:] if row[owner]]
    assert cells and all(c.startswith("'=") for c in cells)
    from readiness.render.csv_ import cell

    for hostile in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert cell(hostile) == "'" + hostile
    assert cell("plain") == "plain" and cell(3) == "3"


def test_an_invalid_plan_is_a_row_per_problem_in_csv(tmp_path: Path) -> None:
    plan = tmp_path / "bad.yaml"
    plan.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon"))
    result = run_cli("check", str(plan), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert result.code == 2 and [(r["rule"], r["path"], r["line"]) for r in rows] == [
        ("INVALID", "rollout.go_live", "4")
    ]


# heat map ---------------------------------------------------------------------------------------------


def test_the_heat_map_of_the_seed_plans() -> None:
    _, s1 = plan_json(str(S1), "--as-of", "2026-02-02")
    rows = {
        row["name"]: {c: (v["status"], v["severity"]) for c, v in row["categories"].items()} for row in s1["divisions"]
    }
    assert list(rows) == ["Sales Americas", "Sales EMEA", "Sales Asia-Pacific", "(plan)"]
    assert rows["Sales EMEA"] == {"LEAD": ("fail", "error"), "COMM": ("fail", "warning"), "TRAIN": ("pass", None)}
    assert rows["(plan)"]["LEG"] == ("fail", "error")
    _, north = plan_json(str(NORTHWIND), "--as-of", "2026-02-02")
    by_id = {row["id"]: row["categories"] for row in north["divisions"]}
    assert by_id["wholesale"]["TRAIN"]["status"] == "fail"
    assert by_id[None]["LEG"] == {"status": "waived", "severity": None, "results": by_id[None]["LEG"]["results"]}
    for plan in (s1, north):  # each cell is the worst of the results behind it
        for finding in plan["findings"]:
            for division in finding["divisions"] or [None]:
                cell = next(r for r in plan["divisions"] if r["id"] == division)["categories"][finding["category"]]
                assert ORDER.index((cell["status"], cell["severity"])) <= ORDER.index(
                    (finding["status"], finding["severity"] if finding["status"] == "fail" else None)
                )
    rich = run_cli("check", str(S4), "--as-of", "2026-02-02").stdout
    assert "Divisions (worst result per category)" in rich


ORDER = [("fail", "error"), ("fail", "warning"), ("fail", "info"), ("unknown", None), ("waived", None), ("pass", None)]


def test_points_are_exact_fractions() -> None:
    result = check_plan(str(S1), options())
    assert all(isinstance(a.points, Fraction) for a in result.actions)
