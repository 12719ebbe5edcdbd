"""``--format markdown``: a report for a pull request, a wiki or a steering committee.

Rendered with Jinja2 from ``templates/report.md.j2`` (imported only here, so other formats never
pay for it). Every interpolated value is escaped by the environment's ``finalize`` hook unless
this module marked it trusted with :class:`markupsafe.Markup` (numbers, dates, rule IDs and
fixed words it produced itself): plan text cannot break a table, forge a heading, or become a
link, an image or HTML. Plan text never becomes template source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

from markupsafe import Markup

from readiness.analysis import grouped, top_risks
from readiness.findings import CATEGORY_NAMES, REPORT_ORDER, Change, ForecastDay, PlanResult, Result
from readiness.render import Row, Run, Tally, baseline_note, error_count
from readiness.text import inert
from readiness.wording import countdown, join, join_and, num, ratio

# The characters that can start Markdown structure, escaped with a backslash wherever plan text
# appears; ':' too, so a URL in plan text is never autolinked.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")
_LINE_START = re.compile(r"^(\s*(?:[0-9]+)?)([-+*>#=.)])")  # what would start structure on a new line
_GANTT_UNSAFE = re.compile(r"[^A-Za-z0-9 _.,()/'-]")
# A mention starts after anything but an ASCII letter, digit or the like (an e-mail address stays
# as it is); GitHub's own filter treats a non-ASCII letter as a boundary too.
_MENTION = re.compile(r"(?<![A-Za-z0-9_.@+-])@(?=[A-Za-z0-9])")


def md(value: Any) -> str:
    """Escape a value for Markdown, unless it is trusted :class:`Markup`."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = inert(_LINE_BREAKS.sub(" ", str(value)))
    escaped = _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")
    return _MENTION.sub("@&#8203;", escaped)  # a zero-width space: posted as a comment, @team pings nobody


def _trusted(value: Any) -> Markup:
    return Markup(str(value))  # only for values this module produced itself


def _gantt_text(text: str) -> str:
    """Text that cannot break out of a Mermaid gantt line or the fenced block around it."""
    return _GANTT_UNSAFE.sub("", text).strip() or "plan"


def gantt(p: PlanResult) -> list[Markup]:
    if not p.timeline:
        return []
    lines = ["gantt", f"    title {_gantt_text(p.name or 'Rollout')}", "    dateFormat YYYY-MM-DD"]
    section = None
    order = {name: i for i, name in enumerate(("Preparation", "Training", "Gates", "Go-live"))}
    grouped = sorted(p.timeline, key=lambda e: order.get(e.section, len(order)))  # stable: by date within
    for n, e in enumerate(grouped, start=1):
        if e.section != section:
            section = e.section
            lines.append(f"    section {section}")
        label = _gantt_text(e.label)
        if e.milestone:
            lines.append(f"    {label} :milestone, e{n}, {e.start.isoformat()}, 0d")
        else:  # a plan's range includes its last day; Mermaid's end date does not
            lines.append(f"    {label} :e{n}, {e.start.isoformat()}, {(e.end + dt.timedelta(days=1)).isoformat()}")
    return [_trusted(line) for line in lines]


def _remediation(report: Run, r: Any) -> Any:
    """Built-in remediation is our own text; a custom rule's comes from a rubric file."""
    rule = report.rule(r.rule)
    return r.remediation if rule is None or rule.custom else _trusted(r.remediation)


