"""Select the rules a rubric enables, run them, apply waivers, position and order the results.

Rules see the validated plan only; the engine adds what they must not know: severities from the
rubric, waivers and the evaluation date, and line and column from the loader's source map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from readiness.findings import Result, WaiverRef, WaiverState, shift_severity
from readiness.loader import Document, Path
from readiness.model import Plan
from readiness.rubric import Rubric
from readiness.rules import Context


def path_key(path: Path) -> tuple[tuple[int, Any], ...]:
    """Component by component: keys by code point, indexes as integers, a prefix first."""
    return tuple((0, item) if isinstance(item, int) else (1, item) for item in path)


def sort_results(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (path_key(r.path), r.rule, r.target is not None, r.target or ""))


def run_rules(plan: Plan, rubric: Rubric, enabled: set[str], raw: Any = None) -> list[Result]:
    """Every enabled scored rule's results (built-in, then custom), unpositioned and unwaived.
    ``raw`` is the loaded plan data, which custom rules read. A custom rule that cannot be
    evaluated raises :class:`readiness.custom.EvaluationError`."""
    ctx = Context(plan, raw)
    results: list[Result] = []
    for rule_id, config in rubric.rules.items():
        spec = config.spec
        if rule_id not in enabled or not spec.scored:
            continue
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
                    by_path=outcome.by_path,
                )
            )
    return results


def apply_waivers(
    plan: Plan, rubric: Rubric, enabled: set[str], as_of: dt.date, results: list[Result]
) -> tuple[list[Result], list[WaiverState]]:
    """Waiver policy of rubrics.md §4: states, waived results, and the PLAN rules' results."""
    waivers = plan.waivers or []
    names = rubric.names()
    states: list[WaiverState] = []
    meta: list[Result] = []

    def plan_result(rule_id: str, index: int, failed: bool, message: str) -> None:
        if rule_id not in enabled:
            return
        config = rubric.rules[rule_id]
        spec = config.spec
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
        waived.append(result if first is None else replace(result, status="waived", waiver=first))

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
    """Each result with the line and column of its path (None for an absent top-level key)."""
    out = []
    for r in results:
        line, column = doc.locate(r.path) or (None, None)
        out.append(replace(r, line=line, column=column))
    return out


def evaluate(
    doc: Document, plan: Plan, rubric: Rubric, as_of: dt.date, enabled: set[str] | None = None
) -> tuple[list[Result], list[WaiverState]]:
    """Run a plan through the rubric: positioned, waived, ordered results and waiver states.
    ``enabled`` is the set of rule IDs that run (the rubric's, narrowed by --select/--ignore)."""
    if enabled is None:
        enabled = {rule_id for rule_id in rubric.rules if rubric.runs(rule_id)}
    results = run_rules(plan, rubric, enabled, doc.data)
    results, states = apply_waivers(plan, rubric, enabled, as_of, results)
    return sort_results(position(doc, results)), states
