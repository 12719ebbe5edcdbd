"""``readiness check``: validate and check plans, write every requested report, exit with the
verdict."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from readiness import __version__
from readiness.cli import console
from readiness.cli.app import app
from readiness.cli.args import (
    AsOfOption,
    BaselineOption,
    ConfigOption,
    DebugOption,
    ExitZeroOption,
    FailOnOption,
    FormatsOption,
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
    destination,
    err,
    flags,
    format_spec,
    inferred_format,
    no_clobber,
    project,
    recorder_for,
    run_options,
    usage,
)
from readiness.render import FORMATS


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
    from readiness.plan_files import expand_plans
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
    recorded = destination(write_baseline) if write_baseline is not None else None
    if recorded is not None:
        reports.append(("baseline", recorded))
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
        if recorder is not None and recorded is not None:  # written with the reports, all or none
            outputs.open(recorded, machine=True).write(recorder.text())
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


def github_actions() -> bool:
    """Whether this runs in a GitHub Actions job, which sets ``GITHUB_ACTIONS=true``."""
    return os.environ.get("GITHUB_ACTIONS") == "true"