def _plan_view(report: Run, p: PlanResult) -> dict[str, Any]:
    view: dict[str, Any] = {"name": p.name, "path": p.path, "invalid": p.verdict is None}
    if p.verdict is None:
        view["error_count"] = _trusted(error_count(p))
        view["error_lines"] = [problem.render(p.path) for problem in p.errors]
        view["verdict_text"] = _trusted("internal error" if p.exit_code == 3 else "invalid")
        view.update({k: _trusted("") for k in ("score", "errors", "warnings", "unknown")})
        return view
    counts = p.summary()
    view.update({k: _trusted(v) for k, v in counts.items()})
    view["errors"] = _trusted(counts["error"])
    view["warnings"] = _trusted(counts["warning"])
    view["verdict_text"] = _trusted(p.verdict.replace("_", " "))
    view["score"] = _trusted(ratio(p.score))  # type: ignore[arg-type]
    view["go_live"] = _trusted(p.go_live)
    days = (dt.date.fromisoformat(p.go_live) - report.as_of).days if p.go_live else 0
    view["days_to_go_live"] = _trusted(countdown(days))
    view["categories"] = [
        {
            "id": _trusted(c.id),
            "name": _trusted(CATEGORY_NAMES[c.id]),
            "score": _trusted(ratio(c.score) if c.score is not None else "not scored"),
            "passed": _trusted(c.passed),
            "failed": _trusted(c.failed),
            "unknown": _trusted(c.unknown),
            "waived": _trusted(c.waived),
        }
        for c in p.categories
    ]
    view["gantt"] = gantt(p)
    view["reasons"] = [r.detail for r in sorted(p.reasons, key=lambda r: not r.blocks)]
    view["risks"] = [
        {
            "points": _trusted("+" + ratio(a.points)),
            "rule": _trusted(f"{a.rule} {a.slug}"),
            "severity": _trusted(a.severity),
            "targets": _trusted(len(a.findings)),
        }
        for a in top_risks(p.actions)
    ]
    categories = [c for c in REPORT_ORDER if any(c in row.cells for row in p.heat)]
    view["heat_columns"] = [_trusted(c) for c in categories]
    view["heat"] = [
        {
            "name": row.name,
            "cells": [_trusted(HEAT_WORDS[row.cells[c].word] if c in row.cells else "-") for c in categories],
        }
        for row in p.heat
        if any(r.id is not None for r in p.heat)
    ]
    view["actions"] = [
        {
            "due": _trusted(
                a.due.isoformat() + (" (overdue)" if a.due < report.as_of else "") if a.due else "before go-live"
            ),
            "rule": _trusted(a.rule),
            "severity": _trusted(a.severity),
            "points": _trusted("+" + ratio(a.points) if a.points else ""),
            "action": _remediation_text(report, a.rule, a.headline),
            "owners": "; ".join(
                f"{who} ({join(labels)})" if len(a.findings) > 1 or labels != ["(plan)"] else who
                for who, labels in _owners(a.findings).items()
            ),
        }
        for a in p.actions
    ]
    coming = p.forecast.within(30) if p.forecast is not None else ()
    view["forecast_until"] = _trusted((report.as_of + dt.timedelta(days=30)).isoformat())
    view["forecast"] = [
        {
            "date": _trusted(day.date.isoformat()),
            "changes": [_change_words(c) for c in day.changes],
            "moves": _moves(day),
        }
        for day in coming
    ]
    view["groups"] = [
        {
            "kind": _trusted(g.severity if g.status == "fail" else f"waived {g.severity}"),
            "rule": _trusted(g.rule),
            "slug": _trusted(g.slug),
            "title": _rule_title(report, g.rule),
            "remediation": _remediation(report, g.results[0]) if g.status == "fail" else "",
            "targets": [
                {
                    "label": r.label,
                    "where": f"{p.path}:{r.line}:{r.column}" if r.line is not None else p.path,
                    "message": r.message,
                    "waiver": r.waiver,
                }
                for r in g.results
            ],
        }
        for g in grouped(p.results)
        if g.status != "unknown"
    ]
    view["questions"] = [
        {
            "rule": _trusted(f"{g.rule} {g.slug}"),
            "question": g.results[0].question or "What does the plan say?",
            "targets": join(r.label for r in g.results if r.target is not None),
            "missing": join_and(sorted({_missing(r.message) for r in g.results})),
        }
        for g in grouped(p.results)
        if g.status == "unknown"
    ]
    view["waivers"] = [
        {
            "index": _trusted(w.index),
            "rule": w.rule,
            "target": w.target or "",
            "state": _trusted(w.state),
            "owner": w.owner,
            "expires": _trusted(w.expires),
        }
        for w in p.waivers
    ]
    view["statistics"] = [
        {
            "live": _trusted(live),
            "waived": _trusted(waived),
            "unknown": _trusted(unknown),
            "rule": _trusted(rule),
            "slug": _trusted(slug),
        }
        for rule, slug, live, waived, unknown in Tally().add(p).rows()
    ]
    return view


HEAT_WORDS = {
    "fail error": "**error**",
    "fail warning": "warning",
    "fail info": "info",
    "unknown": "unknown",
    "waived": "waived",
    "pass": "ok",
}


