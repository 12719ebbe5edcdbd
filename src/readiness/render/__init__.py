"""Renderers: results in, text out. None of them prints, reads files or knows about the CLI."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol, TypeVar

from readiness.findings import PlanResult, Policy, Result, RuleInfo
from readiness.text import json_safe, one_line
from readiness.wording import join, plural, ratio, round1

__all__ = ["sanitize"]


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def strip_trailing(text: str) -> str:
    """Drop the blanks Rich pads lines with (before any closing colour codes)."""
    return _TRAILING.sub(r"\1", text)


def json_text(document: Any) -> str:
    """JSON text with the exact data, where characters that could act on a terminal are written
    as ``\\uXXXX`` escapes (JSON escapes C0 controls itself)."""
    import json

    return json_safe(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


def position(path: str, r: Result) -> str:
    """Where a result is: ``plans/acme.yaml:12:5``, or the path alone when it has no line."""
    return path if r.line is None else f"{path}:{r.line}:{r.column}"


def error_count(p: PlanResult) -> str:
    """How many errors kept an invalid plan from being checked: "1 error", "6 errors"."""
    n = len(p.errors) + p.errors_omitted
    return f"{n} error" if n == 1 else f"{n} errors"


def score_number(value: Fraction | None) -> float | None:
    """A score as the JSON number shown in reports: one decimal, half away from zero."""
    return None if value is None else float(round1(value))


def plain_number(value: Decimal | int | None) -> Any:
    """A rubric number for JSON: an integer when it is one, else a float."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Run:
    """What every renderer is told before the first plan: the policy and date the plans are
    judged by, the rules that run, how many plans the call reports, and how the output will be
    read. Renderers need nothing else besides the results."""

    policy: Policy
    as_of: dt.date
    version: str
    rules: Mapping[str, RuleInfo]  # the rules that run, in catalogue order
    plans: int = 1
    statistics: bool = False
    quiet: bool = False
    color: bool = False
    width: int = 100

    def rule(self, rule_id: str) -> RuleInfo | None:
        return self.rules.get(rule_id)


@dataclass(frozen=True)
class Row:
    """What a summary table keeps of a plan once its report is written: one short row."""

    path: str
    verdict: str | None
    score: Fraction | None
    exit_code: int
    errors: int  # validation errors of a plan that could not be checked
    counts: dict[str, int]

    @classmethod
    def of(cls, p: PlanResult) -> Row:
        return cls(p.path, p.verdict, p.score, p.exit_code, len(p.errors) + p.errors_omitted, p.summary())

    @property
    def state(self) -> str:
        """``internal error`` or ``invalid (N errors)`` for a plan that has no verdict."""
        if self.exit_code == 3:
            return "internal error"
        return f"invalid ({self.errors} error{'' if self.errors == 1 else 's'})"


_Item_contra = TypeVar("_Item_contra", contravariant=True)


def unchecked_words(p: PlanResult) -> str:
    """``invalid (2 errors)``, or ``internal error``: what a plan that could not be checked is."""
    return "internal error" if p.exit_code == 3 else f"invalid ({error_count(p)})"


def verdict_line(p: PlanResult, reasons: bool = True) -> str:
    """``plans/acme.yaml: ready (score 93.5): score 93.5 reaches the pass score 80; no live
    error (fail_on: error)``; ``invalid (2 errors)`` or ``internal error`` for a plan that could
    not be checked (the ``--quiet`` line). A not-ready plan gives the reasons that block."""
    if p.verdict is None:
        state = unchecked_words(p)
    else:
        state = p.verdict + (f" (score {ratio(p.score)}{_since_baseline(p)})" if p.score is not None else "")
        if reasons and p.reasons:
            state += ": " + verdict_reasons(p, blocking_only=p.verdict != "ready")
    return f"{one_line(p.path)}: {state}"


def verdict_reasons(p: PlanResult, blocking_only: bool = False) -> str:
    """The reasons for the verdict in one line, those that block first."""
    shown = [r for r in p.reasons if r.blocks or not blocking_only]
    ordered = sorted(shown, key=lambda r: not r.blocks)
    return one_line("; ".join(r.detail for r in ordered))


def _since_baseline(p: PlanResult) -> str:
    """With ``--baseline``: ``, nothing new since the baseline`` or ``, 2 new since the baseline``."""
    if p.baseline is None:
        return ""
    new = sum(1 for r in p.results if r.status in ("fail", "unknown"))
    return f", {new or 'nothing'} new since the baseline"


def baseline_note(p: PlanResult) -> str:
    """With ``--baseline``: what the baseline held back from a plan's report, which of its
    entries match nothing any more, and whether the plan passes under it (readiness.baseline)."""
    b = p.baseline
    assert b is not None
    parts = [f"{plural(b.baselined, 'recorded result')} not shown"]
    if b.stale:
        entries = [
            f"{rule} {target if target is not None else path or '(plan)'}"
            + (" (unknown)" if status == "unknown" else "")
            + (f" x{count}" if count > 1 else "")
            for rule, target, path, status, count in b.stale
        ]
        verb = "matches" if len(b.stale) == 1 else "match"
        parts.append(f"{plural(len(b.stale), 'entry', 'entries')} no longer {verb}: {join(entries)}")
    gate = (
        "passes: nothing new would make it not ready"
        if p.exit_code == 0
        else "fails: what is new makes it not ready on its own"
    )
    return f"Baseline {one_line(b.file)}: {'; '.join(parts)}. Under the baseline the plan {gate}."


