"""``--format sarif``: SARIF 2.1.0 for code-scanning services, one run for the whole call.

Findings become results with their rule, level and region; waived findings keep their level and
carry an in-source suppression with the waiver's reason; unknown results are ``kind: open``.
Plans that could not be loaded are tool execution notifications of the run's single invocation.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from readiness import DOCS_URL
from readiness.findings import Result
from readiness.render import Report, json_text

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """A plan's path as the URI reference SARIF requires: a relative path stays relative (to the
    working directory, which code scanning takes for the repository root), an absolute one
    becomes a ``file://`` URI, and what a URI cannot hold (a space, ``#``, ``%``) is
    percent-encoded, so ``plans/q1 #2.yaml`` does not turn into a path and a fragment."""
    pure = PurePosixPath(path) if "\\" not in path else PureWindowsPath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(path.replace("\\", "/"), safe="/")


def _location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    # code-scanning services require a region: an absent top-level section points at 1:1
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": {"startLine": line or 1, "startColumn": column or 1},
        }
    }


def _rule(report: Report, rule_id: str) -> dict[str, Any]:
    spec = report.rule(rule_id)
    assert spec is not None
    config = report.rubric.rules[rule_id]
    entry: dict[str, Any] = {
        "id": rule_id,
        "name": spec.slug,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.rationale or spec.title},
        "help": {"text": spec.remediation},
        "defaultConfiguration": {"level": LEVEL[config.severity]},
        "properties": {"category": spec.category, "tags": ["crm-readiness", spec.category]},
    }
    if spec.custom is None:
        entry["helpUri"] = f"{DOCS_URL}/rules/{rule_id}"
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


def document(report: Report) -> dict[str, Any]:
    used: list[str] = []
    for p in report.plans:
        for r in p.findings:
            if r.rule not in used:
                used.append(r.rule)
    order = list(report.rubric.rules)
    used.sort(key=order.index)
    index = {rule_id: n for n, rule_id in enumerate(used)}
    results = [_result(r, p.path, index[r.rule]) for p in report.plans for r in p.findings]
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{p.path}: {problem.render(p.path).split(': error: ', 1)[-1]}"},
            "locations": [_location(problem.file or p.path, problem.line, problem.column)],
        }
        for p in report.plans
        if p.verdict is None
        for problem in p.errors
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not any(p.exit_code == 3 for p in report.plans)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readiness",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "informationUri": DOCS_URL,
                        "rules": [_rule(report, rule_id) for rule_id in used],
                    }
                },
                "invocations": [invocation],
                "results": results,
                "properties": {"asOf": report.as_of.isoformat(), "rubric": report.rubric.name},
            }
        ],
    }


def render(report: Report) -> str:
    return json_text(document(report))
