"""One ``check`` call: check the plans in report order and write every requested report as each
plan's result arrives, into the call's :class:`~readiness.output.Outputs` (put in place by the
caller, all together, once every report is whole).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from readiness.batch import check_many
from readiness.errors import Problem
from readiness.findings import PlanResult, RuleInfo
from readiness.options import RunOptions
from readiness.output import Destination, Outputs, append_to, stdout
from readiness.render import FORMATS, Run, VerdictLines

if TYPE_CHECKING:  # a baseline's models are built only by a run that reads or writes one
    from readiness.baseline import Baseline, Recorder


def run_view(options: RunOptions, version: str, plans: int = 1, **view: object) -> Run:
    """What renderers are told about a run (the policy, the rules that run), from its options."""
    rules = {
        rule_id: RuleInfo(
            rule_id,
            config.spec.slug,
            config.spec.category,
            config.severity,
            config.spec.title,
            config.spec.rationale,
            config.spec.remediation,
            config.spec.custom is not None,
            config.spec.scored,
            config.spec.sources,
        )
        for rule_id, config in options.rubric.rules.items()
        if rule_id in options.enabled
    }
    return Run(options.policy, options.as_of, version, MappingProxyType(rules), plans, **view)  # type: ignore[arg-type]


class QuietReady:
    """``--quiet-ready``: one verdict line for each plan that is ready (or could not be checked,
    its errors being on standard error) and the whole report of each plan that is not ready, set
    apart by blank lines. What a pre-commit hook shows: nothing to read when all is well, and
    everything needed to fix a plan that fails."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.lines = FORMATS["rich"].start(replace(run, quiet=True))
        self.previous = ""  # what the last plan printed: "", "line" or "report"

    def plan(self, p: PlanResult) -> str:
        if p.verdict == "not_ready":
            full = FORMATS["rich"].start(replace(self.run, quiet=False, plans=1))
            text, kind = full.plan(p), "report"
        else:
            text, kind = self.lines.plan(p), "line"
        if not text:
            return ""
        gap = "\n" if self.previous and "report" in (self.previous, kind) else ""
        self.previous = kind
        return gap + text

    def finish(self) -> tuple[str, str]:
        return "", ""


def step_summary(formats: list[str]) -> Destination | None:
    """Where a run with the ``github`` format appends its Markdown report: the job summary file
    of GitHub Actions (``GITHUB_STEP_SUMMARY``), when there is one."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "github" in formats:
        return append_to(summary_file)
    return None


@dataclass(frozen=True)
class Terminal:
    """How standard output is read: the width of a terminal and whether it shows colour."""

    width: int = 100
    color: bool = False


def write_reports(
    outputs: Outputs,
    order: list[str],
    unmatched: set[str],
    destinations: list[tuple[str, Destination]],
    options: RunOptions,
    version: str,
    *,
    jobs: int = 0,
    statistics: bool = False,
    quiet: bool = False,
    quiet_ready: bool = False,
    terminal: Terminal = Terminal(),
    summary: Destination | None = None,
    on_result: Callable[[PlanResult], None] = lambda result: None,
    baseline: Baseline | None = None,
    recorder: Recorder | None = None,
) -> int:
    """Check every plan of ``order`` (``unmatched`` are arguments that named no plan) and write
    each format to its destination, and the Markdown report to ``summary`` (see
    :func:`step_summary`). ``quiet`` and ``quiet_ready`` apply to the terminal report on standard
    output only. With ``baseline`` each plan is reported and judged on what it does not record;
    with ``recorder`` each plan is recorded and then judged on what it records (the baseline
    written is the one the run is judged by). Returns the highest exit code of the plans."""
    run = run_view(options, version, len(order), statistics=statistics)
    writers = []
    on_stdout = [name for name, dest in destinations if dest.kind == "fd" and dest.fd == 1]
    for name, dest in destinations:
        screen = name == "rich" and dest.kind == "fd" and dest.fd == 1
        view = replace(
            run, quiet=quiet and screen, color=screen and terminal.color, width=terminal.width if screen else 100
        )
        renderer = QuietReady(view) if quiet_ready and screen else FORMATS[name].start(view)
        writers.append((renderer, outputs.open(dest, FORMATS[name].machine)))
    if not on_stdout:  # every report goes to a file: standard output gets the verdict lines
        writers.append((VerdictLines(run), outputs.open(stdout(), False)))
    if summary is not None:
        writers.append((FORMATS["markdown"].start(run), outputs.open(summary, True)))
    if baseline is not None or recorder is not None:
        from readiness.baseline import apply
    code = 0
    results = iter(check_many([path for path in order if path not in unmatched], options, jobs))
    for path in order:
        if path in unmatched:
            result = PlanResult(path, "", None, None, exit_code=2, errors=[Problem("matches no plan file")])
        else:
            result = next(results)
            if recorder is not None:
                result = apply(result, recorder.add(result), options)
            elif baseline is not None:
                result = apply(result, baseline, options)
        on_result(result)
        code = max(code, result.exit_code)
        for renderer, report in writers:
            report.write(renderer.plan(result))
    for renderer, report in writers:
        report.head, report.tail = renderer.finish()
    return code