class VerdictLines:
    """One line per plan and nothing else: what standard output shows when every report of a
    run goes to a file. Needs no terminal library, so such a run never imports one."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, p: PlanResult) -> str:
        if p.verdict is None and self.run.plans == 1:
            return ""  # its errors, on standard error, are the whole story (as for --quiet)
        return verdict_line(p) + "\n"

    def finish(self) -> tuple[str, str]:
        return "", ""


class Tally:
    """Findings counted per rule, live, waived and unknown (``--statistics``), over one plan or
    many: rows sorted by live count, then by ID."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.slugs: dict[str, str] = {}

    def add(self, p: PlanResult) -> Tally:
        for r in p.findings:
            self.counts.setdefault(r.rule, [0, 0, 0])[("fail", "waived", "unknown").index(r.status)] += 1
            self.slugs[r.rule] = r.slug
        return self

    def rows(self) -> list[tuple[str, str, int, int, int]]:
        """(rule, slug, live, waived, unknown) for each rule with findings."""
        ordered = sorted(self.counts.items(), key=lambda item: (-item[1][0], item[0]))
        return [(rule, self.slugs[rule], live, waived, unknown) for rule, (live, waived, unknown) in ordered]


class Renderer(Protocol[_Item_contra]):
    """One output format for one run. Plans arrive one at a time, in report order, and each
    gives the text of its part; ``finish`` gives what goes before and after those parts, which
    may depend on every plan (totals, a summary table). A renderer keeps only such small
    aggregates, so a run's memory does not grow with its number of plans."""

    def plan(self, p: _Item_contra) -> str: ...

    def finish(self) -> tuple[str, str]: ...


@dataclass(frozen=True)
class Format:
    """An output format: its name on the command line, the class that renders it (imported only
    when the format is used), and one line of help."""

    name: str
    renderer: str  # "module:Class" under readiness.render
    help: str
    machine: bool = True  # written as UTF-8 whatever the console's encoding
    extensions: tuple[str, ...] = ()  # file names that ``-o FILE`` alone writes in this format

    def start(self, run: Run) -> Renderer[Any]:
        import importlib

        module, _, name = self.renderer.partition(":")
        factory: Callable[[Run], Renderer[Any]] = getattr(importlib.import_module(f"readiness.render.{module}"), name)
        return factory(run)


def _registry(*formats: Format) -> dict[str, Format]:
    """A registry: each format under its name, in the order given (the order of --help)."""
    return {f.name: f for f in formats}


FORMATS: dict[str, Format] = _registry(
    Format(
        "rich",
        "terminal:TerminalReport",
        "the report for people at a terminal (the default)",
        machine=False,
        extensions=(".txt",),
    ),
    Format(
        "markdown",
        "markdown:MarkdownReport",
        "a report for a pull request, a wiki or a committee",
        extensions=(".md", ".markdown"),
    ),
    Format(
        "html",
        "html:HtmlReport",
        "a self-contained report to hand a client, that prints to PDF",
        extensions=(".html", ".htm"),
    ),
    Format("json", "json_:JsonReport", "the versioned machine contract (schema_version 1)", extensions=(".json",)),
    Format("sarif", "sarif:SarifReport", "SARIF 2.1.0 for code scanning", extensions=(".sarif",)),
    Format("junit", "junit:JunitReport", "JUnit XML for CI test reports", extensions=(".xml",)),
    Format("github", "github:GithubReport", "GitHub Actions annotations"),
    Format(
        "csv",
        "csv_:CsvReport",
        "the action plan, a row per action and target, for spreadsheets and trackers",
        extensions=(".csv",),
    ),
    Format("codequality", "codequality:CodeQualityReport", "GitLab Code Quality (a Code Climate JSON subset)"),
)


def format_for_file(name: str) -> str | None:
    """The format ``-o FILE`` alone writes, from the file's extension (case ignored); None when
    no format claims it."""
    lowered = name.lower()
    return next((f.name for f in FORMATS.values() for ext in f.extensions if lowered.endswith(ext)), None)


FORMAT_ALIASES = {"table": "rich"}

#: What ``readiness diff`` writes: the same protocol, with a plan diff for the item.
DIFF_FORMATS: dict[str, Format] = _registry(
    Format("rich", "diff:RichDiff", "the change for people at a terminal (the default)", machine=False),
    Format("markdown", "diff:MarkdownDiff", "the change for a pull-request comment"),
    Format("json", "diff:JsonDiff", "the change for scripts"),
)


#: What ``readiness forecast`` writes: one plan's coming changes.
FORECAST_FORMATS: dict[str, Format] = _registry(
    Format(
        "rich",
        "forecast:RichForecast",
        "the dates and changes for people at a terminal (the default)",
        machine=False,
    ),
    Format("markdown", "forecast:MarkdownForecast", "the dates and changes for a page or a comment"),
    Format("json", "json_:JsonForecast", "the check document's forecast for scripts (docs/json.md)"),
)

#: What ``readiness history`` writes: one item per revision (readiness.history.Point), oldest first.
HISTORY_FORMATS: dict[str, Format] = _registry(
    Format("rich", "history:RichHistory", "a table and a sparkline for a terminal (the default)", machine=False),
    Format("markdown", "history:MarkdownHistory", "a table and an SVG line chart"),
    Format("html", "history:HtmlHistory", "the chart and the table as one self-contained file to hand a client"),
    Format("json", "history:JsonHistory", "every revision for scripts"),
)


def render(name: str, plans: list[PlanResult], run: Run) -> str:
    """Every plan through one format, as one text: for tests and programs that embed the checks."""
    from dataclasses import replace

    renderer = FORMATS[name].start(replace(run, plans=len(plans)))
    body = "".join(renderer.plan(p) for p in plans)
    head, tail = renderer.finish()
    return head + body + tail
