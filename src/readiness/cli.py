"""The ``readiness`` command line. Parses options, calls the core, picks renderers, writes output
and maps the result to an exit code; no checking logic lives here."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, NoReturn

import typer

from readiness import SCHEMA_URL, __version__
from readiness.errors import ReadinessError, UsageError
from readiness.render import FORMAT_ALIASES, FORMATS
from readiness.text import one_line

FORMAT_NAMES = tuple(FORMATS)
FORMAT_LIST = ", ".join(FORMAT_NAMES[:-1]) + " or " + FORMAT_NAMES[-1]

app = typer.Typer(
    name="readiness",
    help="Judge a CRM rollout plan on its people risks before launch.\n\n"
    "Validates a plan (YAML, format v1), runs the rule catalogue, scores it against a rubric and "
    "gives a verdict: exit 0 ready, 1 not ready, 2 invalid input or usage, 3 internal error.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_rules(incomplete: str) -> list[str]:
    from readiness.rules import rule_names

    return sorted(n for n in rule_names() if n.startswith(incomplete) or n.lower().startswith(incomplete.lower()))


def _complete_formats(incomplete: str) -> list[str]:
    return [f for f in FORMAT_NAMES if f.startswith(incomplete)]


def _complete_rubrics(incomplete: str) -> list[str]:
    return [r for r in ("default", "strict", "sales-led") if r.startswith(incomplete)]


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


def _usage(message: str) -> NoReturn:
    _err(f"readiness: error: {one_line(message)}")  # it may quote what was typed
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"readiness {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Judge a CRM rollout plan on its people risks before launch."""


def _as_of(value: str | None, option: str = "--as-of") -> dt.date:
    if value is None:
        return dt.date.today()
    from readiness.types import parse_date

    try:
        return parse_date(value)
    except Exception:  # noqa: BLE001 - a pydantic custom error with a clear message
        _usage(f"{option}: expected a date YYYY-MM-DD from 1900-01-01 to 2199-12-31, got '{value}'")


def _formats(specs: list[str], output: str | None) -> list[tuple[str, str | None]]:
    chosen: list[tuple[str, str | None]] = []
    for spec in specs or ["rich"]:
        name, _, file = spec.partition("=")
        name = FORMAT_ALIASES.get(name, name)
        if name not in FORMATS:
            _usage(f"--format: unknown format '{name}' (available: {', '.join(FORMAT_NAMES)})")
        chosen.append((name, _file(file)))
    to_stdout = [name for name, file in chosen if file is None]
    if output is not None:
        if not specs or len(specs) != 1 or chosen[0][1] is not None:
            _usage("--output needs exactly one --format, given without =FILE")
        chosen = [(chosen[0][0], _file(output))]
    elif len(to_stdout) > 1:
        _usage(f"only one --format may write to standard output (got {', '.join(to_stdout)}); add =FILE to the others")
    return chosen


def _reason(exc: Exception) -> str:
    """The message of a value error from the number and date parsers, as one line."""
    message = getattr(exc, "message", None)
    return one_line(message() if callable(message) else str(exc))


def _file(name: str) -> str | None:
    """An output file as given; none (standard output) for an empty name or ``-``, as usual."""
    return None if name in ("", "-") else name


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [code.strip() for code in value.split(",") if code.strip()]


