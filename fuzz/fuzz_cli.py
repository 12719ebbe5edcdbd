"""Fuzz the command line with atheris: a fuzzed plan file and a fuzzed choice of format and
options. The exit code must be 0, 1 or 2 (3 is a bug), with no traceback in any output.

    .venv/bin/python fuzz/fuzz_cli.py -max_total_time=300 fuzz/corpus
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["readiness"]):
    from typer.testing import CliRunner

    from readiness.cli import app

FORMATS = ["rich", "markdown", "json", "sarif", "junit", "github", "codequality"]
RUBRICS = ["default", "strict", "sales-led"]
FOLDER = tempfile.mkdtemp(prefix="readiness-fuzz-")
PLAN = os.path.join(FOLDER, "plan.yaml")
RUNNER = CliRunner()


def one(data: bytes) -> None:
    if len(data) < 2:
        return
    with open(PLAN, "wb") as handle:
        handle.write(data[2:])
    args = [
        "check",
        PLAN,
        "--format",
        FORMATS[data[0] % len(FORMATS)],
        "--rubric",
        RUBRICS[data[1] % len(RUBRICS)],
        "--as-of",
        "2026-02-02",
    ]
    if data[0] & 0x80:
        args.append("--no-waivers")
    result = RUNNER.invoke(app, args, catch_exceptions=True)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.exception, result.stderr[-500:])
    assert "Traceback" not in result.stdout + result.stderr


def main() -> None:
    atheris.Setup(sys.argv, lambda data: one(bytes(data)))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
