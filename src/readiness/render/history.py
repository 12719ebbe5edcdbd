"""``readiness history`` output: a table of revisions with a Unicode sparkline for a terminal, the
table with an SVG line chart for Markdown, the same chart and table as a self-contained HTML
document to hand a client, and JSON for machines.

The same protocol as the check reports (:class:`readiness.render.Renderer`), with a
:class:`~readiness.history.Point` for the item: one per revision, oldest first. The chart is
drawn here, with no library, once for Markdown and HTML: a polyline of the scores on a 0-100
scale with the pass score as a dashed line, one dot per revision coloured by its verdict, and a
gap and a grey cross where a revision could not be checked.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from readiness.findings import CATEGORIES, CATEGORY_NAMES
from readiness.history import Point
from readiness.render import Run, json_text, score_number, strip_trailing, unchecked_words
from readiness.render.json_ import head_document
from readiness.text import inert, one_line
from readiness.wording import num, plural, ratio

SPARKS = "▁▂▃▄▅▆▇█"
INVALID_SPARK = "·"


def sparkline(points: list[Point]) -> str:
    """One block per revision, from the lowest score shown to the highest in eight heights (the
    line beside it says what those are), ``·`` for a revision that could not be checked. Scores
    of a plan move within a few points, which a fixed 0-100 scale would flatten."""
    scores = [p.result.score for p in points if p.result.score is not None]
    low, high = (min(scores), max(scores)) if scores else (Fraction(0), Fraction(0))
    top = len(SPARKS) - 1
    out = []
    for p in points:
        score = p.result.score
        if score is None:
            out.append(INVALID_SPARK)
        elif high == low:
            out.append(SPARKS[top // 2] if high < 100 else SPARKS[top])
        else:
            out.append(SPARKS[int((score - low) * top / (high - low) + Fraction(1, 2))])
    return "".join(out)


def _verdict(p: Point) -> str:
    r = p.result
    return unchecked_words(r) if r.verdict is None else r.verdict.replace("_", " ")


def _score(p: Point, category: str) -> Fraction | None:
    return next((c.score for c in p.result.categories if c.id == category), None)


def _category(p: Point, category: str, whole: bool = False) -> str:
    """A category's score, one decimal, or (``whole``, for a terminal line) a whole number,
    rounded half away from zero."""
    score = _score(p, category)
    if score is None:
        return ""
    return str(int(score + Fraction(1, 2))) if whole else ratio(score)


def _judged(points: list[Point]) -> str:
    if all(p.as_of == p.revision.date for p in points):
        return "each revision as of its commit date"
    return f"every revision as of {points[0].as_of.isoformat()}"


def _scores(points: list[Point], arrow: str = "->") -> str | None:
    """``score 50.0 -> 95.7 (lowest 50.0, highest 95.7)``; None when no revision has a score."""
    scores = [p.result.score for p in points if p.result.score is not None]
    if not scores:
        return None
    if len(scores) == 1:
        return f"score {ratio(scores[0])}"
    return (
        f"score {ratio(scores[0])} {arrow} {ratio(scores[-1])} "
        f"(lowest {ratio(min(scores))}, highest {ratio(max(scores))})"
    )


def _trend(points: list[Point], arrow: str = "->") -> str:
    count = plural(len(points), "revision")
    scores = _scores(points, arrow)
    return f"{count}, {scores}" if scores else f"{count}, none of them a valid plan"


def _latest(points: list[Point]) -> str:
    """``The latest revision, a3970cb of 2026-02-16, is ready``."""
    last = points[-1]
    state = _verdict(last)
    where = f"The latest revision, {last.revision.commit[:7]} of {last.revision.date.isoformat()},"
    return f"{where} hit an internal error" if state == "internal error" else f"{where} is {state}"


class _Collected:
    """A history written whole at the end: columns fit every row, and charts need every revision."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.points: list[Point] = []

    def plan(self, p: Point) -> str:
        self.points.append(p)
        return ""