@app.command()
def check(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN", show_default=False, help="Plan files, directories, globs, or - for standard input."
        ),
    ],
    rubric: Annotated[
        str,
        typer.Option(
            metavar="RUBRIC",
            help="Built-in rubric name (default, strict, sales-led) or a rubric file.",
            autocompletion=_complete_rubrics,
        ),
    ] = "default",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="DATE", show_default="today", help="Evaluation date for waiver expiry, YYYY-MM-DD."
        ),
    ] = None,
    formats: Annotated[
        list[str],
        typer.Option(
            "--format",
            metavar="FMT[=FILE]",
            show_default="rich",
            help=f"{FORMAT_LIST}, optionally to a file (- is standard output); repeatable.",
            autocompletion=_complete_formats,
        ),
    ] = [],  # noqa: B006
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write the single --format to FILE.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", metavar="SEVERITY", help="Override the rubric: error, warning, info or never."),
    ] = None,
    min_score: Annotated[
        str | None, typer.Option("--min-score", metavar="N", help="Override the rubric's pass score (0-100).")
    ] = None,
    select: Annotated[
        str | None,
        typer.Option(metavar="CODES", help="Run only these rules: IDs, slugs or ID prefixes, comma-separated."),
    ] = None,
    ignore: Annotated[
        str | None, typer.Option(metavar="CODES", help="Skip these rules (IDs, slugs or prefixes).")
    ] = None,
    no_waivers: Annotated[bool, typer.Option("--no-waivers", help="Ignore every waiver in the plan.")] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Counts per rule instead of the list of findings.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="One verdict line per plan.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 where the exit code would be 1.")] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Largest plan or rubric file accepted, in bytes.")
    ] = 8 * 1024 * 1024,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            metavar="N",
            help="Processes for many plans, at most one per usable core; 0 uses every core.",
        ),
    ] = 0,
    debug: Annotated[bool, typer.Option("--debug", help="Print a traceback on an internal error.")] = False,
) -> None:
    """Validate and check plans; report; exit with the verdict (0 ready, 1 not ready, 2 invalid, 3 bug).

    Reports are written whole or not at all, all of a run together, and never over a plan or
    rubric of the run or over another report of it."""
    from decimal import Decimal

    from readiness import output as out
    from readiness.batch import Policy
    from readiness.pipeline import expand_plans
    from readiness.rubric import select_rules
    from readiness.types import parse_number

    when = _as_of(as_of)
    chosen = _formats(formats, output)
    if fail_on is not None and fail_on not in ("error", "warning", "info", "never"):
        _usage(f"--fail-on: expected error, warning, info or never, got '{fail_on}'")
    score_floor: Decimal | None = None
    if min_score is not None:
        try:
            score_floor = parse_number(min_score)
        except Exception as exc:  # noqa: BLE001 - a pydantic custom error with a clear message
            _usage(f"--min-score: expected a number from 0 to 100: {_reason(exc)}")
        if not 0 <= score_floor <= 100:
            _usage(f"--min-score: expected a number from 0 to 100, got '{min_score}'")
    if plans.count("-") > 1:
        _usage("- (standard input) may be given once")
    destinations = [(name, _destination(file)) for name, file in chosen]
    policy = _rubric(rubric, max_bytes)
    try:
        enabled = select_rules(policy, _codes(select), _codes(ignore))
    except UsageError as exc:
        _usage(str(exc))
    spec = Policy(rubric, max_bytes, fail_on, score_floor, no_waivers, frozenset(enabled))
    spec.apply(policy)
    _settle()

    paths, unmatched = expand_plans(plans)
    if not paths:
        _usage("no plan found: " + ", ".join(f"'{one_line(a)}' matches no file" for a in unmatched))
    inputs = [("plan", path, out.input_identity(path)) for path in paths if path != "-"]
    inputs += [("rubric", path, out.input_identity(path)) for path in policy.files]
    if "-" in paths and (behind_stdin := out.stdin_identity()) is not None:
        inputs.append(("plan read from standard input", "-", behind_stdin))
    try:
        out.check_targets([(f"{name} report", dest) for name, dest in destinations], inputs)
    except UsageError as exc:
        _usage(str(exc))
    order = sorted([*paths, *unmatched], key=lambda path: (path != "-", path))
    code = _report(order, set(unmatched), destinations, policy, spec, when, jobs, statistics, quiet, debug)
    if exit_zero and code == 1:
        code = 0
    raise typer.Exit(code)


def _destination(file: str | None) -> Any:
    from readiness import output as out

    try:
        return out.stdout() if file is None else out.destination(file)
    except UsageError as exc:
        _usage(str(exc))


