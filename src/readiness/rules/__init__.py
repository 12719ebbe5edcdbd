"""The rule registry, the ``@rule`` decorator, and what every rule shares.

A rule is one decorated function ``check(ctx, options)`` yielding :class:`Outcome` values: a
target, a path into the plan, a status and a message. It sees only the validated plan (through
:class:`Context`, which derives go-live dates and coverage indexes once per plan) and its options;
never files, YAML, the terminal or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from readiness.findings import Severity, round1
from readiness.loader import Path, format_path
from readiness.model import LEVELS, Audience, Plan, has
from readiness.types import int_checks

OptDays = Annotated[int, *int_checks(0, 36_500)]  # days, from 0 (rules.md §1.7)
OptDays1 = Annotated[int, *int_checks(1, 36_500)]  # days, from 1
OptCount = Annotated[int, *int_checks(0)]


def heuristic(default: Any, text: str) -> Any:
    """An option whose default is a judgement call (rules.md §1.7)."""
    return Field(default, description=text, json_schema_extra={"basis": "heuristic"})


def sourced(default: Any, text: str) -> Any:
    """An option whose default follows a figure from a named source."""
    return Field(default, description=text, json_schema_extra={"basis": "sourced"})


class Options(BaseModel):
    """Base of every rule's options model; rubrics validate their ``options`` against it."""

    # Built on first validation only: most runs use the defaults, made by ``defaults()``.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def defaults(cls) -> Options:
        """The default options, without building the validator."""
        return cls.model_construct()


@dataclass(frozen=True)
class Outcome:
    target: str | None
    path: Path
    status: str  # pass, fail, unknown
    message: str = ""
    shift: int = 0  # -1 secondary, +1 escalating
    by_path: bool = False  # labelled by its path: a target without an id (rules.md §1.2)


@dataclass(frozen=True)
class RuleSpec:
    id: str
    slug: str
    category: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    sources: tuple[str, ...]
    options: type[Options]
    check: Callable[[Context, Any], Iterable[Outcome]]
    seeds: tuple[str, ...] = ()
    custom: Any = None  # the CustomRule definition, for a rubric's custom rule
    requires: tuple[Path, ...] = ()  # sections whose absence makes the whole rule unknown

    @property
    def scored(self) -> bool:
        return self.category != "PLAN"


RULES: dict[str, RuleSpec] = {}


def _guarded(check: Callable[..., Iterable[Outcome]], needed: tuple[Path, ...]) -> Callable[..., Iterable[Outcome]]:
    def run(ctx: Context, options: Any) -> Iterable[Outcome]:
        missing = plan_unknown(ctx, *needed)
        return [missing] if missing is not None else check(ctx, options)

    return run


def rule(
    id: str,
    slug: str,
    severity: Severity,
    title: str,
    *,
    rationale: str,
    remediation: str,
    sources: Iterable[str],
    options: type[Options] = Options,
    seeds: Iterable[str] = (),
    requires: Iterable[Path] = (),
) -> Callable[[Callable[..., Iterable[Outcome]]], Callable[..., Iterable[Outcome]]]:
    """Register a rule with its metadata. The category is the ID's letter prefix. ``requires``
    lists the sections marked "(plan-level)" in the rule's Unknown line: when one is absent the
    rule gives the single plan-level unknown of rules.md §1.2 and its body does not run."""
    needed = tuple(requires)

    def register(check: Callable[..., Iterable[Outcome]]) -> Callable[..., Iterable[Outcome]]:
        if id in RULES:
            raise ValueError(f"duplicate rule id {id}")
        category = id.rstrip("0123456789")
        RULES[id] = RuleSpec(
            id,
            slug,
            category,
            severity,
            title,
            " ".join(rationale.split()),
            " ".join(remediation.split()),
            tuple(sources),
            options,
            _guarded(check, needed) if needed else check,
            tuple(seeds),
            requires=needed,
        )
        return check

    return register


_loaded = False


def registry() -> dict[str, RuleSpec]:
    """Every built-in rule, in catalogue order (LEAD ... TIME, then PLAN)."""
    global _loaded
    if not _loaded:
        from readiness.rules import (  # noqa: F401  (import registers the rules)
            adoption,
            communication,
            customers,
            governance,
            involvement,
            leadership,
            legacy,
            meta,
            timeline,
            training,
            value,
        )

        order = {
            c: i
            for i, c in enumerate(
                ("LEAD", "COMM", "TRAIN", "INV", "LEG", "GOV", "VAL", "ADOPT", "CUST", "TIME", "PLAN")
            )
        }
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


