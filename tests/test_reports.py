"""Every report format: golden files on the example plans, the real SARIF and JUnit schemas, a
Markdown linter, hostile plan text in every format, and atomic, all-or-nothing writing.

Goldens are regenerated only by ``pytest --update-goldens`` (then review the diff)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from readiness import __version__

from .conftest import MINIMAL, ROOT, lint_markdown, run_cli

GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = Path(__file__).parent / "schemas"
FORMATS = {
    "rich": "txt",
    "markdown": "md",
    "html": "html",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "github": "txt",
    "codequality": "json",
}
PLANS = ["northwind", "minimal", "s1-leader-keeps-old-reports", "s4-turf-and-fax"]


def render(fmt: str, *plans: str, extra: tuple[str, ...] = (), live: bool = False) -> tuple[int, str]:
    args = [f"examples/{p}.yaml" for p in plans]
    result = run_cli("check", *args, "--as-of", "2026-02-02", "--format", fmt, *extra, live=live)
    assert "Traceback" not in result.stderr
    return result.code, result.stdout.replace(__version__, "VERSION")


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(fmt: str, plan: str, update_goldens: bool) -> None:
    _, out = render(fmt, plan, live=True)
    path = GOLDEN / f"{plan}.{fmt}.{FORMATS[fmt]}"
    if update_goldens:
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing golden {path.name}: run pytest --update-goldens and review it"
    assert out == path.read_text(encoding="utf-8"), f"{path.name} changed: review, then pytest --update-goldens"


def test_golden_several_plans(update_goldens: bool) -> None:
    for fmt in ("rich", "markdown", "html"):
        _, out = render(fmt, "northwind", "minimal", live=True)
        path = GOLDEN / f"several.{fmt}.{FORMATS[fmt]}"
        if update_goldens:
            path.write_text(out, encoding="utf-8")
        assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("plans", [["northwind"], PLANS])
def test_sarif_validates_against_the_official_schema(plans: list[str]) -> None:
    _, out = render("sarif", *plans)
    doc = json.loads(out)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(doc)
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(r["ruleId"] == rule_ids[r["ruleIndex"]] for r in run["results"])
    built_in = [r for r in run["tool"]["driver"]["rules"] if r["id"] != "INVALID"]
    assert all("helpUri" in r and r["helpUri"].endswith(f"/rules/{r['id']}") for r in built_in)


def test_sarif_levels_suppressions_and_open_results() -> None:
    _, out = render("sarif", "northwind")
    results = json.loads(out)["runs"][0]["results"]
    waived = next(r for r in results if r["ruleId"] == "LEG001")
    assert waived["level"] == "error" and waived["suppressions"][0]["kind"] == "inSource"
    assert waived["suppressions"][0]["justification"].startswith("The payroll audit")
    assert next(r for r in results if r["ruleId"] == "GOV005")["level"] == "note"
    _, out = render("sarif", "minimal")
    unknown = json.loads(out)["runs"][0]["results"][0]
    assert (unknown["kind"], unknown["level"]) == ("open", "none")
    region = next(r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "VAL001")
    assert region["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}


def test_sarif_notifications_for_an_invalid_plan(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon"))
    result = run_cli("check", "examples/northwind.yaml", str(bad), "--as-of", "2026-02-02", "--format", "sarif")
    doc = json.loads(result.stdout)
    jsonschema.Draft7Validator(json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())).validate(doc)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    note = invocation["toolExecutionNotifications"][0]
    assert note["level"] == "error" and "rollout.go_live" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 12}


@pytest.mark.parametrize("plans", [["northwind"], PLANS])
def test_junit_validates_against_the_xsd(plans: list[str]) -> None:
    _, out = render("junit", *plans)
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    schema.validate(out)
    doc = schema.to_dict(out)
    names = {s["@name"] for s in doc["testsuite"]}
    assert "examples/northwind.yaml:INV" in names


def test_junit_cases_failures_and_skips() -> None:
    _, out = render("junit", "northwind")
    # a ready plan shows no failed test: its warnings do not block under fail_on error
    assert 'tests="80" failures="0" errors="0"' in out and "<failure" not in out
    assert '<testcase name="INV002 customer-care" classname="examples/northwind_yaml.INV">' in out
    assert "<system-out>examples/northwind.yaml:45:7: warning: customer-care (Customer Care): 85 people" in out
    assert '<testcase name="LEG001 rpt-commission-statement"' in out and '<skipped type="waived"' in out
    assert '<testcase name="GOV005 (plan)"' in out
    assert '<testcase name="PLAN001 waivers[0]"' in out
    assert '<testcase name="verdict" classname="examples/northwind_yaml.verdict" />' in out


def test_junit_failures_are_exactly_what_blocks_the_verdict() -> None:
    result = run_cli(
        "check", "examples/northwind.yaml", "--as-of", "2026-02-02", "--rubric", "strict", "--format", "junit"
    )
    failures = re.findall(r'<testcase name="([^"]+)" classname="[^"]+">\s*<failure', result.stdout)
    # strict blocks on warnings: the two warnings, the waiver too long for strict, and the verdict
    assert sorted(failures) == ["INV002 customer-care", "PLAN003 waivers[0]", "TRAIN002 t-wholesale-reps", "verdict"]
    verdict = re.search(r'<failure type="not_ready" message="([^"]+)"', result.stdout)
    assert verdict is not None and "3 live warnings block (fail_on: warning)" in verdict[1]
    assert "GOV005" in result.stdout and "<system-out>examples/northwind.yaml:30:5: info:" in result.stdout


def test_junit_class_names_keep_the_file_name_whole() -> None:
    """Jenkins splits a class name at its last dot into a package and a class."""
    _, out = render("junit", "northwind")
    for classname in set(re.findall(r'classname="([^"]+)"', out)):
        package, _, cls = classname.rpartition(".")
        assert package == "examples/northwind_yaml" and cls in (
            "verdict",
            "LEAD",
            "COMM",
            "TRAIN",
            "INV",
            "LEG",
            "GOV",
            "VAL",
            "ADOPT",
            "CUST",
            "TIME",
            "PLAN",
        )


def test_junit_invalid_plan_suite(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a plan\n")
    result = run_cli("check", "examples/minimal.yaml", str(bad), "--format", "junit")
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(result.stdout)
    assert f'<testsuite name="{bad}" tests="1" failures="0" errors="1"' in result.stdout


@pytest.mark.parametrize("plans", [[p] for p in PLANS] + [PLANS], ids=[*PLANS, "several"])
def test_markdown_is_lint_clean(plans: list[str], tmp_path: Path) -> None:
    _, out = render("markdown", *plans)
    report = tmp_path / "report.md"
    report.write_text(out)
    assert lint_markdown(report) == ""


def test_markdown_structure() -> None:
    _, out = render("markdown", "northwind")
    assert out.startswith(
        '# Rollout readiness: Northwind CRM ("Compass")\n\n**Verdict: ready**, with a score of **93.5**'
    )
    assert "```mermaid\ngantt\n" in out and "    go-live wave ph-wave-1 :2026-06-01, 2026-06-27\n" in out
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings == [
        '# Rollout readiness: Northwind CRM ("Compass")',
        "## Summary",
        "## Divisions",
        "## Action plan",
        "## Next 30 days",
        "## Timeline",
        "## Findings",
        "### warning: TRAIN002 frontline-training-mistimed",  # errors, warnings, info; then category order
        "### warning: INV002 thin-champion-coverage",
        "### info: GOV005 missing-go-no-go-gate",
        "### waived error: LEG001 legacy-report-without-retirement",
        "## Waivers",
        "## Rubric settings",
    ]
    assert "Why:\n\n- score 93.5 reaches the pass score 80\n- no live error (fail_on: error)\n" in out
    # names, ids, dates and paths read as written
    assert "- customer-care, at examples/northwind.yaml:45:7: customer-care (Customer Care):" in out
    assert "\\" not in out.split("## Rubric settings")[0].replace("\\|", "")


def test_markdown_headings_are_unique_in_a_report_of_several_plans(tmp_path: Path) -> None:
    _portfolio(tmp_path, 2)  # two plans of the same name
    (tmp_path / "s1.yaml").write_bytes((ROOT / "examples" / "s1-leader-keeps-old-reports.yaml").read_bytes())
    out = run_cli("check", str(tmp_path), "--as-of", "2026-02-02", "--format", "markdown").stdout
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert len(headings) == len(set(headings))
    assert '## 1. Northwind CRM ("Compass")' in headings and '## 2. Northwind CRM ("Compass")' in headings
    assert "### 1.1 Summary" in headings and "#### 1.6.2 warning: INV002 thin-champion-coverage" in headings
    assert "## 3. Global sales dashboards" in headings and headings[-1] == "## Rubric settings"


def test_markdown_gantt_shows_the_constraints_the_as_of_date_and_what_findings_point_at() -> None:
    _, out = render("markdown", "northwind")
    chart = out.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert "    todayMarker off" in chart  # Mermaid's own marker would show the day the report is read
    assert "    as of 2026-02-02 :milestone, 2026-02-02, 0d" in chart
    assert "    peak period peak-holiday :2026-10-15, 2027-01-01" in chart
    assert "    system change chg-wms :2026-05-04, 2026-06-13" in chart
    assert "    go-live wave ph-wave-2 :2026-07-06, 2026-08-01" in chart  # the wave's end, inclusive
    assert "    training t-wholesale-reps (TRAIN002) :crit, 2026-04-13, 2026-04-18" in chart
    assert "    go/no-go decision (GOV005) :crit, milestone, 2026-05-20, 0d" in chart
    assert all(len(line) <= 80 for line in chart)


def test_markdown_statistics_replace_findings() -> None:
    _, out = render("markdown", "northwind", extra=("--statistics",))
    assert "## Findings per rule" in out and "### warning: INV002" not in out
    assert "| 1 | 0 | 0 | GOV005 missing-go-no-go-gate |" in out


def test_github_annotations_and_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = render("github", "northwind")
    assert code == 0
    assert out.splitlines() == [
        (
            "::warning file=examples/northwind.yaml,line=45,col=7,title=INV002::customer-care (Customer Care): 85 people "
            "share 4 champions (21.3 each, limit 20)."
        ),
        (
            "::notice file=examples/northwind.yaml,line=30,col=5,title=GOV005::The go-live gate is incomplete: "
            "readiness review on 2026-05-11 is 21 days before go-live (at least 28 expected)."
        ),
        (
            "::warning file=examples/northwind.yaml,line=146,col=7,title=TRAIN002::Session t-wholesale-reps is "
            "mistimed: it starts 49 days before go-live 2026-06-01 (limit 42) with no refresher planned."
        ),
    ]
    text = summary.read_text()
    assert text.startswith("earlier step\n# Rollout readiness: Northwind CRM")


# hostile plan text --------------------------------------------------------------------------------

HOSTILE = [
    "[bold red]ALL CHECKS PASSED[/]",
    "Ann [/bold]",
    "\x1b[2J\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "Ann | Admin",
    "`rm -rf`",
    "<script>alert(1)</script>",
    "[docs](javascript:alert(1)) ![](https://tracker.example/p.png)",
    "line one\n# All checks PASSED",
    "\u202eevil\u202c :white_check_mark: %0A::error::forged",
]


def hostile_plan(tmp_path: Path) -> Path:
    names = [json.dumps(h) for h in HOSTILE]
    text = MINIMAL.replace("name: Pilot CRM", f"name: {names[0]}").replace("name: Sales}", f"name: {names[3]}}}")
    text += "people:\n" + "".join(
        f"  - {{id: p{i}, name: {n}, level: executive, function: sales}}\n" for i, n in enumerate(names)
    )
    text += "sponsor: {primary: p0, authority_over: all}\n"
    text += "legacy:\n  reports:\n" + "".join(
        f"    - {{id: r{i}, name: {n}, replaced_by: {n}, retire_by: null}}\n" for i, n in enumerate(names)
    )
    text += (
        "waivers:\n  - {rule: LEG001, target: r1, reason: "
        + names[6]
        + ", owner: "
        + names[7]
        + ", expires: 2026-12-31}\n"
    )
    plan = tmp_path / "hostile.yaml"
    plan.write_text(text)
    return plan


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_text_renders_harmlessly(fmt: str, tmp_path: Path) -> None:
    plan = hostile_plan(tmp_path)
    result = run_cli("check", str(plan), "--as-of", "2026-02-02", "--format", fmt)
    assert result.code == 1, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    if fmt == "rich":
        assert "[bold red]ALL CHECKS PASSED[/]" in out  # shown literally, never interpreted
        assert "\\u001b[2J" in out
    elif fmt == "markdown":
        assert "<script>" not in out and "](javascript" not in out and "![](" not in out
        assert not [line for line in out.splitlines() if line.startswith("# All checks")]
        assert_tables_intact(out)
        assert "| Ann \\| Admin |" in out  # in a table cell
        assert "(line one # All checks PASSED)" in out  # in running text: a # that starts nothing
    elif fmt == "html":
        import html5lib

        root = html5lib.HTMLParser(strict=True).parse(out)
        assert not [e for e in root.iter() if e.tag == "{http://www.w3.org/1999/xhtml}script"]
        assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        assert "\\u001b[2J" in out and "\\u202eevil" in out  # shown as visible escapes
    elif fmt in ("json", "sarif", "codequality"):
        json.loads(out)
    elif fmt == "junit":
        xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(out)
    elif fmt == "github":
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines())
        assert "%0A::error::forged" not in out.replace("%250A", "")


def assert_tables_intact(markdown: str) -> None:
    """Every row of every table has exactly as many unescaped cell separators as its header."""
    table: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {len(re.split(r"(?<!\\)\|", row)) for row in table}
            assert len(widths) == 1, table
            table = []


def test_markdown_table_cells_stay_in_place(tmp_path: Path) -> None:
    plan = hostile_plan(tmp_path)
    out = run_cli("check", str(plan), "--as-of", "2026-02-02", "--format", "markdown").stdout
    waiver_rows = out.split("## Waivers", 1)[1].strip().split("\n\n", 1)[0].splitlines()
    header_cells = len(re.split(r"(?<!\\)\|", waiver_rows[0]))
    assert all(len(re.split(r"(?<!\\)\|", row)) == header_cells for row in waiver_rows[2:])


# writing --------------------------------------------------------------------------------------------


def test_several_formats_in_one_run(tmp_path: Path) -> None:
    md, sarif = tmp_path / "r.md", tmp_path / "r.sarif"
    result = run_cli(
        "check",
        "examples/northwind.yaml",
        "--as-of",
        "2026-02-02",
        "--format",
        "rich",
        "--format",
        f"markdown={md}",
        "--format",
        f"sarif={sarif}",
    )
    assert result.code == 0 and result.stdout.startswith("Northwind CRM")
    assert md.read_text().startswith("# Rollout readiness") and json.loads(sarif.read_text())["version"] == "2.1.0"


def test_a_failure_while_rendering_leaves_every_earlier_file_intact(tmp_path: Path) -> None:
    """All formats are rendered in memory before any file is replaced."""
    first, second = tmp_path / "a.json", tmp_path / "b.sarif"
    first.write_text("old a\n")
    second.write_text("old b\n")
    script = (
        "import sys, readiness.render.sarif as s\n"
        "def boom(self, plan): raise RuntimeError('renderer broke')\n"
        "s.SarifReport.plan = boom\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', 'examples/northwind.yaml', '--format', 'json={first}', "
        f"'--format', 'sarif={second}']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 3 and "renderer broke" in done.stderr
    assert (first.read_text(), second.read_text()) == ("old a\n", "old b\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.sarif"]


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness import output

    target = tmp_path / "report.json"
    target.write_text("previous\n")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(output.OutputError, match="No space left on device"):
        output.write_atomic(str(target), "new content that never lands")
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no stray temporary file


def test_atomic_write_replaces_a_symlinks_target_and_keeps_permissions(tmp_path: Path) -> None:
    from readiness import output

    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    output.write_atomic(str(link), "new")
    assert link.is_symlink() and real.read_text() == "new"
    umask = os.umask(0)
    os.umask(umask)
    assert real.stat().st_mode & 0o777 == 0o666 & ~umask


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan.yaml", "--format", "json=plan.yaml"], "plan.yaml: the json report would overwrite the plan plan.yaml"),
        (["plan.yaml", "--format", "json", "-o", "link.yaml"], "the json report would overwrite the plan plan.yaml"),
        (["plan.yaml", "--format", "sarif=hard.yaml"], "the sarif report would overwrite the plan plan.yaml"),
        (["plans", "--format", "junit=plans/b.yaml"], "the junit report would overwrite the plan plans/b.yaml"),
        (["plan.yaml", "--rubric", "gate.yaml", "--format", "markdown=gate.yaml"], "would overwrite the rubric"),
        (["plan.yaml", "--rubric", "child.yaml", "--format", "json=gate.yaml"], "would overwrite the rubric"),
        (
            ["plan.yaml", "--format", "sarif=out.sarif", "--format", "json=./out.sarif"],
            "./out.sarif: the sarif report and the json report would both be written there",
        ),
    ],
    ids=["plan", "through-a-symlink", "hard-link", "plan-in-a-directory", "rubric", "parent-rubric", "two-reports"],
)
def test_a_report_never_replaces_an_input_or_another_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(MINIMAL)
    Path("link.yaml").symlink_to("plan.yaml")
    os.link("plan.yaml", "hard.yaml")
    Path("plans").mkdir()
    Path("plans/a.yaml").write_text(MINIMAL)
    Path("plans/b.yaml").write_text(MINIMAL)
    Path("gate.yaml").write_text("name: gate\nextends: default\n")
    Path("child.yaml").write_text("name: child\nextends: gate.yaml\n")
    before = _snapshot(tmp_path), _snapshot(tmp_path / "plans")
    result = run_cli("check", *args, "--as-of", "2026-02-02")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("readiness: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert (_snapshot(tmp_path), _snapshot(tmp_path / "plans")) == before, "nothing written, nothing replaced"


def test_a_diff_never_replaces_either_plan(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(MINIMAL)
    new.write_text(MINIMAL)
    result = run_cli("diff", str(old), str(new), "--format", f"markdown={new}")
    assert (result.code, result.stdout) == (2, "")
    assert "the markdown diff would overwrite the plan" in result.stderr
    assert new.read_text() == MINIMAL


def test_a_new_report_inside_the_checked_directory_is_fine(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL)
    result = run_cli("check", str(tmp_path), "--format", f"json={tmp_path / 'report.json'}", "--as-of", "2026-02-02")
    assert result.code == 1
    assert json.loads((tmp_path / "report.json").read_text())["plans"][0]["verdict"] == "not_ready"


def _portfolio(folder: Path, copies: int) -> None:
    for n in range(copies):
        (folder / f"plan-{n:02d}.yaml").write_bytes((ROOT / "examples" / "northwind.yaml").read_bytes())


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["PYTHONUNBUFFERED", "buffered"])
def test_standard_output_gets_every_byte_through_a_non_blocking_pipe(tmp_path: Path, unbuffered: str) -> None:
    """A parent (some CI runners do) can leave the pipe non-blocking: writes then fail while it
    is full. Before, the unbuffered run delivered 64 KiB of a 2 MB report and exited 0, and the
    buffered one died with exit 3."""
    import fcntl
    import time

    _portfolio(tmp_path, 40)  # 220 KB of JSON, several times a pipe's 64 KiB
    expected = run_cli("check", str(tmp_path), "--format", "json", "--as-of", "2026-02-02", live=True).stdout.encode()
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    command = [sys.executable, "-m", "readiness", "check", str(tmp_path), "--format", "json", "--as-of", "2026-02-02"]
    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered}
    process = subprocess.Popen(command, stdout=write_end, stderr=subprocess.PIPE, env=env)
    os.close(write_end)
    time.sleep(0.3)  # the writer fills the pipe and meets its refusal
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
        time.sleep(0.005)
    os.close(read_end)
    _, errors = process.communicate()
    assert (process.returncode, errors) == (0, b"")
    assert b"".join(chunks) == expected


def test_a_reader_that_goes_away_does_not_change_the_exit_code(tmp_path: Path) -> None:
    """``| head -c 10`` under PYTHONUNBUFFERED: the exit code still says what the plans are, so a
    pipeline that stops reading early cannot hide an invalid plan (docs/decisions.md)."""
    _portfolio(tmp_path, 40)
    (tmp_path / "zz-invalid.yaml").write_text("- not a plan\n")
    command = [sys.executable, "-m", "readiness", "check", str(tmp_path), "--format", "json", "--as-of", "2026-02-02"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10) == b'{\n  "schem'
    process.stdout.close()
    errors = process.stderr.read()
    process.stderr.close()
    assert process.wait() == 2
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors


def test_machine_formats_are_utf8_and_the_terminal_report_never_crashes_on_the_console_encoding(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("name: Pilot CRM", "name: Łódź Café CRM"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # a console that cannot show the name
    base = [sys.executable, "-m", "readiness", "check", str(plan), "--as-of", "2026-02-02"]
    for fmt in ("json", "markdown", "sarif", "junit", "github"):
        done = subprocess.run([*base, "--format", fmt], capture_output=True, env=env, check=False)
        assert (done.returncode, done.stderr) == (1, b""), fmt
        done.stdout.decode("utf-8")  # valid UTF-8 whatever the console
    report = json.loads(subprocess.run([*base, "--format", "json"], capture_output=True, env=env, check=False).stdout)
    assert report["plans"][0]["name"] == "Łódź Café CRM"
    terminal = subprocess.run([*base, "--format", "rich"], capture_output=True, env=env, check=False)
    assert (terminal.returncode, terminal.stderr) == (1, b"")
    assert terminal.stdout.splitlines()[0] == b"??d? Caf? CRM"


def test_sarif_locations_are_uri_references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A space or '#' in a path must be percent-encoded ('#' would start a fragment), and an
    absolute path must be a file:// URI, or code scanning cannot place the results."""
    folder = tmp_path / "q1 plans #2"
    folder.mkdir()
    plan = folder / "plan.yaml"
    plan.write_bytes((ROOT / "examples" / "northwind.yaml").read_bytes())
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    absolute = json.loads(run_cli("check", str(plan), "--as-of", "2026-02-02", "--format", "sarif").stdout)
    jsonschema.Draft7Validator(schema).validate(absolute)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in absolute["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris == {plan.as_uri()} and "%20" in plan.as_uri() and "%232" in plan.as_uri()
    monkeypatch.chdir(tmp_path)
    relative = json.loads(
        run_cli("check", "q1 plans #2/plan.yaml", "--as-of", "2026-02-02", "--format", "sarif").stdout
    )
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in relative["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris == {"q1%20plans%20%232/plan.yaml"}


def test_a_one_day_session_is_a_visible_bar_in_the_gantt(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL
        + "training:\n  sessions:\n    - {id: t-day, audience: {divisions: all}, start: 2026-05-04, end: 2026-05-04}\n"
    )
    text = run_cli("check", str(plan), "--format", "markdown").stdout
    # Mermaid's end date is exclusive: a session on one day ends the next day
    assert "    training t-day :2026-05-04, 2026-05-05\n" in text


def test_hypercare_without_a_known_end_is_a_milestone_in_the_timelines(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL + "support:\n  hypercare: {start: 2026-06-01, first_line: [help_desk]}\n")
    markdown = run_cli("check", str(plan), "--format", "markdown").stdout
    assert "hypercare (end not set) :milestone" in markdown
    terminal = run_cli("check", str(plan), "--format", "rich").stdout
    assert re.search(r"2026-06-01 +hypercare \(end not set\)", terminal), terminal


def test_a_series_with_no_end_runs_to_the_last_go_live_the_rules_read(tmp_path: Path) -> None:
    """The timeline ends a message series that names no ``until`` where COMM rules end it: at the
    last go-live of the impacted divisions, not at a later wave of a division the rollout leaves
    alone."""
    text = (ROOT / "examples" / "northwind.yaml").read_text()
    text = text.replace("cadence_days: 14, until: 2026-08-31,", "cadence_days: 14,")
    text = text.replace(
        "    - {id: ph-wave-2, type: wave, divisions: [customer-care], start: 2026-07-06, end: 2026-07-31}\n",
        "    - {id: ph-wave-2, type: wave, divisions: [customer-care], start: 2026-07-06, end: 2026-07-31}\n"
        "    - {id: ph-wave-3, type: wave, divisions: [archive], start: 2026-10-05, end: 2026-10-09}\n",
    )
    text = text.replace(
        "organisation:\n  divisions:\n",
        "organisation:\n  divisions:\n    - {id: archive, name: Archive, headcount: 3, impacted: false, levels: [frontline]}\n",
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    out = run_cli("check", str(plan), "--as-of", "2026-02-02").stdout
    assert "  2025-10-27 to 2026-07-06   messages c-progress, every 14 days" in out, out


def test_the_summary_table_shows_every_plan_path_whole(tmp_path: Path) -> None:
    """A path wider than its column is folded onto more lines, not cut short with an ellipsis."""
    folder = tmp_path.joinpath(*(["a-rather-long-directory-name"] * 4))
    folder.mkdir(parents=True)
    paths = [folder / "northwind-with-a-long-file-name.yaml", folder / "b.yaml"]
    for path in paths:
        path.write_text((ROOT / "examples" / "northwind.yaml").read_text())
    result = run_cli("check", str(folder), "--as-of", "2026-02-02")
    summary = result.stdout.split("\nSummary\n", 1)[1].splitlines()
    start = summary[0].index("verdict")
    shown: list[str] = []
    for line in summary[1:]:
        if line[start:].strip():  # a row starts: the verdict and counts are on its first line
            shown.append("")
        shown[-1] += line[:start].strip()
    assert "…" not in result.stdout and shown == [str(p) for p in sorted(paths)]


def test_the_terminal_report_reads_in_the_order_of_the_html_report() -> None:
    _, out = render("rich", "northwind")
    titles = ["why: ", "Top risks", "Categories", "Divisions", "Actions", "Next 30 days", "Timeline", "Findings"]
    positions = [out.index(f"\n{title}") for title in [*titles, "Waivers"]]
    assert positions == sorted(positions)
    timeline = out.split("\nTimeline\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert timeline.index("  2026-02-02                 as of (the date of this report)") == 6  # among the dates
    assert "  2026-04-13 to 2026-04-17   training t-wholesale-reps  TRAIN002" in timeline
    assert "  2026-10-15 to 2026-12-31   peak period peak-holiday" in timeline
