"""The JSON Schema of the ``--format json`` report, version 1 (docs/json.md).

Written here rather than derived from the renderer, which builds plain dictionaries; the test
suite validates every JSON golden file and every report the property tests produce against it,
and checks that it describes every key those reports hold, so the two cannot drift apart.
``readiness schema --report`` prints it and ``schema/report-v1.json`` is a generated copy.

Within version 1 keys may be added, never renamed or removed (docs/cli.md). The schema therefore
leaves every object open to properties it does not list: a reader validating a report written
by a later 1.x release must not reject it for having more. Keys added after the first release
(``verdict_reasons``, ``actions``, ``top_risks``, ``divisions``, ``forecast``; a finding's
``owner``, ``due``, ``divisions``, ``question``) are described but not required, so a report
of the first release still validates.
"""

from __future__ import annotations

from typing import Any

from readiness.findings import CATEGORIES, FAIL_ON, REPORT_ORDER, SEVERITIES
from readiness.limits import MAX_SHOWN
from readiness.project import REPORT_SCHEMA_URL

WAIVER_STATES = ("applied", "expired", "inactive", "over_limit", "forbidden")

DATE = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
COUNT = {"type": "integer", "minimum": 0}
POSITION = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]}
RULE_ID = {"type": "string", "pattern": r"^[A-Z]+[0-9]{3}$"}


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, **schema}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(required: list[str], properties: dict[str, Any], description: str) -> dict[str, Any]:
    assert set(required) <= set(properties)
    return {"type": "object", "description": description, "required": required, "properties": properties}


