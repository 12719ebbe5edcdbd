"""Results + run options -> rule statuses, scores and the verdict (docs/rubrics.md).

All arithmetic is exact: weights, multipliers and credits are the decimals written in the
rubric, kept as fractions; rounding happens only for display.
"""

from __future__ import annotations

import math
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
    return list(_table(options).weights)


class _Table:
    """A run's scored rules with their categories and weights as integers over one common
    denominator, and the credits of the statuses likewise: a score is then integer sums,
    exact, and made once per run rather than once per plan (a plan is scored several times: for
    its score, for the points each failing rule costs, and on each date of its forecast)."""

    def __init__(self, options: RunOptions) -> None:
        rubric = options.rubric
        scored = [r for r in rubric.rules if r in options.enabled and rubric.rules[r].spec.scored]
        exact = {r: Fraction(rubric.weight(r)) for r in scored}
        common = math.lcm(1, *(w.denominator for w in exact.values()))
        self.weights = {r: (rubric.rules[r].spec.category, int(w * common)) for r, w in exact.items()}
        unknown = Fraction(options.policy.unknown_credit)
        whole = unknown.denominator
        self.credit = {"fail": 0, "unknown": unknown.numerator, "waived": whole, "pass": whole}
        self.whole = whole


_last: tuple[RunOptions, _Table] | None = None


def _table(options: RunOptions) -> _Table:
    global _last
    if _last is None or _last[0] is not options:
        _last = (options, _Table(options))
    return _last[1]


def score(results: list[Result], options: RunOptions) -> tuple[Fraction, list[CategoryScore]]:
    return score_statuses(rule_statuses(results, scored_rules(options)), options)


def overall_score(statuses: dict[str, str], options: RunOptions) -> Fraction:
    """The score alone of the scored rules' statuses: 100 when nothing is scored."""
    table = _table(options)
    earned = total = 0
    for rule_id, status in statuses.items():
        weight = table.weights[rule_id][1]
        earned += weight * table.credit[status]
        total += weight
    return Fraction(100) if total == 0 else Fraction(100 * earned, total * table.whole)


def score_statuses(statuses: dict[str, str], options: RunOptions) -> tuple[Fraction, list[CategoryScore]]:
    """The score and category scores of the scored rules' statuses (see :func:`rule_statuses`)."""
    table = _table(options)
    sums = {c: [0, 0] for c in CATEGORIES}
    counts: dict[str, dict[str, int]] = {c: dict.fromkeys(STATUS_ORDER, 0) for c in CATEGORIES}
    for rule_id, status in statuses.items():
        category, weight = table.weights[rule_id]
        sums[category][0] += weight * table.credit[status]
        sums[category][1] += weight
        counts[category][status] += 1
    earned = sum(e for e, _ in sums.values())
    total = sum(t for _, t in sums.values())
    overall = Fraction(100) if total == 0 else Fraction(100 * earned, total * table.whole)
    categories = [
        CategoryScore(
            c,
            None if sums[c][1] == 0 else Fraction(100 * sums[c][0], sums[c][1] * table.whole),
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
