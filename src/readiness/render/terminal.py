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

from readiness.analysis import Group, grouped, top_risks
from readiness.findings import CATEGORY_NAMES, Change, ForecastDay, PlanResult
from readiness.render import Row, Run, Tally, baseline_note, position, strip_trailing, verdict_line, verdict_reasons
from readiness.render.sections import (
    FORECAST_DAYS,
    coming,
    divided,
    first_sentence,
    heat_categories,
    missing,
    owners,
    quiet_words,
)
from readiness.text import inert, one_line
from readiness.timeline import failing, flagged
from readiness.wording import countdown, join, join_and, plural, ratio

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


def group_text(path: str, g: Group) -> list[RenderableType]:
    """One rule's findings of one kind: a head line, how to fix it (once), then each target with
    its position and its own message."""
    kind = g.severity if g.status == "fail" else g.status
    head = Text("  ")
    head.append(kind if g.status != "waived" else f"waived {g.severity}", style=STYLE[kind])
    head.append(f" {g.rule} {g.slug}", style="bold")
    count = len(g.results)
    head.append(f"  {plural(count, 'target')}" if count > 1 else "", style="dim")
    body: list[RenderableType] = [Hanging(head)]
    for r in g.results:
        line = Text("    ")
        line.append(position(one_line(path), r), style="bold")
        line.append(f" [{inert(r.label)}]", style="dim")
        if r.severity != g.severity and r.status == "fail":
            line.append(f" {r.severity}", style=STYLE[r.severity])
        body.append(Hanging(line, 6))
        body.append(_indent(Text(inert(r.message)), 6))
        if r.waiver is not None:
            waived = f"waived until {r.waiver.expires} by {inert(r.waiver.owner)}: {inert(r.waiver.reason)}"
            body.append(_indent(Text(waived, style="magenta"), 6))
    if g.status == "fail" and g.remediation:
        body.append(_indent(Text(f"fix: {inert(g.remediation)}", style="dim"), 4))
    return body


def findings_text(p: PlanResult) -> list[RenderableType]:
    """The live findings, one entry per rule (errors first), then the waived ones."""
    groups = [g for g in grouped(p.results) if g.status != "unknown"]
    if not groups:
        return [Text("Findings", style="bold"), _indent(Text("No live or waived finding.", style="dim"), 2)]
    live = sum(len(g.results) for g in groups if g.status == "fail")
    rules = len({g.rule for g in groups if g.status == "fail"})
    out: list[RenderableType] = [
        Text(f"Findings ({plural(live, 'live finding')} in {plural(rules, 'rule')})", style="bold")
    ]
    for g in groups:
        out += group_text(p.path, g)
    return out


def questions_text(p: PlanResult) -> list[RenderableType]:
    """What to ask the client: the unknowns, gathered under what the plan does not say, each
    rule with its question."""
    groups = [g for g in grouped(p.results) if g.status == "unknown"]
    if not groups:
        return []
    count = sum(len(g.results) for g in groups)
    title = f"Questions for the client ({plural(count, 'unknown result')} in {plural(len(groups), 'rule')})"
    out: list[RenderableType] = [Text(title, style="bold")]
    by_gap: dict[str, list[Group]] = {}
    for g in groups:
        gap = join_and(sorted({missing(r.message) for r in g.results}))
        by_gap.setdefault(gap, []).append(g)
    for gap, found in by_gap.items():
        out.append(_indent(Hanging(Text(f"the plan does not say: {inert(gap)}", style="dim")), 2))
        for g in found:
            line = Text(f"{g.rule} ", style="bold")
            question = g.results[0].question
            line.append(inert(first_sentence(question)) if question else f"{g.slug}: what does the plan say?")
            targets = [r.label for r in g.results if r.target is not None]
            if targets:
                line.append(f" [{inert(join(targets))}]", style="dim")
            out.append(_indent(Hanging(line, len(g.rule) + 1), 4))
    return out


def verdict_text(p: PlanResult, reasons: bool = True) -> Text:
    """The ``--quiet`` line (render.verdict_line), the path in bold and the verdict in colour."""
    text = Text(verdict_line(p, reasons))
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
    why = Text("why: ", style="bold")
    why.append(verdict_reasons(p))
    return [title, path, where, _glance(p), Hanging(why, 5)]


def _counts(p: PlanResult) -> str:
    counts = p.summary()
    return (
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info, "
        f"{counts['unknown']} unknown, {counts['waived']} waived"
    )


def _glance(p: PlanResult) -> Text:
    glance = Text()
    glance.append(p.verdict.replace("_", " ").upper() if p.verdict else "", style=STYLE.get(p.verdict or "", ""))
    glance.append(f"  score {ratio(p.score)}" if p.score is not None else "")
    glance.append(f"  ·  {_counts(p)}")
    return glance


