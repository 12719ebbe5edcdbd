"""The rule catalogue: every built-in rule, registered by importing its category's module.

A rule is declared once, by ``@rule`` on its function (:mod:`readiness.rules.base`), with its
example file in ``rules/examples/<ID>.yaml``; the registry, ``readiness explain``,
``docs/rules.md``, the rubric schema and the tests all follow from that declaration.
"""

from __future__ import annotations

from readiness.findings import REPORT_ORDER
from readiness.rules.base import RULES, RuleSpec

_loaded = False


def registry() -> dict[str, RuleSpec]:
    """Every built-in rule, in catalogue order (LEAD ... TIME, then PLAN)."""
    global _loaded
    if not _loaded:
        from readiness.rules import (  # noqa: F401  (importing a category registers its rules)
            adoption,
            communication,
            customers,
            governance,
            involvement,
            leadership,
            legacy,
            timeline,
            training,
            value,
            waivers,
        )

        order = {c: i for i, c in enumerate(REPORT_ORDER)}
        ordered = sorted(RULES.values(), key=lambda r: (order[r.category], r.id))
        RULES.clear()
        RULES.update((r.id, r) for r in ordered)
        _loaded = True
    return RULES


def rule_names() -> dict[str, str]:
    """Every built-in ID and slug -> ID."""
    names: dict[str, str] = {}
    for spec in registry().values():
        names[spec.id] = spec.id
        names[spec.slug] = spec.id
    return names