def _missing(message: str) -> str:
    return message.removeprefix("cannot evaluate: ").removesuffix(" is absent").removesuffix(" are absent")


def _owners(findings: Iterable[Result]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for r in findings:
        owners.setdefault(r.owner.label if r.owner is not None else "unassigned", []).append(r.label)
    return owners


def _rule_title(report: Run, rule_id: str) -> Any:
    rule = report.rule(rule_id)
    if rule is None:
        return ""
    return rule.title if rule.custom else _trusted(rule.title)


def _remediation_text(report: Run, rule_id: str, text: str) -> Any:
    rule = report.rule(rule_id)
    return text if rule is None or rule.custom else _trusted(text)


def _change_words(c: Change) -> str:
    if c.kind == "waiver":
        return c.message
    where = f"{c.rule} ({c.label})"
    if c.kind == "overdue":
        return f"{where} becomes overdue: it {c.message}"
    text = f"{where}: {c.before or 'no result'} to {c.after or 'no result'}"
    return text + (f" {c.severity}" if c.after == "fail" else "") + (f": {c.message}" if c.message else "")


def _moves(day: ForecastDay) -> str:
    parts = []
    if day.verdict is not None:
        parts.append(f"verdict {day.verdict[0].replace('_', ' ')} to {day.verdict[1].replace('_', ' ')}")
    if day.score is not None:
        parts.append(f"score {ratio(day.score[0])} to {ratio(day.score[1])}")
    return "; ".join(parts)


def _row_view(row: Row) -> dict[str, Any]:
    if row.verdict is None:
        return {"path": row.path, "verdict_text": _trusted("internal error" if row.exit_code == 3 else "invalid")} | {
            k: _trusted("") for k in ("score", "errors", "warnings", "unknown")
        }
    return {
        "path": row.path,
        "verdict_text": _trusted(row.verdict.replace("_", " ")),
        "score": _trusted(ratio(row.score)),  # type: ignore[arg-type]
        "errors": _trusted(row.counts["error"]),
        "warnings": _trusted(row.counts["warning"]),
        "unknown": _trusted(row.counts["unknown"]),
    }


def _normalise(text: str) -> str:
    return wrap(re.sub(r"\n{3,}", "\n\n", text).strip("\n"))


class MarkdownReport:
    """A section per plan as it is checked; the title and, for several plans, the summary table
    at the end (one short row kept per plan)."""

    def __init__(self, run: Run) -> None:
        from jinja2 import Environment, StrictUndefined

        self.run = run
        source = resources.files("readiness").joinpath("render", "templates", "report.md.j2").read_text("utf-8")
        env = Environment(
            autoescape=False,
            undefined=StrictUndefined,
            finalize=md,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.template = env.from_string(source).module
        self.single = run.plans == 1
        self.rows: list[Row] = []
        self.name: str | None = None

    def plan(self, p: PlanResult) -> str:
        self.rows.append(Row.of(p))
        if self.name is None:
            self.name = p.name
        run = self.run
        text = self.template.plan(  # type: ignore[attr-defined]
            _plan_view(run, p),
            self.single,
            _trusted("" if self.single else "#"),
            run.policy.name,
            _trusted(num(run.policy.pass_score)),
            _trusted(num(run.policy.unknown_credit)),
            _trusted(run.as_of.isoformat()),
            run.statistics,
        )
        if p.baseline is not None:  # --baseline: what it held back (readiness.baseline)
            text = f"{text}\n\n{md(baseline_note(p))}\n"
        return "\n\n" + _normalise(str(text))

    def finish(self) -> tuple[str, str]:
        rows = [] if self.single else [_row_view(row) for row in self.rows]
        head = self.template.head(self.single, self.name, rows)  # type: ignore[attr-defined]
        return _normalise(str(head)), "\n"


def wrap(text: str, width: int = 80) -> str:
    """Wrap prose and list lines at ``width`` (tables, headings and code blocks stay whole).
    Safe after escaping: every character that could start structure on a new line is escaped."""
    import textwrap

    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or len(line) <= width or line.startswith(("|", "#", "```")):
            out.append(line)
            continue
        indent = "  " if line.startswith(("- ", "  ")) else ""
        wrapped = textwrap.wrap(
            line, width=width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
        )
        out.append(wrapped[0])
        out += [_LINE_START.sub(r"\1\\\2", rest) for rest in wrapped[1:]]
    return "\n".join(out)