def risks_text(p: PlanResult) -> list[RenderableType]:
    """The failing rules that cost the most points: what fixing each would regain, exactly."""
    risks = top_risks(p.actions)
    if not risks:
        return []
    out: list[RenderableType] = [Text("Top risks (points regained if fixed)", style="bold")]
    for a in risks:
        line = Text(f"  {'+' + ratio(a.points):>5}  ")
        line.append(a.severity, style=STYLE[a.severity])
        line.append(f" {a.rule} {a.slug}")
        if len(a.findings) > 1:
            line.append(f"  {plural(len(a.findings), 'target')}", style="dim")
        out.append(Hanging(line, 9))
    return out


HEAT = {  # a word for every cell: colour is never the only sign
    "fail error": ("ERROR", "bold red"),
    "fail warning": ("warn", "yellow"),
    "fail info": ("info", "cyan"),
    "unknown": ("?", "dim"),
    "waived": ("waived", "magenta"),
    "pass": ("ok", "green"),
}


def heat_text(p: PlanResult, width: int) -> list[RenderableType]:
    """Division x category: the worst result of each category about each division. A table when
    it fits the terminal, else a line per division."""
    if not divided(p):
        return []
    categories = heat_categories(p)
    words = [[HEAT[row.cells[c].word] if c in row.cells else ("-", "dim") for c in categories] for row in p.heat]
    names = [inert(row.name) for row in p.heat]
    columns = [max(len(c), *(len(w[i][0]) for w in words)) for i, c in enumerate(categories)]
    title = Text("Divisions (worst result per category)", style="bold")
    legend = _indent(
        Text("ERROR/warn/info: worst live failure; ?: unknown; ok: all pass; -: not concerned", style="dim"), 2
    )
    if 2 + max(len("division"), *map(len, names)) + sum(w + 1 for w in columns) <= width:
        table = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False)
        table.add_column("division", no_wrap=True)
        for c in categories:
            table.add_column(c, no_wrap=True)
        for name, cells in zip(names, words, strict=True):
            table.add_row(Text(name), *(Text(word, style=style) for word, style in cells))
        return [title, _indent(table, 2), legend]
    out: list[RenderableType] = [title]
    for name, cells in zip(names, words, strict=True):
        line = Text(f"{name}: ", style="bold")
        for c, (word, style) in zip(categories, cells, strict=True):
            if word != "-":
                line.append(("" if line.plain.endswith(": ") else ", ") + f"{c} ")
                line.append(word, style=style)
        out.append(_indent(Hanging(line), 2))
    return [*out, legend]


def _due(day: dt.date | None, as_of: dt.date | None) -> Text:
    if day is None:
        return Text("before go-live")
    text = Text(day.isoformat())
    if as_of is not None and day < as_of:
        text.append(" OVERDUE", style="bold red")
    return text


def actions_text(p: PlanResult, as_of: dt.date | None) -> list[RenderableType]:
    """One action per live failing rule, by due date: what to do, who, by when, what it is worth."""
    if not p.actions:
        return []
    out: list[RenderableType] = [Text(f"Actions ({len(p.actions)}, by due date)", style="bold")]
    for a in p.actions:
        head = Text("  ")
        head.append_text(_due(a.due, as_of))
        head.append("  ")
        head.append(a.severity, style=STYLE[a.severity])
        head.append(f" {a.rule}", style="bold")
        if a.points:
            head.append(f"  +{ratio(a.points)} points", style="dim")
        out.append(Hanging(head))
        out.append(_indent(Text(inert(a.headline)), 4))
        for who, labels in owners(a.findings).items():
            line = Text("owner: ", style="dim")
            line.append(inert(who), style="bold" if who != "unassigned" else "dim")
            targets = [label for label in labels if label != "(plan)"]
            if targets:
                line.append(f" for {inert(join(targets))}", style="dim")
            out.append(_indent(Hanging(line, 2), 4))
    return out


def forecast_text(p: PlanResult) -> list[RenderableType]:
    """What changes in the next FORECAST_DAYS days if the plan stays as written."""
    if p.forecast is None:
        return []
    days = coming(p)
    if not days:  # the sentence says "if the plan stays as written" itself
        return [
            Text(f"Next {FORECAST_DAYS} days", style="bold"),
            _indent(Hanging(Text(quiet_words(p, p.forecast.start), style="dim"), 2), 2),
        ]
    out: list[RenderableType] = [Text(f"Next {FORECAST_DAYS} days (if the plan stays as written)", style="bold")]
    for day in days:
        for line in change_lines(day):
            out.append(_indent(Hanging(line, 12), 2))
    return out


def change_lines(day: ForecastDay) -> list[Text]:
    """A forecast day as lines: the date, then each change; the verdict and score when they move."""
    lines = []
    for n, c in enumerate(day.changes):
        text = Text(day.date.isoformat() if n == 0 else " " * 10)
        text.append("  ")
        text.append(change_words(c))
        lines.append(text)
    if day.verdict is not None or day.score is not None:
        text = Text(" " * 12)
        if day.verdict is not None:
            before, after = (v.replace("_", " ") for v in day.verdict)
            text.append(f"verdict {before} -> {after}", style=STYLE[day.verdict[1]])
        if day.score is not None:
            text.append(
                ("; " if day.verdict is not None else "") + f"score {ratio(day.score[0])} -> {ratio(day.score[1])}"
            )
        lines.append(text)
    return lines


