"""The catalogue itself: 40 scored rules plus PLAN001-003, unique names, complete metadata,
examples for every rule, documented options, built-in rubrics naming only known rules, and the
generated rule reference kept in sync."""

from __future__ import annotations

import re
from collections import Counter

from readiness.findings import CATEGORIES
from readiness.render.catalogue import examples, render_docs
from readiness.rubric import BUILT_IN, load_rubric
from readiness.rules import registry

from .conftest import ROOT


def test_forty_scored_rules_and_three_meta_rules() -> None:
    rules = registry()
    scored = [r for r in rules.values() if r.scored]
    assert len(scored) == 40
    assert [r.id for r in rules.values() if not r.scored] == ["PLAN001", "PLAN002", "PLAN003"]
    assert Counter(r.severity for r in scored) == {"error": 14, "warning": 25, "info": 1}
    weights = {"error": 3, "warning": 2, "info": 1}
    assert sum(weights[r.severity] for r in scored) == 93
    assert {r.category for r in scored} == set(CATEGORIES)


def test_ids_and_slugs_are_unique_and_well_formed() -> None:
    rules = list(registry().values())
    ids = [r.id for r in rules]
    slugs = [r.slug for r in rules]
    assert len(set(ids)) == len(ids) and len(set(slugs)) == len(slugs)
    assert not set(ids) & set(slugs)
    for r in rules:
        assert re.fullmatch(r"(LEAD|COMM|TRAIN|INV|LEG|GOV|VAL|ADOPT|CUST|TIME|PLAN)[0-9]{3}", r.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.slug)


def test_every_rule_is_documented_with_examples() -> None:
    for r in registry().values():
        assert r.title and r.rationale and r.remediation and r.sources, r.id
        assert "most transformations fail" not in r.rationale.lower()
        cases = examples(r.id)["cases"]
        statuses = [s for case in cases for s in case["expect"].values()]
        assert "fail" in statuses and "pass" in statuses, f"{r.id} needs a failing and a passing example"
        assert all(case.get("why") for case in cases), r.id
        for name, field in r.options.model_fields.items():
            extra = field.json_schema_extra
            assert isinstance(extra, dict) and extra.get("basis") in ("heuristic", "sourced"), (r.id, name)
            assert field.description, (r.id, name)


def test_built_in_rubrics_load_and_name_only_known_rules() -> None:
    for name in BUILT_IN:
        path = ROOT / "rubrics" / f"{name}.yaml"
        if path.exists():
            rubric = load_rubric(name)
            assert rubric.name == name
            assert set(registry()) <= set(rubric.rules)
            assert all(rubric.rules[extra].spec.custom is not None for extra in set(rubric.rules) - set(registry()))


def test_rule_reference_is_up_to_date() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_docs(), "regenerate with: python -m readiness.render.catalogue > docs/rules.md"
