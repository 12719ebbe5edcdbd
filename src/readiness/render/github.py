"""``--format github``: GitHub Actions workflow commands, one annotation per live finding, and one
``error`` annotation at each error of a plan that could not be checked.

Escaped first exactly as GitHub's own toolkit escapes (``@actions/core``): in the message ``%``,
CR and LF become ``%25``, ``%0D`` and ``%0A``; in property values (``file``, ``title``) also ``:``
and ``,`` become ``%3A`` and ``%2C``. What remains that could act on a log (other control
characters, bidi controls, the opening of another command) is then made inert
(:mod:`readiness.text`), so no text of a plan can end the annotation or start a command of its own.
"""

from __future__ import annotations

from readiness.findings import PlanResult
from readiness.render import Run
from readiness.text import one_line

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _toolkit(text: str, property_value: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return one_line(text)


def escape_data(text: str) -> str:
    return _toolkit(text, property_value=False)


def escape_property(text: str) -> str:
    return _toolkit(text, property_value=True)


class GithubReport:
    def __init__(self, run: Run) -> None:
        self.run = run

    def plan(self, p: PlanResult) -> str:
        lines = []
        if p.verdict is None:
            for problem in p.errors:
                where = f"file={escape_property(problem.file or p.path)}"
                if problem.line is not None:
                    where += f",line={problem.line}" + (f",col={problem.column}" if problem.column else "")
                lines.append(f"::error {where},title=invalid plan::{escape_data(problem.render(p.path))}")
        for r in p.findings:
            if r.status != "fail":
                continue
            where = f"file={escape_property(p.path)}"
            if r.line is not None:
                where += f",line={r.line},col={r.column}"
            lines.append(f"::{COMMAND[r.severity]} {where},title={escape_property(r.rule)}::{escape_data(r.message)}")
        return "".join(line + "\n" for line in lines)

    def finish(self) -> tuple[str, str]:
        return "", ""
