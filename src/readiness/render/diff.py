"""``readiness diff`` output: rich for a terminal, markdown for a pull-request comment, json.

The same protocol as the check reports (:class:`readiness.render.Renderer`), with a
:class:`~readiness.diff.PlanDiff` for the item: one per call.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from readiness.diff import PlanDiff
from readiness.findings import CATEGORY_NAMES, Result
from readiness.render import Run, json_text, plain_number, position, score_number, strip_trailing
from readiness.render.json_ import finding
from readiness.render.terminal import Hanging, console_for
from readiness.text import inert
from readiness.wording import num, ratio


def _gates(d: PlanDiff) -> str:
    """What would make NEW worse, under this call's options."""
    gates = ["the verdict falls to not_ready"]
    if d.fail_on != "never":
        gates.append(f"a live finding at {d.fail_on} or above is new")
    gates.append(f"the score falls by more than {num(d.max_score_drop)}")
    return "worse when " + ", ".join(gates[:-1]) + ", or " + gates[-1]


def _score(value: Fraction | None) -> str:
    return "n/a" if value is None else ratio(value)


def _signed(value: Fraction | None) -> str:
    if value is None:
        return "n/a"
    shown = ratio(value)
    return shown if shown.startswith("-") else f"+{shown}"


def _json(d: PlanDiff, run: Run) -> str:
    def side(p: Any) -> dict[str, Any]:
        return {"path": p.path.replace("\\", "/"), "verdict": p.verdict, "score": score_number(p.score)}

    doc = {
        "schema_version": 1,
        "tool": {"name": "readiness", "version": run.version},
        "as_of": run.as_of.isoformat(),
        "rubric": run.policy.name,
        "fail_on": d.fail_on,
        "max_score_drop": plain_number(d.max_score_drop),
        "old": side(d.old),
        "new": side(d.new),
        "score_delta": score_number(d.score_delta),
        "worse": d.worse,
        "reasons": d.reasons,
        "gates": d.gates,
        "exit_code": d.exit_code,
        "categories": [
            {"id": c.id, "old": score_number(c.old), "new": score_number(c.new), "delta": score_number(c.delta)}
            for c in d.categories
        ],
        "introduced": [finding(r) for r in d.introduced],
        "resolved": [finding(r) for r in d.resolved],
        "persisting": [finding(r) for r in d.persisting],
        "waived": [finding(r) for r in d.waived],
        "no_longer_waived": [finding(r) for r in d.unwaived],
        "new_blocking": [finding(r) for r in d.blocking],
    }
    return json_text(doc)


def _sections(d: PlanDiff) -> list[tuple[str, list[Result], str]]:
    """Each list of findings with its title and the plan its positions refer to."""
    return [
        ("Introduced", d.introduced, d.new.path),
        ("No longer waived", d.unwaived, d.new.path),
        ("Resolved", d.resolved, d.old.path),
        ("Waived", d.waived, d.new.path),
        ("Persisting", d.persisting, d.new.path),
    ]


def _waiver_note(r: Result) -> str:
    w = r.waiver
    return "" if w is None else f" (waived by {w.owner} until {w.expires}: {w.reason})"


def _finding_line(path: str, r: Result) -> Text:
    where = position(path, r)
    text = Text(f"  {inert(where)}: ")
    text.append(r.severity, style={"error": "bold red", "warning": "yellow", "info": "cyan"}[r.severity])
    text.append(f" {r.rule} {r.slug} [{inert(r.label)}] {inert(r.message)}{inert(_waiver_note(r))}")
    return text


def _rich(d: PlanDiff, run: Run) -> str:
    console, buffer = console_for(run)
    lines: list[RenderableType] = [Text(f"{inert(d.old.path)} -> {inert(d.new.path)}", style="bold")]
    verdict = Text(
        f"verdict {d.old.verdict} -> {d.new.verdict}, score {_score(d.old.score)} -> "
        f"{_score(d.new.score)} ({_signed(d.score_delta)})"
    )
    lines.append(verdict)
    lines.append(
        Text("worse: " + inert("; ".join(d.reasons)), style="bold red") if d.worse else Text("not worse", style="green")
    )
    lines.append(Text(f"({_gates(d)})", style="dim"))
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in ("category", "old", "new", "change"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for c in d.categories:
        if c.old != c.new:
            table.add_row(
                f"{c.id} {CATEGORY_NAMES[c.id]}",
                ratio(c.old) if c.old is not None else "-",
                ratio(c.new) if c.new is not None else "-",
                _signed(c.delta),
            )
    if table.row_count:
        lines += [Text(), table]
    for title, items, path in _sections(d):
        lines += [Text(), Text(f"{title} ({len(items)})", style="bold")]
        lines += [_finding_line(path, r) for r in items]
    for line in lines:
        console.print(Hanging(line) if isinstance(line, Text) else line)
    return strip_trailing(buffer.getvalue())


def _markdown(d: PlanDiff) -> str:
    from readiness.render.markdown import md, wrap

    def item(path: str, r: Result) -> str:
        where = position(path, r)
        return (
            f"- **{r.severity}** {r.rule} {r.slug}, {md(r.label)} ({md(where)}): {md(r.message)}{md(_waiver_note(r))}"
        )

    out = [
        f"# Plan readiness change: {md(d.new.path)}",
        "",
        "| | Old | New | Change |",
        "| --- | --- | --- | --- |",
        f"| Verdict | {d.old.verdict} | {d.new.verdict} | {'worse' if d.worse else 'not worse'} |",
        f"| Score | {_score(d.old.score)} | {_score(d.new.score)} | {_signed(d.score_delta)} |",
    ]
    out += [
        f"| {CATEGORY_NAMES[c.id]} | {ratio(c.old) if c.old is not None else '-'} | "
        f"{ratio(c.new) if c.new is not None else '-'} | {_signed(c.delta)} |"
        for c in d.categories
        if c.old != c.new
    ]
    if d.worse:
        out += ["", "**Worse:** " + md("; ".join(d.reasons)) + "."]
    out += ["", md(_gates(d)[0].upper() + _gates(d)[1:]) + "."]
    for title, items, path in _sections(d):
        out += ["", f"## {title} ({len(items)})", ""]
        out += [item(path, r) for r in items] or ["None."]
    return wrap("\n".join(out) + "\n")


class RichDiff:
    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, d: PlanDiff) -> str:
        return _rich(d, self.run)

    def finish(self) -> tuple[str, str]:
        return "", ""


class MarkdownDiff:
    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, d: PlanDiff) -> str:
        return _markdown(d)

    def finish(self) -> tuple[str, str]:
        return "", ""


class JsonDiff:
    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, d: PlanDiff) -> str:
        return _json(d, self.run)

    def finish(self) -> tuple[str, str]:
        return "", ""
