"""Shared helpers: run the CLI in-process with separate stdout and stderr."""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from readiness.cli import app

# The suite gates every change, so its property tests draw the same examples on every run: a red
# CI then means the change broke something, never that a new random draw found an old bug.
# `pytest --hypothesis-profile=explore` draws fresh examples, many more of them, to find those.
settings.register_profile("gate", derandomize=True, max_examples=100, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile("gate")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NORTHWIND = EXAMPLES / "northwind.yaml"

MINIMAL = """\
schema_version: 1
rollout:
  name: Pilot CRM
  go_live: 2026-06-01
organisation:
  divisions:
    - {id: sales, name: Sales}
"""


# Best of three: composing Northwind 40 times, on the machine the time budgets were set on.
REFERENCE_SECONDS = 0.075


@functools.cache
def machine_factor() -> float:
    """How much slower this machine runs than the one the budgets were set on, never below 1.

    The workload is the loader's own (libyaml events plus our Python per event), so a slow or
    busy CI machine stretches the budgets of the hostile-input tests by what it actually costs
    there, instead of turning them into coin flips. The budgets stay far below a hang or a
    quadratic blow-up, which is what those tests exist to catch."""
    from readiness.loader import compose

    text = NORTHWIND.read_text()
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(40):
            compose(str(NORTHWIND), text)
        best = min(best, time.perf_counter() - started)
    return max(1.0, best / REFERENCE_SECONDS)


def budget(seconds: float) -> float:
    """A time budget set on the reference machine, scaled to this one."""
    return seconds * machine_factor()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, stdin: bytes | None = None) -> Run:
    runner = CliRunner()
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    result = runner.invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output (review the diff before committing)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def cli() -> object:
    return run_cli


@pytest.fixture
def in_tmp(tmp_path: Path) -> Path:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path  # type: ignore[misc]
    finally:
        os.chdir(old)


def lint_markdown(path: Path) -> str:
    """pymarkdownlnt's findings on a report ("" when clean), with tests/pymarkdown.json: GFM tables
    on; table rows may be long (they cannot be wrapped); a heading may repeat under different
    parents (one section per plan); tables in compact style."""
    import subprocess
    import sys

    config = Path(__file__).parent / "pymarkdown.json"
    done = subprocess.run(
        [sys.executable, "-m", "pymarkdown", "--config", str(config), "scan", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr if done.returncode else ""
