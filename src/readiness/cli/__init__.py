"""The ``readiness`` command line. It parses options, calls the core and maps results to exit
codes; the checking, reporting and writing live in the modules it calls. Options shared by
several commands are declared once, in :mod:`readiness.cli.args`."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from typing import Annotated, Any

import typer

from readiness import __version__
from readiness.cli import console
from readiness.cli.args import (
    AsOfOption,
    BaselineOption,
    ConfigOption,
    DebugOption,
    DiffFormatOption,
    ExitZeroOption,
    FailOnOption,
    ForecastFormatOption,
    FormatsOption,
    HistoryFormatOption,
    IgnoreOption,
    IsolatedOption,
    JobsOption,
    MaxBytesOption,
    MinScoreOption,
    NoWaiversOption,
    OutputOption,
    QuietOption,
    QuietReadyOption,
    RubricOption,
    SelectOption,
    StatisticsOption,
    WriteBaselineOption,
    baseline_for,
    complete_rules,
    destination,
    err,
    flags,
    format_spec,
    inferred_format,
    loaded_rubric,
    no_clobber,
    parse_date,
    parse_score,
    project,
    recorder_for,
    run_options,
    usage,
)
from readiness.errors import ReadinessError, UsageError
from readiness.limits import MAX_BYTES
from readiness.render import DIFF_FORMATS, FORMAT_ALIASES, FORMATS, HISTORY_FORMATS
from readiness.text import one_line

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


def _version(value: bool) -> None:
    if value:
        from readiness.output import write_stdout

        write_stdout(f"readiness {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Judge a CRM rollout plan on its people risks before launch."""


