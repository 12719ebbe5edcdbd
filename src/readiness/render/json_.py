"""``--format json``: the versioned machine contract (docs/json.md, version 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from readiness.analysis import top_risks
from readiness.findings import Action, BaselineStatus, Forecast, Owner, PlanResult, Policy, Result
from readiness.paths import format_path
from readiness.render import Run, json_text, plain_number, score_number


def finding(r: Result) -> dict[str, Any]:
    return {
        "rule": r.rule,
        "slug": r.slug,
        "category": r.category,
        "severity": r.severity,
        "status": r.status,
        "target": r.target,
        "path": format_path(r.path),
        "line": r.line,
        "column": r.column,
        "message": r.message,
        "remediation": r.remediation,
        "owner": owner(r.owner),
        "due": None if r.due is None else r.due.isoformat(),
        "divisions": list(r.divisions),
        **({"question": r.question or None} if r.status == "unknown" else {}),
        "waiver": None
        if r.waiver is None
        else {
            "index": r.waiver.index,
            "reason": r.waiver.reason,
            "owner": r.waiver.owner,
            "expires": r.waiver.expires,
        },
    }


def owner(who: Owner | None) -> dict[str, Any] | None:
    return None if who is None else {"id": who.id, "name": who.name, "role": who.role}


def action_entry(a: Action, as_of: dt.date) -> dict[str, Any]:
    return {
        "rule": a.rule,
        "slug": a.slug,
        "category": a.category,
        "severity": a.severity,
        "action": a.headline,
        "points": score_number(a.points),
        "due": None if a.due is None else a.due.isoformat(),
        "overdue": a.due is not None and a.due < as_of,
        "targets": [
            {
                "target": r.target,
                "label": r.label,
                "path": format_path(r.path),
                "line": r.line,
                "column": r.column,
                "message": r.message,
                "owner": owner(r.owner),
                "due": None if r.due is None else r.due.isoformat(),
                "overdue": r.due is not None and r.due < as_of,
            }
            for r in a.findings
        ],
    }


def forecast_entry(f: Forecast) -> dict[str, Any]:
    return {
        "from": f.start.isoformat(),
        "to": f.end.isoformat(),
        "dates": [
            {
                "date": d.date.isoformat(),
                "verdict": None if d.verdict is None else {"from": d.verdict[0], "to": d.verdict[1]},
                "score": None
                if d.score is None
                else {"from": score_number(d.score[0]), "to": score_number(d.score[1])},
                "changes": [
                    {
                        "kind": c.kind,
                        "rule": c.rule,
                        "target": c.label,
                        "path": format_path(c.path),
                        "from": c.before,
                        "to": c.after,
                        "severity": c.severity,
                        "message": c.message,
                    }
                    for c in d.changes
                ],
            }
            for d in f.days
        ],
    }


def error_entry(problem: Any) -> dict[str, Any]:
    # a problem in another file (a custom rule that cannot be evaluated) names that file and position
    message = problem.render(problem.file) if problem.file else problem.message
    return {"message": message, "line": problem.line, "column": problem.column, "path": problem.path}


def plan_entry(p: PlanResult, as_of: dt.date) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": p.path.replace("\\", "/"),
        "sha256": p.sha256,
        "name": p.name,
        "go_live": p.go_live,
        "verdict": p.verdict,
        "score": score_number(p.score),
        "exit_code": p.exit_code,
    }
    if p.verdict is None:
        entry["error"] = error_entry(p.errors[0]) if p.errors else None
        entry["errors"] = [error_entry(e) for e in p.errors]
        entry["errors_omitted"] = p.errors_omitted
        return entry
    entry["categories"] = [
        {
            "id": c.id,
            "score": score_number(c.score),
            "pass": c.passed,
            "fail": c.failed,
            "unknown": c.unknown,
            "waived": c.waived,
        }
        for c in p.categories
    ]
    entry["findings"] = [finding(r) for r in p.findings]
    entry["waivers"] = [
        {"index": w.index, "rule": w.rule, "target": w.target, "owner": w.owner, "expires": w.expires, "state": w.state}
        for w in p.waivers
    ]
    entry["summary"] = p.summary()
    entry["verdict_reasons"] = [{"gate": r.gate, "detail": r.detail, "blocks": r.blocks} for r in p.reasons]
    entry["actions"] = [action_entry(a, as_of) for a in p.actions]
    entry["top_risks"] = [a.rule for a in top_risks(p.actions)]
    entry["divisions"] = [
        {
            "id": row.id,
            "name": row.name,
            "categories": {
                c: {"status": cell.status, "severity": cell.severity, "results": cell.results}
                for c, cell in row.cells.items()
            },
        }
        for row in p.heat
    ]
    entry["forecast"] = None if p.forecast is None else forecast_entry(p.forecast)
    if p.baseline is not None:  # only with --baseline (readiness.baseline)
        entry["baseline"] = baseline_entry(p.baseline)
    return entry


def baseline_entry(b: BaselineStatus) -> dict[str, Any]:
    return {
        "file": b.file,
        "baselined": b.baselined,
        "stale": [
            {"rule": rule, "target": target, "path": path, "status": status, "count": count}
            for rule, target, path, status, count in b.stale
        ],
    }


def head_document(policy: Policy, as_of: dt.date, version: str) -> dict[str, Any]:
    """Everything of the document but its plans."""
    return {
        "schema_version": 1,
        "tool": {"name": "readiness", "version": version},
        "as_of": as_of.isoformat(),
        "rubric": {
            "name": policy.name,
            "pass_score": plain_number(policy.pass_score),
            "fail_on": policy.fail_on,
            "unknown_credit": plain_number(policy.unknown_credit),
            "waivers": policy.waivers,
            "max_waivers": policy.max_waivers,
            "max_waiver_days": policy.max_waiver_days,
        },
    }


def indented(entry: dict[str, Any], level: int) -> str:
    """One value as ``json.dumps(..., indent=2)`` writes it ``level`` levels deep in a document."""
    return json_text(entry).rstrip("\n").replace("\n", "\n" + "  " * level)


class JsonReport:
    """The document of docs/json.md, written a plan at a time: the same bytes as one ``json.dumps``."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.count = 0

    def plan(self, p: PlanResult) -> str:
        self.count += 1
        separator = "\n    " if self.count == 1 else ",\n    "
        return separator + indented(plan_entry(p, self.run.as_of), 2)

    def finish(self) -> tuple[str, str]:
        whole = json_text({**head_document(self.run.policy, self.run.as_of, self.run.version), "plans": [0]})
        head, _, tail = whole.rpartition("\n    0")
        return head, tail if self.count else tail.lstrip("\n ")  # an empty list is written []


# what a forecast's JSON keeps of a plan's entry: a valid plan's verdict, reasons and forecast, or
# an invalid plan's errors
_FORECAST_KEYS = (
    "path", "sha256", "name", "go_live", "verdict", "score", "exit_code", "verdict_reasons", "forecast",
    "error", "errors", "errors_omitted",
)  # fmt: skip


class JsonForecast:
    """The JSON document of ``check`` (docs/json.md) for one plan, with only what a forecast needs."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.entry: dict[str, Any] | None = None

    def plan(self, p: PlanResult) -> str:
        full = plan_entry(p, self.run.as_of)
        self.entry = {key: full[key] for key in _FORECAST_KEYS if key in full}
        return ""

    def finish(self) -> tuple[str, str]:
        document = {**head_document(self.run.policy, self.run.as_of, self.run.version), "plans": [self.entry]}
        return json_text(document), ""
