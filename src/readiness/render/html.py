"""``--format html``: one self-contained file to hand a client, that prints to a clean A4 PDF.

Inline CSS and inline SVG, no script, and a Content-Security-Policy that lets the page load
nothing at all (only its own stylesheet, by its hash): it opens from an e-mail attachment or a
file share and makes no request. Sections in the order a client reads them: the cover (verdict
as a red, amber or green badge with its words, the score and the reasons), the summary (top
risks, category scores as a bar chart, counts), the divisions, the action plan, the next 30
days, the timeline as a gantt chart drawn here from the plan's dates, the findings per rule with
their rationale and sources, the questions for the client, the waivers; an appendix with the
rubric's settings. Several plans give one file with a portfolio table first.

Rendered with Jinja2 (``templates/report.html.j2``) with autoescape on, imported only when the
format is used. Plan text reaches the template only as values, never as template source; every
value is made inert (readiness.text: control, bidi and zero-width characters shown as visible
escapes, as are Unicode noncharacters, which HTML forbids) and then escaped by the environment.
This module computes only geometry and fixed words; the template writes all text.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from readiness.analysis import grouped, top_risks
from readiness.findings import CATEGORIES, CATEGORY_NAMES, PlanResult
from readiness.render import Run, baseline_note, error_count, position, unchecked_words
from readiness.render.sections import (
    HEAT_WORDS,
    change_words,
    coming,
    counts_sentence,
    divided,
    due_words,
    first_sentence,
    heat_categories,
    missing,
    moves,
    owners,
    quiet_words,
    rag,
    template_source,
    verdict_words,
    waiver_policy,
)
from readiness.render.sections import template as jinja_template
from readiness.text import inert, unicode_escape
from readiness.timeline import Event, failing, flagged, in_sections, span
from readiness.wording import countdown, first, join, join_and, num, ratio

# Unicode noncharacters: text may hold them, an HTML document may not
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]"
)


def visible(value: Any) -> Any:
    """The environment's ``finalize``: text made inert (escaped by autoescape right after)."""
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _NONCHARACTERS.sub(lambda m: unicode_escape(m.group()), inert(value))
    return value


def code_spans(text: Any) -> Any:
    """A rule's words with their backticked parts as ``<code>``, every part escaped."""
    from markupsafe import Markup, escape

    parts = str(visible(text)).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code at all
        return escape(visible(text))
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if n % 2 else escape(part) for n, part in enumerate(parts)
    )


@cache
def stylesheet() -> tuple[str, str]:
    """The report's CSS and the Content-Security-Policy that allows exactly it."""
    css = template_source("report.css")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    return css, policy


def template(name: str) -> Any:
    """The macros of an HTML template: autoescape on, every value made inert first
    (:func:`visible`)."""
    return jinja_template(name, autoescape=True, finalize=visible, filters={"code": code_spans})


def page(title: str, version: str) -> dict[str, Any]:
    """What the head of every HTML document says (the ``page`` macro of ``report.html.j2``): its
    title, the generator, the stylesheet and the Content-Security-Policy that allows exactly it."""
    from markupsafe import Markup

    css, policy = stylesheet()
    # the package's own stylesheet, allowed by its hash: the one value the template does not escape
    return {"title": title, "css": Markup(css), "policy": policy, "version": version}


# charts ---------------------------------------------------------------------------------------------


def band(score: Fraction | None) -> str:
    """The colour band of a score (the number is always written beside it): ``good`` from 90,
    ``fair`` from 70, ``poor`` below, ``none`` when not scored."""
    if score is None:
        return "none"
    value = float(ratio(score))
    return "good" if value >= 90 else "fair" if value >= 70 else "poor"


@dataclass(frozen=True)
class Bar:
    id: str
    name: str
    score: str  # as shown
    band: str
    y: int
    width: float


def category_chart(p: PlanResult, pass_score: float) -> dict[str, Any]:
    """The geometry of the category bar chart: one bar per category, 0 to 100."""
    left, room, row = 250, 380, 26
    bars = [
        Bar(
            c.id,
            CATEGORY_NAMES[c.id],
            ratio(c.score) if c.score is not None else "not scored",
            band(c.score),
            24 + n * row,
            0 if c.score is None else round(float(c.score) / 100 * room, 1),
        )
        for n, c in enumerate(p.categories)
    ]
    height = 24 + len(bars) * row + 8
    return {
        "bars": bars,
        "left": left,
        "height": height,
        "pass_x": round(left + min(pass_score, 100) / 100 * room, 1),
        "ticks": [(round(left + t / 100 * room, 1), t) for t in (0, 25, 50, 75, 100)],
    }


KIND_CLASS = {
    "kickoff": "prep",
    "phase": "prep",
    "message": "comm",
    "training": "train",
    "review": "gate",
    "decision": "gate",
    "pilot": "live",
    "go-live": "live",
    "wave": "live",
    "hypercare": "care",
    "peak": "peak",
    "deadline": "deadline",
    "change": "change",
}


LABEL_ROOM = 44  # characters of a label the chart has room for; the table under it has them all


