"""The language server's test of whether a file is a configured plan agrees with the expansion
``readiness check`` makes of the same plan list, for files, directories and globs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readiness.plan_files import expand_plans, names_plan

FILES = (
    "top.yaml",
    "top.md",
    ".dot/w.yaml",
    "plans/a.yaml",
    "plans/b.yml",
    "plans/notes.md",
    "plans/.hidden.yaml",
    "plans/sub/x.yaml",
    "plans/sub/deeper/y.yml",
    "plans/.git/z.yaml",
    "docs/readme.md",
    "docs/deep/z.yaml",
)
ENTRIES = (
    "plans",
    "plans/",
    "plans/*.yaml",
    "plans/*",
    "plans/.*",
    "plans/[ab].y*ml",
    "plans/**",
    "plans/**/*.yaml",
    "plans/**/",
    "plans/*/*.yaml",
    "**/*.yaml",
    "**/z.yaml",
    "*.yaml",
    "*",
    "docs",
    "top.yaml",
    "plans//a.yaml",
    "plans/sub/../*.yml",
    "nothing/*.yaml",
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("rollout: {}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_file_is_named_exactly_when_the_expansion_finds_it(tree: Path, entry: str) -> None:
    found = {os.path.abspath(path) for path in expand_plans([entry])[0]}
    named = {str(tree / name) for name in FILES if names_plan(entry, name)}
    assert named == found


def test_absolute_entries_and_entries_above_the_current_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree / "docs")
    for entry in (str(tree / "plans" / "*.yaml"), "../plans/*.yaml", "../plans", "../**/z.yaml"):
        found = {os.path.abspath(path) for path in expand_plans([entry])[0]}
        assert found, entry
        assert {str(tree / name) for name in FILES if names_plan(entry, str(tree / name))} == found, entry
