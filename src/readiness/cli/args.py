"""The command line's options, declared once and shared by the commands, and their parsing into
the objects the core takes: run options, output destinations, dates and numbers. A problem is a
usage error: one line on standard error, exit 2."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from readiness.errors import ReadinessError, UsageError
from readiness.findings import FAIL_ON
from readiness.limits import DATE_RANGE, MAX_BYTES
from readiness.project import BUILT_IN_RUBRICS
from readiness.render import DIFF_FORMATS, FORECAST_FORMATS, FORMAT_ALIASES, FORMATS, HISTORY_FORMATS
from readiness.text import one_line

if TYPE_CHECKING:
    from readiness.baseline import Baseline, Recorder
    from readiness.config import Settings
    from readiness.options import RunOptions
    from readiness.output import Destination
    from readiness.rubric import Rubric


def listing(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]


def complete_rules(incomplete: str) -> list[str]:
    from readiness.rules import rule_names

    return sorted(n for n in rule_names() if n.startswith(incomplete) or n.lower().startswith(incomplete.lower()))


def complete(choices: tuple[str, ...] | list[str]) -> Callable[[str], list[str]]:
    return lambda incomplete: [c for c in choices if c.startswith(incomplete)]


# Options shared by several commands, each declared once.
RubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        metavar="RUBRIC",
        show_default="default",
        help=f"Built-in rubric name ({', '.join(BUILT_IN_RUBRICS)}) or a rubric file.",
        autocompletion=complete(BUILT_IN_RUBRICS),
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", show_default="today", help="Evaluation date for waiver expiry, YYYY-MM-DD."
    ),
]
FailOnOption = Annotated[
    str | None,
    typer.Option("--fail-on", metavar="SEVERITY", help=f"Override the rubric: {listing(FAIL_ON)}."),
]
NoWaiversOption = Annotated[
    bool | None,
    typer.Option(
        "--no-waivers/--waivers",
        show_default=False,
        help="Ignore every waiver in the plan (--waivers honours them when the configuration says no-waivers).",
    ),
]
SelectOption = Annotated[
    str | None,
    typer.Option(
        "--select",
        metavar="CODES",
        help="Run only these rules: IDs, slugs or ID prefixes in any case, comma-separated.",
    ),
]
IgnoreOption = Annotated[
    str | None,
    typer.Option("--ignore", metavar="CODES", help="Skip these rules (IDs, slugs or prefixes, in any case)."),
]
MaxBytesOption = Annotated[
    int | None,
    typer.Option(
        "--max-bytes",
        min=1,
        metavar="N",
        show_default=str(MAX_BYTES),
        help="Largest plan or rubric file accepted, in bytes.",
    ),
]
BaselineOption = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        help="Report and gate on what FILE does not record: recorded findings are counted, not listed, and a "
        "plan fails only when what is new makes it not ready.",
    ),
]
WriteBaselineOption = Annotated[
    str | None,
    typer.Option(
        "--write-baseline",
        metavar="FILE",
        help="Record every live and unknown result of the plans checked in FILE (other plans' entries are "
        "kept), then judge the run by it.",
    ),
]
ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Read the settings from FILE (a pyproject.toml's [tool.readiness], or a readiness.toml) instead "
        "of the nearest configuration above the current directory.",
    ),
]
IsolatedOption = Annotated[bool, typer.Option("--isolated", help="Ignore every configuration file.")]


FormatsOption = Annotated[
    list[str],
    typer.Option(
        "--format",
        metavar="FMT[=FILE]",
        show_default="rich; github when GITHUB_ACTIONS is true",
        help=f"{listing(list(FORMATS))}, optionally to a file (- is standard output); repeatable.",
        autocompletion=complete(list(FORMATS)),
    ),
]


def _one_format(registry: dict[str, Any]) -> Any:
    """The ``--format FMT[=FILE]`` option of a command that writes one format of ``registry``."""
    return typer.Option(
        "--format",
        metavar="FMT[=FILE]",
        help=f"{listing(list(registry))}, optionally to a file (- is standard output).",
        autocompletion=complete(list(registry)),
    )


DiffFormatOption = Annotated[str, _one_format(DIFF_FORMATS)]
ForecastFormatOption = Annotated[str, _one_format(FORECAST_FORMATS)]
HistoryFormatOption = Annotated[str, _one_format(HISTORY_FORMATS)]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the single --format to FILE; alone, the format is told by FILE's extension: "
        + ", ".join(f"{' '.join(f.extensions)} {f.name}" for f in FORMATS.values() if f.extensions)
        + ".",
    ),
]
MinScoreOption = Annotated[
    str | None, typer.Option("--min-score", metavar="N", help="Override the rubric's pass score (0-100).")
]
StatisticsOption = Annotated[
    bool, typer.Option("--statistics", help="Counts per rule instead of the list of findings.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="One verdict line per plan.")]
QuietReadyOption = Annotated[
    bool,
    typer.Option(
        "--quiet-ready",
        help="One verdict line per ready plan, the full report of each plan that is not ready (what the "
        "pre-commit hook shows).",
    ),
]
ExitZeroOption = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 where the exit code would be 1.")]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        metavar="N",
        show_default="0",
        help="Processes for many plans, at most one per usable core; 0 uses every core.",
    ),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Print a traceback on an internal error.")]


def err(line: str) -> None:
    """One line on standard error. A standard error that is closed (``2>&-``) or whose reader went
    away (``2>&1 | head -c0``) loses the line, never the run: reports are still written and the
    exit code is still the plans'."""
    stderr(line + "\n")


