"""``--format markdown``: a report for a pull request, a wiki or a steering committee.

Rendered with Jinja2 from ``templates/report.md.j2`` (imported only here and by the HTML report,
so other formats never pay for it). Every interpolated value is escaped by the environment's
``finalize`` hook unless this module marked it trusted with :class:`markupsafe.Markup` (numbers,
dates, rule IDs and fixed words it produced itself). Plan text never becomes template source.

The escaping changes only what would change the document's structure where the text stands, so
that names, dates, ids and paths read as written (``sales-amer``, ``2026-08-02``,
``plans/q3.yaml:22:7``):

- anywhere: a backslash that would escape the next character or, at a line's end, break it, ``*``, ``_`` that could open or
  close emphasis (not one inside a word), backticks, ``~``, a ``]`` followed by ``(`` or ``[`` (a
  link or an image), ``<`` before a tag or an autolink (as ``&lt;``), ``&`` that starts a
  character reference, the ``://`` of a URL and ``www.`` (GitHub would make them links), and an
  ``@mention`` (a zero-width space, so a posted report pings nobody);
- in a table cell, also ``|``;
- at the start of a line or of a list item's text, whatever would open a block there (``#``,
  ``>``, ``-``, ``+``, ``1.``, ``[``, ``|``, a fence, a setext or thematic line); line breaks in
  plan text become spaces;
- at the end of a heading, a closing run of ``#``.

:func:`wrap` applies the line-start rule again to every line it makes, since wrapping can put any
word of plan text at the start of a line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from markupsafe import Markup

from readiness.analysis import grouped, top_risks
from readiness.findings import CATEGORY_NAMES, PlanResult
from readiness.render import Row, Run, Tally, baseline_note, error_count, position
from readiness.render.sections import (
    HEAT_WORDS,
    change_words,
    coming,
    counts_sentence,
    divided,
    due_words,
    heat_categories,
    missing,
    moves,
    owner_lines,
    quiet_words,
    verdict_words,
    waiver_policy,
)
from readiness.render.sections import template as jinja_template
from readiness.text import inert
from readiness.timeline import failing, flagged, in_sections
from readiness.wording import countdown, join, join_and, num, ratio

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")
_BLANKS = re.compile(r"[ \t]+")
_INLINE = re.compile(
    r"(?P<escape>\\(?=[!-/:-@\[-`{-~\s]|\Z)|[*`~])"  # a backslash that escapes or breaks a line; emphasis...
    r"|(?P<under>_)"  # emphasis, unless inside a word
    r"|(?P<link>(?<=\])[(\[])"  # what makes ] a link's or an image's end
    r"|(?P<close>\]\Z)"  # a ] that the text after the value could make a link's end
    r"|(?P<tag><(?=[A-Za-z/!?]))"  # an HTML tag, comment or autolink
    r"|(?P<entity>&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};))"
    r"|(?P<url>(?<=[A-Za-z0-9]):(?=//))"  # https://... would be made a link
    r"|(?P<www>(?<![^\s*_~(])www\.)"  # and so would www.example.com
    # a mention starts after anything but an ASCII letter, digit or the like (an e-mail address
    # stays as it is); GitHub's own filter treats a non-ASCII letter as a boundary too
    r"|(?P<mention>(?<![A-Za-z0-9_.@+-])@(?=[A-Za-z0-9]))"
)
# what opens a block at the start of a line (or of a list item's text), after any indentation
_BLOCK = re.compile(
    r"#{1,6}(?:[ \t]|$)"  # a heading
    r"|[>|\[]"  # a quote, a table row, a link definition or a task box
    r"|[-+*](?:[ \t]|$)"  # a list item
    r"|[=-]+[ \t]*$"  # a setext underline
    r"|([-*_])(?:[ \t]*\1){2,}[ \t]*$"  # a thematic break
    r"|`{3}|~{3}"  # a fence
    r"|[|: \t-]*-[|: \t-]*$"  # a table's delimiter row
)
_ORDERED = re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|$))")  # an ordered list item: its number
_LIST_ITEM = re.compile(r"( *)(- \[ \] |- )?")  # a line's indentation and list marker
_CLOSING = re.compile(r"([ \t])(#+[ \t]*)$")  # an ATX heading's closing sequence
_GANTT_UNSAFE = re.compile(r"[^A-Za-z0-9 _.,()/'-]")


def _inline(match: re.Match[str]) -> str:
    kind, text = match.lastgroup, match.group()
    if kind == "under":
        source, at = match.string, match.start()
        inside = 0 < at < len(source) - 1 and source[at - 1].isalnum() and source[at + 1].isalnum()
        return text if inside else "\\_"
    return {
        "tag": "&lt;",
        "entity": "&amp;",
        "www": "www\\.",
        "mention": "@&#8203;",  # a zero-width space: posted as a comment, @team pings nobody
    }.get(kind or "", "\\" + text)


def md(value: Any) -> str:
    """A value escaped for running text (see the module's description), unless it is trusted
    :class:`Markup`."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = _BLANKS.sub(" ", inert(_LINE_BREAKS.sub(" ", str(value))))
    return _INLINE.sub(_inline, text)


def cell(value: Any) -> Markup:
    """A value escaped for a table cell: running text whose ``|`` cannot end the cell."""
    return Markup(md(value).replace("|", "\\|"))


def lead(value: Any) -> Markup:
    """A value escaped for the start of a line or of a list item's text."""
    return Markup(_lead(md(value)))


def _lead(line: str) -> str:
    """``line`` with whatever would open a block at its start escaped."""
    text = line.lstrip(" ")
    indent = line[: len(line) - len(text)]
    number = _ORDERED.match(text)
    if number:
        return indent + text[: number.end()] + "\\" + text[number.end() :]
    return indent + "\\" + text if _BLOCK.match(text) else line


def heading(value: Any, room: int = 72) -> Markup:
    """A value escaped for the end of a heading, shortened to ``room`` characters."""
    text = str(value)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return Markup(md(text))


def _trusted(value: Any) -> Markup:
    return Markup(str(value))  # only for values this module produced itself


def _text(report: Run, rule_id: str, text: str) -> Any:
    """A rule's own words: trusted for a built-in rule (its backticks are code), escaped for a
    rubric's custom rule, whose text comes from a rubric file."""
    rule = report.rule(rule_id)
    return text if rule is None or rule.custom else _trusted(text)


# the gantt chart ------------------------------------------------------------------------------------

GANTT_WIDTH = 80  # a line of the chart's code block, as long as any other line of the report


def _gantt_text(text: str) -> str:
    """Text that cannot break out of a Mermaid gantt line or the fenced block around it."""
    return _GANTT_UNSAFE.sub("", text).strip()


def _fit(label: str, room: int) -> str:
    return label if len(label) <= room else label[: room - 3].rstrip() + "..."


def gantt(p: PlanResult, as_of: dt.date) -> list[Markup]:
    """The plan's timeline as a Mermaid gantt chart: a section per kind of date, an explicit
    "as of" milestone (Mermaid's own today marker is off: it would show the day the report is
    read), and ``crit`` on each item a live finding points at, with the rule IDs in its label."""
    if not p.timeline:
        return []
    title = _fit(_gantt_text(p.name or "") or "Rollout", GANTT_WIDTH - 10)
    lines = ["gantt", f"    title {title}", "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m", "    todayMarker off"]
    lines += ["    section As of", f"    as of {as_of.isoformat()} :milestone, {as_of.isoformat()}, 0d"]
    live = failing(p.results)
    section = None
    for e in in_sections(p.timeline):
        if e.section != section:
            section = e.section
            lines.append(f"    section {section}")
        rules = flagged(e, live)
        tags = ("crit, " if rules else "") + ("milestone, " if e.milestone else "")
        if e.milestone:
            dates = f"{e.start.isoformat()}, 0d"
        else:  # a plan's range includes its last day; Mermaid's end date does not
            dates = f"{e.start.isoformat()}, {(e.last + dt.timedelta(days=1)).isoformat()}"
        suffix = f" ({', '.join(rules)})" if rules else ""
        room = GANTT_WIDTH - len(f"     :{tags}{dates}") - len(suffix)
        label = _fit(_gantt_text(e.label), max(room, 8)) + suffix
        lines.append(f"    {label} :{tags}{dates}")
    return [_trusted(line) for line in lines]


# the view of a plan ---------------------------------------------------------------------------------


class Headings:
    """The headings of one plan's part. A report of one plan has plain section headings; in a
    report of several, each plan's headings are numbered (``### 2.3 Action plan``), so that no two
    headings of the document are the same and each has its own anchor."""

    def __init__(self, number: int | None) -> None:
        self.number = number
        self.sections = 0
        self.subs = 0

    def section(self, title: str) -> Markup:
        self.sections += 1
        self.subs = 0
        if self.number is None:
            return _trusted(f"## {title}")
        return _trusted(f"### {self.number}.{self.sections} {title}")

    def sub(self, title: str) -> Markup:
        self.subs += 1
        if self.number is None:
            return _trusted(f"### {title}")
        return _trusted(f"#### {self.number}.{self.sections}.{self.subs} {title}")


def _plan_view(report: Run, p: PlanResult) -> dict[str, Any]:
    as_of = report.as_of
    view: dict[str, Any] = {"name": p.name, "path": p.path, "invalid": p.verdict is None}
    view["verdict_text"] = _trusted(verdict_words(p.verdict, p.exit_code))
    if p.verdict is None:
        view["error_count"] = _trusted(error_count(p))
        view["error_lines"] = [problem.render(p.path) for problem in p.errors]
        return view
    view["score"] = _trusted(ratio(p.score))  # type: ignore[arg-type]
    view["go_live"] = _trusted(p.go_live)
    days = (dt.date.fromisoformat(p.go_live) - as_of).days if p.go_live else 0
    view["days_to_go_live"] = _trusted(countdown(days))
    view["counts"] = counts_sentence(p)  # numbers and fixed words only
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
    view["gantt"] = gantt(p, as_of)
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
    categories = heat_categories(p)
    view["heat_columns"] = [_trusted(c) for c in categories]
    view["heat"] = [
        {
            "name": row.name,
            "cells": [_trusted(_strong(HEAT_WORDS[row.cells[c].word]) if c in row.cells else "-") for c in categories],
        }
        for row in (p.heat if divided(p) else ())
    ]
    view["actions"] = [
        {
            "due": _trusted(due_words(a.due, as_of)),
            "rule": _trusted(a.rule),
            "severity": _trusted(a.severity),
            "points": _trusted("+" + ratio(a.points) if a.points else ""),
            "action": _text(report, a.rule, a.headline),
            "owners": "; ".join(owner_lines(a)),
        }
        for a in p.actions
    ]
    view["forecast"] = [
        {"date": _trusted(day.date.isoformat()), "changes": [change_words(c) for c in day.changes], "moves": moves(day)}
        for day in coming(p)
    ]
    view["quiet"] = quiet_words(p, as_of)
    view["groups"] = [
        {
            "kind": _trusted(g.severity if g.status == "fail" else f"waived {g.severity}"),
            "rule": _trusted(g.rule),
            "slug": _trusted(g.slug),
            "title": _rule_title(report, g.rule),
            "remediation": _text(report, g.rule, g.remediation) if g.status == "fail" else "",
            "targets": [
                {
                    "label": r.label,
                    "where": position(p.path, r),
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
            "question": _text(report, g.rule, g.results[0].question) if g.results[0].question else "",
            "targets": join(r.label for r in g.results if r.target is not None),
            "missing": join_and(sorted({missing(r.message) for r in g.results})),
        }
        for g in grouped(p.results)
        if g.status == "unknown"
    ]
    view["waivers"] = [
        {
            "index": _trusted(w.index),
            "rule": w.rule,
            "target": w.target or "",
            "state": _trusted(w.state.replace("_", " ")),
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


def _strong(word: str) -> str:
    return f"**{word}**" if word == "error" else word


def _rule_title(report: Run, rule_id: str) -> Any:
    rule = report.rule(rule_id)
    if rule is None:
        return ""
    return rule.title if rule.custom else _trusted(rule.title)


def _row_view(row: Row) -> dict[str, Any]:
    view: dict[str, Any] = {"path": row.path, "verdict_text": _trusted(verdict_words(row.verdict, row.exit_code))}
    if row.verdict is None:
        return view | {k: _trusted("") for k in ("score", "errors", "warnings", "unknown")}
    return view | {
        "score": _trusted(ratio(row.score)),  # type: ignore[arg-type]
        "errors": _trusted(row.counts["error"]),
        "warnings": _trusted(row.counts["warning"]),
        "unknown": _trusted(row.counts["unknown"]),
    }


def _settings(run: Run) -> dict[str, Any]:
    policy = run.policy
    return {
        "rubric": policy.name,
        "pass_score": _trusted(num(policy.pass_score)),
        "fail_on": _trusted(policy.fail_on),
        "unknown_credit": _trusted(num(policy.unknown_credit)),
        "waivers": _trusted(waiver_policy(policy)),
        "plans": _trusted("The plan above was" if run.plans == 1 else "Every plan above was"),
        "rules": _trusted(len(run.rules)),
        "as_of": _trusted(run.as_of.isoformat()),
        "version": _trusted(run.version),
    }


def _normalise(text: str) -> str:
    return wrap(re.sub(r"\n{3,}", "\n\n", text).strip("\n"))


def template(name: str) -> Any:
    """The macros of a Markdown template: every value through :func:`md`."""
    return jinja_template(name, autoescape=False, finalize=md, filters={"cell": cell, "lead": lead, "heading": heading})


class MarkdownReport:
    """A section per plan as it is checked; the title and, for several plans, the summary table
    at the end (one short row kept per plan); the rubric's settings last."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.template = template("report.md.j2")
        self.single = run.plans == 1
        self.rows: list[Row] = []
        self.name: str | None = None

    def plan(self, p: PlanResult) -> str:
        self.rows.append(Row.of(p))
        if self.name is None:
            self.name = p.name
        run = self.run
        text = self.template.plan(
            _plan_view(run, p),
            Headings(None if self.single else len(self.rows)),
            self.single,
            run.policy.name,
            _trusted(num(run.policy.pass_score)),
            _trusted(num(run.policy.unknown_credit)),
            _trusted(run.as_of.isoformat()),
            run.statistics,
        )
        if p.baseline is not None:  # --baseline: what it held back (readiness.baseline)
            text = f"{text}\n\n{lead(baseline_note(p))}\n"
        return "\n\n" + _normalise(str(text))

    def finish(self) -> tuple[str, str]:
        rows = [] if self.single else [_row_view(row) for row in self.rows]
        head = self.template.head(
            self.single, self.name, rows, _trusted(self.run.as_of.isoformat()), self.run.policy.name
        )
        tail = self.template.tail(_settings(self.run))
        return _normalise(str(head)), "\n\n" + _normalise(str(tail)) + "\n"


def wrap(text: str, width: int = 80) -> str:
    """Wrap prose and list lines at ``width`` (tables, headings and code blocks stay whole), and
    escape whatever would open a block at the start of any line it makes, or of a list item's
    text, and a heading's closing ``#`` run (see the module's description)."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
        elif fenced or line.startswith("|") or not line:
            out.append(line)
        elif line.startswith("#"):
            out.append(_CLOSING.sub(r"\1\\\2", line))
        else:
            item = _LIST_ITEM.match(line)
            assert item is not None  # the pattern matches every line
            marker = item.group()
            indent = item.group(1) + ("  " if item.group(2) else "")
            rows = _wrapped(line[len(marker) :], width - len(marker), width - len(indent))
            out.append(marker + _lead(rows[0]))
            out += [indent + _lead(row) for row in rows[1:]]
    return "\n".join(out)


def _wrapped(text: str, first: int, rest: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``first``, then ``rest`` characters (a
    word longer than that stays whole on its own line)."""
    rows: list[str] = []
    current = ""
    room = first
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > room:
            rows.append(current)
            current, room = word, rest
        else:
            current = f"{current} {word}" if current else word
    rows.append(current)
    return rows