def _definitions() -> dict[str, Any]:
    category = _object(
        ["id", "score", "pass", "fail", "unknown", "waived"],
        {
            "id": _described({"enum": list(CATEGORIES)}, "The category, in the order the enumeration lists them."),
            "score": _described(
                _nullable({"type": "number", "minimum": 0, "maximum": 100}),
                "The category's score, one decimal; null when nothing in it is scored.",
            ),
            "pass": _described(COUNT, "Scored rules of the category whose status is pass."),
            "fail": _described(COUNT, "Scored rules of the category with a live finding."),
            "unknown": _described(COUNT, "Scored rules of the category that could not be evaluated."),
            "waived": _described(COUNT, "Scored rules of the category whose findings are all waived."),
        },
        "One category's score and its rules counted by status.",
    )
    waiver_ref = _object(
        ["index", "reason", "owner", "expires"],
        {
            "index": _described(COUNT, "The waiver's position in the plan's waivers, from 0."),
            "reason": _described({"type": "string"}, "Why the risk is accepted, as written in the plan."),
            "owner": _described({"type": "string"}, "The person who owns the accepted risk."),
            "expires": _described(DATE, "The last day the waiver applies."),
        },
        "The waiver that recorded a waived finding.",
    )
    finding = _object(
        [
            "rule",
            "slug",
            "category",
            "severity",
            "status",
            "target",
            "path",
            "line",
            "column",
            "message",
            "remediation",
            "waiver",
        ],
        {
            "rule": _described(RULE_ID, "The rule's ID (a custom rule's starts with X)."),
            "slug": _described({"type": "string"}, "The rule's name in kebab-case."),
            "category": _described({"enum": list(REPORT_ORDER)}, "The rule's category; PLAN for the waiver rules."),
            "severity": _described(
                {"enum": list(reversed(SEVERITIES))},
                "For fail and waived, the finding's severity after shifts; for unknown, the rule's.",
            ),
            "status": _described(
                {"enum": ["fail", "unknown", "waived"]},
                "fail is a live finding; unknown could not be evaluated; waived is accepted by a waiver.",
            ),
            "target": _described(
                _nullable({"type": "string"}),
                "The id of what the finding is about; null for the plan as a whole or a target without an id.",
            ),
            "path": _described({"type": "string"}, "The dotted path in the plan; an empty string for the plan root."),
            "line": _described(POSITION, "1-based line of the node at path (or its nearest enclosing mapping)."),
            "column": _described(POSITION, "1-based column, as line; both null only for an absent top-level key."),
            "message": _described({"type": "string"}, "What is wrong, in a sentence."),
            "remediation": _described({"type": "string"}, "How to fix it."),
            "owner": {"$ref": "#/$defs/Owner"},
            "due": _described(
                _nullable(DATE), "The date by which the rule's condition had to hold; null: before go-live."
            ),
            "divisions": _described(
                {"type": "array", "items": {"type": "string"}},
                "The divisions the target belongs to; empty for a result about the whole plan.",
            ),
            "question": _described(
                _nullable({"type": "string"}),
                "On an unknown result only: what to ask to settle it (null for a custom rule that declares none).",
            ),
            "waiver": _described(_nullable({"$ref": "#/$defs/WaiverRef"}), "For a waived finding, its waiver."),
        },
        "A result that is not a pass.",
    )
    owner = _object(
        ["id", "name", "role"],
        {
            "id": _described(_nullable({"type": "string"}), "The person's id in the plan; null when none."),
            "name": _described(
                _nullable({"type": "string"}), "The person's name, or a waiver owner's free text; null when none."
            ),
            "role": _described(
                {"type": "string"}, "The role they act in (division leader, sponsor...), or unassigned."
            ),
        },
        "Who acts on a finding.",
    )
    reason = _object(
        ["gate", "detail", "blocks"],
        {
            "gate": _described(
                {
                    "enum": [
                        "min_score",
                        "fail_on_override",
                        "score",
                        "fail_on",
                        "waivers_forbidden",
                        "max_waivers",
                        "expired_waivers",
                    ]
                },
                "The gate, a stable name.",
            ),
            "detail": _described({"type": "string"}, "How the plan fared at it, in words."),
            "blocks": _described({"type": "boolean"}, "Whether this gate alone makes the plan not ready."),
        },
        "One gate that decided the verdict.",
    )
    action_target = _object(
        ["target", "label", "path", "line", "column", "message", "owner", "due", "overdue"],
        {
            "target": _described(_nullable({"type": "string"}), "The target's id; null for the plan or a path."),
            "label": _described({"type": "string"}, "How the target is named in text."),
            "path": _described({"type": "string"}, "The dotted path in the plan."),
            "line": _described(POSITION, "1-based line."),
            "column": _described(POSITION, "1-based column."),
            "message": _described({"type": "string"}, "The finding's message."),
            "owner": {"$ref": "#/$defs/Owner"},
            "due": _described(_nullable(DATE), "This target's due date; null: before go-live."),
            "overdue": _described({"type": "boolean"}, "Whether the due date is before as_of."),
        },
        "One failing result an action covers.",
    )
    action = _object(
        ["rule", "slug", "category", "severity", "action", "points", "due", "overdue", "targets"],
        {
            "rule": _described(RULE_ID, "The rule."),
            "slug": _described({"type": "string"}, "Its name."),
            "category": _described({"enum": list(REPORT_ORDER)}, "Its category."),
            "severity": _described({"enum": list(reversed(SEVERITIES))}, "The highest severity of its failures."),
            "action": _described({"type": "string"}, "The first sentence of the rule's remediation."),
            "points": _described(
                {"type": "number", "minimum": 0}, "What the score regains were its failures fixed, one decimal."
            ),
            "due": _described(_nullable(DATE), "The earliest due date of its targets; null: before go-live."),
            "overdue": _described({"type": "boolean"}, "Whether due is before as_of."),
            "targets": _described(
                {"type": "array", "items": {"$ref": "#/$defs/ActionTarget"}, "minItems": 1}, "Its failing results."
            ),
        },
        "What one live failing rule asks of the plan's people.",
    )
    heat_cell = _object(
        ["status", "severity", "results"],
        {
            "status": _described({"enum": ["fail", "unknown", "waived", "pass"]}, "The worst status."),
            "severity": _described(
                _nullable({"enum": list(reversed(SEVERITIES))}), "For fail, the worst severity; else null."
            ),
            "results": _described({"type": "integer", "minimum": 1}, "How many results are behind the cell."),
        },
        "The worst result of one category about one division.",
    )
    division = _object(
        ["id", "name", "categories"],
        {
            "id": _described(_nullable({"type": "string"}), "The division's id; null for the whole-plan row."),
            "name": _described({"type": "string"}, "Its name; (plan) for the whole-plan row."),
            "categories": _described(
                {"type": "object", "additionalProperties": {"$ref": "#/$defs/HeatCell"}},
                "Category id to cell; a category no result speaks of is absent.",
            ),
        },
        "One row of the heat map.",
    )
    change = _object(
        ["kind", "rule", "target", "path", "from", "to", "severity", "message"],
        {
            "kind": _described({"enum": ["result", "waiver", "overdue"]}, "What changes."),
            "rule": _described(_nullable({"type": "string"}), "The rule (for a waiver, as the waiver names it)."),
            "target": _described({"type": "string"}, "The result's label, or waivers[i]."),
            "path": _described({"type": "string"}, "The dotted path in the plan."),
            "from": _described(_nullable({"type": "string"}), "The status or state before; null: none."),
            "to": _described(_nullable({"type": "string"}), "The status or state after; null: none."),
            "severity": _described(_nullable({"enum": list(reversed(SEVERITIES))}), "The result's severity."),
            "message": _described({"type": "string"}, "The finding's message, or what happens to the waiver."),
        },
        "One change on a date of the forecast.",
    )
    moved = {
        "anyOf": [
            {"type": "null"},
            {"type": "object", "required": ["from", "to"], "properties": {"from": {}, "to": {}}},
        ]
    }
    forecast_date = _object(
        ["date", "verdict", "score", "changes"],
        {
            "date": _described(DATE, "The day the changes take effect."),
            "verdict": _described(moved, "The verdict's change that day, or null."),
            "score": _described(moved, "The score's change that day, or null."),
            "changes": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Change"}, "minItems": 1}, "What changes that day."
            ),
        },
        "A date on which something changes.",
    )
    forecast = _object(
        ["from", "to", "dates"],
        {
            "from": _described(DATE, "as_of; the span starts the day after."),
            "to": _described(DATE, "The last day of the span."),
            "dates": _described(
                {"type": "array", "items": {"$ref": "#/$defs/ForecastDate"}}, "Each date something changes, in order."
            ),
        },
        "What changes after as_of if the plan stays as written.",
    )
    waiver = _object(
        ["index", "rule", "target", "owner", "expires", "state"],
        {
            "index": _described(COUNT, "Its position in the plan's waivers, from 0."),
            "rule": _described({"type": "string"}, "The rule it names, as written (an ID or a slug)."),
            "target": _described(_nullable({"type": "string"}), "The target it names; null when it names none."),
            "owner": _described({"type": "string"}, "Who owns the accepted risk."),
            "expires": _described(DATE, "The last day it applies."),
            "state": _described(
                {"enum": list(WAIVER_STATES)},
                "applied, expired, inactive (its rule does not run), over_limit or forbidden (docs/rubrics.md).",
            ),
        },
        "One waiver of the plan and what became of it.",
    )
    summary = _object(
        ["error", "warning", "info", "unknown", "waived"],
        {
            "error": _described(COUNT, "Live findings of severity error."),
            "warning": _described(COUNT, "Live findings of severity warning."),
            "info": _described(COUNT, "Live findings of severity info."),
            "unknown": _described(COUNT, "Results that could not be evaluated."),
            "waived": _described(COUNT, "Waived results."),
        },
        "The plan's results counted.",
    )
    error = _object(
        ["message", "line", "column", "path"],
        {
            "message": _described(
                {"type": "string"}, "What is wrong, with its place in another file when it lies there."
            ),
            "line": _described(POSITION, "1-based line, when the file parsed far enough to have one."),
            "column": _described(POSITION, "1-based column, as line."),
            "path": _described(
                _nullable({"type": "string"}),
                "The dotted path in the plan, an empty string for the whole plan, null for the file itself.",
            ),
        },
        "One problem that kept a plan from being checked.",
    )
    common = {
        "path": _described(
            {"type": "string"}, "The plan as given after expansion, with / separators; - for standard input."
        ),
        "name": _described(_nullable({"type": "string"}), "rollout.name; null when it could not be read."),
        "exit_code": _described(
            {"type": "integer"}, "The plan's own code: 0 ready, 1 not ready, 2 invalid, 3 internal error."
        ),
    }
    checked = _object(
        [
            "path",
            "sha256",
            "name",
            "go_live",
            "verdict",
            "score",
            "exit_code",
            "categories",
            "findings",
            "waivers",
            "summary",
        ],
        {
            "path": common["path"],
            "sha256": _described({"type": "string", "pattern": "^[0-9a-f]{64}$"}, "SHA-256 of the bytes read."),
            "name": _described({"type": "string"}, "rollout.name."),
            "go_live": _described(DATE, "rollout.go_live."),
            "verdict": _described(
                {"enum": ["ready", "not_ready"]}, "The verdict: read this rather than compare score and pass_score."
            ),
            "score": _described(
                {"type": "number", "minimum": 0, "maximum": 100},
                "The score, rounded to one decimal, half away from zero.",
            ),
            "exit_code": _described(
                {"enum": [0, 1]},
                common["exit_code"]["description"] + " With a baseline, 1 only when what is new makes it not ready.",
            ),
            "categories": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Category"}, "minItems": len(CATEGORIES)},
                f"One entry per category, in the order {', '.join(CATEGORIES)}.",
            ),
            "findings": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
                "Every result that is not a pass, sorted by path, rule and target.",
            ),
            "waivers": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Waiver"}}, "Every waiver of the plan, in file order."
            ),
            "summary": {"$ref": "#/$defs/Summary"},
            "verdict_reasons": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Reason"}, "minItems": 2},
                "Every gate that decided the verdict, in a fixed order.",
            ),
            "actions": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Action"}},
                "One per live failing rule, sorted by due date.",
            ),
            "top_risks": _described(
                {"type": "array", "items": RULE_ID, "maxItems": 5},
                "The rules whose fixing regains the most points, most first.",
            ),
            "divisions": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Division"}}, "The heat map, division by category."
            ),
            "forecast": {"$ref": "#/$defs/Forecast"},
            "baseline": {"$ref": "#/$defs/Baseline"},
        },
        "A plan that was checked.",
    )
    unchecked = _object(
        ["path", "sha256", "name", "go_live", "verdict", "score", "exit_code", "error", "errors", "errors_omitted"],
        {
            "path": common["path"],
            "sha256": _described(
                {"type": "string", "pattern": "^([0-9a-f]{64})?$"}, "SHA-256 of the bytes read; empty when none were."
            ),
            "name": common["name"],
            "go_live": _described(
                _nullable({"type": "string"}), "rollout.go_live as written; null when it could not be read."
            ),
            "verdict": _described({"type": "null"}, "No verdict: the plan could not be checked."),
            "score": _described({"type": "null"}, "No score."),
            "exit_code": _described(
                {"enum": [2, 3]}, "2 invalid (or a custom rule could not be evaluated), 3 internal error."
            ),
            "error": _described(_nullable({"$ref": "#/$defs/Error"}), "The first of errors."),
            "errors": _described(
                {"type": "array", "items": {"$ref": "#/$defs/Error"}, "maxItems": MAX_SHOWN},
                f"Every problem, at most {MAX_SHOWN}, in file order.",
            ),
            "errors_omitted": _described(COUNT, "How many more problems there were."),
        },
        "A plan that could not be checked.",
    )
    baseline = _object(
        ["file", "baselined", "stale"],
        {
            "file": _described({"type": "string"}, "The baseline file (--baseline or --write-baseline), as given."),
            "baselined": _described(
                COUNT, "Results of this plan (live or unknown) that the baseline records, left out of findings."
            ),
            "stale": _described(
                {"type": "array", "items": {"$ref": "#/$defs/BaselineEntry"}},
                "Entries of the baseline for this plan that matched no finding: fixed, or gone.",
            ),
        },
        "With --baseline: what the baseline held back for this plan.",
    )
    baseline_entry = _object(
        ["rule", "target", "path", "status", "count"],
        {
            "rule": _described(RULE_ID, "The rule."),
            "target": _described(_nullable({"type": "string"}), "The target id; null when the entry names a path."),
            "path": _described(
                _nullable({"type": "string"}), "The path in the plan, for a result without a target id."
            ),
            "status": _described(
                {"enum": ["fail", "unknown"]},
                "fail for a live finding, unknown for a result that could not be evaluated.",
            ),
            "count": _described({"type": "integer", "minimum": 1}, "How many recorded results matched nothing."),
        },
        "A baseline entry that no longer matches.",
    )
    return {
        "CheckedPlan": checked,
        "UncheckedPlan": unchecked,
        "Category": category,
        "Finding": finding,
        "WaiverRef": waiver_ref,
        "Waiver": waiver,
        "Summary": summary,
        "Error": error,
        "Baseline": baseline,
        "BaselineEntry": baseline_entry,
        "Owner": owner,
        "Reason": reason,
        "Action": action,
        "ActionTarget": action_target,
        "Division": division,
        "HeatCell": heat_cell,
        "Forecast": forecast,
        "ForecastDate": forecast_date,
        "Change": change,
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the ``--format json`` document."""
    rubric = _object(
        ["name", "pass_score", "fail_on", "unknown_credit", "waivers", "max_waivers", "max_waiver_days"],
        {
            "name": _described({"type": "string"}, "The rubric's name."),
            "pass_score": _described({"type": "number", "minimum": 0, "maximum": 100}, "Lowest score for ready."),
            "fail_on": _described({"enum": list(FAIL_ON)}, "Lowest severity of a live finding that blocks ready."),
            "unknown_credit": _described(
                {"type": "number", "minimum": 0, "maximum": 1}, "Credit an unknown result earns in the score."
            ),
            "waivers": _described({"enum": ["allowed", "forbidden"]}, "Whether waivers are honoured."),
            "max_waivers": _described(_nullable(COUNT), "Most waivers applied per plan; null for no limit."),
            "max_waiver_days": _described(
                _nullable({"type": "integer", "minimum": 1, "maximum": 36500}),
                "Longest accepted time to a waiver's expiry, in days; null for no limit.",
            ),
        },
        "The policy in force, after --fail-on, --min-score and --no-waivers.",
    )
    document = _object(
        ["schema_version", "tool", "as_of", "rubric", "plans"],
        {
            "schema_version": _described({"const": 1}, "The version of this format."),
            "tool": _object(
                ["name", "version"],
                {
                    "name": _described({"const": "readiness"}, "The tool."),
                    "version": _described({"type": "string"}, "Its version."),
                },
                "What wrote the report.",
            ),
            "as_of": _described(DATE, "The evaluation date."),
            "rubric": rubric,
            "plans": _described(
                {
                    "type": "array",
                    "items": {"oneOf": [{"$ref": "#/$defs/CheckedPlan"}, {"$ref": "#/$defs/UncheckedPlan"}]},
                },
                "One entry per plan, in report order.",
            ),
        },
        "",
    )
    del document["description"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_URL,
        "title": "readiness report (--format json), version 1",
        "description": "The report readiness check --format json writes (docs/json.md). Keys may be added within "
        "version 1, so every object accepts properties this schema does not list.",
        **document,
        "$defs": _definitions(),
    }
