"""``readiness forecast``: every date on which something changes if the plan stays as written,
for a person at a terminal or a Markdown page (the JSON is in render.json_)."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text

from readiness.findings import PlanResult
from readiness.render import Run, strip_trailing, verdict_reasons
from readiness.render.markdown import heading, lead, md
from readiness.render.terminal import STYLE, Hanging, change_lines, console_for, verdict_text
from readiness.text import inert, one_line
from readiness.wording import plural, ratio


def _span(p: PlanResult) -> str:
    assert p.forecast is not None
    return f"from {p.forecast.start.isoformat()} to {p.forecast.end.isoformat()}"


class RichForecast:
    """The dates, each with its changes; then the waivers that expire on the way."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, p: PlanResult) -> str:
        console, buffer = console_for(self.run)
        for line in self.lines(p):
            console.print(line)
        return strip_trailing(buffer.getvalue())

    def lines(self, p: PlanResult) -> list[RenderableType]:
        if p.verdict is None or p.forecast is None:
            return [verdict_text(p)]
        head = Text(inert(p.name or ""), style="bold")
        where = Text(f"{one_line(p.path)} · rubric {inert(self.run.policy.name)}", style="dim")
        now = Text(f"On {p.forecast.start.isoformat()}: ")
        now.append(p.verdict.replace("_", " "), style=STYLE[p.verdict])
        now.append(f", score {ratio(p.score)}" if p.score is not None else "")
        now.append(f" ({verdict_reasons(p)})", style="dim")
        out: list[RenderableType] = [head, where, Hanging(now), Text()]
        days = p.forecast.days
        if not days:
            out.append(Text(f"Nothing changes {_span(p)} if the plan stays as written."))
            return out
        changes = sum(len(d.changes) for d in days)
        title = f"If the plan stays as written, {_span(p)}: {plural(changes, 'change')} on {plural(len(days), 'date')}"
        out.append(Hanging(Text(title, style="bold")))
        for day in days:
            out += [Hanging(line, 12) for line in change_lines(day)]
        return out

    def finish(self) -> tuple[str, str]:
        return "", ""


class MarkdownForecast:
    """A section with a list per date."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, p: PlanResult) -> str:
        title = f"# Forecast: {heading(p.name or p.path)}\n\n"
        if p.verdict is None or p.forecast is None:
            return title + lead(one_line(p.path)) + " could not be checked.\n"
        lines = [
            title.rstrip("\n"),
            "",
            (
                f"Plan {md(p.path)}, rubric {md(self.run.policy.name)}: **{p.verdict.replace('_', ' ')}** with a "
                f"score of {ratio(p.score)} on {p.forecast.start.isoformat()} ({md(verdict_reasons(p))})."  # type: ignore[arg-type]
            ),
            "",
        ]
        if not p.forecast.days:
            return "\n".join([*lines, f"Nothing changes {_span(p)} if the plan stays as written.", ""])
        lines += [f"If the plan stays as written, {_span(p)}:", ""]
        for day in p.forecast.days:
            words = [_md_change(c) for c in day.changes]
            if day.verdict is not None:
                words.append(f"the verdict turns {day.verdict[1].replace('_', ' ')}")
            if day.score is not None:
                words.append(f"the score goes from {ratio(day.score[0])} to {ratio(day.score[1])}")
            lines.append(f"- **{day.date.isoformat()}**: " + "; ".join(words) + ".")
        return "\n".join([*lines, ""])

    def finish(self) -> tuple[str, str]:
        return "", ""


def _md_change(c: Any) -> str:
    if c.kind == "waiver":
        return md(c.message.rstrip("."))
    where = f"{c.rule} ({md(c.label)})"
    if c.kind == "overdue":
        return f"{where} becomes overdue ({md(c.message)})"
    return f"{where} {c.before or 'no result'} to {c.after or 'no result'}"
