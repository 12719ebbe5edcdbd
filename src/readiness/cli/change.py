"""What changes: ``readiness diff`` (two versions of a plan), ``forecast`` (the coming dates on
which a result or the verdict would change) and ``history`` (every committed revision)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from readiness import __version__
from readiness.cli import console
from readiness.cli.app import app, written
from readiness.cli.args import (
    AsOfOption,
    ConfigOption,
    DiffFormatOption,
    ExitZeroOption,
    FailOnOption,
    ForecastFormatOption,
    HistoryFormatOption,
    IgnoreOption,
    IsolatedOption,
    MaxBytesOption,
    MinScoreOption,
    NoWaiversOption,
    RubricOption,
    SelectOption,
    destination,
    flags,
    format_spec,
    no_clobber,
    parse_date,
    parse_score,
    project,
    run_options,
    usage,
)
from readiness.render import DIFF_FORMATS, HISTORY_FORMATS, Format

if TYPE_CHECKING:
    from readiness.options import RunOptions
    from readiness.output import Destination


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
    _report(DIFF_FORMATS, name, file, target, options, [change])
    raise typer.Exit(change.exit_code)


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
    if result.verdict is None and name == "rich":
        raise typer.Exit(result.exit_code)  # its errors, on standard error, are the whole story
    _report(FORECAST_FORMATS, name, file, target, options, [result])
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
    (markdown; html, one self-contained file to hand a client) or every revision as JSON. Each
    revision is judged as of its commit date unless --as-of fixes one date; one that is not a
    valid plan is a row with its error count. Uses git; outside a git repository it is an error
    (exit 2). Settings not given as flags come from the project configuration, except its as-of."""
    import dataclasses

    from readiness.history import GitError
    from readiness.history import history as walk

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
        points = walk(plan, options, fixed, max_count)
    except GitError as exc:
        usage(str(exc))
    _report(HISTORY_FORMATS, name, file, target, options, points)
    raise typer.Exit(3 if any(p.result.exit_code == 3 for p in points) else 0)


def _report(
    registry: Mapping[str, Format],
    name: str,
    file: str | None,
    target: Destination,
    options: RunOptions,
    items: list[Any],
) -> None:
    """Render ``items`` in the format ``name`` of ``registry`` and write the whole report: at the
    terminal's width and colour on standard output, as for check; 100 columns in a file."""
    from readiness.reporting import run_view

    view = run_view(options, __version__, color=console.color() and not file, width=100 if file else console.width())
    renderer = registry[name].start(view)
    body = "".join(renderer.plan(item) for item in items)
    head, tail = renderer.finish()
    written(target, head + body + tail, machine=registry[name].machine or file is not None)
