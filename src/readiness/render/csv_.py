"""``--format csv``: the action plan as a table for a spreadsheet or a tracker import.

One row per action and target (docs/json.md, ``actions``), RFC 4180: comma-separated, fields
quoted when they hold a comma, a quote or a line break, CRLF line ends, UTF-8, a header row. A
plan that could not be checked gives one row per problem, with ``rule`` ``INVALID``, so that a
broken plan is never an empty sheet.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: plan text can start that way, so such a cell is written with a
leading apostrophe, which spreadsheets show as text and do not evaluate.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from readiness.findings import PlanResult
from readiness.paths import format_path
from readiness.render import Run
from readiness.wording import ratio

COLUMNS = (
    "plan",
    "due",
    "overdue",
    "rule",
    "slug",
    "severity",
    "category",
    "action",
    "target",
    "path",
    "line",
    "column",
    "owner",
    "owner_id",
    "owner_role",
    "points",
    "message",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as a cell a spreadsheet shows as text: never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvReport:
    """The header, then each plan's rows as it is checked."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def _rows(self, rows: list[list[Any]]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows([[cell(v) for v in row] for row in rows])
        return buffer.getvalue()

    def plan(self, p: PlanResult) -> str:
        path = p.path.replace("\\", "/")
        rows: list[list[Any]] = []
        if p.verdict is None:
            for problem in p.errors:
                message = problem.render(problem.file) if problem.file else problem.message
                row = [path, "", "", "INVALID", "invalid-plan", "error", "", "Fix the plan so that it validates."]
                rows.append(
                    [*row, "", problem.path or "", problem.line or "", problem.column or "", "", "", "", "", message]
                )
            return self._rows(rows)
        as_of = self.run.as_of
        for a in p.actions:
            for r in a.findings:
                owner = r.owner
                rows.append(
                    [
                        path,
                        r.due.isoformat() if r.due else "before go-live",
                        "yes" if r.due is not None and r.due < as_of else "no",
                        a.rule,
                        a.slug,
                        r.severity,
                        a.category,
                        a.headline,
                        r.label,
                        format_path(r.path),
                        r.line or "",
                        r.column or "",
                        (owner.name or owner.id or "") if owner is not None else "",
                        (owner.id or "") if owner is not None else "",
                        owner.role if owner is not None else "unassigned",
                        ratio(a.points),
                        r.message,
                    ]
                )
        return self._rows(rows)

    def finish(self) -> tuple[str, str]:
        return self._rows([list(COLUMNS)]), ""
