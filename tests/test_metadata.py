"""The catalogue itself: format v1's 40 scored rules and PLAN001-003 all present, unique names, complete metadata
(a question to ask the client and who acts on a finding included), examples for every rule, documented options,
built-in rubrics naming only known rules, and the generated rule reference kept in sync."""

from __future__ import annotations

import re
from collections import Counter

from readiness.findings import CATEGORIES
from readiness.reference.rules import examples, owner_words, render_docs, render_explain
from readiness.rubric import BUILT_IN_RUBRICS, load_rubric
from readiness.rules import registry
from readiness.rules.context import OWNERS

from .conftest import CATALOGUE_V1, ROOT, check_generated


def test_the_v1_catalogue_is_all_there() -> None:
    """Format v1's 40 scored rules and the 3 about waivers keep their IDs and severities; rules
    added since come on top of them."""
    rules = registry()
    assert set(CATALOGUE_V1) <= set(rules)
    scored = [rules[rule_id] for rule_id in CATALOGUE_V1 if rules[rule_id].scored]
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


# One question, then optionally one sentence saying which plan field records the answer.
QUESTION = re.compile(r"[A-Z][^?`]*(`[^`]+`[^?`]*)*\?( [A-Z][^?`]*(`[^`]+`[^?`]*)+\.)?")


def test_every_rule_asks_a_question_and_names_who_acts() -> None:
    """What a consultant asks when a rule is unknown (the interview checklist), and the kinds of
    owner tried in turn for who acts on a finding (the action plan)."""
    for r in registry().values():
        assert QUESTION.fullmatch(r.question), (r.id, r.question)
        assert r.owner, f"{r.id} names no owner"
        assert len(set(r.owner)) == len(r.owner), r.id
        assert set(r.owner) <= set(OWNERS), (r.id, set(r.owner) - set(OWNERS))
    assert len({r.question for r in registry().values()}) == len(registry()), "each rule asks its own question"


def test_explain_and_the_reference_show_the_question_and_who_acts() -> None:
    docs = render_docs()
    for r in registry().values():
        page = " ".join(render_explain(r.id).split())
        for text in (r.question, owner_words(r)):
            assert text in page and text in docs, (r.id, text)
    assert owner_words(registry()["LEAD001"]).startswith("The leader of the target's division")


def test_examples_show_who_acts_in_every_category() -> None:
    """Some failing example of each category names who acts on it, and one names nobody."""
    categories: set[str] = set()
    owners: set[str] = set()
    for r in registry().values():
        for case in examples(r.id)["cases"]:
            for label, who in case.get("owner", {}).items():
                if case["expect"].get(label) == "fail":
                    categories.add(r.category)
                    owners.add(str(who))
    assert categories == {r.category for r in registry().values()}
    assert "unassigned" in owners


def test_built_in_rubrics_load_and_name_only_known_rules() -> None:
    for name in BUILT_IN_RUBRICS:
        path = ROOT / "rubrics" / f"{name}.yaml"
        if path.exists():
            rubric = load_rubric(name)
            assert rubric.name == name
            assert set(registry()) <= set(rubric.rules)
            assert all(rubric.rules[extra].spec.custom is not None for extra in set(rubric.rules) - set(registry()))


def test_rule_reference_is_up_to_date(update_goldens: bool) -> None:
    check_generated(ROOT / "docs" / "rules.md", render_docs(), update_goldens)


def test_counts_quoted_in_the_readme_follow_the_catalogue(update_goldens: bool) -> None:
    scored = sum(1 for spec in registry().values() if spec.scored)
    readme = ROOT / "README.md"
    text = re.sub(r"a catalogue of [0-9]+ rules", f"a catalogue of {scored} rules", readme.read_text(encoding="utf-8"))
    check_generated(readme, text, update_goldens)