@app.command()
def check(
    plans: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PLAN",
            show_default=False,
            help="Plan files, directories, globs, or - for standard input; by default the configuration's plans.",
        ),
    ] = None,
    rubric_name: RubricOption = None,
    as_of: AsOfOption = None,
    formats: FormatsOption = [],  # noqa: B006
    output: OutputOption = None,
    fail_on: FailOnOption = None,
    min_score: MinScoreOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    no_waivers: NoWaiversOption = None,
    statistics: StatisticsOption = False,
    quiet: QuietOption = False,
    quiet_ready: QuietReadyOption = False,
    exit_zero: ExitZeroOption = False,
    max_bytes: MaxBytesOption = None,
    jobs: JobsOption = None,
    baseline: BaselineOption = None,
    write_baseline: WriteBaselineOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    debug: DebugOption = False,
) -> None:
    """Validate and check plans; report; exit with the verdict (0 ready, 1 not ready, 2 invalid, 3 bug).

    Settings not given as flags come from the project configuration ([tool.readiness] in the
    nearest pyproject.toml, or readiness.toml; see readiness config). Reports are written whole
    or not at all, all of a run together, and never over a plan or rubric of the run or over
    another report of it."""
    from readiness import output as out
    from readiness.pipeline import expand_plans
    from readiness.reporting import Terminal, step_summary, write_reports

    if quiet and quiet_ready:
        usage("--quiet and --quiet-ready cannot be combined: choose one")
    if statistics and quiet_ready:
        usage("--statistics and --quiet-ready cannot be combined: --quiet-ready shows each failing plan in full")
    if baseline is not None and write_baseline is not None:
        usage("--baseline and --write-baseline cannot be combined: a run judged by a new baseline writes it")
    if output is not None and not formats:
        formats = [inferred_format(output)]  # -o report.sarif alone: the format its name says
    settings = flags(
        project(config, isolated), rubric=rubric_name, as_of=as_of, fail_on=fail_on, min_score=min_score,
        no_waivers=no_waivers, select=select, ignore=ignore, max_bytes=max_bytes, jobs=jobs,
        plans=tuple(plans) if plans else None, format=tuple(formats) if formats else None, baseline=baseline,
    )  # fmt: skip
    formats = list(settings.format)
    if not formats and github_actions() and not (quiet or quiet_ready or statistics):
        formats = ["github"]  # annotations on the run's page, as yamllint does there
    chosen = [format_spec(spec, FORMATS) for spec in formats or ["rich"]]
    if output is not None:
        if len(formats) != 1 or chosen[0][1] is not None:
            usage("--output needs exactly one --format, given without =FILE")
        chosen = [(chosen[0][0], None if output == "-" else output)]
    plans = list(settings.plans)
    if not plans:
        usage(
            "no plan given: name plans, or set plans in the project configuration "
            "([tool.readiness] in pyproject.toml, or readiness.toml)"
        )
    to_stdout = [name for name, file in chosen if file is None]
    if len(to_stdout) > 1:
        usage(f"only one --format may write to standard output (got {', '.join(to_stdout)}); add =FILE to the others")
    if plans.count("-") > 1:
        usage("- (standard input) may be given once")
    destinations = [(name, destination(file)) for name, file in chosen]
    options = run_options(settings)
    console.settle()
    paths, unmatched = expand_plans(plans)
    if not paths:
        usage("no plan found: " + ", ".join(f"'{a}' matches no file" for a in unmatched))
    summary = step_summary([name for name, _ in destinations])
    reports = [(f"{name} report", dest) for name, dest in destinations]
    judged_by = None if write_baseline is not None else settings.baseline
    if write_baseline is not None:
        reports.append(("baseline", destination(write_baseline)))
    no_clobber(
        reports + ([("step summary", summary)] if summary else []),
        paths,
        options,
        (("baseline", judged_by),) if judged_by else (),
    )
    recorder = recorder_for(write_baseline, settings.max_bytes) if write_baseline is not None else None
    held = baseline_for(judged_by, settings.max_bytes) if judged_by else None
    order = sorted([*paths, *unmatched], key=lambda path: (path != "-", path))
    outputs = out.Outputs()
    try:
        with console.progress(len(order), enabled=to_stdout in ([], ["rich"]) and len(order) > 1) as advance:

            def reported(result: Any) -> None:
                advance(result)
                console.print_errors(result, debug)

            code = write_reports(
                outputs, order, set(unmatched), destinations, options, __version__, jobs=settings.jobs,
                statistics=statistics, quiet=quiet, quiet_ready=quiet_ready, terminal=Terminal(console.width(), console.color()),
                summary=summary, on_result=reported, baseline=held, recorder=recorder,
            )  # fmt: skip
        if recorder is not None and write_baseline is not None:  # written with the reports, all or none
            outputs.open(reports[-1][1], machine=True).body.write(recorder.text())
        outputs.finish()
    except out.OutputError as exc:
        err(f"readiness: error: {exc}")
        code = 2
    finally:
        outputs.close()
    for warning in outputs.warnings:
        err(warning)
    if outputs.broken_pipe:
        # the reader of standard output left (`| head`): the exit code still says what the plans
        # are, so a pipeline that stops reading early cannot turn an invalid plan into a pass
        console.quiet_stdout()
    raise typer.Exit(0 if exit_zero and code == 1 else code)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The earlier version of the plan.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later version of the plan.")],
    rubric_name: RubricOption = None,
    as_of: AsOfOption = None,
    no_waivers: NoWaiversOption = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="SEVERITY",
            help="Override the rubric: error, warning, info or never. New live findings at or above it make NEW worse.",
        ),
    ] = None,
    max_score_drop: Annotated[
        str | None,
        typer.Option(
            "--max-score-drop",
            metavar="N",
            show_default="0",
            help="Points the exact score may fall before NEW is worse; any fall is worse by default.",
        ),
    ] = None,
    fmt: DiffFormatOption = "rich",
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Compare two versions of a plan: findings introduced, resolved, persisting, waived and no longer
    waived, and the change of score and verdict. Exit 1 when NEW is worse than OLD (its verdict fell,
    a live finding at a blocking severity is new, or its score fell by more than --max-score-drop),
    0 otherwise, 2 on invalid input. Settings not given as flags come from the project configuration."""
    from readiness.batch import check_one
    from readiness.diff import compare
    from readiness.reporting import run_view

    name, file = format_spec(fmt, DIFF_FORMATS)
    drop = parse_score(max_score_drop, "--max-score-drop") if max_score_drop is not None else None
    if old == "-" and new == "-":
        usage("- (standard input) may be given once")
    target = destination(file)
    settings = flags(
        project(config, isolated), rubric=rubric_name, as_of=as_of, fail_on=fail_on, no_waivers=no_waivers,
        select=select, ignore=ignore, max_bytes=max_bytes, max_score_drop=drop,
    )  # fmt: skip
    options = run_options(settings)
    no_clobber([(f"{name} diff", target)] if file else [], [old, new], options)
    results = [check_one(path, options) for path in (old, new)]
    for r in results:
        console.print_errors(r, False)
    if any(r.verdict is None for r in results):
        raise typer.Exit(max(r.exit_code for r in results))
    change = compare(results[0], results[1], settings.max_score_drop, options.policy.fail_on)
    # the terminal's width on standard output, as for check; 100 columns in a file
    view = run_view(options, __version__, color=console.color() and not file, width=100 if file else console.width())
    renderer = DIFF_FORMATS[name].start(view)
    head, tail = renderer.finish()
    text = head + renderer.plan(change) + tail
    written(target, text, machine=DIFF_FORMATS[name].machine or file is not None)
    raise typer.Exit(change.exit_code)


def written(target: Any, text: str, machine: bool) -> None:
    """Write one whole report (``diff``, ``forecast``, ``history``, ``init``): a failure is one line and exit 2; a reader of
    standard output that went away changes no exit code."""
    from readiness.output import OutputError, write_atomic

    try:
        whole = write_atomic(target, text, machine)
    except OutputError as exc:
        err(f"readiness: error: {exc}")
        raise typer.Exit(2) from None
    if not whole:
        console.quiet_stdout()


@app.command()
def forecast(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="The plan file, or - for standard input.")],
    rubric_name: RubricOption = None,
    as_of: AsOfOption = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            show_default="90 days after the last go-live, or after --as-of when later",
            help="The last day to look at, YYYY-MM-DD.",
        ),
    ] = None,
    fmt: ForecastFormatOption = "rich",
    fail_on: FailOnOption = None,
    min_score: MinScoreOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    no_waivers: NoWaiversOption = None,
    exit_zero: ExitZeroOption = False,
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """List every date after --as-of on which a result, a waiver, the score or the verdict would
    change, or a finding's due date pass, if the plan stayed as written. Built-in rules never read
    the date: what changes is waivers expiring, one over max_waivers taking an expired one's place,
    PLAN003 dropping a waiver within max_waiver_days, and due dates passing. Exit as check does
    for --as-of (0 ready, 1 not ready, 2 invalid). Settings not given as flags come from the
    project configuration."""
    from readiness.batch import check_one
    from readiness.render import FORECAST_FORMATS
    from readiness.reporting import run_view

    name, file = format_spec(fmt, FORECAST_FORMATS)
    target = destination(file)
    settings = flags(
        project(config, isolated), rubric=rubric_name, as_of=as_of, fail_on=fail_on, min_score=min_score,
        no_waivers=no_waivers, select=select, ignore=ignore, max_bytes=max_bytes,
    )  # fmt: skip
    options = run_options(settings)
    last = parse_date(until, "--until") if until is not None else None
    if last is not None and last < options.as_of:
        usage(f"--until {last.isoformat()} is before --as-of {options.as_of.isoformat()}")
    no_clobber([(f"{name} forecast", target)] if file else [], [plan], options)
    result = check_one(plan, options, until=last)
    console.print_errors(result, False)
    view = run_view(options, __version__, color=console.color() and not file, width=100 if file else console.width())
    renderer = FORECAST_FORMATS[name].start(view)
    body = renderer.plan(result)
    head, tail = renderer.finish()
    if result.verdict is None and name == "rich":
        raise typer.Exit(result.exit_code)  # its errors, on standard error, are the whole story
    text = head + body + tail
    written(target, text, machine=FORECAST_FORMATS[name].machine or file is not None)
    raise typer.Exit(0 if exit_zero and result.exit_code == 1 else result.exit_code)


@app.command()
def history(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="A plan file in a git repository.")],
    rubric_name: RubricOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            show_default="each commit's date",
            help="Judge every revision as of this date, YYYY-MM-DD, instead of each as of its commit date.",
        ),
    ] = None,
    fmt: HistoryFormatOption = "rich",
    max_count: Annotated[
        int | None,
        typer.Option("--max-count", "-n", min=1, metavar="N", help="Only the N most recent revisions."),
    ] = None,
    fail_on: FailOnOption = None,
    min_score: MinScoreOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    no_waivers: NoWaiversOption = None,
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Check every committed revision of a plan under one rubric and show how it went: commit,
    date, author, verdict, score and category scores, with a sparkline (rich), an SVG line chart
    (markdown) or every revision as JSON. Each revision is judged as of its commit date unless
    --as-of fixes one date; one that is not a valid plan is a row with its error count. Uses git;
    outside a git repository it is an error (exit 2). Settings not given as flags come from the
    project configuration, except its as-of."""
    import dataclasses

    from readiness.history import GitError
    from readiness.history import history as walk
    from readiness.reporting import run_view

    name, file = format_spec(fmt, HISTORY_FORMATS)
    target = destination(file)
    settings = flags(
        project(config, isolated), rubric=rubric_name, as_of=as_of, fail_on=fail_on, min_score=min_score,
        no_waivers=no_waivers, select=select, ignore=ignore, max_bytes=max_bytes,
    )  # fmt: skip
    fixed = settings.as_of if as_of is not None else None  # the configuration's date is not a trend's
    options = run_options(dataclasses.replace(settings, as_of=fixed))
    no_clobber([(f"{name} history", target)] if file else [], [plan], options)
    try:
        _, points = walk(plan, options, fixed, max_count)
    except GitError as exc:
        usage(str(exc))
    view = run_view(options, __version__, color=console.color() and not file, width=100 if file else console.width())
    renderer = HISTORY_FORMATS[name].start(view)
    body = "".join(renderer.plan(point) for point in points)
    head, tail = renderer.finish()
    written(target, head + body + tail, machine=HISTORY_FORMATS[name].machine or file is not None)
    raise typer.Exit(3 if any(p.result.exit_code == 3 for p in points) else 0)


