"""Text from plans, rubrics and file names cannot drive a terminal or a CI log (readiness.text)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from readiness.text import inert, one_line
from tests.conftest import MINIMAL, NORTHWIND, run_cli

ESCAPES = re.compile(r"[\x1b\x07\x08\x0d\x9b\u202e\u2066]")


def starts_a_command(text: str) -> bool:
    return any(line.lstrip().startswith(("::", "##[", "##vso[")) for line in text.splitlines())


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("::error title=x::All checks passed", "\\u003a:error title=x\\u003a:All checks passed"),
        ("##[stop-commands]tok", "\\u0023#[stop-commands]tok"),
        ("##vso[task.complete result=Succeeded]", "\\u0023#vso[task.complete result=Succeeded]"),
        ("FAIL\rPASS", "FAIL\\u000dPASS"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\u001b]52;c;ZXZpbA==\\u0007"),
        ("\x1b]8;;https://evil\x1b\\link", "\\u001b]8;;https://evil\\u001b\\link"),
        ("abc\u202eevil", "abc\\u202eevil"),
        ("C:: D ##", "C\\u003a: D ##"),
        (":::warning::x", "\\u003a\\u003a:warning\\u003a:x"),
        ("###[error]x", "#\\u0023#[error]x"),
        ("ab\u061cc\u180ed", "ab\\u061cc\\u180ed"),
    ],
)
def test_the_neutraliser(raw: str, shown: str) -> None:
    assert inert(raw) == shown
    assert one_line(raw + "\nnext") == shown + "\\u000anext"


def test_json_escapes_what_a_log_would_obey_and_keeps_the_data(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    name = "x ::error::forged ##[group]g ##vso[task.complete]\u202e\u061c end"
    plan.write_text(MINIMAL.replace("name: Pilot CRM", "name: " + json.dumps(name)))
    result = run_cli("check", str(plan), "--format", "json")
    assert "::" not in result.stdout and "##[" not in result.stdout and "##vso[" not in result.stdout
    assert "\u202e" not in result.stdout and "\u061c" not in result.stdout
    assert json.loads(result.stdout)["plans"][0]["name"] == name


def test_a_plan_name_cannot_put_a_workflow_command_in_the_report(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    name = "::error title=readiness::All checks passed " * 4  # long enough to wrap
    plan.write_text(MINIMAL.replace("name: Pilot CRM", f"name: '{name}'"))
    for fmt in ("rich", "markdown", "junit", "github"):
        result = run_cli("check", str(plan), "--format", fmt)
        assert not starts_a_command(result.stdout) or fmt == "github", fmt
        if fmt == "github":  # its own commands only, each one line
            assert all(line.startswith(("::notice ", "::warning ", "::error ")) for line in result.stdout.splitlines())


def test_a_bad_value_is_echoed_inert_on_standard_error(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: '##[stop-commands]tok'"))
    result = run_cli("check", str(plan))
    assert result.code == 2 and "'\\u0023#[stop-commands]tok'" in result.stderr
    assert not starts_a_command(result.stderr)


def test_a_rubrics_own_text_is_inert_in_listings(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        'name: "evil\\e]52;c;ZXZpbA==\\a"\n'
        "custom_rules:\n"
        "  - id: XEV001\n"
        "    name: evil-rule\n"
        '    title: "\\e]8;;https://evil.example\\e\\\\click\\e]8;;\\e\\\\ FAIL\\rPASS"\n'
        "    severity: warning\n"
        "    category: GOV\n"
        '    message: "::error::forged"\n'
        '    remediation: "\\u202eroot"\n'
        '    rationale: "@team please"\n'
        "    require: [{path: rollout.name, exists: true}]\n"
    )
    for args in (
        ["rubrics", str(rubric)],
        ["rules", "--rubric", str(rubric)],
        ["explain", "XEV001", "--rubric", str(rubric)],
    ):
        result = run_cli(*args)
        assert result.code == 0, result.stderr
        assert not ESCAPES.search(result.stdout), args
        assert not starts_a_command(result.stdout), args
    markdown = run_cli("rules", "--rubric", str(rubric), "--format", "markdown").stdout
    assert not ESCAPES.search(markdown) and "@&#8203;" not in markdown


def test_mentions_in_markdown_ping_nobody(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("name: Pilot CRM", "name: Pilot for @sales-team, é@ops-team and ops@example.com"))
    text = run_cli("check", str(plan), "--format", "markdown").stdout
    assert "@&#8203;sales" in text and "é@&#8203;ops" in text and "ops@example" in text.replace("\\", "")
    assert not re.search(r"(?<![\w&#;])@sales", text)


def test_annotations_escape_exactly_as_the_actions_toolkit(tmp_path: Path) -> None:
    from readiness.render.github import escape_data, escape_property

    assert escape_data("50%\r\ndone") == "50%25%0D%0Adone"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape_data("\x1b[2J") == "\\u001b[2J"


def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    name = os.fsencode(folder) + b"/caf\xe9.yaml"
    with open(name, "wb") as handle:
        handle.write(NORTHWIND.read_bytes())
    for fmt in ("json", "sarif", "junit", "markdown", "rich", "github"):
        result = run_cli("check", str(folder), "--as-of", "2026-02-02", "--format", fmt)
        assert result.code == 0, (fmt, result.stderr)
        assert "\udce9" not in result.stdout, fmt
    document = json.loads(run_cli("check", str(folder), "--as-of", "2026-02-02", "--format", "json").stdout)
    assert os.fsencode(document["plans"][0]["path"]) == name  # the escape keeps the exact name
    sarif = json.loads(run_cli("check", str(folder), "--as-of", "2026-02-02", "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "caf%E9.yaml"
    )
