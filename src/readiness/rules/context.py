"""What every rule reads: the validated plan and the facts derived from it, each computed once.

:class:`Context` holds the plan and derives the terms the rules share (each division's go-live,
coverage of divisions and levels by training and messages, champions per division, names for
messages). It also builds each rule's results: the engine tells it which rule runs and with what
severity, and ``ctx.failed(...)`` gives a finished :class:`~readiness.findings.Result`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from readiness.findings import Policy, Result, Severity, Status, shift_severity
from readiness.model import LEVELS, Audience, Plan, has
from readiness.paths import Path, format_path
from readiness.wording import join, join_and

if TYPE_CHECKING:
    from readiness.rules.waivers import WaiverCheck


def days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def plus(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


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


class Coverage:
    """Earliest date at which a set of audiences covers each (division, level) pair.

    An audience of ``all`` divisions is recorded once under ``"*"``, and all levels under
    ``"*"``, so building the index is linear in the plan and a look-up is constant time.
    """

    def __init__(self) -> None:
        self.by_div: dict[str, dict[str, dt.date]] = {}

    def add(self, audience: Audience, when: dt.date) -> None:
        divisions = ["*"] if audience.divisions == "all" else (audience.divisions or [])
        levels = ["*"] if audience.levels == "all" else audience.levels
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

    def unknown(self, target: str | None, path: Path, missing: Iterable[Path], due: dt.date | None = None) -> Result:
        names = [format_path(m) for m in missing]
        verb = "is" if len(names) == 1 else "are"
        return self.result(target, path, "unknown", f"cannot evaluate: {join_and(names)} {verb} absent", due=due)

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
        *first, word = kind.split(" ")
        if ident[: len(word)].lower() == word.lower() and not ident[len(word) : len(word) + 1].isalnum():
            return " ".join([*first, self.entity(ident)])
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
    def leaders_of(self) -> dict[str, list[tuple[int, Any]]]:
        out: dict[str, list[tuple[int, Any]]] = {}
        for i, leader in enumerate(self.plan.leaders or []):
            out.setdefault(leader.division, []).append((i, leader))
        return out


def frontline(audience: Audience) -> bool:
    return not audience.is_external and (audience.levels == "all" or "frontline" in audience.levels)