def _report(
    order: list[str],
    unmatched: set[str],
    destinations: list[tuple[str, Any]],
    policy: Any,
    spec: Any,
    when: dt.date,
    jobs: int,
    statistics: bool,
    quiet: bool,
    debug: bool,
) -> int:
    """Check the plans in report order, writing every report as they come; put the reports in
    place together at the end. Returns the exit code of the plans."""
    from dataclasses import replace

    from readiness import output as out
    from readiness.batch import check_many
    from readiness.errors import Problem
    from readiness.findings import PlanResult
    from readiness.render import FORMATS, Run

    run = Run(policy, when, __version__, plans=len(order), enabled=spec.enabled, statistics=statistics)
    outputs = out.Outputs()
    writers = []
    on_stdout = [name for name, dest in destinations if dest.kind == "fd" and dest.fd == 1]
    for name, dest in destinations:
        terminal = name == "rich" and dest.kind == "fd" and dest.fd == 1
        view = replace(run, quiet=quiet and terminal, color=terminal and _color(), width=_width() if terminal else 100)
        writers.append((FORMATS[name].start(view), outputs.open(dest, FORMATS[name].machine)))
    if not on_stdout:  # every report goes to a file: standard output gets the verdict lines
        writers.append((FORMATS["rich"].start(replace(run, quiet=True)), outputs.open(out.stdout(), False)))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and any(name == "github" for name, _ in destinations):
        writers.append((FORMATS["markdown"].start(run), outputs.open(out.append_to(summary_file), True)))
    code = 0
    checked = [path for path in order if path not in unmatched]
    try:
        with _progress(len(order), enabled=on_stdout in ([], ["rich"]) and len(order) > 1) as advance:
            results = iter(check_many(checked, policy, spec, when, jobs))
            for path in order:
                if path in unmatched:
                    result = PlanResult(path, "", None, None, exit_code=2, errors=[Problem("matches no plan file")])
                else:
                    result = next(results)
                advance(result)
                _print_errors(result, debug)
                code = max(code, result.exit_code)
                for renderer, report in writers:
                    report.body.write(renderer.plan(result))
        for renderer, report in writers:
            report.head, report.tail = renderer.finish()
        outputs.prepare()
        outputs.commit()
        outputs.write_streams()
    except out.OutputError as exc:
        _err(f"readiness: error: {exc}")
        return 2
    except BrokenPipeError:
        # the reader of standard output left (`| head`): the exit code still says what the plans
        # are, so a pipeline that stops reading early cannot turn an invalid plan into a pass
        _quiet_stdout()
    finally:
        outputs.close()
    return code


