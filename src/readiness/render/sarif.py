"""``--format sarif``: SARIF 2.1.0 for code-scanning services, one run for the whole call.

Findings become results with their rule, level and region; waived findings keep their level and
carry an in-source suppression with the waiver's reason; unknown results are ``kind: open``.
A plan that could not be loaded gives an ``INVALID`` result at each of its errors' positions (so
code scanning shows the problem where it is), and a tool execution notification as well.

The run carries what Azure DevOps' SARIF ingestion requires on top of the schema (the ADO rules
of Microsoft's SARIF multitool): ``automationDetails.id``, ``driver.fullName``, a ``name`` for
every rule, and a ruleId, message, location with a region, and partial fingerprints for every
result. ``driver.rules`` lists every rule the run could report, in catalogue order, so that each
result's ``ruleIndex`` is known when the result is written and results are written as plans are
checked.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from readiness.errors import Problem
from readiness.findings import PlanResult, Result, RuleInfo
from readiness.project import DOCS_URL
from readiness.render import Run, json_text, score_number
from readiness.render.json_ import indented

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """A plan's path as the URI reference SARIF requires: a relative path stays relative (to the
    working directory, which code scanning takes for the repository root), an absolute one
    becomes a ``file://`` URI, and what a URI cannot hold (a space, ``#``, ``%``) is
    percent-encoded, so ``plans/q1 #2.yaml`` does not turn into a path and a fragment."""
    pure = PurePosixPath(path) if "\\" not in path else PureWindowsPath(path)
    if pure.is_absolute():
        return pure.as_uri()
    # a name that is not UTF-8 keeps its own bytes, percent-encoded, as as_uri() does
    return quote(path.replace("\\", "/"), safe="/", errors="surrogateescape")


def _location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    # code-scanning services require a region: an absent top-level section points at 1:1
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": {"startLine": line or 1, "startColumn": column or 1},
        }
    }


INVALID = "INVALID"
_INVALID_RULE: dict[str, Any] = {
    "id": INVALID,
    "name": "invalid-plan",
    "shortDescription": {"text": "The file is not a valid plan"},
    "fullDescription": {"text": "The file could not be read as a plan of format v1, so no rule was checked on it."},
    "help": {"text": "Fix each error at its position; `readiness check` lists them all."},
    "defaultConfiguration": {"level": "error"},
    "properties": {"category": "PLAN", "tags": ["crm-readiness", "PLAN"]},
}


def _rule(rule: RuleInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": rule.remediation},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"category": rule.category, "tags": ["crm-readiness", rule.category]},
    }
    if not rule.custom:
        entry["helpUri"] = f"{DOCS_URL}/rules/{rule.id}"
    return entry


def _result(r: Result, path: str, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": r.rule, "ruleIndex": rule_index}
    if r.status == "unknown":
        result.update(kind="open", level="none")
    else:
        result.update(kind="fail", level=LEVEL[r.severity])
    result["message"] = {"text": r.message}
    result["locations"] = [_location(path, r.line, r.column)]
    # matched by rule and target, not by line, so moving text in the plan keeps a finding's identity
    result["partialFingerprints"] = {"readinessTarget/v1": f"{r.rule}:{r.target or r.label}"}
    if r.status == "waived" and r.waiver is not None:
        result["suppressions"] = [
            {
                "kind": "inSource",
                "justification": r.waiver.reason,
                "properties": {"owner": r.waiver.owner, "expires": r.waiver.expires},
            }
        ]
    return result


def _problem_text(p: PlanResult, problem: Problem) -> str:
    return f"{p.path}: {problem.render(p.path).split(': error: ', 1)[-1]}"


def _invalid(p: PlanResult, problem: Problem, rule_index: int) -> dict[str, Any]:
    where = problem.file or p.path
    return {
        "ruleId": INVALID,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": "error",
        "message": {"text": _problem_text(p, problem)},
        "locations": [_location(where, problem.line, problem.column)],
        "partialFingerprints": {"readinessTarget/v1": f"{INVALID}:{problem.path or ''}:{problem.message}"},
    }


class SarifReport:
    """One SARIF run for the whole call; results are written as the plans are checked."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.rules = list(run.rules)
        self.index = {rule_id: n for n, rule_id in enumerate(self.rules)}
        self.count = 0
        self.notifications: list[dict[str, Any]] = []
        self.successful = True
        self.verdicts: list[dict[str, Any]] = []  # each checked plan's verdict and its reasons

    def _entry(self, result: dict[str, Any]) -> str:
        self.count += 1
        return ("\n        " if self.count == 1 else ",\n        ") + indented(result, 4)

    def plan(self, p: PlanResult) -> str:
        if p.exit_code == 3:
            self.successful = False
        if p.verdict is None:
            out = []
            for problem in p.errors:
                where = problem.file or p.path
                self.notifications.append(
                    {
                        "level": "error",
                        "message": {"text": _problem_text(p, problem)},
                        "locations": [_location(where, problem.line, problem.column)],
                    }
                )
                if p.exit_code == 2:
                    out.append(self._entry(_invalid(p, problem, len(self.rules))))
            return "".join(out)
        self.verdicts.append(
            {
                "path": p.path.replace("\\", "/"),
                "verdict": p.verdict,
                "score": score_number(p.score),
                "verdictReasons": [{"gate": r.gate, "detail": r.detail, "blocks": r.blocks} for r in p.reasons],
            }
        )
        return "".join(self._entry(_result(r, p.path, self.index[r.rule])) for r in p.findings)

    def finish(self) -> tuple[str, str]:
        invocation: dict[str, Any] = {"executionSuccessful": self.successful}
        if self.notifications:
            invocation["toolExecutionNotifications"] = self.notifications
        document = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "readiness",
                            "fullName": f"readiness {self.run.version}",
                            "version": self.run.version,
                            "semanticVersion": self.run.version,
                            "informationUri": DOCS_URL,
                            "rules": [_rule(rule) for rule in self.run.rules.values()] + [_INVALID_RULE],
                        }
                    },
                    "automationDetails": {"id": "readiness/"},
                    "invocations": [invocation],
                    "results": [0],
                    "properties": {
                        "asOf": self.run.as_of.isoformat(),
                        "rubric": self.run.policy.name,
                        "plans": self.verdicts,
                    },
                }
            ],
        }
        whole = json_text(document)
        head, _, tail = whole.partition("\n        0")
        return head, tail if self.count else tail.lstrip("\n ")  # an empty list is written []
