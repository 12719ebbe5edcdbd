"""Rubrics (rubrics.md): the worked examples of §6.1 and §7, extends, command-line policy flags,
and one rubric error per class of §9 with its position."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from readiness.wording import round1

from .conftest import MINIMAL, NORTHWIND, run_cli

ROLES = (
    MINIMAL
    + """\
adoption_design:
  roles:
    - {id: role-field-rep, name: Field rep, function: sales, level: frontline,
       automations: [email_capture], cross_department_data: []}
    - {id: role-inside-rep, name: Inside rep, function: sales, level: frontline,
       automations: [email_capture, calendar_sync]}
    - {id: role-agent, name: Agent, function: service, level: frontline}
"""
)

EU_RUBRIC = """\
name: northwind-eu
description: Northwind policy for EU subsidiaries.
extends: default
custom_rules:
  - id: XEU001
    name: works-council-consulted-late
    title: Works council not consulted in time
    severity: error
    category: GOV
    require:
      - {path: '"x-works-council".consulted_on', exists: true}
      - {path: '"x-works-council".consulted_on', before: {date_of: rollout.go_live, days: 60}}
    message: "The works council must be consulted at least 60 days before go-live: {failed}."
    remediation: Schedule the works-council consultation before the design is frozen.
"""


def check_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = run_cli("check", *args, "--format", "json")
    return result.code, (json.loads(result.stdout) if result.stdout else {}), result.stderr


def plan_of(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["plans"][0]  # type: ignore[no-any-return]


# §6.1 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rubric", "code", "verdict", "score"),
    [("default", 0, "ready", 93.5), ("strict", 1, "not_ready", 93.5), ("sales-led", 0, "ready", 94.4)],
)
def test_northwind_under_each_built_in_rubric(rubric: str, code: int, verdict: str, score: float) -> None:
    got, doc, err = check_json(str(NORTHWIND), "--as-of", "2026-02-02", "--rubric", rubric)
    plan = plan_of(doc)
    assert (got, plan["verdict"], plan["score"], err) == (code, verdict, score, "")
    assert doc["rubric"]["name"] == rubric


def test_sales_led_weights_and_custom_rule_pass_on_northwind() -> None:
    _, doc, _ = check_json(str(NORTHWIND), "--as-of", "2026-02-02", "--rubric", "sales-led")
    categories = {c["id"]: c for c in plan_of(doc)["categories"]}
    assert categories["ADOPT"] == {"id": "ADOPT", "score": 100.0, "pass": 4, "fail": 0, "unknown": 0, "waived": 0}
    assert not [f for f in plan_of(doc)["findings"] if f["rule"] == "XSAL001"]


# §7.5 and §7.6 ----------------------------------------------------------------------------------------


def test_custom_rule_per_target_example(tmp_path: Path) -> None:
    plan = tmp_path / "roles.yaml"
    plan.write_text(ROLES)
    _, doc, _ = check_json(str(plan), "--rubric", "sales-led", "--select", "XSAL001")
    found = [(f["target"], f["status"], f["severity"], f["path"], f["message"]) for f in plan_of(doc)["findings"]]
    assert found == [
        (
            "role-field-rep",
            "fail",
            "warning",
            "adoption_design.roles[0].automations",
            (
                "Sales role role-field-rep (Field rep) needs more automation: automations has 1 item (at least 2); "
                "cross_department_data is empty."
            ),
        ),
        (
            "role-inside-rep",
            "fail",
            "warning",
            "adoption_design.roles[1].cross_department_data",
            "Sales role role-inside-rep (Inside rep) needs more automation: cross_department_data is absent.",
        ),
    ]


@pytest.mark.parametrize(
    ("council", "message", "line"),
    [
        (
            "{consulted_on: 2026-04-20, opinion: pending}",
            '"x-works-council".consulted_on 2026-04-20 is not on or before 2026-04-02',
            3,
        ),
        (None, '"x-works-council".consulted_on is absent', None),
        ("null", '"x-works-council".consulted_on is null; "x-works-council".consulted_on is null', 3),
    ],
)
def test_custom_rule_on_an_extension_key(tmp_path: Path, council: str | None, message: str, line: int | None) -> None:
    rubric = tmp_path / "northwind-eu.yaml"
    rubric.write_text(EU_RUBRIC)
    plan = tmp_path / "plan.yaml"
    text = NORTHWIND.read_text()
    if council is not None:
        text = text.replace("schema_version: 1\n", f"schema_version: 1\nx-works-council: {council}\n")
    plan.write_text(text)
    code, doc, _ = check_json(str(plan), "--rubric", str(rubric), "--as-of", "2026-02-02")
    xeu = [f for f in plan_of(doc)["findings"] if f["rule"] == "XEU001"]
    assert code == 1 and plan_of(doc)["verdict"] == "not_ready"
    assert len(xeu) == 1
    f = xeu[0]
    assert (f["target"], f["severity"], f["status"], f["line"]) == (None, "error", "fail", line)
    assert f["path"] == "x-works-council.consulted_on"  # the whole chain, even where a step is null
    assert f["message"] == f"The works council must be consulted at least 60 days before go-live: {message}."
    assert f["remediation"] == "Schedule the works-council consultation before the design is frozen."


def test_a_custom_rule_declares_its_question_and_who_acts(tmp_path: Path) -> None:
    rubric = tmp_path / "eu.yaml"
    rubric.write_text(
        EU_RUBRIC
        + "    question: When is the works council consulted?\n"
        + "    owner: [change_manager, business_owner]\n"
    )
    _, doc, _ = check_json(str(NORTHWIND), "--rubric", str(rubric), "--as-of", "2026-02-02")
    (xeu,) = [f for f in plan_of(doc)["findings"] if f["rule"] == "XEU001"]
    assert xeu["owner"] == {"id": "p-cm", "name": "Marcus Hale", "role": "change manager"}
    explained = run_cli("explain", "XEU001", "--rubric", str(rubric)).stdout
    assert "When is the works council consulted?" in explained
    rubric.write_text(EU_RUBRIC + "    owner: [nobody]\n")
    result = run_cli("check", str(NORTHWIND), "--rubric", str(rubric))
    assert result.code == 2 and "custom_rules[0].owner[0]" in result.stderr


def test_custom_rule_selecting_nothing_passes_and_absent_section_is_unknown(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    _, doc, _ = check_json(str(plan), "--rubric", "sales-led", "--select", "XSAL001")
    assert plan_of(doc)["findings"] == [
        {
            "rule": "XSAL001",
            "slug": "sales-role-without-automation",
            "category": "ADOPT",
            "severity": "warning",
            "status": "unknown",
            "target": None,
            "path": "",
            "line": 1,
            "column": 1,
            "message": "cannot evaluate: adoption_design.roles[?function=='sales'] is absent",
            "remediation": "Give every sales role at least two automations (email and calendar capture, data "
            "enrichment) and data it could not see before, such as credit standing or open cases.",
            "owner": {"id": None, "name": None, "role": "unassigned"},
            "due": None,
            "divisions": [],
            "question": None,
            "waiver": None,
        }
    ]
    plan.write_text(MINIMAL + "adoption_design: {roles: []}\n")
    _, doc, _ = check_json(str(plan), "--rubric", "sales-led", "--select", "XSAL001")
    assert plan_of(doc)["findings"] == []


def test_evaluation_time_rubric_error_is_an_error_entry_for_that_plan(tmp_path: Path) -> None:
    rubric = tmp_path / "bomb.yaml"
    rubric.write_text(
        "name: bomb\ncustom_rules:\n  - id: XBAD001\n    name: bomb\n    severity: info\n    category: GOV\n"
        '    for_each: "adoption_design.roles|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]'
        '|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]|[@,@][]"\n'
        "    require: [{path: id, exists: true}]\n    message: m\n    remediation: r\n"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    code, doc, err = check_json(str(plan), str(NORTHWIND), "--rubric", str(rubric), "--as-of", "2026-02-02")
    assert code == 2
    bad = next(p for p in doc["plans"] if p["path"].endswith("northwind.yaml"))
    assert bad["verdict"] is None and bad["exit_code"] == 2 and "findings" not in bad
    expected = (
        f"{rubric}:7:15: error: custom_rules[0].for_each: the expression builds more than 1000000 items "
        f"(plan {NORTHWIND})"
    )
    assert bad["error"]["message"] == expected and err == expected + "\n"
    good = next(p for p in doc["plans"] if p["path"].endswith("plan.yaml"))  # no roles: nothing to multiply
    assert good["verdict"] == "not_ready" and good["exit_code"] == 1


def test_custom_results_are_waived_by_id(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ROLES + "waivers:\n  - {rule: XSAL001, target: role-field-rep, reason: r, owner: o, expires: 2026-12-31}\n"
    )
    _, doc, _ = check_json(str(plan), "--rubric", "sales-led", "--select", "XSAL001", "--as-of", "2026-02-02")
    statuses = {f["target"]: f["status"] for f in plan_of(doc)["findings"]}
    assert statuses == {"role-field-rep": "waived", "role-inside-rep": "fail"}
    _, doc, _ = check_json(str(plan), "--as-of", "2026-02-02")  # default rubric: no XSAL001
    assert plan_of(doc)["waivers"][0]["state"] == "inactive"


# extends ----------------------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_extends_chain_merges_settings_per_entry(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.yaml",
        "name: base\nextends: strict\nrules:\n  INV002: {severity: error, options: {max_users_per_champion: 25}}\n",
    )
    child = write(
        tmp_path,
        "child.yaml",
        "name: child\nextends: ./base.yaml\nrules:\n  thin-champion-coverage: "
        "{weight: 5}\ncategories:\n  TIME: {enabled: false}\n",
    )
    code, doc, _ = check_json(str(NORTHWIND), "--rubric", str(child), "--as-of", "2026-02-02")
    plan = plan_of(doc)
    assert doc["rubric"]["fail_on"] == "warning" and doc["rubric"]["pass_score"] == 90  # from strict
    assert not [f for f in plan["findings"] if f["rule"] == "INV002"]  # 85/4 = 21.25 is within 25
    assert next(c for c in plan["categories"] if c["id"] == "TIME")["score"] is None
    assert code == 1  # TRAIN002 is still a blocking warning under strict


def test_extends_cycle_and_missing_parent_are_errors(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "name: a\nextends: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    result = run_cli("check", str(NORTHWIND), "--rubric", str(a))
    assert result.code == 2 and result.stdout == ""
    assert "extends cycle" in result.stderr and result.stderr.count("\n") == 1
    missing = write(tmp_path, "m.yaml", "name: m\nextends: nowhere.yaml\n")
    result = run_cli("check", str(NORTHWIND), "--rubric", str(missing))
    assert (result.code, result.stderr) == (2, f"{tmp_path / 'nowhere.yaml'}: error: no such file\n")
    unknown = write(tmp_path, "u.yaml", "name: u\nextends: strickt\n")
    result = run_cli("check", str(NORTHWIND), "--rubric", str(unknown))
    assert (result.code, result.stderr) == (
        2,
        f"{unknown}:2:10: error: extends: unknown rubric 'strickt' (did you mean 'strict'?)\n",
    )


def test_extends_chain_longer_than_eight_files(tmp_path: Path) -> None:
    for n in range(10):
        write(tmp_path, f"r{n}.yaml", f"name: r{n}\n" + (f"extends: r{n + 1}.yaml\n" if n < 9 else ""))
    result = run_cli("check", str(NORTHWIND), "--rubric", str(tmp_path / "r0.yaml"))
    assert result.code == 2 and "extends chain longer than 8 files" in result.stderr


# command-line policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "code", "verdict"),
    [
        ([], 0, "ready"),
        (["--fail-on", "warning"], 1, "not_ready"),
        (["--fail-on", "info"], 1, "not_ready"),
        (["--rubric", "strict", "--fail-on", "never"], 0, "ready"),
        (["--min-score", "95"], 1, "not_ready"),
        (["--min-score", "93.5"], 0, "ready"),
        (["--no-waivers"], 1, "not_ready"),
        (["--ignore", "LEG001", "--no-waivers"], 0, "ready"),
        (["--select", "INV,TRAIN", "--fail-on", "warning"], 1, "not_ready"),
        (["--select", "LEAD", "--fail-on", "warning"], 0, "ready"),
        (["--select", "inv,Train", "--fail-on", "warning"], 1, "not_ready"),
        (["--ignore", "leg001", "--no-waivers"], 0, "ready"),
    ],
)
def test_policy_flags_change_verdict_and_exit_code(flags: list[str], code: int, verdict: str) -> None:
    got, doc, _ = check_json(str(NORTHWIND), "--as-of", "2026-02-02", *flags)
    assert (got, plan_of(doc)["verdict"]) == (code, verdict)


@pytest.mark.parametrize("code", ["thin-champion-coverage", "Thin-Champion-Coverage", "INV002", "inv002"])
def test_select_narrows_scoring_and_keeps_plan_rules(code: str) -> None:
    _, doc, _ = check_json(str(NORTHWIND), "--as-of", "2027-01-01", "--select", code)
    plan = plan_of(doc)
    assert {f["rule"] for f in plan["findings"]} == {"INV002", "PLAN002"}  # IDs as the catalogue spells them
    assert plan["score"] == 0.0  # the only scored rule fails
    assert [c["id"] for c in plan["categories"] if c["score"] is not None] == ["INV"]


def test_exit_zero_only_maps_not_ready() -> None:
    assert run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--fail-on", "info", "--exit-zero").code == 0
    assert run_cli("check", "nope.yaml", "--exit-zero").code == 2


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--select", "LEAD009"], "'LEAD009' matches no rule (did you mean 'LEAD005'?)"),
        (["--select", "LEAD999"], "'LEAD999' matches no rule (did you mean 'LEAD005'?)"),
        (["--select", "lead009"], "'lead009' matches no rule (did you mean 'LEAD005'?)"),
        (["--ignore", "TRAIN9"], "'TRAIN9' matches no rule (did you mean 'TRAIN004'?)"),
        (["--select", "leader-without-commitmnt"], "(did you mean 'leader-without-commitment'?)"),
        (["--ignore", "XYZ001"], "'XYZ001' matches no rule; `readiness rules` lists the IDs and names"),
        (["--ignore", "ZZZ"], "'ZZZ' matches no rule"),
        (["--rubric", "strickt"], "unknown rubric 'strickt' (did you mean 'strict'?)"),
        (["--fail-on", "critical"], "--fail-on: expected error, warning, info or never, got 'critical'"),
        (["--min-score", "101"], "--min-score: expected a number from 0 to 100, got '101'"),
    ],
)
def test_unknown_names_are_usage_errors_with_hints(flags: list[str], message: str) -> None:
    result = run_cli("check", str(NORTHWIND), *flags)
    assert (result.code, result.stdout) == (2, "")
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_statistics_and_quiet(tmp_path: Path) -> None:
    stats = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--statistics")
    assert stats.code == 0
    rows = stats.stdout.splitlines()
    assert " live waived unknown  rule" in rows
    assert [r.split()[-2] for r in rows[rows.index(" live waived unknown  rule") + 1 :]] == [
        "GOV005",
        "INV002",
        "TRAIN002",
        "LEG001",
    ]
    assert "fix:" not in stats.stdout
    quiet = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--quiet")
    line = f"{NORTHWIND}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
    assert (quiet.code, quiet.stdout) == (0, line)
    out = tmp_path / "r.json"
    quiet = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--quiet", "--format", f"json={out}")
    assert quiet.stdout == line and json.loads(out.read_text())["plans"]


def test_rubrics_command_lists_what_each_changes() -> None:
    out = run_cli("rubrics").stdout
    assert "sales-led: pass_score 80, fail_on error" in out
    assert "adoption design counts double" in out


# rubric errors (§9), each with its position -------------------------------------------------------


def at(text: str, line: int, needle: str) -> str:
    return f"{line}:{text.splitlines()[line - 1].index(needle) + 1}"


CUSTOM = (
    "name: r\ncustom_rules:\n  - id: XORG001\n    name: org-check\n    severity: warning\n    category: GOV\n"
    "    message: 'Check {target}: {failed}.'\n    remediation: Fix it.\n"
)

RUBRIC_ERRORS = [
    ("yaml", "name: r\nfail_on: [error\n", "3:1", "invalid YAML: "),  # libyaml's own wording varies
    ("duplicate-key", "name: r\nname: s\n", (2, "name"), "duplicate key 'name' (first defined on line 1)"),
    ("tag", "name: !!str r\n", (1, "!!str"), "explicit tag '!!str' is not allowed"),
    (
        "unknown-key",
        "name: r\npass_scor: 80\n",
        (2, "pass_scor"),
        "pass_scor: unknown key 'pass_scor' (did you mean 'pass_score'?)",
    ),
    ("range", "name: r\npass_score: 120\n", (2, "120"), "pass_score: 120 is above the maximum 100"),
    ("yaml11", "name: r\nwaivers: no\n", (2, "no"), "waivers: 'no' is not one of: allowed, forbidden"),
    (
        "unknown-rule",
        "name: r\nrules:\n  LEAD010: {severity: info}\n",
        (3, "LEAD010"),
        "rules.LEAD010: unknown rule 'LEAD010' (did you mean 'LEAD005'?)",
    ),
    (
        "rule-twice",
        "name: r\nrules:\n  LEAD001: {severity: info}\n  leader-without-commitment: {weight: 1}\n",
        (4, "leader"),
        "rule LEAD001 is configured twice (also as 'LEAD001')",
    ),
    (
        "rule-in-lower-case",
        "name: r\nrules:\n  lead001: {severity: info}\n",
        (3, "lead001"),
        "rules.lead001: unknown rule 'lead001' (did you mean 'LEAD001'?)",
    ),
    (
        "rules-not-a-mapping",
        "name: r\nrules: LEAD001\n",
        (2, "LEAD001"),
        (
            "rules: expected a mapping of names to mappings, each with optional enabled, severity, weight and options, "
            "got 'LEAD001'"
        ),
    ),
    (
        "custom-rule-require-not-a-list",
        CUSTOM + "    require: {path: a, exists: true}\n",
        (9, "{path"),
        (
            "custom_rules[0].require: expected a list of mappings, each with path and optional exists, not_empty, "
            "equals, in and 5 more, got a mapping"
        ),
    ),
    (
        "unknown-option",
        "name: r\nrules:\n  LEAD001: {options: {lead_dayz: 3}}\n",
        (3, "lead_dayz"),
        "rules.LEAD001.options.lead_dayz: unknown key 'lead_dayz' (did you mean 'lead_days'?)",
    ),
    (
        "ill-typed-option",
        "name: r\nrules:\n  LEAD004: {options: {leader_levels: [manager]}}\n",
        (3, "manager"),
        "rules.LEAD004.options.leader_levels[0]: 'manager' is not one of: executive",
    ),
    (
        "plan-weight",
        "name: r\nrules:\n  PLAN001: {weight: 2}\n",
        (3, "weight"),
        "PLAN rules are not scored and take only enabled and severity",
    ),
    ("unknown-category", "name: r\ncategories:\n  LEADS: {enabled: false}\n", (3, "LEADS"), "unknown category 'LEADS'"),
    (
        "plan-category",
        "name: r\ncategories:\n  PLAN: {enabled: false}\n",
        (3, "PLAN"),
        "PLAN cannot be configured as a category",
    ),
    (
        "custom-bad-id",
        CUSTOM.replace("XORG001", "ORG001") + "    require: [{path: a, exists: true}]\n",
        (3, "ORG001"),
        "malformed custom rule id 'ORG001'",
    ),
    (
        "custom-slug-taken",
        CUSTOM.replace("org-check", "no-change-manager") + "    require: [{path: a, exists: true}]\n",
        (4, "no-change"),
        "name 'no-change-manager' is already used by rule GOV003",
    ),
    ("custom-missing-field", CUSTOM, (3, "id"), "custom_rules[0].require: required field is missing"),
    (
        "custom-bad-jmespath",
        CUSTOM + "    for_each: 'roles[?'\n    require: [{path: a, exists: true}]\n",
        (9, "'roles"),
        "custom_rules[0].for_each: invalid JMESPath",
    ),
    (
        "custom-long",
        CUSTOM + f"    for_each: '{'a.' * 130}b'\n    require: [{{path: a, exists: true}}]\n",
        (9, "'a.a"),
        "over the limit of 256",
    ),
    (
        "custom-function",
        CUSTOM + "    for_each: 'eval(@)'\n    require: [{path: a, exists: true}]\n",
        (9, "'eval"),
        "unknown function eval() (JMESPath built-ins only)",
    ),
    (
        "custom-arity",
        CUSTOM + "    require: [{path: 'length(a, b)', exists: true}]\n",
        (9, "'length"),
        "length() takes 1 argument, not 2",
    ),
    (
        "custom-arity-plural",
        CUSTOM + "    require: [{path: 'contains(a)', exists: true}]\n",
        (9, "'contains"),
        "contains() takes 2 arguments, not 1",
    ),
    (
        "custom-two-operators",
        CUSTOM + "    require: [{path: a, exists: true, min: 3}]\n",
        (9, "{path"),
        "a condition needs exactly one operator",
    ),
    (
        "custom-null-equals",
        CUSTOM + "    require: [{path: a, equals: null}]\n",
        (9, "null"),
        "equals takes a string, number or boolean",
    ),
    (
        "custom-placeholder",
        CUSTOM.replace("{target}", "{target.__class__}") + "    require: [{path: a, exists: true}]\n",
        (7, "'Check"),
        "unknown placeholder {target.__class__}",
    ),
    (
        "custom-options",
        CUSTOM + "    require: [{path: a, exists: true}]\nrules:\n  XORG001: {options: {x: 1}}\n",
        (11, "options"),
        "custom rules take enabled, severity and weight, not options",
    ),
]


@pytest.mark.parametrize(("case", "text", "where", "message"), RUBRIC_ERRORS, ids=[c[0] for c in RUBRIC_ERRORS])
def test_rubric_error_with_position(tmp_path: Path, case: str, text: str, where: Any, message: str) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(text)
    out = tmp_path / "report.json"
    result = run_cli("check", str(NORTHWIND), "--rubric", str(rubric), "--format", f"json={out}")
    assert (result.code, result.stdout) == (2, "")
    assert not out.exists()
    first = result.stderr.splitlines()[0]
    position = f"{where}:" if isinstance(where, str) else f"{at(text, *where)}:"
    assert first.startswith(f"{rubric}:{position} error: "), first
    assert ": error: " in first and message in first, first
    assert "Traceback" not in result.stderr


def test_rules_and_explain_under_a_rubric() -> None:
    listing = json.loads(run_cli("rules", "--rubric", "sales-led", "--format", "json").stdout)
    assert listing[-1] == {
        "id": "XSAL001",
        "slug": "sales-role-without-automation",
        "category": "ADOPT",
        "severity": "warning",
        "title": "Sales role lacks automation or cross-department data",
        "effective_severity": "warning",
        "enabled": True,
        "custom": True,
    }
    strict = json.loads(run_cli("rules", "--rubric", "strict", "--format", "json").stdout)
    assert len(strict) == 43
    table = run_cli("rules", "--rubric", "sales-led").stdout
    assert "XSAL001" in table and not [line for line in table.splitlines() if line.endswith(" ")]
    explained = run_cli("explain", "data-entry-burden", "--rubric", "sales-led")
    assert explained.code == 0
    assert "max_manual_fields = 12 (default 15)  (heuristic)" in explained.stdout
    custom = run_cli("explain", "sales-role-without-automation", "--rubric", "sales-led")
    assert custom.code == 0 and "for each: adoption_design.roles[?function=='sales']" in custom.stdout
    assert run_cli("explain", "XSAL001").code == 2  # only its rubric defines it
    bad = run_cli("rules", "--rubric", "nope")
    assert (bad.code, bad.stdout) == (2, "") and "unknown rubric 'nope'" in bad.stderr


def test_max_waivers_leaves_later_waivers_over_the_limit(tmp_path: Path) -> None:
    rubric = write(tmp_path, "one.yaml", "name: one-waiver\nmax_waivers: 1\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL + "champions: []\nsupport: {hypercare: null}\nwaivers:\n"
        "  - {rule: INV001, reason: r, owner: o, expires: 2026-12-31}\n"
        "  - {rule: TRAIN004, reason: r, owner: o, expires: 2026-12-31}\n"
    )
    _, doc, _ = check_json(str(plan), "--rubric", str(rubric), "--as-of", "2026-02-02")
    p = plan_of(doc)
    assert [w["state"] for w in p["waivers"]] == ["applied", "over_limit"]
    statuses = {f["rule"]: f["status"] for f in p["findings"] if f["rule"] in ("INV001", "TRAIN004")}
    assert statuses == {"INV001": "waived", "TRAIN004": "fail"}
    assert doc["rubric"]["max_waivers"] == 1


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(85, 4), "21.3"),  # 21.25: half goes away from zero
        (Fraction(-85, 4), "-21.3"),
        (Fraction(2124999, 100000), "21.2"),
        (Fraction(1, 20), "0.1"),
        (Fraction(-1, 40), "0.0"),  # -0.025 rounds to zero, shown without a sign
        (Fraction(2, 3), "0.7"),
        (Decimal("2.25"), "2.3"),
        (Decimal("79.95"), "80.0"),
        (100, "100.0"),
        (0, "0.0"),
    ],
)
def test_scores_round_to_one_decimal_half_away_from_zero(value: Fraction | Decimal | int, shown: str) -> None:
    """rubrics.md §5: computed exactly, so 79.95 can never slip to 79.9 through binary floats."""
    assert str(round1(value)) == shown


def test_where_the_rules_added_after_v1_sit_in_the_built_in_rubrics() -> None:
    """docs/rubrics.md's table: strict keeps the new rules' severities (its fail_on: warning
    blocks on each) and wants one accountable executive over co-sponsors; sales-led keeps every
    new rule as default has it."""
    from readiness.rubric import load_rubric

    default, strict, sales = (load_rubric(name) for name in ("default", "strict", "sales-led"))
    new = ("GOV006", "GOV007", "TIME005", "TRAIN005")
    assert [default.rules[r].severity for r in new] == ["error", "warning", "warning", "warning"]
    assert [strict.rules[r].severity for r in new] == [default.rules[r].severity for r in new]
    assert strict.fail_on == "warning"
    assert [sales.rules[r].severity for r in new] == [default.rules[r].severity for r in new]
    assert all(strict.runs(r) and sales.runs(r) for r in new)
    single = [rubric.rules["LEAD002"].options.single_accountable for rubric in (default, strict, sales)]
    assert single == [False, True, False]