class RichHistory(_Collected):
    """The table, then the sparkline; rows are kept until the end, since columns fit them all."""

    def finish(self) -> tuple[str, str]:
        from rich.table import Table  # Rich is loaded only for the terminal's table
        from rich.text import Text

        from readiness.render.terminal import console_for

        points = self.points
        console, buffer = console_for(self.run)
        path = points[-1].revision.path if points else ""
        console.print(Text(f"History of {one_line(path)}", style="bold"))
        console.print(
            Text(
                f"rubric {inert(self.run.policy.name)}, pass score {num(self.run.policy.pass_score)}; {_judged(points)}"
            )
        )
        console.print()
        # every column but the author's keeps its width, so that a row fits 100 columns; category
        # scores are whole numbers here (one decimal in Markdown and JSON)
        verdicts = [_verdict(p) for p in points]
        verdict_width = max([len("verdict"), *map(len, verdicts)])
        fixed = 7 + 10 + verdict_width + 5 + sum(map(len, CATEGORIES)) + len(CATEGORIES) + 4  # and the gaps
        authors = [one_line(p.revision.author) for p in points]
        author_width = max(6, min(16, self.run.width - fixed - 1, max([len("author"), *map(len, authors)])))
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0), header_style="bold")
        table.add_column("commit", no_wrap=True)
        table.add_column("date", no_wrap=True)
        table.add_column("author", no_wrap=True, width=author_width)
        table.add_column("verdict", no_wrap=True, min_width=verdict_width)
        table.add_column("score", justify="right", no_wrap=True)
        for category in CATEGORIES:
            table.add_column(category, justify="right", no_wrap=True)
        styles = {"ready": "green", "not ready": "red"}
        for p, verdict, author in zip(points, verdicts, authors, strict=True):
            table.add_row(
                p.revision.commit[:7],
                p.revision.date.isoformat(),
                author if len(author) <= author_width else author[: author_width - 1] + "…",
                Text(verdict, style=styles.get(verdict, "bold red")),
                ratio(p.result.score) if p.result.score is not None else "",
                *(_category(p, c, whole=True) for c in CATEGORIES),
            )
        console.print(table)
        console.print()
        console.print(Text(f"score  {sparkline(points)}  {_trend(points)}"), soft_wrap=True)
        return "", strip_trailing(buffer.getvalue())


# Markdown and its chart ----------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 40
COLOURS = {"ready": "#2da44e", "not_ready": "#cf222e", None: "#8c959f"}


def chart_description(points: list[Point], pass_score: Any) -> str:
    """What the chart shows, in words: its text alternative (the table beside it has every number)."""
    invalid = sum(1 for p in points if p.result.score is None)
    words = f"{_trend(points, 'to')}, on a scale of 0 to 100; the dashed line is the pass score, {num(pass_score)}"
    if points:
        words += "; a dot per revision, green when ready and red when not ready"
    if invalid == 1:
        words += ", and a grey cross for the revision that could not be checked"
    elif invalid:
        words += f", and a grey cross for each of the {invalid} revisions that could not be checked"
    return words + "."