def stderr(text: str) -> None:
    stream = sys.stderr
    if stream is None or stream is _lost[0]:  # closed when the process started, or since
        return
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):  # a broken pipe, a full device, a closed stream
        _discard_stderr(stream)


_lost: list[object] = [None]  # a standard error that failed, and is no longer written to


def _discard_stderr(stream: Any) -> None:
    """Stop writing to a standard error that failed. When it is the process's own, descriptor 2
    is pointed at /dev/null, so that what its buffer still holds and the interpreter's flush at
    exit go there instead of meeting the failure again."""
    _lost[0] = stream
    with contextlib.suppress(OSError, ValueError):
        if stream.fileno() == 2:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
            stream.flush()


def usage(message: str) -> NoReturn:
    err(f"readiness: error: {one_line(message)}")  # it may quote what was typed
    raise typer.Exit(2)


def failed(exc: ReadinessError, *more: str) -> NoReturn:
    """A file that could not be read (a configuration, rubric or baseline): its error lines,
    then ``more``, on standard error, and exit 2."""
    for line in (*exc.lines(), *more):
        err(line)
    raise typer.Exit(2) from None


def parse_date(value: str, option: str = "--as-of") -> dt.date:
    from readiness.types import parse_date

    try:
        return parse_date(value)
    except Exception:  # noqa: BLE001 - a pydantic custom error with a clear message
        usage(f"{option}: expected a date YYYY-MM-DD from {DATE_RANGE}, got '{value}'")


def parse_score(value: str, option: str) -> Any:
    """A number from 0 to 100 given on the command line."""
    from readiness.types import parse_number

    try:
        number = parse_number(value)
    except Exception as exc:  # noqa: BLE001 - a pydantic custom error with a clear message
        message = getattr(exc, "message", None)
        usage(f"{option}: expected a number from 0 to 100: {message() if callable(message) else exc}")
    if not 0 <= number <= 100:
        usage(f"{option}: expected a number from 0 to 100, got '{value}'")
    return number


def project(config: str | None, isolated: bool) -> Settings:
    """The settings of the project configuration (``--config``, ``--isolated``, or the nearest
    file); a bad file is reported like a plan error and exits 2."""
    from pathlib import Path

    from readiness.config import ConfigError, project_settings

    if config is not None and isolated:
        usage("--config and --isolated cannot be combined: --isolated reads no configuration file")
    try:
        return project_settings(Path.cwd(), config=Path(config) if config is not None else None, isolated=isolated)
    except ConfigError as exc:
        failed(exc)
    except ValueError as exc:
        usage(f"--config {exc}")


def flags(
    settings: Settings,
    *,
    rubric: str | None = None,
    as_of: str | None = None,
    fail_on: str | None = None,
    min_score: str | None = None,
    no_waivers: bool | None = None,
    select: str | None = None,
    ignore: str | None = None,
    max_bytes: int | None = None,
    **more: Any,
) -> Settings:
    """``settings`` with the flags given laid over them, each parsed into the setting's type; a
    malformed flag is a usage error (exit 2)."""
    if fail_on is not None and fail_on not in FAIL_ON:
        usage(f"--fail-on: expected {listing(FAIL_ON)}, got '{fail_on}'")
    return settings.given(
        rubric=rubric,
        as_of=parse_date(as_of) if as_of is not None else None,
        fail_on=fail_on,
        min_score=parse_score(min_score, "--min-score") if min_score is not None else None,
        no_waivers=no_waivers,
        select=codes(select),
        ignore=codes(ignore),
        max_bytes=max_bytes,
        **more,
    )