def _print_errors(r: Any, debug: bool) -> None:
    if debug and r.debug:
        sys.stderr.write(r.debug)
    for problem in r.errors:
        _err(problem.render(r.path) if r.exit_code != 3 else f"{one_line(r.path)}: {problem.message}")
    if r.errors_omitted:
        _err(f"{one_line(r.path)}: error: {r.errors_omitted} more error(s) not shown")


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's own flush at exit does not
    report the broken pipe a second time."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[object], None]]:
    """A progress bar on standard error, only when it is a terminal (never in machine output)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda result: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("plans", total=total)
        yield lambda result: progress.advance(task)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _width() -> int:
    """The terminal's width, at most 120. A terminal that reports no size (``script``, ``docker run
    -t``, some CI runners say 0 columns) gets ``COLUMNS`` or 80; off a terminal, 100."""
    if not sys.stdout.isatty():
        return 100
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        columns = 0
    if columns <= 0:
        given = os.environ.get("COLUMNS", "")
        columns = int(given) if given.isdigit() and 0 < int(given) < 10_000 else 80
    return max(40, min(columns, 120))


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The earlier version of the plan.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later version of the plan.")],
    rubric: Annotated[str, typer.Option(metavar="RUBRIC", help="Built-in rubric name or a rubric file.")] = "default",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="DATE", show_default="today", help="Evaluation date for waiver expiry, YYYY-MM-DD."
        ),
    ] = None,
    no_waivers: Annotated[bool, typer.Option("--no-waivers", help="Ignore every waiver in both plans.")] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="SEVERITY",
            help="Override the rubric: error, warning, info or never. New live findings at or above it make NEW worse.",
        ),
    ] = None,
    max_score_drop: Annotated[
        str,
        typer.Option(
            "--max-score-drop",
            metavar="N",
            help="Points the exact score may fall before NEW is worse; any fall is worse by default.",
        ),
    ] = "0",
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FMT[=FILE]",
            help="rich, markdown or json, optionally to a file (- is standard output).",
        ),
    ] = "rich",
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Largest plan or rubric file accepted, in bytes.")
    ] = 8 * 1024 * 1024,
) -> None:
    """Compare two versions of a plan: findings introduced, resolved, persisting, waived and no longer
    waived, and the change of score and verdict. Exit 1 when NEW is worse than OLD (its verdict fell,
    a live finding at a blocking severity is new, or its score fell by more than --max-score-drop),
    0 otherwise, 2 on invalid input."""
    from readiness.batch import check_one
    from readiness.diff import compare
    from readiness.output import write_atomic, write_stdout
    from readiness.render import diff as render_diff
    from readiness.types import parse_number

    when = _as_of(as_of)
    name, _, given = fmt.partition("=")
    name, file = FORMAT_ALIASES.get(name, name), _file(given)
    if name not in ("rich", "markdown", "json"):
        _usage(f"--format: unknown format '{name}' (available: rich, markdown, json)")
    if fail_on is not None and fail_on not in ("error", "warning", "info", "never"):
        _usage(f"--fail-on: expected error, warning, info or never, got '{fail_on}'")
    try:
        drop = parse_number(max_score_drop)
    except Exception as exc:  # noqa: BLE001 - a pydantic custom error with a clear message
        _usage(f"--max-score-drop: expected a number from 0 to 100: {_reason(exc)}")
    if not 0 <= drop <= 100:
        _usage(f"--max-score-drop: expected a number from 0 to 100, got '{max_score_drop}'")
    if old == "-" and new == "-":
        _usage("- (standard input) may be given once")
    _writable([file])
    policy = _rubric(rubric, max_bytes)
    _no_clobber([(f"{name} diff", file)] if file else [], [old, new], policy)
    if no_waivers:
        policy.waivers = "forbidden"
    if fail_on is not None:
        policy.fail_on = fail_on
    enabled = {rule_id for rule_id in policy.rules if policy.runs(rule_id)}
    results = [check_one(path, policy, when, enabled, max_bytes) for path in (old, new)]
    for r in results:
        for problem in r.errors:
            _err(problem.render(r.path) if r.exit_code != 3 else f"{r.path}: {problem.message}")
    if any(r.verdict is None for r in results):
        raise typer.Exit(max(r.exit_code for r in results))
    change = compare(results[0], results[1], drop, policy.fail_on)
    if name == "json":
        text = render_diff.render_json(change, policy, when, __version__)
    elif name == "markdown":
        text = render_diff.render_markdown(change)
    else:
        text = render_diff.render_rich(change, color=_color() and not file, width=_width())
    if file:
        write_atomic(file, text)
    else:
        write_stdout(text, machine=name != "rich")
    raise typer.Exit(change.exit_code)


@app.command()
def schema(
    rubric: Annotated[bool, typer.Option("--rubric", help="The schema of rubric files instead of plans.")] = False,
) -> None:
    """Print the JSON Schema of plan format v1 (or of rubric files), for editors and validators.

    The same schemas are published as schema/plan-v1.json and schema/rubric-v1.json."""
    import json

    from readiness.model import plan_schema, rubric_schema
    from readiness.output import write_stdout

    text = json.dumps(rubric_schema() if rubric else plan_schema(), indent=2, ensure_ascii=False)
    write_stdout(text + "\n", machine=True)


@app.command()
def init(
    path: Annotated[str, typer.Argument(metavar="PATH", help="Where to write the starter plan.")] = "plan.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    kickoff: Annotated[
        str | None,
        typer.Option(
            "--kickoff",
            metavar="DATE",
            show_default="next Monday",
            help="The starter plan's kickoff, YYYY-MM-DD; its other dates keep their distance to it.",
        ),
    ] = None,
) -> None:
    """Write a commented starter plan, itself a valid plan, with the editor schema modeline. Its
    dates start from the coming Monday (or --kickoff), so go-live lies ahead as in a real plan."""
    import re
    from importlib import resources

    from readiness.output import write_atomic

    if os.path.lexists(path) and not force:
        _usage(f"{path} already exists; use --force to overwrite it")
    start = _as_of(kickoff, "--kickoff") if kickoff else _next_monday(dt.date.today())
    _writable([path])
    from readiness.types import DATE_MAX

    text = resources.files("readiness").joinpath("starter.yaml").read_text(encoding="utf-8")
    pattern = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
    span = max(dt.date.fromisoformat(found) for found in pattern.findall(text)) - STARTER_KICKOFF
    if start + span > DATE_MAX:
        _usage(
            f"--kickoff: the starter plan runs {span.days} days from kickoff, past {DATE_MAX}; choose an earlier date"
        )
    shift = start - STARTER_KICKOFF
    text = pattern.sub(lambda m: (dt.date.fromisoformat(m[0]) + shift).isoformat(), text)
    write_atomic(path, text.replace("{SCHEMA_URL}", SCHEMA_URL))
    _err(f"wrote {path}; check it with: readiness check {path}")


STARTER_KICKOFF = dt.date(2026, 1, 12)  # the kickoff written in starter.yaml, a Monday


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


@app.command("rules")
def list_rules(
    fmt: Annotated[str, typer.Option("--format", metavar="FMT", help="rich (alias table), json or markdown.")] = "rich",
    rubric: Annotated[
        str | None,
        typer.Option(metavar="RUBRIC", help="Also list this rubric's custom rules, with effective severities."),
    ] = None,
) -> None:
    """List every rule: ID, slug, category, default severity and title."""
    from readiness.output import write_stdout
    from readiness.render import catalogue

    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in ("rich", "json", "markdown"):
        _usage(f"--format: unknown format '{fmt}' (available: rich, table, json, markdown)")
    text = catalogue.render_list(fmt, color=_color(), rubric=_rubric(rubric) if rubric else None)
    write_stdout(text, machine=fmt != "rich")


@app.command()
def explain(
    rule: Annotated[
        str,
        typer.Argument(
            metavar="RULE",
            help="A rule ID (LEAD001) or slug (leader-without-commitment).",
            autocompletion=_complete_rules,
        ),
    ],
    rubric: Annotated[
        str | None,
        typer.Option(
            metavar="RUBRIC", help="Explain under this rubric: its custom rules, effective severity and options."
        ),
    ] = None,
) -> None:
    """Explain one rule: what it flags, why, sources, remediation, options, and examples."""
    from readiness.output import write_stdout
    from readiness.render import catalogue

    try:
        write_stdout(catalogue.render_explain(rule, _rubric(rubric) if rubric else None))
    except UsageError as exc:
        _usage(str(exc))


def _rubric(reference: str, max_bytes: int = 8 * 1024 * 1024) -> Any:
    """The named rubric; a bad one is reported like a plan error and exits 2."""
    from readiness.rubric import load_rubric

    try:
        return load_rubric(reference, max_bytes)
    except ReadinessError as exc:
        for line in exc.lines():
            _err(line)
        raise typer.Exit(2) from None


def _writable(files: Iterable[str | None]) -> None:
    """Every output file can be written, or the call is bad (exit 2) before any plan is read."""
    for file in files:
        if file is not None:
            _destination(file)


def _no_clobber(reports: list[tuple[str, str]], plans: list[str], policy: Any) -> None:
    """No report replaces another report of the run, a plan being checked, or a rubric file read."""
    from readiness import output as out

    inputs = [("plan", path, out.input_identity(path)) for path in plans if path != "-"]
    inputs += [("rubric", path, out.input_identity(path)) for path in policy.files]
    if "-" in plans and (behind_stdin := out.stdin_identity()) is not None:
        inputs.append(("plan read from standard input", "-", behind_stdin))
    try:
        out.check_targets([(what, _destination(path)) for what, path in reports], inputs)
    except UsageError as exc:
        _usage(str(exc))


@app.command()
def rubrics(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="RUBRIC", show_default=False, help="Rubric files to validate instead."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Largest rubric file accepted, in bytes.")
    ] = 8 * 1024 * 1024,
) -> None:
    """List the built-in rubrics and what each changes; with files, validate those rubric files
    (exit 2 when one is invalid)."""
    from readiness.output import write_stdout
    from readiness.render import catalogue
    from readiness.rubric import load_rubric

    if not files:
        write_stdout(catalogue.render_rubrics())
        return
    code = 0
    for path in files:
        try:
            rubric = load_rubric(path if path.endswith((".yaml", ".yml")) or "/" in path else f"./{path}", max_bytes)
        except ReadinessError as exc:
            for line in exc.lines():
                _err(line)
            code = 2
            continue
        custom = sum(1 for config in rubric.rules.values() if config.spec.custom is not None)
        noun = "custom rule" if custom == 1 else "custom rules"
        write_stdout(f"{one_line(path)}: valid rubric '{one_line(rubric.name)}' ({custom} {noun})\n")
    raise typer.Exit(code)


_OWN_PROCESS = False  # set by main(): the process exists for this one run and ends with it


def _settle() -> None:
    """When the process is ours, move everything loaded so far (modules, models, the rubric,
    all of which live to the end) out of the cyclic collector's reach: later collections skip
    it, which halves their cost in a many-plan run, and forked workers leave its pages shared
    (the pattern the ``gc.freeze`` documentation gives). Never in a host process (tests, or
    an embedding program), whose objects are not ours to pin."""
    if _OWN_PROCESS:
        import gc

        gc.freeze()


def main() -> None:
    """Console entry point: an internal error is one line and exit 3 (traceback with --debug)."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds like an error: half-written reports are removed

    signal.signal(signal.SIGTERM, terminated)
    try:
        app()
    except SystemExit:
        # Frozen objects are skipped by the collection at interpreter exit, which otherwise
        # walks every object of the finished run: 50-80 ms of a 300 ms single-plan check.
        _settle()
        raise
    except BrokenPipeError:
        os._exit(1)  # the reader went away outside a report (help, a listing); nothing more can be said
    except KeyboardInterrupt:
        _err("readiness: interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        if "--debug" in sys.argv:
            traceback.print_exc()
        _err(
            f"readiness: internal error: {type(exc).__name__}: {one_line(str(exc))}; please report it (rerun with --debug for details)"
        )
        sys.exit(3)
