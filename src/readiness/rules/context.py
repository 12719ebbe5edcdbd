"""What every rule reads: the validated plan and the facts derived from it, each computed once.

:class:`Context` holds the plan and derives the terms the rules share (each division's go-live,
coverage of divisions and levels by training and messages, champions per division, names for
messages). It also builds each rule's results: the engine tells it which rule runs and with what
severity, and ``ctx.failed(...)`` gives a finished :class:`~readiness.findings.Result`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from readiness.findings import Owner, Policy, Result, Severity, Status, WaiverCheck, shift_severity
from readiness.model import LEVELS, Audience, Plan, entities, has, references
from readiness.paths import Path, format_path
from readiness.wording import first, join, join_and


def days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def plus(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


ROLE_MEASURES = ("minutes_per_day_before", "minutes_per_day_after", "steps_before", "steps_after")


def role_measures(role: Any) -> list[tuple[Any, Any, str, str]]:
    """A role's complete measures of its daily work, before and after go-live, each with its unit
    for one and for several: minutes a day, then steps (LEG003 and TRAIN005 read them alike)."""
    measures = (
        (role.minutes_per_day_before, role.minutes_per_day_after, "minute a day", "minutes a day"),
        (role.steps_before, role.steps_after, "step", "steps"),
    )
    return [m for m in measures if m[0] is not None and m[1] is not None]


def is_empty(value: Any) -> bool:
    """Stated to be empty (known-absent): null, a blank string, or an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return False


# derived facts ------------------------------------------------------------------------------------


def audience_slots(audience: Audience) -> tuple[list[str], list[str]]:
    """The divisions and the levels an audience is filed under, each once: ``*`` for all of them,
    so that an index of audiences stays linear in the plan (see :class:`Coverage`)."""
    divisions = ["*"] if audience.divisions == "all" else list(dict.fromkeys(audience.divisions or []))
    levels = ["*"] if audience.levels == "all" else list(dict.fromkeys(audience.levels))
    return divisions, levels


def slots_covering(division: str, level: str) -> tuple[tuple[str, str], ...]:
    """The (division, level) slots whose audiences cover one division at one level."""
    return ((division, level), (division, "*"), ("*", level), ("*", "*"))


class Coverage:
    """Earliest date at which a set of audiences covers each (division, level) pair.

    An audience of ``all`` divisions is recorded once under ``"*"``, and all levels under
    ``"*"``, so building the index is linear in the plan and a look-up is constant time.
    """

    def __init__(self) -> None:
        self.by_div: dict[str, dict[str, dt.date]] = {}

    def add(self, audience: Audience, when: dt.date) -> None:
        divisions, levels = audience_slots(audience)
        for d in divisions:
            slot = self.by_div.setdefault(d, {})
            for level in levels:
                if level not in slot or when < slot[level]:
                    slot[level] = when

    def earliest(self, division: str, level: str | None = None) -> dt.date | None:
        """Earliest date covering ``(division, level)``, or ``division`` at any level."""
        best: dt.date | None = None
        for d in (division, "*"):
            slot = self.by_div.get(d)
            if not slot:
                continue
            candidates = slot.values() if level is None else [slot.get(level), slot.get("*")]
            for when in candidates:
                if when is not None and (best is None or when < best):
                    best = when
        return best


def level_rank(level: str) -> int:
    """0 for executive ... 4 for frontline."""
    return LEVELS.index(level)


