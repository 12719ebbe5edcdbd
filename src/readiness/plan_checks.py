"""Plain data -> a validated :class:`~readiness.model.Plan`, or every problem with its position.

Two stages, both collecting every problem (:mod:`readiness.validation`): the pydantic models
check structure and types; once the structure is sound, the checks here find duplicate ids,
dangling references, reversed ranges, fields that exclude each other, inconsistent go-live dates
and waivers of unknown rules (docs/plan-format.md). References are found generically from the
model, where each referencing field declares the kind of entity it names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from readiness.errors import PlanError
from readiness.loader import Document
from readiness.model import Audience, Plan, entities, has, references
from readiness.paths import Path
from readiness.types import CUSTOM_RULE_ID, kind_words, kinds
from readiness.validation import Collector, closest_rule, listing, validate_model

Found = tuple[Path, str | Callable[[], str], bool]  # a problem: path, message, at the key


def validate_plan(doc: Document, rule_names: Mapping[str, str] | None = None) -> Plan:
    """Validate a loaded document. ``rule_names`` maps every built-in rule ID and slug to its ID
    (for waivers); without it waiver rules are not checked."""
    found = Collector(doc)
    plan = validate_model(doc, Plan, doc.data, found)
    if plan is None:
        raise found.error(PlanError)
    for path, message, key in _Checker(doc, plan, rule_names).run():
        found.add_at(path, message, key)
    if found.total:
        raise found.error(PlanError)
    return plan


def _each(items: Iterable[Any] | None) -> Iterator[tuple[int, Any]]:
    """Index and item of a plan list (the checks below walk lists of every entity type)."""
    return enumerate(items or [])


class _Checker:
    def __init__(self, doc: Document, plan: Plan, rule_names: Mapping[str, str] | None) -> None:
        self.doc = doc
        self.plan = plan
        self.rule_names = rule_names
        self.kinds: dict[str, str] = {}  # id -> kind
        self.by_kind: dict[str, list[str]] = {}

    def problem(self, path: Path, message: str | Callable[[], str], key: bool = False) -> Found:
        """A problem at ``path``; a callable message is made only if the problem is shown."""
        return path, message, key

    def run(self) -> Iterator[Found]:
        yield from self.ids()
        yield from self.references()
        yield from self.ranges()
        yield from self.exclusivity()
        yield from self.go_live()
        yield from self.waivers()

    # ids in one namespace
    def ids(self) -> Iterator[Found]:
        first: dict[str, Path] = {}
        for kind, path, value, _ in entities(self.plan):
            if value in first:
                a, b = first[value], path
                pos_a, pos_b = self.doc.locate(a) or (0, 0), self.doc.locate(b) or (0, 0)
                if pos_b < pos_a:
                    a, b, pos_a = b, a, pos_b
                yield self.problem(b, f"duplicate id '{value}' (first used on line {pos_a[0]})")
                continue
            first[value] = path
            self.kinds[value] = kind
            self.by_kind.setdefault(kind, []).append(value)

    # references, as the model declares them
    def references(self) -> Iterator[Found]:
        for path, kind, value in references(self.plan):
            actual = self.kinds.get(value)
            wanted = kinds(kind)
            if actual in wanted:
                continue
            if actual is None:
                known = listing([ident for each in wanted for ident in self.by_kind.get(each, [])])
                yield self.problem(path, f"unknown {kind_words(kind)} '{value}' (known: {known})")
            else:
                yield self.problem(path, f"'{value}' is a {actual}, not a {kind_words(kind)}")

    # 9: ranges
    def span(self, path: Path, start: Any, end: Any, start_name: str, end_name: str) -> Iterator[Found]:
        if start is not None and end is not None and end < start:
            yield self.problem((*path, end_name), f"{end.isoformat()} is before {start_name} {start.isoformat()}")

    def ranges(self) -> Iterator[Found]:
        p = self.plan
        r = p.rollout
        if r.kickoff is not None and r.kickoff > r.go_live:
            yield self.problem(
                ("rollout", "kickoff"), f"{r.kickoff.isoformat()} is after go_live {r.go_live.isoformat()}"
            )
        for i, x in _each(r.peak_periods or []):
            yield from self.span(("rollout", "peak_periods", i), x.start, x.end, "start", "end")
        for i, x in _each(r.phases or []):
            yield from self.span(("rollout", "phases", i), x.start, x.end, "start", "end")
        for i, x in _each(p.organisation.concurrent_changes or []):
            yield from self.span(("organisation", "concurrent_changes", i), x.start, x.end, "start", "end")
        for name, history in (
            ("sponsor", p.sponsor.history if p.sponsor else None),
            ("governance", p.governance.programme_lead_history if p.governance else None),
        ):
            key = "history" if name == "sponsor" else "programme_lead_history"
            for i, t in _each(history or []):
                yield from self.span((name, key, i), t.from_, t.to, "from", "to")
        for i, x in _each(p.communications or []):
            yield from self.span(("communications", i), x.first_date, x.until, "first_date", "until")
        for i, x in _each((p.training.sessions if p.training else None) or []):
            yield from self.span(("training", "sessions", i), x.start, x.end, "start", "end")
        if p.support is not None and p.support.hypercare is not None:
            h = p.support.hypercare
            yield from self.span(("support", "hypercare"), h.start, h.end, "start", "end")

    # 10: exclusivity
    def exclusivity(self) -> Iterator[Found]:
        p = self.plan
        people = {x.id: x for x in p.people or []}
        for i, c in _each(p.communications or []):
            path: Path = ("communications", i)
            if has(c, "sender") and has(c, "sender_group"):
                yield self.problem((*path, "sender_group"), "give either sender or sender_group, not both")
            elif not has(c, "sender") and not has(c, "sender_group"):
                yield self.problem(path, "one of sender or sender_group is required")
            yield from self.audience_shape((*path, "audience"), c.audience, internal_only=False)
        for i, s in _each((p.training.sessions if p.training else None) or []):
            yield from self.audience_shape(("training", "sessions", i, "audience"), s.audience, internal_only=True)
        for i, ch in _each(p.champions or []):
            path = ("champions", i)
            if has(ch, "person") and has(ch, "count"):
                yield self.problem((*path, "count"), "give either person or count, not both")
            elif not has(ch, "person") and not has(ch, "count") and not has(ch, "division"):
                yield self.problem(
                    path, "one of person or division is required: a named champion gives person, a group its division"
                )
            elif has(ch, "count") and not has(ch, "division"):
                yield self.problem((*path, "division"), "division is required with count")
            elif has(ch, "person") and not has(ch, "division"):
                person = people.get(ch.person or "")
                if person is not None and person.division is None:
                    yield self.problem(
                        path,
                        f"the division cannot be determined: person '{ch.person}' has no "
                        "division; add division to this entry",
                    )

    def audience_shape(self, path: Path, audience: Audience, internal_only: bool) -> Iterator[Found]:
        internal = [k for k in ("divisions", "levels", "roles") if has(audience, k)]
        external = [k for k in ("external", "segments") if has(audience, k)]
        if internal and external:
            yield self.problem(
                path,
                "an audience is either internal (divisions, levels, roles) or external "
                f"(external, segments), not both; found {', '.join(internal + external)}",
            )
        elif external:
            if internal_only:
                yield self.problem(path, "a training session needs an internal audience (divisions, levels)")
            for key in ("external", "segments"):
                if key not in external:
                    yield self.problem((*path, key), "required field is missing")
        elif not has(audience, "divisions"):
            yield self.problem((*path, "divisions"), "required field is missing")

    # 11: phases and go-live dates
    def go_live(self) -> Iterator[Found]:
        p = self.plan
        r = p.rollout
        impacted = [d.id for d in p.organisation.divisions if d.impacted]
        if not impacted:
            yield self.problem(
                ("organisation", "divisions"), "no impacted division: at least one division must have impacted: true"
            )
        wave_of: dict[str, str] = {}
        go_live_of: dict[str, Any] = {}
        for i, ph in _each(r.phases or []):
            path: Path = ("rollout", "phases", i)
            if ph.type in ("pilot", "wave") and not ph.divisions:
                yield self.problem((*path, "divisions"), f"a {ph.type} phase must list its divisions")
            if ph.type != "wave":
                continue
            if r.approach == "big_bang":
                yield self.problem((*path, "type"), "a big_bang rollout has no wave phases")
            if ph.start < r.go_live:
                yield self.problem(
                    (*path, "start"),
                    f"wave starts {ph.start.isoformat()}, before rollout.go_live {r.go_live.isoformat()}",
                )
            for j, d in _each(ph.divisions or []):
                if d in wave_of:
                    yield self.problem((*path, "divisions", j), f"division '{d}' is already in wave '{wave_of[d]}'")
                    continue
                wave_of[d] = ph.id
                go_live_of[d] = ph.start
        if impacted:
            earliest = min(go_live_of.get(d, r.go_live) for d in impacted)
            if earliest != r.go_live:
                yield self.problem(
                    ("rollout", "go_live"),
                    f"{r.go_live.isoformat()} is not the first division go-live: every impacted "
                    f"division goes live in a later wave, the earliest on {earliest.isoformat()}",
                )

    # 12: waivers
    def waivers(self) -> Iterator[Found]:
        for i, w in _each(self.plan.waivers or []):
            path: Path = ("waivers", i)
            if self.rule_names is not None:
                rule_id = self.rule_names.get(w.rule)
                if rule_id is not None and rule_id.startswith("PLAN"):
                    yield self.problem(
                        (*path, "rule"), f"'{w.rule}' is a waiver meta rule; PLAN rules cannot be waived"
                    )
                elif rule_id is None and not CUSTOM_RULE_ID.match(w.rule):
                    yield self.problem(
                        (*path, "rule"), functools.partial(_unknown_waiver_rule, w.rule, self.rule_names)
                    )
            if w.target is not None and w.target not in self.kinds:
                yield self.problem((*path, "target"), f"'{w.target}' is not an id in this plan")


def _unknown_waiver_rule(rule: str, names: Mapping[str, str]) -> str:
    close = closest_rule(rule, names, cutoff=0.85)
    hint = f" (did you mean '{close}'?)" if close else "; a custom rule is waived by its ID, such as XSAL001"
    return f"unknown rule '{rule}'{hint}"
