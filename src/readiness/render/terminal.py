"""The default ``rich`` output: a linter-style listing a consultant can read with a client.

Each finding is one ``file:line:col`` line (clickable in editors and CI logs) with its rule,
target and message, followed by how to fix it. Plan text reaches Rich only inside ``Text``
objects, after :func:`~readiness.render.sanitize`, so it can never become markup or escape codes.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from readiness.findings import PlanResult, Result
from readiness.render import sanitize, strip_trailing
from readiness.rules import ratio, registry

STYLE = {
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "unknown": "dim",
    "waived": "magenta",
    "ready": "bold green",
    "not_ready": "bold red",
}


def _where(path: str, r: Result) -> str:
    if r.line is None:
        return path
    return f"{path}:{r.line}:{r.column}"


def finding_text(path: str, r: Result, fixes: dict[str, str]) -> list[RenderableType]:
    kind = r.severity if r.status == "fail" else r.status
    head = Text()
    head.append(_where(path, r), style="bold")
    head.append(": ")
    head.append(kind if r.status != "waived" else f"waived {r.severity}", style=STYLE[kind])
    head.append(f" {r.rule} {r.slug}")
    head.append(f" [{sanitize(r.label)}]", style="dim")
    body = [head, Padding(Text(sanitize(r.message)), (0, 0, 0, 4), expand=False)]
    if r.waiver is not None:
        body.append(
            Padding(
                Text(
                    f"waived until {r.waiver.expires} by {sanitize(r.waiver.owner)}: {sanitize(r.waiver.reason)}",
                    style="magenta",
                ),
                (0, 0, 0, 4),
                expand=False,
            )
        )
    elif r.status == "fail" and fixes.get(r.rule):
        body.append(Padding(Text(f"fix: {sanitize(fixes[r.rule])}", style="dim"), (0, 0, 0, 4), expand=False))
    return body


def unknown_text(results: list[Result]) -> list[RenderableType]:
    """What could not be assessed, grouped by what the plan would need to add."""
    groups: dict[str, list[str]] = {}
    for r in results:
        if r.status == "unknown":
            groups.setdefault(r.message, []).append(r.rule if r.target is None else f"{r.rule} [{r.target}]")
    if not groups:
        return []
    lines: list[RenderableType] = [
        Text(
            f"Not assessed ({sum(len(v) for v in groups.values())} results, half credit under the default rubric):",
            style="bold",
        )
    ]
    for message, rules in groups.items():
        lines.append(
            Padding(
                Text(f"{sanitize(message)}: {', '.join(sanitize(x) for x in rules)}", style="dim"),
                (0, 0, 0, 4),
                expand=False,
            )
        )
    return lines


def verdict_text(p: PlanResult) -> Text:
    text = Text()
    text.append(sanitize(p.path), style="bold")
    text.append(": ")
    if p.verdict is None:
        if p.exit_code == 3:
            text.append("internal error", style="bold red")
        else:
            text.append(f"invalid ({len(p.errors) + p.errors_omitted} errors)", style="bold red")
        return text
    text.append(p.verdict, style=STYLE[p.verdict])
    text.append(f" (score {ratio(p.score)})" if p.score is not None else "")
    return text


def plan_text(p: PlanResult, fixes: dict[str, str], statistics: bool = False) -> list[RenderableType]:
    if p.verdict is None:
        return [verdict_text(p)]
    head = Text()
    head.append(sanitize(p.name or ""), style="bold")
    head.append(f", go-live {p.go_live}")
    lines: list[RenderableType] = [head]
    if not statistics:
        for r in p.findings:
            if r.status != "unknown":
                lines += finding_text(p.path, r, fixes)
        lines += unknown_text(p.results)
    counts = p.summary()
    tail = verdict_text(p)
    tail.append(
        f": {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info, "
        f"{counts['unknown']} unknown, {counts['waived']} waived"
    )
    lines.append(tail)
    return lines


def statistics_text(plans: list[PlanResult]) -> list[Text]:
    """One row per rule with findings: live, waived and unknown counts over all plans."""
    counts: dict[str, list[int]] = {}
    slugs: dict[str, str] = {}
    for p in plans:
        for r in p.findings:
            row = counts.setdefault(r.rule, [0, 0, 0])
            row[("fail", "waived", "unknown").index(r.status)] += 1
            slugs[r.rule] = r.slug
    rows = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    lines = [Text(f"{'live':>5} {'waived':>6} {'unknown':>7}  rule", style="bold")]
    lines += [
        Text(f"{live:>5} {waived:>6} {unknown:>7}  {rule} {slugs[rule]}") for rule, (live, waived, unknown) in rows
    ]
    return lines


def render(
    plans: list[PlanResult],
    color: bool,
    width: int = 100,
    statistics: bool = False,
    quiet: bool = False,
    fixes: dict[str, str] | None = None,
) -> str:
    """The listing of every plan; ``fixes`` maps rule IDs to their remediation (default: built-ins)."""
    if fixes is None:
        fixes = {rule_id: spec.remediation for rule_id, spec in registry().items()}
    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    for n, p in enumerate(plans):
        if quiet:
            console.print(verdict_text(p), soft_wrap=True)
            continue
        if n:
            console.print()
        for line in plan_text(p, fixes, statistics):
            # one-line headers and verdicts never wrap: editors and CI logs link on file:line:col
            console.print(line, soft_wrap=isinstance(line, Text))
    if statistics and not quiet:
        console.print()
        for line in statistics_text(plans):
            console.print(line)
    # Rich pads wrapped, indented lines to the full width; trailing blanks only get in the way.
    return strip_trailing(buffer.getvalue())
