"""Every rule's own passing, failing and unknown fragments, as labelled in
``src/readiness/rules/examples/<ID>.yaml`` (the same fragments ``readiness explain`` and
docs/rules.md show). ``pytest -k LEAD001`` runs one rule.

A case gives ``expect: {label: status}`` and may give ``rubric: NAME`` (the file's own, or
``default``, otherwise), ``severity: {label: severity}``,
``due: {label: YYYY-MM-DD}`` (every result of the case that has a due date, and that date) and
``owner: {label: person id}`` (who acts on the finding; ``unassigned`` when the plan names
nobody, a waiver's free-text owner as written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from readiness.engine import evaluate
from readiness.loader import load_text
from readiness.options import RunOptions
from readiness.plan_checks import validate_plan
from readiness.reference.rules import case_plan_text, examples
from readiness.rubric import load_rubric
from readiness.rules import registry, rule_names


def _cases() -> list[Any]:
    params = []
    for rule_id in registry():
        spec = examples(rule_id)
        for index, case in enumerate(spec["cases"]):
            outcome = "-".join(sorted(set(case["expect"].values()))) or "no-targets"
            params.append(pytest.param(rule_id, spec, case, id=f"{rule_id}-{index}-{outcome}"))
    return params


@pytest.mark.parametrize(("rule_id", "spec", "case"), _cases())
def test_rule_example(rule_id: str, spec: dict[str, Any], case: dict[str, Any]) -> None:
    doc = load_text(f"{rule_id}.yaml", case_plan_text(case))
    plan = validate_plan(doc, rule_names())
    as_of = dt.date.fromisoformat(str(spec.get("as_of", "2026-01-01")))
    run_options = RunOptions.make(load_rubric(case.get("rubric", spec.get("rubric", "default"))), as_of)
    results, _ = evaluate(doc, plan, run_options)
    mine = [r for r in results if r.rule == rule_id]
    assert {r.label: r.status for r in mine} == case["expect"], [r.message for r in mine]
    assert len(mine) == len({r.label for r in mine}), "at most one result per rule and target"
    for label, severity in case.get("severity", {}).items():
        assert next(r.severity for r in mine if r.label == label) == severity
    due = {label: dt.date.fromisoformat(str(when)) for label, when in case.get("due", {}).items()}
    assert {r.label: r.due for r in mine if r.due is not None} == due, "the case lists every due date, and only those"
    for label, expected in case.get("owner", {}).items():
        owner = next(r.owner for r in mine if r.label == label)
        assert owner is not None, f"{label} is not a finding"
        assert (owner.id or owner.name or owner.role) == expected, owner
    for r in mine:
        if r.status == "fail":
            assert r.message and r.message.endswith("."), r.message
        if r.status == "unknown":
            assert r.message.startswith("cannot evaluate: ") and r.message.endswith((" is absent", " are absent"))