def change_words(c: Change) -> str:
    """``LEG001 [rpt-x] waived -> fail``, ``LEAD001 [sales] overdue (was due 2026-08-02)``."""
    if c.kind == "waiver":
        return inert(c.message)
    where = f"{c.rule} [{inert(c.label)}]"
    if c.kind == "overdue":
        return f"{where} overdue ({c.message})"
    before = c.before or "no result"
    after = c.after or "no result"
    text = f"{where} {before} -> {after}" + (f" {c.severity}" if c.after == "fail" else "")
    return text + (f": {inert(c.message)}" if c.message else "")


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


def timeline_text(p: PlanResult, as_of: dt.date | None = None) -> list[RenderableType]:
    """The plan's dates in order, with the evaluation date among them and, after each item a
    live finding points at, the rules of those findings."""
    if not p.timeline:
        return []
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 2))
    table.add_column("when", no_wrap=True)
    table.add_column("what")
    live = failing(p.results)
    shown = False
    for e in p.timeline:
        if as_of is not None and not shown and e.start > as_of:
            table.add_row(as_of.isoformat(), Text("as of (the date of this report)", style="bold"))
            shown = True
        when = e.start.isoformat() if e.end is None or e.end == e.start else f"{e.start} to {e.end}"
        what = Text(inert(e.label))
        rules = flagged(e, live)
        if rules:
            what.append(f"  {', '.join(rules)}", style="bold red")
        table.add_row(when, what)
    if as_of is not None and not shown:
        table.add_row(as_of.isoformat(), Text("as of (the date of this report)", style="bold"))
    return [Text("Timeline", style="bold"), _indent(table, 2)]


def plan_text(
    p: PlanResult,
    statistics: bool = False,
    as_of: dt.date | None = None,
    rubric: str | None = None,
    color: bool = False,
    width: int = 80,
) -> list[RenderableType]:
    """A plan's report, in the order a client reads it, the order of the HTML report: the verdict
    and why, the summary (top risks, category scores), the divisions, the actions, the next 30
    days and the key dates, then the findings per rule, the questions for what the plan does not
    say, and the waivers."""
    if p.verdict is None:
        return [verdict_text(p)]
    sections: list[list[RenderableType]] = [
        _header(p, as_of, rubric),
        risks_text(p),
        [Text("Categories", style="bold"), _indent(categories_table(p, color), 2)],
        heat_text(p, width),
        actions_text(p, as_of),
        forecast_text(p),
        timeline_text(p, as_of),
    ]
    if not statistics:
        sections += [findings_text(p), questions_text(p)]
    sections.append(waivers_text(p))
    out: list[RenderableType] = []
    for section in sections:
        if section:
            out += [*([Text()] if out else []), *section]
    tail = verdict_text(p, reasons=False)
    tail.append(f": {_counts(p)}")
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
    # a long path is folded onto as many lines as it needs, never cut short: it names the plan
    table.add_column("plan", overflow="fold")
    for column in ("verdict", "score", "errors", "warnings", "unknown"):
        table.add_column(column, justify="left" if column == "verdict" else "right", no_wrap=True)
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


def console_for(run: Run) -> tuple[Console, StringIO]:
    """A Rich console that writes into a buffer, at the run's width and colour, reading no markup:
    plan text reaches it only inside ``Text``."""
    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=run.color,
        no_color=not run.color,
        width=run.width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    return console, buffer


class TerminalReport:
    """The report of each plan as it is checked; after the last, the statistics and, for several
    plans, the summary table (one short row kept per plan)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.rows: list[Row] = []  # summary rows only: findings are dropped
        self.tally = Tally()
        self.count = 0

    def plan(self, p: PlanResult) -> str:
        if p.verdict is None and self.run.plans == 1:
            return ""  # its errors, on standard error, are the whole story (as for --quiet)
        console, buffer = console_for(self.run)
        self.count += 1
        if self.run.quiet:
            console.print(verdict_text(p), soft_wrap=True)  # one line per plan, however long
            return buffer.getvalue()
        if self.count > 1:
            console.print()
        for line in plan_text(
            p, self.run.statistics, self.run.as_of, self.run.policy.name, self.run.color, self.run.width
        ):
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
        console, buffer = console_for(self.run)
        if self.run.statistics:
            console.print()
            for line in statistics_text(self.tally):
                console.print(line)
        if self.run.plans > 1:
            console.print()
            console.print(Text("Summary", style="bold"))
            console.print(summary_table(self.rows))
        return "", strip_trailing(buffer.getvalue())
