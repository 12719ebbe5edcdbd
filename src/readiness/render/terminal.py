"""The default ``rich`` report, for a consultant reading it with a client at a terminal.

A header with the verdict at a glance, category scores with bars, findings grouped by category
(each a clickable ``file:line:col`` line with its message and how to fix it), what could not be
assessed, the waivers, and the plan's key dates. Plan text reaches Rich only inside ``Text``
objects, after :func:`~readiness.render.sanitize`, so it can never become markup or escape codes.
Readable at 80 columns; plain text without colour off a terminal.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from readiness.findings import CATEGORY_NAMES, REPORT_ORDER, PlanResult, Result
from readiness.render import Row, Run, Tally, baseline_note, strip_trailing, verdict_line
from readiness.text import inert, one_line
from readiness.wording import countdown, ratio

STYLE = {
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "unknown": "dim",
    "waived": "magenta",
    "ready": "bold green",
    "not_ready": "bold red",
    "applied": "magenta",
    "expired": "red",
}


class Hanging:
    """A line of text wrapped at spaces, its continuation lines indented under it. Only a single
    word wider than the line is folded, so an id or a ``file:line:col`` is never cut in two."""

    def __init__(self, text: Text, indent: int = 4) -> None:
        self.text = text
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, self.indent + 20)
        plain = self.text.plain
        offsets: list[int] = []
        start, room = 0, width
        while len(plain) - start > room:
            cut = plain.rfind(" ", start, start + room + 1)
            if cut <= start:  # one word wider than the line: fold it
                cut = start + room
                offsets.append(cut)
                start = cut
            else:
                offsets.append(cut)
                start = cut + 1
            room = width - self.indent
        for n, line in enumerate(self.text.divide(offsets)):
            if n:
                yield Text(" " * self.indent) + (line[1:] if line.plain.startswith(" ") else line)
            else:
                yield line


def _indent(renderable: RenderableType, left: int = 4) -> Padding:
    return Padding(renderable, (0, 0, 0, left), expand=False)


def _where(path: str, r: Result) -> str:
    return path if r.line is None else f"{path}:{r.line}:{r.column}"


def finding_text(path: str, r: Result) -> list[RenderableType]:
    kind = r.severity if r.status == "fail" else r.status
    head = Text()
    head.append(_where(one_line(path), r), style="bold")
    head.append(": ")
    head.append(kind if r.status != "waived" else f"waived {r.severity}", style=STYLE[kind])
    head.append(f" {r.rule} {r.slug}")
    head.append(f" [{inert(r.label)}]", style="dim")
    body: list[RenderableType] = [Hanging(head), _indent(Text(inert(r.message)))]
    if r.waiver is not None:
        body.append(
            _indent(
                Text(
                    f"waived until {r.waiver.expires} by {inert(r.waiver.owner)}: {inert(r.waiver.reason)}",
                    style="magenta",
                )
            )
        )
    elif r.status == "fail" and r.remediation:
        body.append(_indent(Text(f"fix: {inert(r.remediation)}", style="dim")))
    return body


def unknown_text(results: list[Result]) -> list[RenderableType]:
    """What could not be assessed, grouped by what the plan would need to add."""
    groups: dict[str, list[str]] = {}
    for r in results:
        if r.status == "unknown":
            groups.setdefault(r.message, []).append(r.rule if r.target is None else f"{r.rule} [{r.target}]")
    if not groups:
        return []
    total = sum(len(v) for v in groups.values())
    lines: list[RenderableType] = [Text(f"Not assessed ({total} results; the plan does not say):", style="bold")]
    for message, rules in groups.items():
        lines.append(_indent(Text(f"{inert(message)}: {', '.join(inert(x) for x in rules)}", style="dim")))
    return lines


def verdict_text(p: PlanResult) -> Text:
    """The ``--quiet`` line (render.verdict_line), the path in bold and the verdict in colour."""
    text = Text(verdict_line(p))
    start = len(one_line(p.path)) + 2
    text.stylize("bold", 0, start - 2)
    if p.verdict is None:
        text.stylize("bold red", start)
    else:
        text.stylize(STYLE[p.verdict], start, start + len(p.verdict))
    return text


def _header(p: PlanResult, as_of: dt.date | None, rubric: str | None) -> list[RenderableType]:
    title = Text(inert(p.name or ""), style="bold")
    path = Text(one_line(p.path), style="dim")
    where = Text()
    if p.go_live is not None:
        where.append(f"go-live {p.go_live}")
        if as_of is not None:
            when = countdown((dt.date.fromisoformat(p.go_live) - as_of).days)
            where.append(f" ({when}, as of {as_of.isoformat()})")
    if rubric:
        where.append(f" · rubric {inert(rubric)}")
    return [title, path, where, _glance(p)]


def _glance(p: PlanResult) -> Text:
    counts = p.summary()
    glance = Text()
    glance.append(p.verdict.replace("_", " ").upper() if p.verdict else "", style=STYLE.get(p.verdict or "", ""))
    glance.append(f"  score {ratio(p.score)}" if p.score is not None else "")
    glance.append(
        f"  ·  {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info, "
        f"{counts['unknown']} unknown, {counts['waived']} waived"
    )
    return glance


def _bar(score: object, color: bool) -> Text:
    if score is None:
        return Text("not scored", style="dim")
    value = float(ratio(score))  # type: ignore[arg-type]
    filled = int(value // 10 + (1 if value % 10 >= 5 else 0))
    full, empty = ("█", "░") if color else ("#", ".")
    style = "green" if value >= 90 else "yellow" if value >= 70 else "red"
    text = Text(full * filled, style=style)
    text.append(empty * (10 - filled), style="dim")
    text.append(f" {ratio(score):>5}")  # type: ignore[arg-type]
    return text


def categories_table(p: PlanResult, color: bool) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 2))
    table.add_column("id", no_wrap=True)
    table.add_column("name", overflow="fold")  # wraps at spaces on a narrow terminal
    table.add_column("bar", no_wrap=True)
    table.add_column("note", style="dim")
    for c in p.categories:
        notes = [
            f"{n} {label}" for n, label in ((c.failed, "failing"), (c.unknown, "unknown"), (c.waived, "waived")) if n
        ]
        table.add_row(c.id, CATEGORY_NAMES[c.id], _bar(c.score, color), ", ".join(notes))
    return table


def waivers_text(p: PlanResult) -> list[RenderableType]:
    if not p.waivers:
        return []
    lines: list[RenderableType] = [Text("Waivers", style="bold")]
    for w in p.waivers:
        text = Text(inert(w.rule) + (f" on {inert(w.target)}" if w.target else "") + ": ")
        text.append(w.state.replace("_", " "), style=STYLE.get(w.state, "dim"))
        text.append(f", until {w.expires}, owner {inert(w.owner)}")
        lines.append(_indent(text, 2))
    return lines


def timeline_text(p: PlanResult) -> list[RenderableType]:
    if not p.timeline:
        return []
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 2))
    table.add_column("when", no_wrap=True)
    table.add_column("what")
    for e in p.timeline:
        when = e.start.isoformat() if e.end is None or e.end == e.start else f"{e.start} to {e.end}"
        table.add_row(when, Text(inert(e.label)))
    return [Text("Timeline", style="bold"), _indent(table, 2)]


def plan_text(
    p: PlanResult,
    statistics: bool = False,
    as_of: dt.date | None = None,
    rubric: str | None = None,
    color: bool = False,
) -> list[RenderableType]:
    if p.verdict is None:
        return [verdict_text(p)]
    out: list[RenderableType] = [
        *_header(p, as_of, rubric),
        Text(),
        Text("Categories", style="bold"),
        _indent(categories_table(p, color), 2),
    ]
    if not statistics:
        live = [r for r in p.findings if r.status != "unknown"]
        if live:
            out += [Text(), Text("Findings", style="bold")]
        order = {c: i for i, c in enumerate(REPORT_ORDER)}
        for category in sorted({r.category for r in live}, key=lambda c: order.get(c, len(order))):
            out.append(Text(f"  {CATEGORY_NAMES.get(category, category)}", style="bold underline"))
            for r in live:
                if r.category == category:
                    out += finding_text(p.path, r)
        unknown = unknown_text(p.results)
        if unknown:
            out += [Text(), *unknown]
    waivers = waivers_text(p)
    if waivers:
        out += [Text(), *waivers]
    timeline = timeline_text(p)
    if timeline:
        out += [Text(), *timeline]
    counts = p.summary()
    tail = verdict_text(p)
    tail.append(
        f": {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info, "
        f"{counts['unknown']} unknown, {counts['waived']} waived"
    )
    out += [Text(), Hanging(tail)]
    return out


def statistics_text(tally: Tally) -> list[RenderableType]:
    """One row per rule with findings: live, waived and unknown counts over all plans."""
    lines: list[RenderableType] = [Text(f"{'live':>5} {'waived':>6} {'unknown':>7}  rule", style="bold")]
    lines += [
        Text(f"{live:>5} {waived:>6} {unknown:>7}  {rule} {slug}") for rule, slug, live, waived, unknown in tally.rows()
    ]
    return lines


def summary_table(rows: list[Row]) -> Table:
    """One row per plan: verdict, score and counts (several plans in one call)."""
    table = Table(title=None, box=None, pad_edge=False, padding=(0, 1, 0, 0))
    for column in ("plan", "verdict", "score", "errors", "warnings", "unknown"):
        table.add_column(column, justify="right" if column in ("score", "errors", "warnings", "unknown") else "left")
    for row in rows:
        if row.verdict is None:
            table.add_row(Text(one_line(row.path)), Text(row.state, style="bold red"), "", "", "", "")
            continue
        c = row.counts
        table.add_row(
            Text(one_line(row.path)),
            Text(row.verdict, style=STYLE[row.verdict]),
            ratio(row.score),  # type: ignore[arg-type]
            str(c["error"]),
            str(c["warning"]),
            str(c["unknown"]),
        )
    return table


class TerminalReport:
    """The report of each plan as it is checked; after the last, the statistics and, for several
    plans, the summary table (one short row kept per plan)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.rows: list[Row] = []  # summary rows only: findings are dropped
        self.tally = Tally()
        self.count = 0

    def _console(self) -> tuple[Console, StringIO]:
        buffer = StringIO()
        console = Console(
            file=buffer,
            force_terminal=self.run.color,
            no_color=not self.run.color,
            width=self.run.width,
            highlight=False,
            emoji=False,
            markup=False,
            soft_wrap=False,
        )
        return console, buffer

    def plan(self, p: PlanResult) -> str:
        if p.verdict is None and self.run.plans == 1:
            return ""  # its errors, on standard error, are the whole story (as for --quiet)
        console, buffer = self._console()
        self.count += 1
        if self.run.quiet:
            console.print(verdict_text(p), soft_wrap=True)  # one line per plan, however long
            return buffer.getvalue()
        if self.count > 1:
            console.print()
        for line in plan_text(p, self.run.statistics, self.run.as_of, self.run.policy.name, self.run.color):
            console.print(line)
        if p.baseline is not None:  # --baseline: what it held back (readiness.baseline)
            console.print(Hanging(Text(baseline_note(p))))
        if self.run.plans > 1:
            self.rows.append(Row.of(p))
        self.tally.add(p)
        return strip_trailing(buffer.getvalue())

    def finish(self) -> tuple[str, str]:
        if self.run.quiet:
            return "", ""
        console, buffer = self._console()
        if self.run.statistics:
            console.print()
            for line in statistics_text(self.tally):
                console.print(line)
        if self.run.plans > 1:
            console.print()
            console.print(Text("Summary", style="bold"))
            console.print(summary_table(self.rows))
        return "", strip_trailing(buffer.getvalue())
