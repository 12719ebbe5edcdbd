"""``--format codequality``: GitLab's Code Quality report, the subset of the Code Climate issue
format that GitLab reads (docs.gitlab.com, "Code Quality report format"): a JSON array with one
object per live finding, each with ``description``, ``check_name``, ``fingerprint``,
``severity`` and ``location`` (``path`` and ``lines.begin``).

The fingerprint is the SHA-256 of the plan's path, the rule and the finding's identity (its
target id, or its path in the plan: :func:`readiness.identity.finding_key`), never of its line,
so a finding keeps its fingerprint across runs and when text moves, and GitLab's merge request
widget shows only what a change really introduced or resolved. Unknown and waived results are
not written (GitLab has no place for them); the errors of a plan that could not be checked are
``blocker`` issues named ``invalid-plan`` at their positions.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from readiness.findings import PlanResult
from readiness.identity import finding_key
from readiness.render import Run
from readiness.render.json_ import indented

#: GitLab's scale is info, minor, major, critical, blocker. A plan's errors block its verdict but
#: are findings about a plan, not a broken build, so they rank major, as Ruff and ESLint's
#: reporters rank theirs; a file that cannot be checked at all is the blocker.
SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
INVALID = "invalid-plan"


def report_path(path: str) -> str:
    """The plan's path as GitLab matches it against the repository (the job's working directory,
    as a rule): relative, with ``/`` separators and no leading ``./``. An absolute path inside the
    working directory is made relative to it; one outside stays as it is."""
    if os.path.isabs(path):
        here = os.getcwd()
        if os.path.commonpath([here, path]) == here:
            path = os.path.relpath(path, here)
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def fingerprint(*parts: object) -> str:
    text = "\x00".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def issue(description: str, check: str, key: str, severity: str, path: str, line: int | None) -> dict[str, Any]:
    return {
        "description": description,
        "check_name": check,
        "fingerprint": key,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line or 1}},
    }


class CodeQualityReport:
    """The array, written an issue at a time as plans are checked."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.count = 0

    def _entry(self, item: dict[str, Any]) -> str:
        self.count += 1
        return ("\n  " if self.count == 1 else ",\n  ") + indented(item, 1)

    def plan(self, p: PlanResult) -> str:
        path = report_path(p.path)
        out: list[str] = []
        if p.verdict is None:
            for problem in p.errors:
                where = report_path(problem.file) if problem.file else path
                key = fingerprint(path, INVALID, problem.path, problem.message)
                out.append(self._entry(issue(problem.render(p.path), INVALID, key, "blocker", where, problem.line)))
            return "".join(out)
        seen: dict[tuple[str, str | None, str | None], int] = {}
        for r in p.findings:
            if r.status != "fail":
                continue
            identity = finding_key(r)
            occurrence = seen[identity] = seen.get(identity, 0) + 1  # results sharing an identity stay apart
            key = fingerprint(path, *identity, occurrence)
            out.append(self._entry(issue(r.message, r.rule, key, SEVERITY[r.severity], path, r.line)))
        return "".join(out)

    def finish(self) -> tuple[str, str]:
        if not self.count:
            return "[]\n", ""
        return "[", "\n]\n"