class Context:
    """A validated plan and the terms the rules share (go-live dates, coverage, names), each derived once."""

    def __init__(self, plan: Plan, raw: Any = None) -> None:
        self.plan = plan
        self.raw = raw  # the loaded data, for custom rules
        self.rollout = plan.rollout
        self.go_live = plan.rollout.go_live
        self.divisions = plan.organisation.divisions
        self._rule: tuple[str, str, str, Severity, str] = (
            "",
            "",
            "",
            "error",
            "",
        )  # id, slug, category, severity, remediation
        # for the PLAN rules alone, which judge waivers (rules/waivers.py)
        self.waivers: list[WaiverCheck] = []
        self.policy: Policy | None = None
        self.as_of: dt.date | None = None

    # results ------------------------------------------------------------------------------------

    def start(self, rule_id: str, slug: str, category: str, severity: Severity, remediation: str) -> None:
        """The rule whose results the following calls build, at its effective severity."""
        self._rule = (rule_id, slug, category, severity, remediation)

    def result(
        self,
        target: str | None,
        path: Path,
        status: Status,
        message: str = "",
        shift: int = 0,
        by_path: bool = False,
        due: dt.date | None = None,
    ) -> Result:
        """One result of the current rule. ``shift`` moves a failure's severity one level down (a
        secondary condition, -1) or up (an escalating one, +1); ``by_path`` labels a target
        without an id by its path; ``due`` is the date by which the rule's condition had to hold."""
        rule_id, slug, category, severity, remediation = self._rule
        if shift and status == "fail":
            severity = shift_severity(severity, shift)
        return Result(
            rule_id,
            slug,
            category,
            severity,
            status,
            target,
            path,
            message,
            by_path=by_path,
            remediation=remediation,
            due=due,
        )

    def passed(self, target: str | None, path: Path) -> Result:
        return self.result(target, path, "pass")

    def failed(
        self, target: str | None, path: Path, message: str, shift: int = 0, due: dt.date | None = None
    ) -> Result:
        return self.result(target, path, "fail", message, shift, due=due)

    def unknown(
        self, target: str | None, path: Path, missing: Iterable[Path], due: dt.date | None = None, more: int = 0
    ) -> Result:
        """``more`` counts further missing paths that ``missing`` leaves out; past 10 names, the
        rest are counted with them."""
        names = [format_path(m) for m in missing]
        listed, beyond = first(names)
        more += beyond
        shown = f"{', '.join(listed)} and {more} more" if more else join_and(names)
        verb = "is" if len(listed) + more == 1 else "are"
        return self.result(target, path, "unknown", f"cannot evaluate: {shown} {verb} absent", due=due)

    def plan_unknown(self, *needed: Path) -> Result | None:
        """The single plan-level ``unknown`` when any of the ``needed`` sections is absent: its path
        is the outermost absent key of the first absent one; ``None`` when all are present."""
        absent = [p for p in (self.absent_prefix(n) for n in needed) if p is not None]
        if not absent:
            return None
        unique = list(dict.fromkeys(absent))
        return self.unknown(None, unique[0], unique)

    # facts --------------------------------------------------------------------------------------

    def absent_prefix(self, path: Path) -> Path | None:
        """The outermost absent key on ``path``, or ``None`` when the whole path is present."""
        node: Any = self.plan
        for depth, key in enumerate(path):
            if not isinstance(node, BaseModel) or not has(node, str(key)):
                return path[: depth + 1]
            node = getattr(node, str(key))
            if node is None:
                return None  # present and null: known-absent, not absent
        return None

    @cached_property
    def data(self) -> Any:
        """The plan as custom rules read it (docs/rubrics.md, "Custom rules")."""
        from readiness.custom import plan_data

        dumped = self.plan.model_dump(mode="python", by_alias=True, exclude_unset=True)
        return plan_data(self.raw if self.raw is not None else dumped, dumped)

    @cached_property
    def data_index(self) -> dict[int, Any]:
        from readiness.custom import index_objects

        return index_objects(self.data)

    @cached_property
    def impacted(self) -> list[tuple[int, Any]]:
        return [(i, d) for i, d in enumerate(self.divisions) if d.impacted]

    @cached_property
    def impacted_ids(self) -> set[str]:
        return {d.id for _, d in self.impacted}

    @cached_property
    def wave_go_live(self) -> dict[str, dt.date]:
        out: dict[str, dt.date] = {}
        for phase in self.rollout.phases or []:
            if phase.type == "wave":
                for d in phase.divisions or []:
                    out.setdefault(d, phase.start)
        return out

    def go_live_of(self, division: str) -> dt.date:
        return self.wave_go_live.get(division, self.go_live)

    def go_live_set(self, divisions: Any) -> dt.date:
        """go_live(S): the earliest go-live of the impacted divisions in S, else go_live."""
        if divisions == "all":
            return self.first_go_live
        dates = [self.go_live_of(d) for d in divisions or [] if d in self.impacted_ids]
        return min(dates) if dates else self.go_live

    @cached_property
    def first_go_live(self) -> dt.date:
        """go_live(S) for S = every division: computed once, not once per audience of ``all``."""
        dates = [self.go_live_of(d.id) for _, d in self.impacted]
        return min(dates) if dates else self.go_live

    @cached_property
    def last_go_live(self) -> dt.date:
        dates = [self.go_live_of(d.id) for _, d in self.impacted]
        return max(dates) if dates else self.go_live

    @cached_property
    def design_end(self) -> dt.date | None:
        ends = [p.end for p in self.rollout.phases or [] if p.type == "design"]
        return max(ends) if ends else None

    @cached_property
    def people(self) -> dict[str, Any]:
        return {p.id: p for p in self.plan.people or []}

    def level(self, person: str | None) -> str | None:
        found = self.people.get(person or "")
        return found.level if found is not None else None

    @cached_property
    def names(self) -> dict[str, str]:
        """id -> display name, over every entity that has a name."""
        p = self.plan
        out: dict[str, str] = {}
        groups: list[Iterable[Any]] = [
            p.organisation.divisions,
            p.people or [],
            self.rollout.phases or [],
            self.rollout.peak_periods or [],
            p.organisation.concurrent_changes or [],
            p.processes or [],
            p.communications or [],
            (p.training.sessions if p.training else None) or [],
            (p.legacy.reports if p.legacy else None) or [],
            (p.legacy.systems if p.legacy else None) or [],
            p.vendors or [],
            [p.delivery_team] if p.delivery_team is not None else [],
            p.success_metrics or [],
            (p.adoption_design.roles if p.adoption_design else None) or [],
            (p.customers.segments if p.customers else None) or [],
        ]
        for group in groups:
            for entity in group:
                name = getattr(entity, "name", None)
                if name and entity.id is not None:
                    out.setdefault(entity.id, name)
        return out

    def entity(self, ident: str | None) -> str:
        if ident is None:
            return ""
        name = self.names.get(ident)
        return f"{ident} ({name})" if name else ident

    def entities(self, idents: Iterable[str]) -> str:
        return join(self.entity(i) for i in idents)

    def called(self, kind: str, ident: str) -> str:
        """An entity after the word for its kind, ``Role rep (Field rep)``, without saying the word
        twice when the id starts with it: ``role-rep (Field rep)``, ``Legacy report-weekly``."""
        *leading, word = kind.split(" ")
        if ident[: len(word)].lower() == word.lower() and not ident[len(word) : len(word) + 1].isalnum():
            return " ".join([*leading, self.entity(ident)])
        return f"{kind} {self.entity(ident)}"

    @cached_property
    def internal_comms(self) -> list[tuple[int, Any]]:
        return [(i, c) for i, c in enumerate(self.plan.communications or []) if not c.audience.is_external]

    @cached_property
    def sessions(self) -> list[tuple[int, Any]]:
        training = self.plan.training
        return list(enumerate(training.sessions or [])) if training is not None else []

    @cached_property
    def session_coverage(self) -> Coverage:
        """Earliest session start per (division, level), over every training session."""
        cov = Coverage()
        for _, s in self.sessions:
            cov.add(s.audience, s.start)
        return cov

    @cached_property
    def champion_entries(self) -> dict[str, list[tuple[int, Any]]]:
        """division id -> its champion entries (a person entry defaults to the person's division)."""
        out: dict[str, list[tuple[int, Any]]] = {}
        for i, entry in enumerate(self.plan.champions or []):
            division = entry.division
            if division is None and entry.person is not None:
                person = self.people.get(entry.person)
                division = person.division if person is not None else None
            if division is not None:
                out.setdefault(division, []).append((i, entry))
        return out

    @cached_property
    def entity_index(self) -> dict[str, tuple[str, Any]]:
        """id -> (kind, entity), over every entity that can be referred to."""
        return {ident: (kind, node) for kind, _, ident, node in entities(self.plan)}

    @cached_property
    def _divisions_by_entity(self) -> dict[str, tuple[str, ...]]:
        """id -> the divisions an entity belongs to: a division itself, a person's home division,
        or the divisions the entity's own fields name (a role's, a message's audience...)."""
        owners = {path[:-1]: ident for _, path, ident, _ in entities(self.plan)}
        out: dict[str, list[str]] = {}
        for path, kind, value in references(self.plan):
            if kind != "division":
                continue
            for cut in range(len(path) - 1, 0, -1):
                owner = owners.get(path[:cut])
                if owner is not None:
                    out.setdefault(owner, []).append(value)
                    break
        for ident, (kind, _) in self.entity_index.items():
            if kind == "division":
                out[ident] = [ident]
        return {ident: tuple(dict.fromkeys(found)) for ident, found in out.items()}

    def divisions_of(self, target: str | None) -> tuple[str, ...]:
        """The divisions a result's target belongs to; none for a plan-level result or a target
        that spans every division."""
        return self._divisions_by_entity.get(target, ()) if target is not None else ()

    def owner_of(self, kinds: Iterable[str], result: Result) -> Owner:
        """Who acts on ``result``: the first of ``kinds`` the plan names a person for."""
        for kind in kinds:
            person, role = OWNERS[kind].find(self, result)
            if person is not None:
                found = self.people.get(person)
                if found is None:  # a waiver's owner may be free text rather than a person id
                    return Owner(None, person, role)
                return Owner(person, found.name, role)
        return UNASSIGNED

    @cached_property
    def leaders_of(self) -> dict[str, list[tuple[int, Any]]]:
        out: dict[str, list[tuple[int, Any]]] = {}
        for i, leader in enumerate(self.plan.leaders or []):
            out.setdefault(leader.division, []).append((i, leader))
        return out


