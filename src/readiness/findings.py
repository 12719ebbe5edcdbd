"""Plain result data: what rules produce and what renderers read. Nothing renders here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from readiness.paths import format_path

Severity = Literal["error", "warning", "info"]
Status = Literal["pass", "fail", "unknown", "waived"]

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
CATEGORIES = ("LEAD", "COMM", "TRAIN", "INV", "LEG", "GOV", "VAL", "ADOPT", "CUST", "TIME")  # scored, in report order
REPORT_ORDER = (*CATEGORIES, "PLAN")  # every category, as rules are listed and findings reported
CATEGORY_NAMES = {
    "LEAD": "Sponsorship and leadership",
    "COMM": "Communication",
    "TRAIN": "Training and support",
    "INV": "Involvement and champions",
    "LEG": "Workload and legacy",
    "GOV": "Vendor and governance",
    "VAL": "Value and metrics",
    "ADOPT": "Adoption design",
    "CUST": "Customers",
    "TIME": "Timeline",
    "PLAN": "Waivers",
}


def shift_severity(severity: Severity, shift: int) -> Severity:
    """Secondary conditions shift one level down, escalating ones one level up."""
    rank = max(0, min(2, SEVERITY_RANK[severity] + shift))
    return SEVERITIES[rank]


@dataclass(frozen=True)
class Policy:
    """The rubric's top-level settings in force for a run, after the command line's overrides
    (``--fail-on``, ``--min-score``, ``--no-waivers``)."""

    name: str
    pass_score: Decimal
    fail_on: str  # error, warning, info or never
    unknown_credit: Decimal
    waivers: str  # allowed or forbidden
    max_waivers: int | None
    max_waiver_days: int | None


@dataclass(frozen=True)
class RuleInfo:
    """What reports show of a rule that runs: its names and words, and its severity under the
    run's rubric."""

    id: str
    slug: str
    category: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    custom: bool  # a rubric's own rule, whose text comes from a rubric file
    scored: bool


@dataclass(frozen=True, slots=True)
class WaiverRef:
    index: int
    reason: str
    owner: str
    expires: str


@dataclass(frozen=True, slots=True)
class Result:
    """One evaluation of one rule on one target."""

    rule: str
    slug: str
    category: str
    severity: Severity
    status: Status
    target: str | None
    path: tuple[Any, ...]
    message: str
    line: int | None = None
    column: int | None = None
    waiver: WaiverRef | None = None
    by_path: bool = False  # a target without an id, named by its path (a custom-rule object)
    remediation: str = ""  # the rule's, stamped on each result so that reports need nothing else

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # pickled as the constructor's arguments: results cross process boundaries by the thousand
        return (
            Result,
            (
                self.rule,
                self.slug,
                self.category,
                self.severity,
                self.status,
                self.target,
                self.path,
                self.message,
                self.line,
                self.column,
                self.waiver,
                self.by_path,
                self.remediation,
            ),
        )

    @property
    def label(self) -> str:
        """How the result is named in text : its target id, ``(plan)`` for a
        plan-level result, or its path for a target without an id (a waiver)."""
        if self.target is not None:
            return self.target
        if self.category == "PLAN" or self.by_path:
            return format_path(self.path)
        return "(plan)"


@dataclass(frozen=True, slots=True)
class CategoryScore:
    id: str
    score: Fraction | None
    passed: int
    failed: int
    unknown: int
    waived: int


@dataclass(frozen=True, slots=True)
class WaiverState:
    index: int
    rule: str
    target: str | None
    owner: str
    expires: str
    state: str  # applied, expired, inactive, over_limit, forbidden


@dataclass(frozen=True)
class BaselineStatus:
    """With ``--baseline``: what the baseline held back from one plan's report (readiness.baseline)."""

    file: str
    baselined: int  # recorded results held back
    stale: tuple[tuple[str, str | None, str | None, str, int], ...]  # (rule, target, path, status, count)


@dataclass
class PlanResult:
    """Everything known about one checked plan."""

    path: str
    sha256: str
    name: str | None
    go_live: str | None
    verdict: str | None = None
    score: Fraction | None = None
    exit_code: int = 0
    results: list[Result] = field(default_factory=list)
    categories: list[CategoryScore] = field(default_factory=list)
    waivers: list[WaiverState] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)  # Problems, for a plan that could not be checked
    errors_omitted: int = 0
    debug: str = ""  # the traceback of an internal error, shown with --debug
    timeline: list[Any] = field(default_factory=list)  # the plan's key dates (readiness.timeline.Event)
    baseline: BaselineStatus | None = None  # set by --baseline; then results hold only what is new

    @property
    def findings(self) -> list[Result]:
        return [r for r in self.results if r.status != "pass"]

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0, "unknown": 0, "waived": 0}
        for r in self.results:
            if r.status == "fail":
                counts[r.severity] += 1
            elif r.status in ("unknown", "waived"):
                counts[r.status] += 1
        return counts
