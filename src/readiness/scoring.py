"""Results + run options -> rule statuses, scores and the verdict (docs/rubrics.md).

All arithmetic is exact: weights, multipliers and credits are the decimals written in the
rubric, kept as fractions; rounding happens only for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from readiness.findings import CATEGORIES, SEVERITY_RANK, CategoryScore, Policy, Result
from readiness.options import RunOptions

STATUS_ORDER = ("fail", "unknown", "waived", "pass")


def rule_statuses(results: Iterable[Result], scored: Iterable[str]) -> dict[str, str]:
    """One status per scored rule: fail > unknown > waived > pass (no results is a pass)."""
    statuses = {rule_id: "pass" for rule_id in scored}
    for r in results:
        if r.rule in statuses and STATUS_ORDER.index(r.status) < STATUS_ORDER.index(statuses[r.rule]):
            statuses[r.rule] = r.status
    return statuses


def scored_rules(options: RunOptions) -> list[str]:
    """The rules that count towards the score, in catalogue order."""
    rubric = options.rubric
    return [rule_id for rule_id in rubric.rules if rule_id in options.enabled and rubric.rules[rule_id].spec.scored]


def score(results: list[Result], options: RunOptions) -> tuple[Fraction, list[CategoryScore]]:
    return score_statuses(rule_statuses(results, scored_rules(options)), options)


def score_statuses(statuses: dict[str, str], options: RunOptions) -> tuple[Fraction, list[CategoryScore]]:
    """The score and category scores of the scored rules' statuses (see :func:`rule_statuses`)."""
    rubric = options.rubric
    credit = {
        "fail": Fraction(0),
        "unknown": Fraction(options.policy.unknown_credit),
        "waived": Fraction(1),
        "pass": Fraction(1),
    }
    totals: dict[str, list[Fraction]] = {c: [Fraction(0), Fraction(0)] for c in CATEGORIES}
    counts: dict[str, dict[str, int]] = {c: dict.fromkeys(STATUS_ORDER, 0) for c in CATEGORIES}
    for rule_id, status in statuses.items():
        category = rubric.rules[rule_id].spec.category
        weight = Fraction(rubric.weight(rule_id))
        totals[category][0] += weight * credit[status]
        totals[category][1] += weight
        counts[category][status] += 1
    earned = sum((t[0] for t in totals.values()), Fraction(0))
    total = sum((t[1] for t in totals.values()), Fraction(0))
    overall = Fraction(100) if total == 0 else 100 * earned / total
    categories = [
        CategoryScore(
            c,
            None if totals[c][1] == 0 else 100 * totals[c][0] / totals[c][1],
            counts[c]["pass"],
            counts[c]["fail"],
            counts[c]["unknown"],
            counts[c]["waived"],
        )
        for c in CATEGORIES
    ]
    return overall, categories


def blocking(results: Iterable[Result], policy: Policy) -> list[Result]:
    """The live findings that block under the policy's ``fail_on``."""
    if policy.fail_on == "never":
        return []
    floor = SEVERITY_RANK[policy.fail_on]
    return [r for r in results if r.status == "fail" and SEVERITY_RANK[r.severity] >= floor]


def verdict(results: list[Result], overall: Fraction, policy: Policy) -> str:
    return decide(bool(blocking(results, policy)), overall, policy)


def decide(blocked: bool, overall: Fraction, policy: Policy) -> str:
    """The verdict: not ready when a live finding blocks or the score is below the pass score."""
    return "not_ready" if blocked or overall < Fraction(policy.pass_score) else "ready"
