"""Formats for CI systems and the ways they are chosen: GitLab Code Quality checked against
GitLab's documented structure, ``-o FILE`` telling the format by the file's extension, and the
GitHub format chosen by itself on GitHub Actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .conftest import EXAMPLES, MINIMAL, NORTHWIND, ROOT, run_cli, run_process

SCHEMAS = Path(__file__).parent / "schemas"


def codequality_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / "gitlab-codequality.json").read_text())
    return schema


def codequality(*args: str) -> list[dict[str, Any]]:
    result = run_cli("check", *args, "--as-of", "2026-02-02", "--format", "codequality")
    assert result.code in (0, 1, 2) and "Traceback" not in result.stderr
    issues: list[dict[str, Any]] = json.loads(result.stdout)
    jsonschema.Draft202012Validator(codequality_schema()).validate(issues)
    return issues


def test_the_gitlab_schema_is_a_valid_schema_and_rejects_what_gitlab_would() -> None:
    schema = codequality_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = {
        "description": "d",
        "check_name": "c",
        "fingerprint": "f",
        "severity": "minor",
        "location": {"path": "a.yaml", "lines": {"begin": 1}},
    }
    assert validator.is_valid([good])
    assert not validator.is_valid(good)  # an array, not an object
    assert not validator.is_valid([{**good, "severity": "warning"}])
    assert not validator.is_valid([{**good, "location": {"path": "./a.yaml", "lines": {"begin": 1}}}])
    assert not validator.is_valid([{**good, "location": {"path": "a.yaml"}}])
    assert not validator.is_valid([{k: v for k, v in good.items() if k != "fingerprint"}])


def test_codequality_lists_live_findings_with_gitlab_severities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    issues = codequality("examples/northwind.yaml")
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("INV002", "minor", 45),
        ("GOV005", "info", 30),
        ("TRAIN002", "minor", 146),
    ]  # the waived LEG001 is not there: GitLab has no place for accepted findings
    assert {i["location"]["path"] for i in issues} == {"examples/northwind.yaml"}
    assert issues[0]["description"].startswith("customer-care (Customer Care): 85 people share 4 champions")


def test_every_plan_of_a_call_is_in_one_array_with_unique_fingerprints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    issues = codequality(*(f"examples/{p.name}" for p in sorted(EXAMPLES.glob("*.yaml"))))
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(fingerprints) == len(set(fingerprints)) > 10
    assert "major" in {i["severity"] for i in issues}


def test_fingerprints_hold_across_runs_and_line_moves(in_tmp: Path) -> None:
    plan = in_tmp / "plan.yaml"
    plan.write_text(NORTHWIND.read_text())
    before = codequality(str(plan))
    assert before == codequality(str(plan))
    # the same plan with its sections in another order and lines inserted: every line moves
    text = NORTHWIND.read_text()
    head, _, rest = text.partition("\norganisation:")
    plan.write_text("# moved about\n\n\n" + "organisation:" + rest.rstrip("\n") + "\n" + head.lstrip("\n") + "\n")
    after = codequality(str(plan))
    assert {i["fingerprint"] for i in after} == {i["fingerprint"] for i in before}
    assert [i["location"]["lines"]["begin"] for i in after] != [i["location"]["lines"]["begin"] for i in before]
    # a finding on another target is another finding
    plan.write_text(text.replace("customer-care", "care-desk"))
    changed = {i["check_name"]: i["fingerprint"] for i in codequality(str(plan))}
    assert changed["INV002"] != {i["check_name"]: i["fingerprint"] for i in before}["INV002"]
    assert changed["GOV005"] == {i["check_name"]: i["fingerprint"] for i in before}["GOV005"]


def test_an_invalid_plan_is_a_blocker_at_each_error(in_tmp: Path) -> None:
    plan = in_tmp / "bad.yaml"
    plan.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon").replace("name: Sales", "nme: Sales"))
    issues = codequality(str(plan))
    assert [(i["check_name"], i["severity"]) for i in issues] == [("invalid-plan", "blocker")] * 3
    assert [i["location"]["lines"]["begin"] for i in issues] == [4, 7, 7]
    assert "go_live" in issues[0]["description"]
    assert {i["location"]["path"] for i in issues} == {"bad.yaml"}  # absolute, inside the working directory


def test_no_finding_is_an_empty_array(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(NORTHWIND.read_text())
    result = run_cli("check", str(plan), "--select", "LEAD001", "--format", "codequality")
    assert (result.code, result.stdout) == (0, "[]\n")


def test_paths_lose_a_leading_dot_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    issues = codequality("./examples/northwind.yaml")
    assert {i["location"]["path"] for i in issues} == {"examples/northwind.yaml"}


def test_codequality_from_the_console_process(tmp_path: Path) -> None:
    report = tmp_path / "gl-code-quality-report.json"
    done = run_process("check", "examples/northwind.yaml", "--as-of", "2026-02-02", "--format", f"codequality={report}")
    assert done.code == 0, done.stderr
    assert (
        done.stdout
        == "examples/northwind.yaml: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
    )
    jsonschema.Draft202012Validator(codequality_schema()).validate(json.loads(report.read_text()))


# -o FILE alone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.json", lambda text: json.loads(text)["schema_version"] == 1),
        ("report.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.xml", lambda text: text.startswith("<?xml")),
        ("report.md", lambda text: text.startswith("# Rollout readiness")),
        ("REPORT.MD", lambda text: text.startswith("# Rollout readiness")),
        ("report.txt", lambda text: text.startswith("Northwind CRM")),
        ("report.csv", lambda text: text.startswith("plan,due,overdue,rule")),
        ("report.html", lambda text: text.startswith("<!DOCTYPE html>")),
        ("report.htm", lambda text: text.startswith("<!DOCTYPE html>")),
    ],
)
def test_output_alone_takes_the_format_from_the_extension(tmp_path: Path, name: str, check: Any) -> None:
    target = tmp_path / name
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "-o", str(target))
    assert result.code == 0, result.stderr
    assert check(target.read_text())
    assert (
        result.stdout
        == f"{NORTHWIND}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
    )


@pytest.mark.parametrize(("name", "what"), [("report.pdf", ".pdf"), ("report.docx", ".docx"), ("report", "")])
def test_an_extension_no_format_writes_is_a_usage_error_naming_the_formats(
    tmp_path: Path, name: str, what: str
) -> None:
    target = tmp_path / name
    result = run_cli("check", str(NORTHWIND), "-o", str(target))
    assert result.code == 2 and result.stdout == "" and not target.exists()
    line = result.stderr.strip()
    assert line.startswith(f"readiness: error: --output {target}: ")
    assert (f"no format writes {what} files" if what else "no extension to tell the format by") in line
    assert "formats: rich (.txt), markdown (.md .markdown), html (.html .htm), json (.json)" in line
    assert "sarif (.sarif), junit (.xml), github, csv (.csv), codequality" in line


def test_output_with_a_format_still_writes_that_format(tmp_path: Path) -> None:
    target = tmp_path / "report.html"  # the name does not matter when the format is given
    assert run_cli("check", str(NORTHWIND), "--format", "json", "-o", str(target)).code == 0
    assert json.loads(target.read_text())["plans"][0]["verdict"] == "ready"


def test_output_inference_from_the_console_process(tmp_path: Path) -> None:
    done = run_process("check", str(NORTHWIND), "--as-of", "2026-02-02", "-o", str(tmp_path / "r.sarif"))
    assert done.code == 0 and json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    done = run_process("check", str(NORTHWIND), "-o", str(tmp_path / "r.pdf"))
    assert done.code == 2 and done.stderr.count("\n") == 1 and "no format writes .pdf files" in done.stderr


# --quiet-ready, the pre-commit hook's output ----------------------------------------------------


def test_quiet_ready_shows_only_failing_plans_in_full(tmp_path: Path) -> None:
    ready = tmp_path / "ready.yaml"  # beside the others: the order is the paths', wherever the checkout is
    ready.write_text(NORTHWIND.read_text())
    failing = tmp_path / "failing.yaml"
    failing.write_text(MINIMAL)
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 2\n")
    result = run_cli("check", str(ready), str(failing), str(broken), "--as-of", "2026-02-02", "--quiet-ready")
    assert result.code == 2
    out = result.stdout
    assert f"{ready}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n" in out
    assert "Northwind CRM" not in out and "customer-care" not in out  # the ready plan is one line
    assert "Pilot CRM\n" in out and "Questions for the client (40 unknown results" in out  # the failing plan in full
    assert f"{broken}: invalid (" in out and "schema_version" in result.stderr  # errors on stderr
    assert "Summary" not in out
    blocks = out.strip("\n").split("\n\n")
    assert blocks[0] == f"{broken}: invalid (3 errors)"  # code-point order, a blank line around the report
    assert (
        blocks[-1]
        == f"{ready}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)"
    )


def test_quiet_ready_with_only_ready_plans_is_one_line_each() -> None:
    result = run_cli("check", str(NORTHWIND), str(NORTHWIND), "--as-of", "2026-02-02", "--quiet-ready")
    assert (result.code, result.stdout, result.stderr) == (
        0,
        f"{NORTHWIND}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n",
        "",
    )


def test_quiet_ready_leaves_files_whole_and_refuses_to_combine(tmp_path: Path) -> None:
    report = tmp_path / "r.md"
    result = run_cli(
        "check",
        str(NORTHWIND),
        "--as-of",
        "2026-02-02",
        "--quiet-ready",
        "--format",
        "rich",
        "--format",
        f"markdown={report}",
    )
    assert (
        result.stdout
        == f"{NORTHWIND}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
        and "## Summary" in report.read_text()
    )
    for other in ("--quiet", "--statistics"):
        bad = run_cli("check", str(NORTHWIND), "--quiet-ready", other)
        assert bad.code == 2 and "cannot be combined" in bad.stderr and bad.stdout == ""


def test_the_pre_commit_hook_entry_through_the_console_process(tmp_path: Path) -> None:
    import yaml

    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "readiness")
    command = hook["entry"].split()[1:]  # as pre-commit runs it, with the staged files after
    failing = tmp_path / "plans" / "acme.yaml"
    failing.parent.mkdir()
    failing.write_text(MINIMAL)
    done = run_process(*command, str(NORTHWIND), str(failing), "--as-of", "2026-02-02")
    assert done.code == 1
    assert (
        f"{NORTHWIND}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
        in done.stdout
        and "Questions for the client" in done.stdout
    )
    assert "Pilot CRM" in done.stdout and "Northwind CRM" not in done.stdout  # one plan's report, not two


# GitHub Actions --------------------------------------------------------------------------------


def test_github_annotations_are_the_default_on_github_actions(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", env=env)
    assert result.code == 0
    assert result.stdout.startswith(f"::warning file={NORTHWIND},line=45,col=7,title=INV002::")
    assert summary.read_text().startswith("# Rollout readiness: Northwind CRM")


@pytest.mark.parametrize(
    "args",
    [["--format", "rich"], ["--quiet"], ["--quiet-ready"], ["--statistics"], ["-o", "OUT.json"]],
    ids=["format", "quiet", "quiet-ready", "statistics", "output"],
)
def test_an_explicit_choice_keeps_its_format_on_github_actions(tmp_path: Path, args: list[str]) -> None:
    args = [a.replace("OUT", str(tmp_path / "r")) for a in args]
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", *args, env={"GITHUB_ACTIONS": "true"})
    assert result.code == 0 and "::warning" not in result.stdout


def test_only_true_means_github_actions() -> None:
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", env={"GITHUB_ACTIONS": "false"})
    assert result.stdout.startswith("Northwind CRM")


def test_github_default_from_the_console_process() -> None:
    done = run_process("check", str(NORTHWIND), "--as-of", "2026-02-02", env={"GITHUB_ACTIONS": "true"})
    assert done.code == 0 and done.stdout.count("::") == 6 and done.stdout.startswith("::warning ")
