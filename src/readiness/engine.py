"""Select the rules a rubric enables, run them, apply waivers, position and order the results.

Rules see the validated plan only; the engine adds what they must not know: severities from the
rubric, waivers and the evaluation date, and line and column from the loader's source map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from readiness.findings import Result, WaiverRef, WaiverState, shift_severity
from readiness.loader import Document, Path
from readiness.model import Plan
from readiness.rubric import Rubric
from readiness.rules import Context, registry, rule_names


def path_key(path: Path) -> tuple[tuple[int, Any], ...]:
    """Component by component: keys by code point, indexes as integers, a prefix first."""
    return tuple((0, item) if isinstance(item, int) else (1, item) for item in path)


def sort_results(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (path_key(r.path), r.rule, r.target is not None, r.target or ""))


def run_rules(plan: Plan, rubric: Rubric, enabled: set[str]) -> list[Result]:
    """Every enabled scored rule's results, unpositioned and unwaived."""
    ctx = Context(plan)
    results: list[Result] = []
    for rule_id, spec in registry().items():
        if rule_id not in enabled or not spec.scored:
            continue
        config = rubric.rules[rule_id]
        for outcome in spec.check(ctx, config.options):
            severity = shift_severity(config.severity, outcome.shift) if outcome.status == "fail" else config.severity
            results.append(
                Result(
                    rule_id,
                    spec.slug,
                    spec.category,
                    severity,
                    outcome.status,  # type: ignore[arg-type]
                    outcome.target,
                    outcome.path,
                    outcome.message,
                )
            )
    return results


def apply_waivers(
    plan: Plan, rubric: Rubric, enabled: set[str], as_of: dt.date, results: list[Result]
) -> tuple[list[Result], list[WaiverState]]:
    """Waiver policy of rubrics.md §4: states, waived results, and the PLAN rules' results."""
    waivers = plan.waivers or []
    names = rule_names()
    states: list[WaiverState] = []
    meta: list[Result] = []
    specs = registry()

    def plan_result(rule_id: str, index: int, failed: bool, message: str) -> None:
        if rule_id not in enabled:
            return
        spec = specs[rule_id]
        config = rubric.rules[rule_id]
        meta.append(
            Result(
                rule_id,
                spec.slug,
                "PLAN",
                config.severity,
                "fail" if failed else "pass",
                None,
                ("waivers", index),
                message if failed else "",
            )
        )

    applied: list[tuple[int, Any, str]] = []
    for index, w in enumerate(waivers):
        rule_id = names.get(w.rule, w.rule)  # a custom rule is named by its ID
        if rubric.waivers == "forbidden":
            state = "forbidden"
        elif w.expires < as_of:
            state = "expired"
        elif rule_id not in enabled:
            state = "inactive"
        elif rubric.max_waivers is not None and len(applied) >= rubric.max_waivers:
            state = "over_limit"
        else:
            state = "applied"
            applied.append((index, w, rule_id))
        states.append(WaiverState(index, w.rule, w.target, w.owner, w.expires.isoformat(), state))

    if rubric.waivers == "forbidden":
        return results, states

    used: set[int] = set()
    waived: list[Result] = []
    by_rule: dict[str, list[tuple[int, Any]]] = {}
    for index, w, rule_id in applied:
        by_rule.setdefault(rule_id, []).append((index, w))
    for result in results:
        if result.status != "fail":
            waived.append(result)
            continue
        first = None
        for index, w in by_rule.get(result.rule, []):
            if w.target is None or (result.target is not None and w.target == result.target):
                used.add(index)
                if first is None:
                    first = WaiverRef(index, w.reason, w.owner, w.expires.isoformat())
        if first is None:
            waived.append(result)
        else:
            waived.append(
                Result(
                    result.rule,
                    result.slug,
                    result.category,
                    result.severity,
                    "waived",
                    result.target,
                    result.path,
                    result.message,
                    waiver=first,
                )
            )

    for index, w in enumerate(waivers):
        note = f" on {w.target}" if w.target is not None else ""
        state = states[index].state
        if state == "applied":
            plan_result(
                "PLAN001",
                index,
                index not in used,
                f"Waiver for {w.rule}{note} matches no failing result; remove it or correct its target.",
            )
        plan_result(
            "PLAN002",
            index,
            state == "expired",
            f"Waiver for {w.rule}{note} expired on {w.expires.isoformat()}; its findings are live again.",
        )
        if state == "applied" and rubric.max_waiver_days is not None:
            ahead = (w.expires - as_of).days
            plan_result(
                "PLAN003",
                index,
                ahead > rubric.max_waiver_days,
                f"Waiver for {w.rule}{note} runs until {w.expires.isoformat()}, {ahead} days ahead "
                f"(limit {rubric.max_waiver_days}).",
            )
    return waived + meta, states


def position(doc: Document, results: list[Result]) -> list[Result]:
    out = []
    for r in results:
        where = doc.locate(r.path)
        line, column = where if where else (None, None)
        out.append(
            Result(
                r.rule, r.slug, r.category, r.severity, r.status, r.target, r.path, r.message, line, column, r.waiver
            )
        )
    return out


def evaluate(
    doc: Document, plan: Plan, rubric: Rubric, as_of: dt.date, enabled: set[str] | None = None
) -> tuple[list[Result], list[WaiverState]]:
    """Run a plan through the rubric: positioned, waived, ordered results and waiver states.
    ``enabled`` is the set of rule IDs that run (the rubric's, narrowed by --select/--ignore)."""
    if enabled is None:
        enabled = {rule_id for rule_id in rubric.rules if rubric.runs(rule_id)}
    results = run_rules(plan, rubric, enabled)
    results, states = apply_waivers(plan, rubric, enabled, as_of, results)
    return sort_results(position(doc, results)), states