@app.command()
def schema(
    rubric: Annotated[bool, typer.Option("--rubric", help="The schema of rubric files instead of plans.")] = False,
    report: Annotated[
        bool, typer.Option("--report", help="The schema of the --format json report instead of plans.")
    ] = False,
) -> None:
    """Print the JSON Schema of plan format v1 (or of rubric files, or of the JSON report), for
    editors and validators.

    The same schemas are published as schema/plan-v1.json, schema/rubric-v1.json and
    schema/report-v1.json."""
    import json

    from readiness.output import write_stdout

    if rubric and report:
        usage("--rubric and --report name different schemas: give one")
    if rubric:
        from readiness.rubric import rubric_schema as made
    elif report:
        from readiness.reference.report import report_schema as made
    else:
        from readiness.model import plan_schema as made
    write_stdout(json.dumps(made(), indent=2, ensure_ascii=False) + "\n", machine=True)


@app.command("config")
def show_config(
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FMT", help="rich or json.")] = "rich",
) -> None:
    """Print the settings in force in the current directory and where each came from: a line of the
    project configuration ([tool.readiness] in the nearest pyproject.toml, or readiness.toml, found
    by walking up from here; --config names one), or the default. Flags given to check, diff or
    history override them."""
    import json

    from readiness.config import plain, shown
    from readiness.output import write_stdout

    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in ("rich", "json"):
        usage(f"--format: unknown format '{fmt}' (available: rich, json)")
    settings = project(config, isolated)
    if fmt == "json":
        document = {
            "file": settings.file,
            "settings": {key: {"value": plain(value), "source": source} for key, value, source in settings.rows()},
        }
        write_stdout(json.dumps(document, indent=2, ensure_ascii=False) + "\n", machine=True)
        return
    rows = [(key, one_line(shown(key, value)), one_line(source)) for key, value, source in settings.rows()]
    width = max(len(value) for _, value, _ in rows)
    where = "none found, so every setting is its default" if settings.file is None else one_line(settings.file)
    lines = [f"configuration: {'ignored (--isolated)' if isolated else where}", ""]
    lines += [f"{key:<15} {value:<{width}}  {source}" for key, value, source in rows]
    write_stdout("\n".join(line.rstrip() for line in lines) + "\n")


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
    from readiness.starter import next_monday, starter_plan

    if os.path.lexists(path) and not force:
        usage(f"{path} already exists; use --force to overwrite it")
    start = parse_date(kickoff, "--kickoff") if kickoff else next_monday(dt.date.today())
    target = destination(path)
    try:
        text = starter_plan(start)
    except UsageError as exc:
        usage(str(exc))
    written(target, text, machine=True)
    err(f"wrote {one_line(path)}; check it with: readiness check {one_line(path)}")


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
    from readiness.reference import rules

    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in ("rich", "json", "markdown"):
        usage(f"--format: unknown format '{fmt}' (available: rich, table, json, markdown)")
    chosen = loaded_rubric(rubric) if rubric else None
    text = rules.render_list(fmt, color=console.color(), rubric=chosen, width=console.width())
    write_stdout(text, machine=fmt != "rich")


