"""Plain result data: what rules produce and what renderers read. Nothing renders here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from readiness.paths import format_path

Severity = Literal["error", "warning", "info"]
Status = Literal["pass", "fail", "unknown", "waived"]

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
FAIL_ON = ("error", "warning", "info", "never")  # the lowest severity that blocks ready, or never
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
    sources: tuple[str, ...] = ()  # the evidence behind its rationale, as plain text


@dataclass(frozen=True, slots=True)
class WaiverRef:
    index: int
    reason: str
    owner: str
    expires: str


@dataclass(frozen=True, slots=True)
class Owner:
    """Who acts on a finding: a person of the plan, by id and name, and the role they act in
    (``division leader``, ``sponsor``...). A waiver's owner written as free text has a name and no
    id; when the plan names nobody, both are None and the role is ``unassigned``."""

    id: str | None
    name: str | None
    role: str

    @property
    def label(self) -> str:
        """``Anna Berg (division leader)``, or ``unassigned``."""
        who = self.name or self.id
        return f"{who} ({self.role})" if who else self.role


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
    due: dt.date | None = None  # the date by which the rule's condition had to hold, when it has one
    owner: Owner | None = None  # who acts on it (a finding only)
    divisions: tuple[str, ...] = ()  # the divisions its target belongs to; none for the whole plan
    question: str = ""  # for an unknown result: what to ask to settle it (the rule's question)

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
                self.due,
                self.owner,
                self.divisions,
                self.question,
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


@dataclass(frozen=True)
class WaiverCheck:
    """One waiver of the plan and what became of it, as the PLAN rules judge it."""

    index: int
    rule: str  # as written in the plan
    target: str | None
    expires: dt.date
    state: str  # applied, expired, inactive, over_limit, forbidden
    used: bool  # it matched at least one failing result

    @property
    def path(self) -> tuple[Any, ...]:
        return ("waivers", self.index)

    @property
    def named(self) -> str:
        """``Waiver for LEG001 on rpt-x``, as messages name it."""
        return f"Waiver for {self.rule}" + (f" on {self.target}" if self.target is not None else "")


@dataclass(frozen=True, slots=True)
class WaiverState:
    index: int
    rule: str
    target: str | None
    owner: str
    expires: str
    state: str  # applied, expired, inactive, over_limit, forbidden


@dataclass(frozen=True, slots=True)
class Reason:
    """One gate of the verdict and how the plan fared at it. ``gate`` is a stable name (docs/json.md):
    ``score``, ``fail_on``, ``min_score``, ``fail_on_override``, ``waivers_forbidden``,
    ``max_waivers``, ``expired_waivers``; ``blocks`` is true when this gate alone makes the plan not
    ready."""

    gate: str
    detail: str
    blocks: bool = False


@dataclass(frozen=True, slots=True)
class Action:
    """What one live failing rule asks of the plan's people: its findings (one per target, each
    with its owner and due date), the earliest due date, and the points fixing it regains."""

    rule: str
    slug: str
    category: str
    severity: Severity
    headline: str  # the first sentence of the rule's remediation
    points: Fraction  # the score regained were every finding of the rule fixed
    due: dt.date | None  # the earliest due date of its findings; None: before go-live
    findings: tuple[Result, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """The worst live result of one category for one division: its status and, for a failure,
    its severity; with the number of results behind it."""

    status: Status
    severity: Severity | None
    results: int

    @property
    def word(self) -> str:
        """``fail error``, ``unknown``, ``pass``..."""
        return f"{self.status} {self.severity}" if self.severity is not None else self.status


@dataclass(frozen=True, slots=True)
class HeatRow:
    """One division's row of the heat map (``id`` None for findings about the whole plan)."""

    id: str | None
    name: str
    cells: dict[str, Cell]


@dataclass(frozen=True, slots=True)
class Change:
    """Something that would change on a date if the plan stayed as written: a result's status
    (``kind`` result), a waiver's state (waiver), a finding's due date passing (overdue)."""

    kind: str
    rule: str | None
    label: str
    path: tuple[Any, ...]
    before: str | None  # None: there was no such result
    after: str | None  # None: the result is no longer given
    severity: Severity | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class ForecastDay:
    """A date on which something changes, with the verdict and score from that day."""

    date: dt.date
    verdict: tuple[str, str] | None  # (before, after), when it changes
    score: tuple[Fraction, Fraction] | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Forecast:
    """Every change from the evaluation date (exclusive) to ``end`` (inclusive) if the plan stayed
    as written."""

    start: dt.date
    end: dt.date
    days: tuple[ForecastDay, ...]

    def within(self, days: int) -> tuple[ForecastDay, ...]:
        """The changes of the next ``days`` days."""
        last = self.start + dt.timedelta(days=days)
        return tuple(d for d in self.days if d.date <= last)


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
    reasons: list[Reason] = field(default_factory=list)  # the gates that decided the verdict
    actions: list[Action] = field(default_factory=list)  # one per live failing rule, by due date
    heat: list[HeatRow] = field(default_factory=list)  # division x category, then the whole plan
    forecast: Forecast | None = None  # what changes after the evaluation date if nothing else does
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
