"""Shared helpers: run the CLI in-process with separate stdout and stderr."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from readiness.cli import app

from .catalogue import CATALOGUE_V1, v1_catalogue

__all__ = ["CATALOGUE_V1", "v1_catalogue"]

# The suite gates every change, so its property tests draw the same examples on every run: a red
# CI then means the change broke something, never that a new random draw found an old bug.
# `pytest --hypothesis-profile=explore` draws fresh examples, many more of them, to find those.
settings.register_profile("gate", derandomize=True, max_examples=100, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile("gate")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NORTHWIND = EXAMPLES / "northwind.yaml"
V1_CLI = ROOT / "tests" / "v1_cli.py"

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


def options(rubric: str = "default", as_of: dt.date = dt.date(2026, 2, 2), **overrides: Any) -> Any:
    """Run options for a test that pins numbers: the rubric loaded over the v1 catalogue."""
    from readiness.options import RunOptions
    from readiness.rubric import load_rubric

    with v1_catalogue():
        return RunOptions.make(load_rubric(rubric), as_of, **overrides)


def view(run_options: Any, **kwargs: Any) -> Any:
    """What renderers are told about a run, for tests that call them directly."""
    from readiness.reporting import run_view

    return run_view(run_options, "test", **kwargs)


def run_cli(*args: str, stdin: bytes | None = None, live: bool = False, env: dict[str, str] | None = None) -> Run:
    """The command line, in process, with separate stdout and stderr, over the v1 catalogue
    (CATALOGUE_V1) unless ``live``. ``env`` adds to the environment."""
    runner = CliRunner()
    environment: dict[str, str | None] = {"NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    with contextlib.nullcontext() if live else v1_catalogue():
        result = runner.invoke(app, list(args), input=stdin, env=environment, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(
    *args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None, live: bool = False
) -> Run:
    """The console entry point in a process of its own, as a user or a CI job starts it: over the
    v1 catalogue (tests/v1_cli.py) unless ``live``, which runs ``python -m readiness ARGS``."""
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    environment.update({"NO_COLOR": "1", "COLUMNS": "100", **(env or {})})
    done = subprocess.run(
        [sys.executable, "-m", "readiness", *args] if live else [sys.executable, str(V1_CLI), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd or ROOT,
        env=environment,
    )
    return Run(done.returncode, done.stdout, done.stderr)


#: What a CI runner sets that changes the command line's behaviour; the suite runs without them
#: (a test that wants one sets it), so that it gives the same answers in CI and at a desk.
CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")


@pytest.fixture(autouse=True)
def _no_ci_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


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


def lint_markdown(path: Path, *disabled: str) -> str:
    """pymarkdownlnt's findings on a report ("" when clean), with tests/pymarkdown.json: GFM tables
    on; table rows may be long (they cannot be wrapped); a heading may repeat under different
    parents (one section per plan); tables in compact style. ``disabled`` turns rules off."""
    import subprocess
    import sys

    config = Path(__file__).parent / "pymarkdown.json"
    off = ["--disable-rules", ",".join(disabled)] if disabled else []
    done = subprocess.run(
        [sys.executable, "-m", "pymarkdown", "--config", str(config), *off, "scan", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr if done.returncode else ""


def check_generated(path: Path, text: str, update: bool) -> None:
    """A generated file must be what the code generates now. ``python -m pytest --update-goldens``
    rewrites it instead (review the diff before committing)."""
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists() and path.read_text(encoding="utf-8") == text, (
        f"{path.relative_to(ROOT)} is out of date: run python -m pytest --update-goldens and review the diff"
    )