_T = TypeVar("_T")


def present(value: _T | None) -> _T:
    """A section or list a rule's ``requires`` guarantees is present: the type checker cannot see
    that, so each use says so (a failure here is a bug, reported as an internal error)."""
    assert value is not None, "a rule read a section its requires= does not guarantee"
    return value


# outcomes -----------------------------------------------------------------------------------------


def passed(target: str | None, path: Path) -> Outcome:
    return Outcome(target, path, "pass")


def failed(target: str | None, path: Path, message: str, shift: int = 0) -> Outcome:
    return Outcome(target, path, "fail", message, shift)


def unknown(target: str | None, path: Path, missing: Iterable[Path]) -> Outcome:
    names = [format_path(m) for m in missing]
    verb = "is" if len(names) == 1 else "are"
    return Outcome(target, path, "unknown", f"cannot evaluate: {join_and(names)} {verb} absent")


def plan_unknown(ctx: Context, *needed: Path) -> Outcome | None:
    """The plan-level unknown of rules.md §1.2 when any of the ``needed`` sections is absent:
    its path is the outermost absent key of the first absent one; ``None`` when all are present."""
    absent = [p for p in (ctx.absent_prefix(n) for n in needed) if p is not None]
    if not absent:
        return None
    unique = list(dict.fromkeys(absent))
    return unknown(None, unique[0], unique)


def parts(prefix: str, items: list[str]) -> str:
    """The "prefix and parts" message form of rules.md §1.8."""
    return prefix + "; ".join(items) + "."


# formatting ---------------------------------------------------------------------------------------


def join(items: Iterable[str], limit: int = 10) -> str:
    values = list(items)
    shown = ", ".join(values[:limit])
    if len(values) > limit:
        shown += f" and {len(values) - limit} more"
    return shown


def join_and(items: Iterable[str], limit: int = 10) -> str:
    """A list that ends a clause: ``a``, ``a and b``, ``a, b and c`` (``a, …, j and 2 more``)."""
    values = list(items)
    if 1 < len(values) <= limit:
        return ", ".join(values[:-1]) + " and " + values[-1]
    return join(values, limit)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """A count with its noun: ``1 day``, ``0 days``, ``2 days``; ``nouns`` where ``s`` is wrong."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def relative(offset: int, anchor: str) -> str:
    """Where a date lies, ``offset`` days from ``anchor``: ``3 days after the last go-live``,
    ``17 days before the last go-live``, ``the same day as the last go-live``; never a negative
    count of days."""
    if offset == 0:
        return f"the same day as {anchor}"
    return f"{plural(abs(offset), 'day')} {'after' if offset > 0 else 'before'} {anchor}"


def num(value: Decimal | int | Fraction) -> str:
    """A plan or rubric number in its shortest decimal form: ``20.0`` -> ``20``, ``0.80`` -> ``0.8``."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(value.normalize(), "f")
    return text


def ratio(value: Fraction) -> str:
    """A computed ratio, percentage or score: one decimal, half away from zero."""
    return format(round1(value), "f")


def day(value: dt.date) -> str:
    return value.isoformat()


def days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def plus(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def is_empty(value: Any) -> bool:
    """rules.md §1.6: null, a blank string, or an empty list."""
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
    """A validated plan and the terms of rules.md §1.6, each derived once."""

    def __init__(self, plan: Plan, raw: Any = None) -> None:
        self.plan = plan
        self.raw = raw  # the loaded data, for custom rules
        self.rollout = plan.rollout
        self.go_live = plan.rollout.go_live
        self.divisions = plan.organisation.divisions

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
        """The plan as custom rules read it (rubrics.md §7.2)."""
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


def covers(audience: Audience, division: str, level: str | None = None) -> bool:
    if audience.is_external:
        return False
    if audience.divisions != "all" and division not in (audience.divisions or []):
        return False
    return level is None or audience.levels == "all" or level in audience.levels


def frontline(audience: Audience) -> bool:
    return not audience.is_external and (audience.levels == "all" or "frontline" in audience.levels)
