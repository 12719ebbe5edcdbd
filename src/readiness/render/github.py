"""``--format github``: GitHub Actions workflow commands, one annotation per live finding.

Escaped exactly as GitHub's own toolkit escapes: in the message ``%``, CR and LF; in property
values (``file``, ``title``) also ``:`` and ``,``. Control characters become visible escapes
first, so no text can start a workflow command of its own.
"""

from __future__ import annotations

from readiness.render import Report, sanitize

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return sanitize(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for p in report.plans:
        if p.verdict is None:
            for problem in p.errors:
                where = f"file={escape_property(problem.file or p.path)}"
                if problem.line is not None:
                    where += f",line={problem.line}" + (f",col={problem.column}" if problem.column else "")
                lines.append(f"::error {where},title=invalid plan::{escape_data(problem.render(p.path))}")
            continue
        for r in p.findings:
            if r.status != "fail":
                continue
            where = f"file={escape_property(p.path)}"
            if r.line is not None:
                where += f",line={r.line},col={r.column}"
            lines.append(f"::{COMMAND[r.severity]} {where},title={escape_property(r.rule)}::{escape_data(r.message)}")
    return "".join(line + "\n" for line in lines)
