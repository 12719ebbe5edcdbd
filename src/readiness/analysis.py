"""What a judged plan means for the people who must act on it, computed once for every report:
the reasons behind the verdict, the points each failing rule costs, the actions with owners and
due dates, the heat map of divisions by category, and the findings grouped per rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from readiness.findings import (
    REPORT_ORDER,
    SEVERITY_RANK,
    Action,
    Cell,
    HeatRow,
    Reason,
    Result,
    Severity,
    Status,
    WaiverState,
)
from readiness.options import RunOptions
from readiness.paths import path_key
from readiness.scoring import STATUS_ORDER, blocking, overall_score, rule_statuses, scored_rules
from readiness.wording import join_and, num, plural, shown_against

# verdict reasons -----------------------------------------------------------------------------------

_FLOOR_WORDS = {"error": "error", "warning": "error or warning", "info": "finding"}


def reasons(
    results: Sequence[Result], overall: Fraction, options: RunOptions, waivers: Iterable[WaiverState]
) -> list[Reason]:
    """Every gate that decided the verdict, in a fixed order: the command line's overrides, the
    score, the findings that block, and what became of the waivers."""
    policy, rubric = options.policy, options.rubric
    out: list[Reason] = []
    if policy.pass_score != rubric.pass_score:
        out.append(
            Reason("min_score", f"--min-score {num(policy.pass_score)} overrides the rubric's {num(rubric.pass_score)}")
        )
    if policy.fail_on != rubric.fail_on:
        out.append(Reason("fail_on_override", f"--fail-on {policy.fail_on} overrides the rubric's {rubric.fail_on}"))
    bound = Fraction(policy.pass_score)
    if overall < bound:
        out.append(
            Reason(
                "score", f"score {shown_against(overall, bound)} is below the pass score {num(policy.pass_score)}", True
            )
        )
    else:
        out.append(
            Reason("score", f"score {shown_against(overall, bound)} reaches the pass score {num(policy.pass_score)}")
        )
    out.append(_fail_on(blocking(results, policy), policy.fail_on))
    out.extend(_waiver_reasons(list(waivers), options))
    return out


def _fail_on(blockers: list[Result], fail_on: str) -> Reason:
    if fail_on == "never":
        return Reason("fail_on", "no finding blocks (fail_on: never)")
    if not blockers:
        return Reason("fail_on", f"no live {_FLOOR_WORDS[fail_on]} (fail_on: {fail_on})")
    counts = {s: sum(1 for r in blockers if r.severity == s) for s in ("error", "warning", "info")}
    parts = [plural(n, f"live {s}") for s, n in counts.items() if n]
    verb = "blocks" if len(blockers) == 1 else "block"
    return Reason("fail_on", f"{join_and(parts)} {verb} (fail_on: {fail_on})", True)


def _waive_nothing(count: int, which: str = "") -> str:
    """``1 waiver waives nothing``, ``3 waivers over ... waive nothing``."""
    return f"{plural(count, 'waiver')}{which} {'waives' if count == 1 else 'waive'} nothing"


def _waiver_reasons(states: list[WaiverState], options: RunOptions) -> list[Reason]:
    out: list[Reason] = []
    forbidden = [s for s in states if s.state == "forbidden"]
    if forbidden:
        by = "--no-waivers" if options.rubric.waivers != "forbidden" else f"the rubric {options.policy.name}"
        out.append(Reason("waivers_forbidden", f"{by} forbids waivers: {_waive_nothing(len(forbidden))}"))
    over = [s for s in states if s.state == "over_limit"]
    if over:
        out.append(
            Reason(
                "max_waivers",
                f"{_waive_nothing(len(over), f' over the rubric max_waivers ({options.policy.max_waivers})')}",
            )
        )
    expired = [s for s in states if s.state == "expired"]
    if expired:
        verb = "has" if len(expired) == 1 else "have"
        latest = max(s.expires for s in expired)
        out.append(
            Reason(
                "expired_waivers",
                f"{plural(len(expired), 'waiver')} {verb} expired (the latest on {latest}): their findings are live again",
            )
        )
    return out


# points regained ------------------------------------------------------------------------------------


def regained(results: Sequence[Result], overall: Fraction, options: RunOptions) -> dict[str, Fraction]:
    """For each rule with a live failure, the points the score would gain were every one of its
    failures fixed: the plan re-scored with those results passing (not an estimate)."""
    scored = scored_rules(options)
    statuses = rule_statuses(results, scored)
    rest: dict[str, str] = {}  # a failing rule's status with its failures fixed
    for r in results:
        worse = STATUS_ORDER.index(r.status) < STATUS_ORDER.index(rest.get(r.rule, "pass"))
        if statuses.get(r.rule) == "fail" and r.status != "fail" and worse:
            rest[r.rule] = r.status
    out: dict[str, Fraction] = {}
    for r in results:
        if r.status == "fail" and r.rule not in out:
            if r.rule in statuses:
                fixed = overall_score({**statuses, r.rule: rest.get(r.rule, "pass")}, options)
                out[r.rule] = fixed - overall
            else:
                out[r.rule] = Fraction(0)  # a PLAN rule: not scored
    return out


# actions --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(])")


def headline(remediation: str) -> str:
    """The first sentence of a remediation."""
    return _SENTENCE_END.split(remediation.strip(), maxsplit=1)[0]


def actions(results: Sequence[Result], points: dict[str, Fraction], go_live: dt.date) -> list[Action]:
    """One action per live failing rule, with its failures; sorted by due date (a rule without one
    is due before go-live), then severity, points, category and rule."""
    failing: dict[str, list[Result]] = {}
    for r in results:
        if r.status == "fail":
            failing.setdefault(r.rule, []).append(r)
    out = []
    for rule_id, found in failing.items():
        dues = [r.due for r in found if r.due is not None]
        severity: Severity = max((r.severity for r in found), key=SEVERITY_RANK.__getitem__)
        first = found[0]
        ordered = sorted(found, key=lambda r: (r.due or go_live, path_key(r.path)))
        out.append(
            Action(
                rule_id,
                first.slug,
                first.category,
                severity,
                headline(first.remediation),
                points.get(rule_id, Fraction(0)),
                min(dues) if dues else None,
                tuple(ordered),
            )
        )
    return sorted(
        out,
        key=lambda a: (
            a.due or go_live,
            a.due is None,
            -SEVERITY_RANK[a.severity],
            -a.points,
            _category_rank(a.category),
            a.rule,
        ),
    )


def _category_rank(category: str) -> int:
    return REPORT_ORDER.index(category) if category in REPORT_ORDER else len(REPORT_ORDER)


def top_risks(found: Iterable[Action], count: int = 5) -> list[Action]:
    """The actions that regain the most points, most first."""
    ranked = sorted((a for a in found if a.points > 0), key=lambda a: (-a.points, -SEVERITY_RANK[a.severity], a.rule))
    return ranked[:count]


# heat map -------------------------------------------------------------------------------------------

_WORST = {
    ("fail", "error"): 0,
    ("fail", "warning"): 1,
    ("fail", "info"): 2,
    ("unknown", None): 3,
    ("waived", None): 4,
    ("pass", None): 5,
}


def _cell_key(r: Result) -> tuple[Status, Severity | None]:
    return (r.status, r.severity if r.status == "fail" else None)


def heat_map(results: Sequence[Result], divisions: Sequence[tuple[str, str]]) -> list[HeatRow]:
    """Division x category, each cell the worst result of that category about that division
    (fail error, fail warning, fail info, unknown, waived, pass), the divisions in the plan's
    order, then a row for the results about the whole plan. A category no result speaks of is
    left out of a row. PLAN results (about waivers) are not part of it."""
    worst: dict[str | None, dict[str, tuple[Status, Severity | None]]] = {d: {} for d, _ in divisions}
    counts: dict[str | None, dict[str, int]] = {d: {} for d, _ in divisions}
    for r in results:
        if r.category == "PLAN":
            continue
        key = _cell_key(r)
        for division in r.divisions or (None,):
            cells = worst.setdefault(division, {})
            seen = counts.setdefault(division, {})
            if r.category not in cells or _WORST[key] < _WORST[cells[r.category]]:
                cells[r.category] = key
            seen[r.category] = seen.get(r.category, 0) + 1
    names = dict(divisions)
    rows = []
    for division, cells in worst.items():
        if division is None:
            continue
        rows.append(HeatRow(division, names.get(division, division), _cells(cells, counts[division])))
    if worst.get(None):
        rows.append(HeatRow(None, "(plan)", _cells(worst[None], counts[None])))
    return rows


def _cells(worst: dict[str, tuple[Status, Severity | None]], counts: dict[str, int]) -> dict[str, Cell]:
    order = sorted(worst, key=lambda c: (_category_rank(c), c))
    return {c: Cell(worst[c][0], worst[c][1], counts[c]) for c in order}


# findings grouped per rule, for people -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """One rule's findings of one kind (live failures, unknowns or waived), for a human report."""

    rule: str
    slug: str
    category: str
    status: Status
    severity: Severity
    results: tuple[Result, ...]

    @property
    def remediation(self) -> str:
        return self.results[0].remediation


def grouped(findings: Iterable[Result]) -> list[Group]:
    """One entry per rule and status (fail, unknown, waived), with all its targets in file order:
    live failures first, by severity (error, warning, info), then category order, then the
    position of the first target; then unknowns, then waived findings, each in catalogue order
    (category, then rule)."""
    groups: dict[tuple[str, Status], list[Result]] = {}
    for r in findings:
        if r.status != "pass":
            groups.setdefault((r.rule, r.status), []).append(r)
    out = []
    for (rule_id, status), found in groups.items():
        found.sort(key=lambda r: (r.line is None, r.line or 0, r.column or 0, path_key(r.path)))
        severity: Severity = max((r.severity for r in found), key=SEVERITY_RANK.__getitem__)
        first = found[0]
        out.append(Group(rule_id, first.slug, first.category, status, severity, tuple(found)))

    def order(g: Group) -> tuple[object, ...]:
        kind = ("fail", "unknown", "waived").index(g.status)
        if g.status != "fail":
            return (kind, _category_rank(g.category), g.rule)
        first = g.results[0]
        position = (first.line is None, first.line or 0, path_key(first.path))
        return (kind, -SEVERITY_RANK[g.severity], _category_rank(g.category), position, g.rule)

    return sorted(out, key=order)
