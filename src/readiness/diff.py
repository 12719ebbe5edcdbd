"""What changed between two versions of a plan (`cli.md`, ``readiness diff``).

Live findings are matched by (rule, target) when the target is an id, else by (rule, path);
several with the same key are matched in order. Line numbers play no part, so moving text in
the file changes nothing. NEW is worse than OLD when its verdict fell from ready to not ready,
or, with a maximum score drop, when its exact score fell by more than that.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from readiness.findings import PlanResult, Result


@dataclass
class CategoryChange:
    id: str
    old: Fraction | None
    new: Fraction | None

    @property
    def delta(self) -> Fraction | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass
class PlanDiff:
    old: PlanResult
    new: PlanResult
    introduced: list[Result]
    resolved: list[Result]
    persisting: list[Result]  # as they stand in NEW
    categories: list[CategoryChange]
    reasons: list[str]  # why NEW is worse; empty when it is not

    @property
    def worse(self) -> bool:
        return bool(self.reasons)

    @property
    def score_delta(self) -> Fraction | None:
        if self.old.score is None or self.new.score is None:
            return None
        return self.new.score - self.old.score

    @property
    def exit_code(self) -> int:
        return 1 if self.worse else 0


def key(result: Result) -> tuple[str, str, object]:
    if result.target is not None:
        return (result.rule, "target", result.target)
    return (result.rule, "path", result.path)


def compare(old: PlanResult, new: PlanResult, max_score_drop: Decimal | None = None) -> PlanDiff:
    """Compare two checked plans (both with a verdict)."""
    waiting: dict[tuple[str, str, object], list[Result]] = defaultdict(list)
    for r in old.results:
        if r.status == "fail":
            waiting[key(r)].append(r)
    introduced: list[Result] = []
    persisting: list[Result] = []
    for r in new.results:
        if r.status != "fail":
            continue
        matches = waiting.get(key(r))
        if matches:
            matches.pop(0)
            persisting.append(r)
        else:
            introduced.append(r)
    unmatched = {id(r) for remaining in waiting.values() for r in remaining}
    resolved = [r for r in old.results if id(r) in unmatched]
    old_categories = {c.id: c.score for c in old.categories}
    categories = [CategoryChange(c.id, old_categories.get(c.id), c.score) for c in new.categories]
    reasons = []
    if old.verdict == "ready" and new.verdict == "not_ready":
        reasons.append("the verdict fell from ready to not_ready")
    if max_score_drop is not None and old.score is not None and new.score is not None:
        drop = old.score - new.score
        if drop > Fraction(max_score_drop):
            from readiness.rules import num, ratio

            reasons.append(f"the score fell by {ratio(drop)} points, more than {num(max_score_drop)}")
    return PlanDiff(old, new, introduced, resolved, persisting, categories, reasons)
