"""What changed between two versions of a plan (``readiness diff``; docs/cli.md).

Findings are matched by (rule, target) when the target is an id, else by (rule, path); several
with the same key are matched in order. Line numbers play no part, so moving text in the file
changes nothing. A finding is *persisting* when it is live in both versions, *introduced* when
it is live only in NEW, *resolved* when it is live in OLD and gone from NEW. A waiver is no fix:
a finding live in OLD and waived in NEW is *waived*, and one waived in OLD whose waiver was
dropped or ran out, so that it is live in NEW, is *no longer waived*.

NEW is worse than OLD, through any of three gates (docs/decisions.md):

- ``verdict``: the verdict fell from ready to not ready;
- ``blocking``: a live finding of NEW at a severity that blocks the verdict (at or above the
  effective ``fail_on``) was not live at such a severity in OLD: introduced, no longer waived,
  or a persisting finding raised to a blocking severity;
- ``score``: the exact score fell by more than the maximum drop, 0 unless the user allows some.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from readiness.findings import SEVERITY_RANK, PlanResult, Result
from readiness.identity import finding_key
from readiness.wording import join, num, plural, shown_against

GATES = ("verdict", "blocking", "score")


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
    introduced: list[Result]  # as they stand in NEW
    resolved: list[Result]  # as they stood in OLD
    persisting: list[Result]  # as they stand in NEW
    categories: list[CategoryChange]
    reasons: list[str]  # why NEW is worse, one per gate that failed; empty when it is not
    waived: list[Result] = field(default_factory=list)  # live in OLD, waived in NEW (as in NEW)
    unwaived: list[Result] = field(default_factory=list)  # waived in OLD, live in NEW (as in NEW)
    blocking: list[Result] = field(default_factory=list)  # live in NEW, newly at a blocking severity
    gates: list[str] = field(default_factory=list)  # the gates behind ``reasons``, in the same order
    fail_on: str = "error"
    max_score_drop: Decimal = Decimal(0)

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


def blocks(result: Result, fail_on: str) -> bool:
    """A live finding at a severity that makes the verdict not ready (docs/rubrics.md)."""
    return result.status == "fail" and fail_on != "never" and SEVERITY_RANK[result.severity] >= SEVERITY_RANK[fail_on]


def _pairs(old: list[Result], new: list[Result]) -> tuple[list[tuple[Result, Result]], list[Result], list[Result]]:
    """Match two lists of results with one key, in order: the pairs, then what is left of each."""
    n = min(len(old), len(new))
    return list(zip(old[:n], new[:n], strict=True)), old[n:], new[n:]


def compare(
    old: PlanResult, new: PlanResult, max_score_drop: Decimal | None = None, fail_on: str = "error"
) -> PlanDiff:
    """Compare two checked plans (both with a verdict) under one rubric, whose effective
    ``fail_on`` decides which severities block."""
    drop_allowed = Decimal(0) if max_score_drop is None else max_score_drop
    groups: dict[tuple[str, str | None, str | None], dict[str, list[Result]]] = defaultdict(
        lambda: {"old fail": [], "old waived": [], "new fail": [], "new waived": []}
    )
    for side, plan in (("old", old), ("new", new)):
        for r in plan.results:
            if r.status in ("fail", "waived"):
                groups[finding_key(r)][f"{side} {r.status}"].append(r)

    chosen: dict[int, str] = {}  # id(result) -> its list: each result lands in one list
    was_blocking: set[int] = set()  # NEW results whose OLD match was already live and blocking
    for group in groups.values():
        both, old_live, new_live = _pairs(group["old fail"], group["new fail"])
        for before, after in both:
            chosen[id(after)] = "persisting"
            if blocks(before, fail_on):
                was_blocking.add(id(after))
        newly_waived, old_live, _ = _pairs(old_live, group["new waived"])
        chosen.update((id(after), "waived") for _, after in newly_waived)
        waiver_gone, _, new_live = _pairs(group["old waived"], new_live)
        chosen.update((id(after), "unwaived") for _, after in waiver_gone)
        chosen.update((id(r), "introduced") for r in new_live)
        chosen.update((id(r), "resolved") for r in old_live)

    def listed(plan: PlanResult, name: str) -> list[Result]:
        return [r for r in plan.results if chosen.get(id(r)) == name]  # in report order

    introduced, unwaived = listed(new, "introduced"), listed(new, "unwaived")
    persisting, waived, resolved = listed(new, "persisting"), listed(new, "waived"), listed(old, "resolved")
    blocking = [
        r
        for r in new.results
        if blocks(r, fail_on)
        and chosen.get(id(r)) in ("introduced", "unwaived", "persisting")
        and id(r) not in was_blocking
    ]

    old_categories = {c.id: c.score for c in old.categories}
    categories = [CategoryChange(c.id, old_categories.get(c.id), c.score) for c in new.categories]

    gates: list[str] = []
    reasons: list[str] = []
    if old.verdict == "ready" and new.verdict == "not_ready":
        gates.append("verdict")
        reasons.append("the verdict fell from ready to not_ready")
    if blocking:
        gates.append("blocking")
        named = join(f"{r.rule} {r.label}" for r in blocking)
        reasons.append(
            f"{plural(len(blocking), 'live finding')} at a blocking severity ({fail_on} or above) "
            f"{'is' if len(blocking) == 1 else 'are'} new: {named}"
        )
    if old.score is not None and new.score is not None:
        drop = old.score - new.score
        if drop > Fraction(drop_allowed):
            gates.append("score")  # the fall shown reads as more than the allowance shown
            reasons.append(
                f"the score fell by {shown_against(drop, drop_allowed)} points, more than {num(drop_allowed)}"
            )
    return PlanDiff(
        old,
        new,
        introduced,
        resolved,
        persisting,
        categories,
        reasons,
        waived,
        unwaived,
        blocking,
        gates,
        fail_on,
        drop_allowed,
    )