# who acts on a finding ----------------------------------------------------------------------------


def _division_leader(ctx: Context, result: Result) -> tuple[str | None, str]:
    divisions = ctx.divisions_of(result.target)
    leaders = [leader.person for d in divisions for _, leader in ctx.leaders_of.get(d, [])]
    return (leaders[0] if len(set(leaders)) == 1 else None), "division leader"


def _target_owner(ctx: Context, result: Result) -> tuple[str | None, str]:
    found = ctx.entity_index.get(result.target or "")
    if found is None:
        return None, "owner"
    kind, node = found
    for field in ("owner", "sender"):
        person = getattr(node, field, None)
        if isinstance(person, str):
            return person, "sender" if field == "sender" else f"{kind} owner"
    return None, f"{kind} owner"


def _sponsor(ctx: Context, result: Result) -> tuple[str | None, str]:
    sponsor = ctx.plan.sponsor
    if sponsor is None:
        return None, "sponsor"
    divisions = ctx.divisions_of(result.target)
    for co in sponsor.co_sponsors or []:
        if divisions and co.authority_over != "all" and set(divisions) <= set(co.authority_over):
            return co.person, "co-sponsor"
    return sponsor.primary, "sponsor"


def _programme_lead(ctx: Context, result: Result) -> tuple[str | None, str]:
    history = (ctx.plan.governance.programme_lead_history if ctx.plan.governance else None) or []
    current = [t for t in history if t.to is None] or history
    latest = max(current, key=lambda t: (t.to or dt.date.max, t.from_), default=None)
    return (latest.person if latest is not None else None), "programme lead"