def svg_chart(points: list[Point], pass_score: Any, label: str) -> str:
    """The scores as an SVG line chart, one line of text per element (no blank line, so that
    Markdown keeps it as one HTML block). Only numbers, dates and commit names we produce go into
    it, besides ``label``, which is escaped. It draws itself with presentation attributes; its
    classes let the HTML report's stylesheet give it the look of the report's other charts."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(points)

    def x(i: int) -> float:
        return LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(score: Any) -> float:
        return TOP + inner_h * (1 - float(score) / 100)

    def f(value: float) -> str:
        return f"{value:.1f}"

    lines = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(label)} '
            'font-family="sans-serif" font-size="11">'
        ),
        f"<title>{escape(label)}</title>",
        f"<desc>{escape(chart_description(points, pass_score))}</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for level in (0, 25, 50, 75, 100):
        lines.append(
            f'<line class="grid" x1="{LEFT}" y1="{f(y(level))}" x2="{WIDTH - RIGHT}" y2="{f(y(level))}" '
            'stroke="#d0d7de" stroke-width="1"/>'
        )
        lines.append(
            f'<text class="tick" x="{LEFT - 6}" y="{f(y(level) + 4)}" text-anchor="end" fill="#57606a">{level}</text>'
        )
    lines.append(
        f'<line class="pass" x1="{LEFT}" y1="{f(y(pass_score))}" x2="{WIDTH - RIGHT}" y2="{f(y(pass_score))}" '
        'stroke="#9a6700" stroke-width="1" stroke-dasharray="4 3"/>'
    )
    lines.append(
        f'<text class="pass-label" x="{WIDTH - RIGHT}" y="{f(y(pass_score) - 4)}" text-anchor="end" fill="#9a6700">'
        f"pass {escape(num(pass_score))}</text>"
    )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, p in enumerate(points):
        if p.result.score is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{f(x(i))},{f(y(p.result.score))}")
    if segment:
        segments.append(segment)
    for part in segments:
        if len(part) > 1:
            lines.append(f'<polyline points="{" ".join(part)}" fill="none" stroke="#0969da" stroke-width="2"/>')
    for i, p in enumerate(points):
        what = f"{p.revision.commit[:7]} {p.revision.date.isoformat()}: {escape(_verdict(p))}"
        if p.result.score is None:
            cx, cy = x(i), y(0)
            lines.append(
                f'<path d="M{f(cx - 4)},{f(cy - 4)} L{f(cx + 4)},{f(cy + 4)} M{f(cx - 4)},{f(cy + 4)} '
                f'L{f(cx + 4)},{f(cy - 4)}" stroke="{COLOURS[None]}" stroke-width="2"><title>{what}</title></path>'
            )
        else:
            lines.append(
                f'<circle cx="{f(x(i))}" cy="{f(y(p.result.score))}" r="4" fill="{COLOURS[p.result.verdict]}">'
                f"<title>{what}, score {ratio(p.result.score)}</title></circle>"
            )
    if points:
        first, last = points[0].revision.date.isoformat(), points[-1].revision.date.isoformat()
        lines.append(
            f'<text class="tick" x="{f(x(0))}" y="{HEIGHT - 14}" text-anchor="start" fill="#57606a">{first}</text>'
        )
        if n > 1:
            lines.append(
                f'<text class="tick" x="{f(x(n - 1))}" y="{HEIGHT - 14}" text-anchor="end" fill="#57606a">{last}</text>'
            )
    lines.append("</svg>")
    return "\n".join(lines)


class MarkdownHistory(_Collected):
    """A heading, the chart, and the table."""

    def finish(self) -> tuple[str, str]:
        from readiness.render.markdown import cell, md, wrap  # markupsafe with it: not for a terminal or JSON run

        points = self.points
        path = points[-1].revision.path if points else ""
        policy = self.run.policy
        lines = [
            f"# Readiness history: {md(path)}",
            "",
            wrap(
                f"Rubric {md(policy.name)}, pass score {num(policy.pass_score)}; {_judged(points)}. {md(_trend(points))}."
            ),
            "",
            svg_chart(points, policy.pass_score, f"Readiness score by revision of {inert(path)}"),
            "",
            "| Commit | Date | Author | Verdict | Score | " + " | ".join(CATEGORIES) + " |",
            "| --- | --- | --- | --- | --: | " + " | ".join("--:" for _ in CATEGORIES) + " |",
        ]
        for p in points:
            cells = [
                f"`{p.revision.commit[:7]}`",
                p.revision.date.isoformat(),
                cell(p.revision.author),
                _verdict(p),
                ratio(p.result.score) if p.result.score is not None else "",
                *(_category(p, c) for c in CATEGORIES),
            ]
            lines.append("|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|")  # compact: "| |"
        return "", "\n".join(lines) + "\n"


class HtmlHistory(_Collected):
    """One self-contained HTML document with the head, stylesheet and policy of the check report
    (readiness.render.html): a heading with the plan and the rubric, the chart, and the table.
    Every value from git or the plan reaches the template as a value, made inert and escaped
    there; the chart is this module's own markup, with the plan's path escaped in it."""

    def finish(self) -> tuple[str, str]:
        # Jinja2 and the check report's machinery: only when HTML is written
        from markupsafe import Markup

        from readiness.render.html import page, score_cell, template, visible
        from readiness.render.sections import rag

        points = self.points
        path = points[-1].revision.path if points else ""
        policy = self.run.policy
        label = f"Readiness score by revision of {visible(path)}"
        view = {
            "path": path,
            "rubric": policy.name,
            "pass_score": num(policy.pass_score),
            "judged": _judged(points) if points else "",
            "scores": (_scores(points, "→") or "no revision is a valid plan").capitalize(),
            "latest": _latest(points) if points else "",
            "span": f"{points[0].revision.date.isoformat()} to {points[-1].revision.date.isoformat()}"
            if points
            else "",
            "chart": Markup(svg_chart(points, policy.pass_score, label)),  # our markup; its one text is escaped
            "categories": [(c, CATEGORY_NAMES[c]) for c in CATEGORIES],
            "rows": [
                {
                    "commit": p.revision.commit[:7],
                    "subject": p.revision.subject,
                    "renamed": p.revision.path if p.revision.path != path else "",
                    "date": p.revision.date.isoformat(),
                    "author": p.revision.author,
                    "verdict": _verdict(p),
                    "rag": rag(p.result)[0],
                    "score": ratio(p.result.score) if p.result.score is not None else "",
                    "cells": [score_cell(_score(p, c)) for c in CATEGORIES],
                }
                for p in points
            ],
        }
        document = template("history.html.j2").history(page(f"Readiness history: {path}", self.run.version), view)
        return "", str(document)


class JsonHistory(_Collected):
    """One document: the run's policy and every revision, oldest first."""

    def finish(self) -> tuple[str, str]:
        head = head_document(self.run.policy, self.run.as_of, self.run.version)
        fixed = not all(p.as_of == p.revision.date for p in self.points)
        document = {
            "schema_version": 1,
            "tool": head["tool"],
            "plan": self.points[-1].revision.path if self.points else None,
            "as_of": self.run.as_of.isoformat() if fixed else None,
            "rubric": head["rubric"],
            "revisions": [revision(p) for p in self.points],
        }
        return "", json_text(document)


def revision(p: Point) -> dict[str, Any]:
    r = p.result
    entry: dict[str, Any] = {
        "commit": p.revision.commit,
        "date": p.revision.date.isoformat(),
        "author": p.revision.author,
        "subject": p.revision.subject,
        "path": p.revision.path,
        "as_of": p.as_of.isoformat(),
        "verdict": r.verdict,
        "score": score_number(r.score),
        "exit_code": r.exit_code,
        "categories": [{"id": c.id, "score": score_number(c.score)} for c in r.categories],
        "summary": r.summary() if r.verdict is not None else None,
        "errors": len(r.errors) + r.errors_omitted,
    }
    if r.verdict is None and r.errors:
        entry["error"] = r.errors[0].render(r.path)
    return entry
