"""Baselines: --write-baseline records what a plan's results cost it, --baseline reports and
gates on the rest. Keyed by plan, rule and target (or path), never by line: a moved block stays
recorded, a new target of a recorded rule is new, and entries that match nothing are stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import MINIMAL, NORTHWIND, run_cli, run_process
from .test_report_schema import validate

AS_OF = ("--as-of", "2026-02-02")


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    (in_tmp / "plans").mkdir()
    (in_tmp / "plans" / "northwind.yaml").write_text(NORTHWIND.read_text())
    (in_tmp / "plans" / "pilot.yaml").write_text(MINIMAL)
    return in_tmp


def check(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", *args, *AS_OF, "--format", "json")
    assert "Traceback" not in result.stderr
    return result.code, json.loads(result.stdout)


def plan_of(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in document["plans"] if p["path"].endswith(name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_writing_a_baseline_then_checking_against_it(repo: Path) -> None:
    assert check("plans")[0] == 1  # the pilot plan is not ready
    code, written = check("plans", "--write-baseline", "baseline.json")
    assert code == 0  # judged by the baseline it writes: nothing is new
    assert plan_of(written, "pilot.yaml")["verdict"] == "not_ready"  # the verdict itself stands
    code, document = check("plans", "--baseline", "baseline.json")
    assert code == 0
    northwind = plan_of(document, "northwind.yaml")
    assert northwind["baseline"] == {"file": "baseline.json", "baselined": 3, "stale": []}
    assert [f["rule"] for f in northwind["findings"]] == ["LEG001"]  # the waived one is not recorded
    assert northwind["summary"] == {"error": 0, "warning": 0, "info": 0, "unknown": 0, "waived": 1}
    pilot = plan_of(document, "pilot.yaml")
    assert (pilot["verdict"], pilot["score"], pilot["exit_code"]) == ("not_ready", 50.0, 0)
    validate(document)  # schema/report-v1.json describes the baseline key
    assert pilot["baseline"]["baselined"] == 40 and pilot["findings"] == []


def test_the_file_is_small_sorted_and_stable(repo: Path) -> None:
    run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json")
    text = (repo / "baseline.json").read_text()
    data = json.loads(text)
    assert data["schema_version"] == 1
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "schema_version": 1,', '  "findings": [']
    entries = lines[3:-2]
    assert all(line.startswith('    {"plan": ') for line in entries)  # one finding per line
    assert '    {"plan": "plans/northwind.yaml", "rule": "INV002", "target": "customer-care"},' in entries
    assert '    {"plan": "plans/northwind.yaml", "rule": "GOV005", "path": "rollout.go_no_go"},' in entries
    assert (
        '    {"plan": "plans/pilot.yaml", "rule": "ADOPT001", "path": "adoption_design", "status": "unknown"},'
        in entries
    )
    keys = [(e["plan"], e["rule"], e.get("target") or "", e.get("path") or "") for e in data["findings"]]
    assert keys == sorted(keys)
    assert '"line"' not in text and '"message"' not in text
    # the same plans give the same bytes, from any directory and however the plans are named
    (repo / "sub").mkdir()
    run_cli("check", "plans/northwind.yaml", "./plans/pilot.yaml", *AS_OF, "--write-baseline", "baseline.json")
    assert (repo / "baseline.json").read_text() == text
    import os

    os.chdir(repo / "sub")
    run_cli("check", "../plans", *AS_OF, "--write-baseline", "../baseline.json")
    assert (repo / "baseline.json").read_text() == text


def test_a_moved_block_keeps_its_findings_recorded(repo: Path) -> None:
    plan = repo / "plans" / "northwind.yaml"
    run_cli("check", str(plan), *AS_OF, "--write-baseline", "baseline.json")
    text = plan.read_text()
    block_start = text.index("champions:\n")
    block_end = text.index("\ncommunications:")
    block = text[block_start:block_end]
    plan.write_text("# reordered\n\n" + text[:block_start] + text[block_end + 1 :] + "\n" + block + "\n")
    code, document = check(str(plan), "--baseline", "baseline.json")
    moved = plan_of(document, "northwind.yaml")
    assert code == 0 and moved["baseline"]["baselined"] == 3 and moved["baseline"]["stale"] == []
    assert [f["rule"] for f in moved["findings"]] == ["LEG001"]
    before = plan_of(check(str(plan), "--isolated")[1], "northwind.yaml")
    assert {f["rule"]: f["line"] for f in before["findings"]}["INV002"] != 41  # it did move


def test_a_new_target_of_a_recorded_rule_is_new(repo: Path) -> None:
    plan = repo / "plans" / "northwind.yaml"
    run_cli("check", str(plan), *AS_OF, "--write-baseline", "baseline.json")
    edit(plan, "{division: wholesale, count: 3,", "{division: wholesale, count: 1,")
    code, document = check(str(plan), "--baseline", "baseline.json")
    northwind = plan_of(document, "northwind.yaml")
    assert [(f["rule"], f["target"], f["status"]) for f in northwind["findings"]] == [
        ("LEG001", "rpt-commission-statement", "waived"),
        ("INV002", "wholesale", "fail"),
    ]
    assert northwind["baseline"]["baselined"] == 3
    assert code == 0  # a warning alone would not make the plan not ready: listed, not blocking
    quiet = run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json", "--quiet")
    assert (
        quiet.stdout
        == f"{plan}: ready (score 93.5, 1 new since the baseline): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
    )


def test_a_new_blocking_finding_fails_the_gate(repo: Path) -> None:
    plan = repo / "plans" / "northwind.yaml"
    run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json")
    text = plan.read_text()
    plan.write_text(text[: text.index("waivers:")])  # the waived LEG001 becomes a live error
    code, document = check("plans", "--baseline", "baseline.json")
    assert code == 1
    northwind = plan_of(document, "northwind.yaml")
    assert [f["rule"] for f in northwind["findings"]] == ["LEG001"] and northwind["exit_code"] == 1
    assert plan_of(document, "pilot.yaml")["exit_code"] == 0  # the other plan has nothing new
    rich = run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json")
    assert "Under the baseline the plan fails: what is new makes it not ready on its own." in " ".join(
        rich.stdout.split()
    )


def test_new_unknowns_count_too(repo: Path) -> None:
    plan = repo / "plans" / "northwind.yaml"
    run_cli("check", str(plan), *AS_OF, "--write-baseline", "baseline.json")
    text = plan.read_text()
    start, end = text.index("communications:\n"), text.index("\ntraining:")
    plan.write_text(text[:start] + text[end + 1 :])  # no communications: six rules cannot be judged
    code, document = check(str(plan), "--baseline", "baseline.json")
    northwind = plan_of(document, "northwind.yaml")
    unknown = [f["rule"] for f in northwind["findings"] if f["status"] == "unknown"]
    assert {"COMM001", "COMM005", "CUST001"} <= set(unknown)
    assert northwind["summary"]["unknown"] == len(unknown)
    assert code == 0  # recorded or not, half credit for a few rules keeps the plan above 80


def test_stale_entries_are_listed(repo: Path) -> None:
    plan = repo / "plans" / "northwind.yaml"
    run_cli("check", str(plan), *AS_OF, "--write-baseline", "baseline.json")
    edit(plan, "{division: customer-care, count: 3,", "{division: customer-care, count: 5,")  # INV002 fixed
    code, document = check(str(plan), "--baseline", "baseline.json")
    northwind = plan_of(document, "northwind.yaml")
    assert code == 0 and northwind["baseline"]["baselined"] == 2
    assert northwind["baseline"]["stale"] == [
        {"rule": "INV002", "target": "customer-care", "path": None, "status": "fail", "count": 1}
    ]
    validate(document)
    rich = " ".join(run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json").stdout.split())
    assert (
        "Baseline baseline.json: 2 recorded results not shown; 1 entry no longer matches: INV002 customer-care." in rich
    )
    markdown = run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json", "--format", "markdown").stdout
    assert "1 entry no longer matches: INV002 customer-care." in " ".join(markdown.split())
    html = run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json", "--format", "html").stdout
    assert "1 entry no longer matches: INV002 customer-care." in " ".join(html.split())
    # rewriting the file tidies it
    run_cli("check", str(plan), *AS_OF, "--write-baseline", "baseline.json")
    assert "INV002" not in (repo / "baseline.json").read_text()


def test_rewriting_keeps_other_plans_and_drops_deleted_ones(repo: Path) -> None:
    run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json")
    pilot = [e for e in json.loads((repo / "baseline.json").read_text())["findings"] if e["plan"] == "plans/pilot.yaml"]
    edit(
        repo / "plans" / "northwind.yaml", "{division: customer-care, count: 3,", "{division: customer-care, count: 5,"
    )
    run_cli("check", "plans/northwind.yaml", *AS_OF, "--write-baseline", "baseline.json")
    entries = json.loads((repo / "baseline.json").read_text())["findings"]
    assert [e for e in entries if e["plan"] == "plans/pilot.yaml"] == pilot
    assert not any(e.get("target") == "customer-care" for e in entries)
    (repo / "plans" / "pilot.yaml").unlink()
    run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json")
    assert {e["plan"] for e in json.loads((repo / "baseline.json").read_text())["findings"]} == {"plans/northwind.yaml"}


def test_an_invalid_plan_keeps_its_entries_and_its_exit_code(repo: Path) -> None:
    run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json")
    before = (repo / "baseline.json").read_text()
    (repo / "plans" / "pilot.yaml").write_text("schema_version: 2\n")
    result = run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json", "--quiet")
    assert result.code == 2
    assert (repo / "baseline.json").read_text() == before
    assert run_cli("check", "plans", *AS_OF, "--baseline", "baseline.json").code == 2


def test_a_bad_baseline_is_a_positioned_error(repo: Path) -> None:
    (repo / "baseline.json").write_text(
        '{\n  "schema_version": 2,\n  "findings": [\n    {"plan": "plans/a.yaml", "rul": "INV002", "target": "x"},\n'
        '    {"plan": "plans/a.yaml", "rule": "INV002"}\n  ]\n}\n'
    )
    result = run_cli("check", "plans", "--baseline", "baseline.json")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        (
            "baseline.json:2:21: error: schema_version: unsupported schema_version '2' (this tool reads format 1: "
            "write schema_version: 1)"
        ),
        "baseline.json:4:5: error: findings[0].rule: required field is missing",
        "baseline.json:4:30: error: findings[0].rul: unknown key 'rul' (did you mean 'rule'?)",
    ]
    (repo / "baseline.json").write_text('{"schema_version": 1, "findings": [{"plan": "p", "rule": "R"}]}\n')
    assert "give either target or path" in run_cli("check", "plans", "--baseline", "baseline.json").stderr
    missing = run_cli("check", "plans", "--baseline", "nothing.json")
    assert (missing.code, missing.stderr) == (
        2,
        "readiness: error: --baseline nothing.json: no such file; record one with --write-baseline nothing.json\n",
    )
    (repo / "notes.json").write_text('{"mine": true}\n')
    refused = run_cli("check", "plans", *AS_OF, "--write-baseline", "notes.json")
    assert refused.code == 2 and "not a baseline, so not replaced" in refused.stderr
    assert (repo / "notes.json").read_text() == '{"mine": true}\n'


def test_bad_calls(repo: Path) -> None:
    both = run_cli("check", "plans", "--baseline", "a.json", "--write-baseline", "b.json")
    assert both.code == 2 and "cannot be combined" in both.stderr
    clobber = run_cli("check", "plans", "--write-baseline", "plans/pilot.yaml")
    assert clobber.code == 2 and "would overwrite the plan" in clobber.stderr
    assert (repo / "plans" / "pilot.yaml").read_text() == MINIMAL
    run_cli("check", "plans", *AS_OF, "--write-baseline", "baseline.json")
    report = run_cli("check", "plans", "--baseline", "baseline.json", "--format", "json=baseline.json")
    assert report.code == 2 and "which the run reads" in report.stderr


def test_the_configuration_names_the_baseline(repo: Path) -> None:
    (repo / "ci").mkdir()
    run_cli("check", "plans", *AS_OF, "--write-baseline", "ci/baseline.json")
    assert '"plan": "../plans/pilot.yaml"' in (repo / "ci" / "baseline.json").read_text()  # relative to the file
    (repo / "readiness.toml").write_text('baseline = "ci/baseline.json"\nplans = ["plans"]\nas-of = 2026-02-02\n')
    result = run_cli("check", "--quiet")
    assert result.code == 0 and "nothing new since the baseline" in result.stdout
    assert run_cli("check", "--quiet", "--isolated", "plans", *AS_OF).code == 1


def test_other_formats_report_only_what_is_new(repo: Path) -> None:
    plan = repo / "plans" / "pilot.yaml"
    run_cli("check", str(plan), *AS_OF, "--write-baseline", "baseline.json")
    junit = run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json", "--format", "junit")
    assert junit.code == 0 and 'failures="0"' in junit.stdout.split("\n")[1]
    assert "nothing new since the baseline" in junit.stdout
    quality = run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json", "--format", "codequality")
    assert json.loads(quality.stdout) == []
    sarif = json.loads(run_cli("check", str(plan), *AS_OF, "--baseline", "baseline.json", "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"] == []


def test_baseline_through_the_console_process(repo: Path) -> None:
    done = run_process("check", "plans", *AS_OF, "--write-baseline", "baseline.json", cwd=repo)
    assert done.code == 0, done.stderr
    done = run_process("check", "plans", *AS_OF, "--baseline", "baseline.json", "--quiet", cwd=repo)
    assert (done.code, done.stderr) == (0, "")
    assert done.stdout == (
        "plans/northwind.yaml: ready (score 93.5, nothing new since the baseline): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
        "plans/pilot.yaml: not_ready (score 50.0, nothing new since the baseline): score 50.0 is below the pass score 80\n"
    )
    text = (repo / "plans" / "northwind.yaml").read_text()
    (repo / "plans" / "northwind.yaml").write_text(text[: text.index("waivers:")])
    done = run_process("check", "plans", *AS_OF, "--baseline", "baseline.json", "--quiet", cwd=repo)
    assert done.code == 1 and "plans/northwind.yaml: not_ready (score 90.3, 1 new since the baseline)" in done.stdout