@app.command()
def explain(
    rule: Annotated[
        str,
        typer.Argument(
            metavar="RULE",
            help="A rule ID (LEAD001) or slug (leader-without-commitment).",
            autocompletion=complete_rules,
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
    from readiness.reference import rules

    try:
        write_stdout(rules.render_explain(rule, loaded_rubric(rubric) if rubric else None, console.width()))
    except UsageError as exc:
        usage(str(exc))


@app.command()
def rubrics(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="RUBRIC", show_default=False, help="Rubric files to validate instead."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Largest rubric file accepted, in bytes.")
    ] = MAX_BYTES,
) -> None:
    """List the built-in rubrics and what each changes; with files, validate those rubric files
    (exit 2 when one is invalid)."""
    from readiness.output import write_stdout
    from readiness.reference import rules
    from readiness.rubric import load_rubric

    if not files:
        write_stdout(rules.render_rubrics())
        return
    code = 0
    for path in files:
        try:
            rubric = load_rubric(path if path.endswith((".yaml", ".yml")) or "/" in path else f"./{path}", max_bytes)
        except ReadinessError as exc:
            for line in exc.lines():
                err(line)
            code = 2
            continue
        write_stdout(rules.rubric_line(path, rubric))
    raise typer.Exit(code)


@app.command()
def lsp(
    as_of: AsOfOption = None,
    stdio: Annotated[
        bool,
        typer.Option("--stdio", help="Talk over standard input and output (the only transport; editors may pass it)."),
    ] = False,
) -> None:
    """Start the language server: findings, hovers, waivers and completion in an editor
    (docs/editors.md). Needs the lsp extra: pip install 'readiness[lsp]'."""
    from readiness.lsp import missing, serve

    problem = missing()
    if problem is not None:
        usage(problem)
    raise typer.Exit(serve(parse_date(as_of) if as_of is not None else None))


def github_actions() -> bool:
    """Whether this runs in a GitHub Actions job, which sets ``GITHUB_ACTIONS=true``."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def main() -> None:
    """Console entry point: an internal error is one line and exit 3 (traceback with --debug)."""
    console.OWN_PROCESS = True
    # pydantic looks for plugins through every installed distribution's entry points when it
    # builds its first model (a tenth of a cold start); none is meant for this command, and the
    # documented switch turns the search off for this process only.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    import signal

    from readiness.output import OutputError

    console.claim_standard_descriptors()

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds like an error: half-written reports are removed

    signal.signal(signal.SIGTERM, terminated)
    if hasattr(signal, "SIGHUP"):  # the terminal closed: end as when terminated
        signal.signal(signal.SIGHUP, terminated)
    try:
        app()
    except SystemExit:
        # Frozen objects are skipped by the collection at interpreter exit, which otherwise
        # walks every object of the finished run: 50-80 ms of a 300 ms single-plan check.
        console.settle()
        raise
    except BrokenPipeError:
        os._exit(1)  # the reader went away outside a report (help, a listing); nothing more can be said
    except OutputError as exc:  # a listing that standard output cannot take (closed, full)
        err(f"readiness: error: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err("readiness: interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        if "--debug" in sys.argv:
            from readiness.cli.args import stderr

            stderr(traceback.format_exc())
        err(f"readiness: internal error: {type(exc).__name__}: {one_line(str(exc))}; please report it "
             "(rerun with --debug for details)")  # fmt: skip
        sys.exit(3)
