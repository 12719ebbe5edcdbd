"""Where users work: the command reference, every command's help, the pre-commit hooks, the
GitHub Action, the documentation links, and the small public API."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import typer
import yaml

import readiness
from readiness.cli import app
from readiness.errors import PlanError
from readiness.reference import cli as clidoc

from .conftest import EXAMPLES, ROOT, check_generated, run_cli

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_command_reference_is_generated_from_the_cli(update_goldens: bool) -> None:
    check_generated(ROOT / "docs" / "cli.md", clidoc.render(typer.main.get_command(app)), update_goldens)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0 and result.stderr == ""
    assert f"Usage: readiness {command}" in " ".join(result.stdout.split())
    assert f"## readiness {command}\n" in (ROOT / "docs" / "cli.md").read_text()


def test_commands_are_the_documented_set() -> None:
    assert COMMANDS == [
        "check",
        "config",
        "diff",
        "explain",
        "forecast",
        "history",
        "init",
        "lsp",
        "rubrics",
        "rules",
        "schema",
    ]


def test_readme_links_existing_docs_and_its_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    for path in re.findall(r"`((?:docs|bench)/[\w.-]+\.md)`", readme):
        assert (ROOT / path).is_file(), path
    for command in re.findall(r"^readiness (\w+)", readme, re.MULTILINE):
        assert command in COMMANDS


def test_pre_commit_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"readiness", "readiness-rubric"}
    assert (
        hooks["readiness"]["entry"] == "readiness check --quiet-ready"
        and hooks["readiness-rubric"]["entry"] == "readiness rubrics"
    )
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types"] == ["yaml"]
    plans = re.compile(hooks["readiness"]["files"])
    assert all(plans.search(p) for p in ("plans/acme.yaml", "sub/plan/x.yml", "acme.plan.yaml"))
    assert not any(plans.search(p) for p in (".github/workflows/ci.yml", "rubrics/gate.yaml", "plan.yaml.txt"))
    rubrics = re.compile(hooks["readiness-rubric"]["files"])
    assert rubrics.search("rubrics/gate.yaml") and rubrics.search("x.rubric.yml") and not rubrics.search("plans/a.yaml")


def test_github_action_definition() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    inputs = set(action["inputs"])
    steps = action["runs"]["steps"]
    used = set()
    for step in steps:
        text = yaml.safe_dump(step)
        used |= set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= inputs and {"paths", "rubric", "sarif", "upload-sarif"} <= used
    check = next(s for s in steps if s.get("id") == "check")
    assert "readiness check $PATHS" in check["run"] and "--format github" in check["run"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-workflow.yml").read_text())
    step = workflow["jobs"]["readiness"]["steps"][-1]
    assert set(step["with"]) <= inputs


def test_public_api(tmp_path: Path) -> None:
    doc, plan = readiness.load_plan(str(EXAMPLES / "northwind.yaml"))
    assert plan.rollout.go_live == dt.date(2026, 6, 1) and doc.locate(("rollout",)) == (5, 3)
    result = readiness.check(str(EXAMPLES / "northwind.yaml"), rubric="strict", as_of=dt.date(2026, 2, 2))
    assert (result.verdict, result.exit_code) == ("not_ready", 1)
    assert {r.rule for r in result.findings} >= {"INV002", "TRAIN002", "PLAN003"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- no\n")
    with pytest.raises(PlanError) as info:
        readiness.load_plan(str(bad))
    assert info.value.lines() == [f"{bad}:1:1: error: the top level is a list; it must be a mapping"]
    assert readiness.check(str(bad)).exit_code == 2
    assert (readiness.load_plan.__doc__ or "").strip() and (readiness.check.__doc__ or "").strip()