@dataclass(frozen=True)
class Row:
    label: str
    section: str | None  # a section's title row has no event
    y: int
    kind: str = ""
    x: float = 0
    width: float = 0  # 0 for a milestone
    rules: str = ""  # the rules of the live findings that point at it
    dates: str = ""

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= LABEL_ROOM else self.label[: LABEL_ROOM - 1] + "…"


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    out = []
    while first <= end:
        out.append(first)
        first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return out


def gantt(p: PlanResult, as_of: dt.date) -> dict[str, Any] | None:
    """The geometry of the timeline: a row per event under its section's title, a bar from its
    first to its last day (a diamond for a milestone), month ticks, and lines for the evaluation
    date and the hard deadline."""
    if not p.timeline:
        return None
    left, right, top, row = 330, 990, 58, 20
    start, end = span(p.timeline, as_of)
    months = _month_starts(start, end)
    first = months[0]
    last = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)  # the day after the last month
    scale = (right - left) / max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return round(left + (day - first).days * scale, 1)

    live = failing(p.results)
    rows: list[Row] = []
    y = top
    section = None
    for e in in_sections(p.timeline):
        if e.section != section:
            section = e.section
            rows.append(Row(section, section, y))
            y += row
        rows.append(_row(e, y, x, flagged(e, live)))
        y += row
    step = max(1, -(-len(months) * 52 // (right - left)))  # a label every `step` months, 52 px apart
    ticks = [(x(m), m.strftime("%Y-%m") if n % step == 0 else "") for n, m in enumerate(months)]
    lines = [("asof", x(as_of), f"as of {as_of.isoformat()}")]
    lines += [("deadline", x(e.start), "hard deadline") for e in p.timeline if e.kind == "deadline"]
    return {
        "rows": rows,
        "ticks": ticks,
        "lines": lines,
        "height": y + 8,
        "top": top,
        "first": start.isoformat(),
        "last": end.isoformat(),
    }


def _row(e: Event, y: int, x: Any, rules: list[str]) -> Row:
    kind, named = KIND_CLASS.get(e.kind, "prep"), ", ".join(rules)
    if e.milestone:
        return Row(e.label, None, y, kind, x(e.start), 0, named, e.start.isoformat())
    dates = f"{e.start.isoformat()} to {e.last.isoformat()}" + (" and on" if e.open_ended else "")
    x0 = x(e.start)
    width = max(3.0, round(x(e.last + dt.timedelta(days=1)) - x0, 1))
    return Row(e.label, None, y, kind, x0, width, named, dates)


# the view of a plan ---------------------------------------------------------------------------------


def _owner(who: str, labels: list[str]) -> dict[str, Any]:
    """Who acts, and the targets named (each shown whole, as a browser would break an id at its
    hyphens), with how many more."""
    shown, more = first(labels)
    return {"who": who, "targets": shown, "more": more}


def plan_view(run: Run, p: PlanResult) -> dict[str, Any]:
    """Everything the template shows of one plan, as plain values (escaped by the template)."""
    as_of = run.as_of
    colour, words = rag(p)
    view: dict[str, Any] = {
        "name": p.name or p.path,
        "path": p.path,
        "verdict": verdict_words(p.verdict, p.exit_code),
        "rag": colour,
        "rag_words": words,
        "invalid": p.verdict is None,
    }
    if p.verdict is None:
        view["error_count"] = error_count(p)
        view["errors"] = [problem.render(p.path) for problem in p.errors]
        view["errors_omitted"] = p.errors_omitted
        return view
    counts = p.summary()
    days = (dt.date.fromisoformat(p.go_live) - as_of).days if p.go_live else 0
    view |= {
        "score": ratio(p.score),  # type: ignore[arg-type]
        "go_live": p.go_live,
        "countdown": countdown(days),
        "counts": counts,
        "counts_sentence": counts_sentence(p),
        "reasons": [{"detail": r.detail, "blocks": r.blocks} for r in sorted(p.reasons, key=lambda r: not r.blocks)],
        "baseline": baseline_note(p) if p.baseline is not None else None,  # --baseline (readiness.baseline)
        "risks": [
            {
                "points": "+" + ratio(a.points),
                "rule": a.rule,
                "title": _info(run, a.rule, "title"),
                "severity": a.severity,
                "targets": len(a.findings),
            }
            for a in top_risks(p.actions)
        ],
        "chart": category_chart(p, float(run.policy.pass_score)),
    }
    categories = heat_categories(p)
    view["heat_columns"] = [(c, CATEGORY_NAMES[c]) for c in categories]
    view["heat"] = [
        {
            "name": row.name,
            "cells": [
                (HEAT_WORDS[row.cells[c].word], row.cells[c].word.replace(" ", "-"))
                if c in row.cells
                else ("-", "none")
                for c in categories
            ],
        }
        for row in (p.heat if divided(p) else ())
    ]
    view["actions"] = [
        {
            "due": due_words(a.due, as_of),
            "overdue": a.due is not None and a.due < as_of,
            "rule": a.rule,
            "severity": a.severity,
            "action": a.headline,
            "points": "+" + ratio(a.points) if a.points else "",
            "owners": [_owner(who, labels) for who, labels in owners(a.findings).items()],
        }
        for a in p.actions
    ]
    view["forecast"] = [
        {
            "date": day.date.isoformat(),
            "when": countdown((day.date - as_of).days),
            "changes": [change_words(c) for c in day.changes],
            "moves": moves(day),
        }
        for day in coming(p)
    ]
    view["quiet"] = quiet_words(p, as_of)
    view["gantt"] = gantt(p, as_of)
    groups = grouped(p.results)
    view["groups"] = [
        {
            "kind": g.severity if g.status == "fail" else f"waived {g.severity}",
            "severity": g.severity,
            "waived": g.status == "waived",
            "rule": g.rule,
            "slug": g.slug,
            "title": _info(run, g.rule, "title"),
            "rationale": _info(run, g.rule, "rationale"),
            "remediation": g.remediation if g.status == "fail" else "",
            "sources": list(_info(run, g.rule, "sources") or ()),
            "targets": [
                {
                    "label": r.label,
                    "where": position(p.path, r),
                    "message": r.message,
                    "severity": r.severity if r.severity != g.severity else "",
                    "waiver": r.waiver,
                }
                for r in g.results
            ],
        }
        for g in groups
        if g.status != "unknown"
    ]
    view["questions"] = [
        {
            "rule": g.rule,
            "slug": g.slug,
            "question": first_sentence(g.results[0].question) if g.results[0].question else "What does the plan say?",
            "record": g.results[0].question[len(first_sentence(g.results[0].question)) :].strip(),
            "targets": join(r.label for r in g.results if r.target is not None),
            "missing": join_and(sorted({missing(r.message) for r in g.results})),
        }
        for g in groups
        if g.status == "unknown"
    ]
    view["waivers"] = [
        {
            "index": w.index,
            "rule": w.rule,
            "target": w.target or "",
            "owner": w.owner,
            "expires": w.expires,
            "state": w.state.replace("_", " "),
            "state_class": w.state,
        }
        for w in p.waivers
    ]
    return view


def _info(run: Run, rule_id: str, field: str) -> Any:
    rule = run.rule(rule_id)
    return getattr(rule, field) if rule is not None else ""


@dataclass(frozen=True)
class PortfolioRow:
    """What the portfolio table keeps of a plan once its part is written: one short row."""

    number: int
    name: str
    path: str
    verdict: str
    rag: str
    score: str
    cells: tuple[tuple[str, str], ...]  # per category: the score shown and its band
    live: int | None

    @classmethod
    def of(cls, number: int, p: PlanResult) -> PortfolioRow:
        scores = {c.id: c.score for c in p.categories}
        cells = tuple(score_cell(scores.get(c)) for c in CATEGORIES)
        counts = p.summary() if p.verdict is not None else None
        live = counts["error"] + counts["warning"] + counts["info"] if counts is not None else None
        verdict = unchecked_words(p) if p.verdict is None else verdict_words(p.verdict)
        score = ratio(p.score) if p.score is not None else ""
        return cls(number, p.name or p.path, p.path, verdict, rag(p)[0], score, cells, live)


def score_cell(score: Fraction | None) -> tuple[str, str]:
    """A score as a table shows it, and its band: empty for no score."""
    return ("", "none") if score is None else (ratio(score), band(score))


def settings_view(run: Run) -> dict[str, Any]:
    policy = run.policy
    return {
        "rubric": policy.name,
        "pass_score": num(policy.pass_score),
        "fail_on": policy.fail_on,
        "unknown_credit": num(policy.unknown_credit),
        "waivers": waiver_policy(policy),
        "as_of": run.as_of.isoformat(),
        "version": run.version,
        "rules": [{"id": r.id, "severity": r.severity, "title": r.title} for r in run.rules.values()],
    }


class HtmlReport:
    """Each plan's part as it is checked; the document's head (with, for several plans, the
    portfolio table: one short row kept per plan) and its tail (the appendix) at the end."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.template = template("report.html.j2")
        self.single = run.plans == 1
        self.rows: list[PortfolioRow] = []
        self.settings = settings_view(run)  # the appendix, whose rubric settings each plan's part quotes

    def plan(self, p: PlanResult) -> str:
        number = len(self.rows) + 1
        self.rows.append(PortfolioRow.of(number, p))
        text = self.template.plan(plan_view(self.run, p), number, self.single, self.settings)
        return str(text)

    def finish(self) -> tuple[str, str]:
        run = self.run
        title = "Rollout readiness report"
        if self.single and self.rows:
            title = f"Rollout readiness: {self.rows[0].name}"
        head = self.template.head(
            page(title, run.version)
            | {
                "single": self.single,
                "as_of": run.as_of.isoformat(),
                "rubric": run.policy.name,
                "categories": [(c, CATEGORY_NAMES[c]) for c in CATEGORIES],
                "rows": [] if self.single else self.rows,
            }
        )
        tail = self.template.tail(self.settings, self.single)
        return str(head), str(tail)