def run_options(settings: Settings) -> RunOptions:
    """The run's options from the settings in force; any problem is a usage error (exit 2)."""
    loaded = loaded_rubric(settings.rubric, settings.max_bytes)
    try:
        return settings.run_options(loaded, settings.as_of or dt.date.today())
    except UsageError as exc:
        usage(str(exc))


def codes(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(code.strip() for code in value.split(",") if code.strip())


def loaded_rubric(reference: str, max_bytes: int = MAX_BYTES) -> Rubric:
    """The named rubric; a bad one is reported like a plan error and exits 2."""
    from readiness.rubric import load_rubric

    try:
        return load_rubric(reference, max_bytes)
    except ReadinessError as exc:
        failed(exc)


def format_spec(spec: str, known: dict[str, Any]) -> tuple[str, str | None]:
    """``FMT[=FILE]``: a known format, and its file (None for standard output, as ``-`` is)."""
    name, _, file = spec.partition("=")
    name = FORMAT_ALIASES.get(name, name)
    if name not in known:
        usage(f"--format: unknown format '{name}' (available: {', '.join(known)})")
    return name, None if file in ("", "-") else file


def inferred_format(file: str) -> str:
    """The format ``-o FILE`` alone writes, from the file's extension (``-`` is the terminal
    report); a name no format claims is a usage error naming the formats there are."""
    from readiness.render import format_for_file

    if file == "-":
        return "rich"
    name = format_for_file(file)
    if name is None:
        extension = os.path.splitext(file)[1]
        what = f"no format writes {extension} files" if extension else "no extension to tell the format by"
        known = ", ".join(f"{f.name} ({' '.join(f.extensions)})" if f.extensions else f.name for f in FORMATS.values())
        usage(f"--output {file}: {what}; name one with --format (formats: {known})")
    return name


def destination(file: str | None) -> Destination:
    from readiness import output

    try:
        return output.stdout() if file is None else output.destination(file)
    except UsageError as exc:
        usage(str(exc))


def no_clobber(
    reports: list[tuple[str, Destination]],
    plans: list[str],
    options: RunOptions,
    others: tuple[tuple[str, str], ...] = (),
) -> None:
    """No report replaces another report of the run, a plan being checked (standard input's
    included), a rubric file read, or one of ``others`` (what, path) that the run reads."""
    from readiness import output

    inputs = [("plan", path, output.input_identity(path)) for path in plans if path != "-"]
    inputs += [(what, path, output.input_identity(path)) for what, path in others]
    inputs += [("rubric", path, output.input_identity(path)) for path in options.rubric.files]
    if "-" in plans and (behind_stdin := output.stdin_identity()) is not None:
        inputs.append(("plan read from standard input", "-", behind_stdin))
    try:
        output.check_targets(reports, inputs)
    except UsageError as exc:
        usage(str(exc))


def baseline_for(file: str, max_bytes: int) -> Baseline:
    """The baseline ``--baseline`` names; a missing or broken file exits 2."""
    from readiness.baseline import BaselineError, load_baseline

    if not os.path.lexists(file):
        usage(f"--baseline {file}: no such file; record one with --write-baseline {file}")
    try:
        return load_baseline(file, max_bytes)
    except BaselineError as exc:
        failed(exc)


def recorder_for(file: str, max_bytes: int) -> Recorder:
    """What ``--write-baseline`` builds on: the file it replaces, when that is a baseline (its
    entries for plans not checked now are kept); a file that is not one exits 2, unreplaced."""
    from readiness.baseline import BaselineError, Recorder, empty, load_baseline

    if not os.path.isfile(file):
        return Recorder(empty(file))
    try:
        return Recorder(load_baseline(file, max_bytes))
    except BaselineError as exc:
        failed(
            exc,
            f"readiness: error: --write-baseline {one_line(file)}: not a baseline, so not replaced; remove it first",
        )
