"""Each command end to end: exit code, stdout and stderr asserted together."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readiness import __version__

from .conftest import MINIMAL, NORTHWIND, run_cli


def test_version() -> None:
    result = run_cli("--version")
    assert (result.code, result.stdout, result.stderr) == (0, f"readiness {__version__}\n", "")


def test_python_dash_m_and_console_script_agree() -> None:
    for command in ([sys.executable, "-m", "readiness", "--version"],):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (0, f"readiness {__version__}\n", "")


def test_no_arguments_shows_help() -> None:
    result = run_cli()
    assert result.code == 2
    assert "check" in result.stdout + result.stderr


def test_check_ready_plan_rich_output() -> None:
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02")
    assert result.code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == 'Northwind CRM ("Compass")'
    assert lines[1] == str(NORTHWIND)
    assert lines[2] == "go-live 2026-06-01 (in 119 days, as of 2026-02-02) · rubric default"
    assert lines[3].startswith("READY  score 93.5")
    assert lines[4] == "why: score 93.5 reaches the pass score 80; no live error (fail_on: error)"
    assert "  warning INV002 thin-champion-coverage" in lines
    assert f"    {NORTHWIND}:45:7 [customer-care]" in lines
    flat = " ".join(result.stdout.split())  # the last line wraps at spaces when the path is long
    assert flat.endswith(f"{NORTHWIND}: ready (score 93.5): 0 errors, 2 warnings, 1 info, 0 unknown, 1 waived")


def test_check_not_ready_is_exit_1_and_exit_zero_maps_it(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    result = run_cli("check", str(plan), "--quiet")
    line = f"{plan}: not_ready (score 50.0): score 50.0 is below the pass score 80\n"
    assert (result.code, result.stdout, result.stderr) == (1, line, "")
    assert run_cli("check", str(plan), "--quiet", "--exit-zero").code == 0


def test_check_invalid_plan_is_exit_2_errors_on_stderr_only(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon"))
    result = run_cli("check", str(plan))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"{plan}:4:12: error: rollout.go_live: expected a date YYYY-MM-DD, got 'soon'\n"


def test_check_errors_are_capped_at_50_with_a_count(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    people = "".join(f"  - {{id: p{i}, name: P, level: boss, function: sales}}\n" for i in range(60))
    plan.write_text(MINIMAL + "people:\n" + people)
    result = run_cli("check", str(plan))
    lines = result.stderr.splitlines()
    assert result.code == 2 and len(lines) == 51
    assert lines[-1] == f"{plan}: error: 10 more error(s) not shown"


def test_check_as_of_must_be_a_date() -> None:
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-30")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "readiness: error: --as-of: expected a date YYYY-MM-DD from 1900-01-01 to 2199-12-31, got '2026-02-30'\n"
    )


def test_check_unknown_format_and_two_stdout_formats() -> None:
    assert run_cli("check", str(NORTHWIND), "--format", "pdf").code == 2
    result = run_cli("check", str(NORTHWIND), "--format", "json", "--format", "rich")
    assert result.code == 2 and "only one --format may write to standard output" in result.stderr


def test_check_writes_json_file_and_prints_only_the_verdict_line(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--format", f"json={out}")
    line = f"{NORTHWIND}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
    assert (result.code, result.stdout, result.stderr) == (0, line, "")
    assert json.loads(out.read_text())["plans"][0]["verdict"] == "ready"


def test_check_output_option_and_unwritable_path(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    assert run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--format", "json", "--output", str(out)).code == 0
    assert out.exists()
    short = tmp_path / "short.sarif"
    assert run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--format", "sarif", "-o", str(short)).code == 0
    assert json.loads(short.read_text())["version"] == "2.1.0"
    result = run_cli("check", str(NORTHWIND), "--format", f"json={tmp_path / 'no' / 'such' / 'dir.json'}")
    assert result.code == 2 and "does not exist" in result.stderr


def test_a_single_invalid_plan_is_reported_in_the_requested_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous report\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a plan\n")
    result = run_cli("check", str(bad), "--format", f"json={out}")
    assert (result.code, result.stdout) == (2, "")
    entry = json.loads(out.read_text())["plans"][0]
    assert (entry["verdict"], entry["exit_code"]) == (None, 2)
    assert entry["errors"] == [
        {"message": "the top level is a list; it must be a mapping", "line": 1, "column": 1, "path": None}
    ]


def test_several_plans_worst_code_wins_and_bad_one_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a plan\n")
    result = run_cli("check", str(NORTHWIND), str(bad), "--as-of", "2026-02-02", "--format", "json")
    assert result.code == 2
    doc = json.loads(result.stdout)
    entries = {Path(p["path"]).name: p for p in doc["plans"]}
    assert entries["northwind.yaml"]["verdict"] == "ready"
    assert entries["bad.yaml"]["verdict"] is None and entries["bad.yaml"]["exit_code"] == 2
    assert entries["bad.yaml"]["error"]["message"] == "the top level is a list; it must be a mapping"
    assert result.stderr == f"{bad}:1:1: error: the top level is a list; it must be a mapping\n"


def test_schema_command_prints_json_schema() -> None:
    result = run_cli("schema")
    assert (result.code, result.stderr) == (0, "")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"schema_version", "rollout", "organisation"}


def test_init_writes_a_valid_plan_and_refuses_to_overwrite(in_tmp: Path) -> None:
    result = run_cli("init")
    assert (result.code, result.stdout) == (0, "")
    assert result.stderr == "wrote plan.yaml; check it with: readiness check plan.yaml\n"
    text = (in_tmp / "plan.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=https://")
    assert run_cli("check", "plan.yaml", "--format", "json").code in (0, 1)  # valid
    again = run_cli("init")
    assert (again.code, again.stdout) == (2, "")
    assert again.stderr == "readiness: error: plan.yaml already exists; use --force to overwrite it\n"
    assert run_cli("init", "--force").code == 0
    assert run_cli("init", "other.yaml").code == 0 and (in_tmp / "other.yaml").exists()


def test_rules_lists_every_rule_in_each_format() -> None:
    table = run_cli("rules")
    assert table.code == 0 and "LEAD001" in table.stdout and "waiver-too-long" in table.stdout
    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    assert len(listing) == 43 and listing[0] == {
        "id": "LEAD001",
        "slug": "leader-without-commitment",
        "category": "LEAD",
        "severity": "error",
        "title": "Division leader has no signed adoption commitment",
    }
    markdown = run_cli("rules", "--format", "markdown").stdout
    assert markdown.splitlines()[0] == "| ID | Slug | Category | Default severity | Title |"
    assert run_cli("rules", "--format", "xml").code == 2


@pytest.mark.parametrize("name", ["LEAD001", "leader-without-commitment", "lead001"])
def test_explain_by_id_or_slug(name: str) -> None:
    result = run_cli("explain", name)
    assert (result.code, result.stderr) == (0, "")
    out = result.stdout
    assert out.startswith("LEAD001 leader-without-commitment: Division leader has no signed adoption commitment\n")
    for heading in ("Why it matters", "Sources", "How to fix it", "Options", "Fails:", "Passes:"):
        assert heading in out
    assert "lead_days = 30  (heuristic)" in out


def test_explain_unknown_rule_suggests() -> None:
    result = run_cli("explain", "LEAD01")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "readiness: error: unknown rule 'LEAD01' (did you mean 'LEAD001'?)\n"


def test_rubrics_lists_built_ins() -> None:
    result = run_cli("rubrics")
    assert result.code == 0
    assert result.stdout.startswith("default: pass_score 80, fail_on error")
    assert "strict: pass_score 90, fail_on warning" in result.stdout


def test_internal_error_is_one_line_exit_3(tmp_path: Path) -> None:
    """A bug must not leak a traceback (only --debug shows it)."""
    script = (
        "import sys, readiness.batch as b\n"
        "def boom(*a, **k): raise RuntimeError('kaboom')\n"
        "b.check_plan = boom\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', {str(NORTHWIND)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert "internal error: RuntimeError: kaboom; please report it" in done.stderr


def test_missing_file_from_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check", "does-not-exist.yaml"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "does-not-exist.yaml: error: no such file\n")


def test_dash_as_a_report_file_means_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ("check", str(NORTHWIND), "--as-of", "2026-02-02")
    plain = run_cli(*args, "--format", "json")
    assert run_cli(*args, "--format", "json=-").stdout == plain.stdout
    assert run_cli(*args, "--format", "json", "-o", "-").stdout == plain.stdout
    both = run_cli(*args, "--format", "json=-", "--format", "sarif=-")
    assert both.code == 2 and "only one --format may write to standard output" in both.stderr
    old = run_cli("diff", str(NORTHWIND), str(NORTHWIND), "--format", "markdown=-")
    assert old.code == 0 and old.stdout.startswith("#")
    assert list(tmp_path.iterdir()) == [], "no file named '-'"


def _judgement(plan: str) -> tuple[str, float, list[tuple[str, str, str]]]:
    entry = json.loads(run_cli("check", plan, "--format", "json").stdout)["plans"][0]
    findings = sorted((f["rule"], str(f["target"]), f["status"]) for f in entry["findings"])
    return entry["verdict"], entry["score"], findings


def test_init_dates_start_from_the_coming_monday_or_the_given_kickoff(in_tmp: Path) -> None:
    assert run_cli("init", "now.yaml").code == 0
    kickoff = dt.date.fromisoformat(re.search(r"kickoff: (\S+)", (in_tmp / "now.yaml").read_text())[1])  # type: ignore[index]
    assert kickoff.weekday() == 0 and 0 <= (kickoff - dt.date.today()).days < 7
    assert run_cli("init", "original.yaml", "--kickoff", "2026-01-12").code == 0
    assert run_cli("init", "later.yaml", "--kickoff", "2027-03-03").code == 0  # a Wednesday
    later = (in_tmp / "later.yaml").read_text()
    assert "kickoff: 2027-03-03\n" in later and "go_live: 2027-10-27 " in later  # 238 days on, as in the starter
    assert _judgement("later.yaml") == _judgement("original.yaml") == _judgement("now.yaml")


def test_init_refuses_a_kickoff_that_would_leave_the_valid_date_range(in_tmp: Path) -> None:
    result = run_cli("init", "--kickoff", "2199-11-01")
    assert (result.code, result.stdout) == (2, "")
    assert "the starter plan runs 256 days from kickoff, past 2199-12-31" in result.stderr
    assert not (in_tmp / "plan.yaml").exists()
    assert run_cli("init", "--kickoff", "soon").code == 2 and not (in_tmp / "plan.yaml").exists()