def _section_person(label: str, *path: str) -> OwnerKind:
    def find(ctx: Context, result: Result) -> tuple[str | None, str]:
        node: Any = ctx.plan
        for key in path:
            node = getattr(node, key, None)
            if node is None:
                return None, label
        return (node if isinstance(node, str) else None), label

    return OwnerKind(find, f"the {label} (`{'.'.join(path)}`)")


def _waiver_owner(ctx: Context, result: Result) -> tuple[str | None, str]:
    waivers = ctx.plan.waivers or []
    index = result.path[1] if len(result.path) > 1 and result.path[0] == "waivers" else None
    return (waivers[index].owner if isinstance(index, int) and index < len(waivers) else None), "waiver owner"


@dataclass(frozen=True)
class OwnerKind:
    """One kind of owner: how to find the person for a finding (their id, or None when the plan
    names nobody, and the role they act in), and who that is in words, for the rule reference."""

    find: Callable[[Context, Result], tuple[str | None, str]]
    words: str


OWNERS: dict[str, OwnerKind] = {
    "leader": OwnerKind(_division_leader, "the leader of the target's division (`leaders[]`)"),
    "owner": OwnerKind(_target_owner, "the target's own `owner` (a message's `sender`)"),
    "sponsor": OwnerKind(
        _sponsor, "the sponsor (`sponsor.primary`, or a co-sponsor with authority over the target's divisions)"
    ),
    "business_owner": _section_person("business owner", "governance", "business_owner"),
    "change_manager": _section_person("change manager", "governance", "change_manager", "person"),
    "programme_lead": OwnerKind(_programme_lead, "the current programme lead (`governance.programme_lead_history`)"),
    "decision_maker": _section_person("go/no-go decider", "rollout", "go_no_go", "decided_by"),
    "training_owner": _section_person("training owner", "training", "owner"),
    "customer_owner": _section_person("customer owner", "customers", "owner"),
    "waiver_owner": OwnerKind(_waiver_owner, "the waiver's `owner`"),
}
"""Who can own the action a finding calls for, by kind. A rule's ``owner=`` lists kinds tried in
turn; the first that names a person owns the finding."""

UNASSIGNED = Owner(None, None, "unassigned")
DEFAULT_OWNER = ("owner",)  # a rule that names no owner: the target's own owner, if it has one


def frontline(audience: Audience) -> bool:
    return not audience.is_external and (audience.levels == "all" or "frontline" in audience.levels)
