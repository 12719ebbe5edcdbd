"""Plain data -> a validated :class:`~readiness.model.Plan`, or every problem with its position.

Two stages, both collecting every problem: the pydantic models check structure and types
(classes 2-6 and part of 7 of `plan-format.md` §5.1); once the structure is sound, the checks
below resolve ids and references, ranges, exclusivity, go-live consistency and waivers
(classes 7-12). Pydantic errors are formatted from ``errors(include_input=False)``: ``str()`` of
a ``ValidationError`` is slow on aliased data.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from readiness.errors import PlanError, Problem
from readiness.loader import Document, Path, format_path
from readiness.model import Audience, Plan, has
from readiness.types import describe

CUSTOM_RULE_ID = re.compile(r"X[A-Z]{1,6}[0-9]{3}\Z")


def validate_plan(doc: Document, rule_names: Mapping[str, str] | None = None) -> Plan:
    """Validate a loaded document. ``rule_names`` maps every built-in rule ID and slug to its ID
    (for waivers); without it waiver rules are not checked."""
    try:
        plan = Plan.model_validate(doc.data)
    except ValidationError as exc:
        raise PlanError(doc.file, format_errors(doc, exc, Plan)) from None
    problems = list(_Checker(doc, plan, rule_names).run())
    if problems:
        raise PlanError(doc.file, _ordered(problems))
    return plan


def format_errors(doc: Document, exc: ValidationError, root: type[BaseModel], prefix: Path = ()) -> list[Problem]:
    """Every error of ``exc`` as a positioned problem; ``root`` validated the data at ``prefix``."""
    problems = [
        _pydantic_problem(doc, error, root, prefix) for error in exc.errors(include_input=False, include_url=False)
    ]
    return _ordered(problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for problem in sorted(problems, key=Problem.sort_key):
        key = (problem.line, problem.column, problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


# stage 1: pydantic errors -----------------------------------------------------------------------


def _raw(data: Any, loc: tuple[Any, ...]) -> tuple[bool, Any]:
    for item in loc:
        if (isinstance(data, dict) and item in data) or (
            isinstance(data, list) and isinstance(item, int) and 0 <= item < len(data)
        ):
            data = data[item]
        else:
            return False, None
    return True, data


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (for did-you-mean hints)."""
    model: Any = root
    for item in loc:
        if isinstance(item, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == item), None)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            return None
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return None
            annotation = members[0]
        else:
            return annotation


def _pydantic_problem(doc: Document, error: Any, root: type[BaseModel], prefix: Path) -> Problem:
    inner: Path = tuple(error["loc"])
    loc: Path = (*prefix, *inner)
    path = format_path(loc)
    kind = error["type"]
    found, raw = _raw(doc.data, loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(root, inner[:-1])
        message = f"unknown key '{key}'"
        if model is not None:
            names = [f.alias or n for n, f in model.model_fields.items()]
            close = difflib.get_close_matches(key, names, n=1)
            message += f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(names)})"
        line_col = doc.locate_key(loc)
    else:
        line_col = doc.locate(loc)
        if kind == "missing":
            message = "required field is missing"
        elif found and raw is None and kind in ("model_type", "dict_type", "list_type", "model_attributes_type"):
            message = "null is not allowed here"
            if kind == "list_type":
                message += "; to state that a list is empty, write []"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping, got {describe(raw)}"
        elif kind == "list_type":
            message = f"expected a list, got {describe(raw)}"
        elif kind == "too_short":
            message = "must have at least one item"
        elif root is Plan and loc == ("schema_version",):
            message = f"unsupported schema_version {describe(raw)} (this tool reads format 1: write schema_version: 1)"
        else:
            message = str(error["msg"])
    line, column = line_col if line_col else (None, None)
    return Problem(message, path, line, column)


# stage 2: ids, references, ranges, exclusivity, go-live, waivers --------------------------------


def _listing(values: list[str]) -> str:
    if not values:
        return "none defined"
    shown = ", ".join(values[:10])
    return shown + (f" and {len(values) - 10} more" if len(values) > 10 else "")


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

    def problem(self, path: Path, message: str, key: bool = False) -> Problem:
        where = self.doc.locate_key(path) if key else self.doc.locate(path)
        line, column = where if where else (None, None)
        return Problem(message, format_path(path), line, column)

    def run(self) -> Iterator[Problem]:
        yield from self.ids()
        yield from self.references()
        yield from self.ranges()
        yield from self.exclusivity()
        yield from self.go_live()
        yield from self.waivers()

    # 7: ids in one namespace
    def entities(self) -> Iterator[tuple[str, Path, str]]:
        p = self.plan
        r = p.rollout
        for i, x in _each(p.organisation.divisions):
            yield "division", ("organisation", "divisions", i, "id"), x.id
        for i, x in _each(p.people or []):
            yield "person", ("people", i, "id"), x.id
        for i, x in _each(r.phases or []):
            yield "phase", ("rollout", "phases", i, "id"), x.id
        for i, x in _each(r.peak_periods or []):
            yield "peak period", ("rollout", "peak_periods", i, "id"), x.id
        for i, x in _each(p.organisation.concurrent_changes or []):
            yield "concurrent change", ("organisation", "concurrent_changes", i, "id"), x.id
        for i, x in _each(p.processes or []):
            yield "process", ("processes", i, "id"), x.id
        for i, x in _each(p.champions or []):
            if x.id is not None:
                yield "champion entry", ("champions", i, "id"), x.id
        for i, x in _each(p.communications or []):
            yield "communication", ("communications", i, "id"), x.id
        for i, x in _each((p.training.sessions if p.training else None) or []):
            yield "training session", ("training", "sessions", i, "id"), x.id
        for i, x in _each((p.legacy.reports if p.legacy else None) or []):
            yield "legacy report", ("legacy", "reports", i, "id"), x.id
        for i, x in _each((p.legacy.systems if p.legacy else None) or []):
            yield "legacy system", ("legacy", "systems", i, "id"), x.id
        for i, x in _each(p.vendors or []):
            yield "vendor", ("vendors", i, "id"), x.id
        for i, x in _each(p.success_metrics or []):
            yield "metric", ("success_metrics", i, "id"), x.id
        for i, x in _each((p.adoption_design.roles if p.adoption_design else None) or []):
            yield "role", ("adoption_design", "roles", i, "id"), x.id
        for i, x in _each((p.customers.segments if p.customers else None) or []):
            yield "segment", ("customers", "segments", i, "id"), x.id

    def ids(self) -> Iterator[Problem]:
        first: dict[str, Path] = {}
        for kind, path, value in self.entities():
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

    # 8: references
    def ref(self, path: Path, value: str | None, kind: str) -> Iterator[Problem]:
        if value is None:
            return
        actual = self.kinds.get(value)
        if actual == kind:
            return
        if actual is None:
            yield self.problem(path, f"unknown {kind} '{value}' (known: {_listing(self.by_kind.get(kind, []))})")
        else:
            yield self.problem(path, f"'{value}' is a {actual}, not a {kind}")

    def refs(self, path: Path, values: Any, kind: str) -> Iterator[Problem]:
        if values is None or values == "all":
            return
        for i, value in _each(values):
            yield from self.ref((*path, i), value, kind)

    def audience(self, path: Path, audience: Audience) -> Iterator[Problem]:
        yield from self.refs((*path, "divisions"), audience.divisions, "division")
        yield from self.refs((*path, "roles"), audience.roles, "role")
        yield from self.refs((*path, "segments"), audience.segments, "segment")

    def references(self) -> Iterator[Problem]:
        p = self.plan
        r = p.rollout
        for i, x in _each(r.peak_periods or []):
            yield from self.refs(("rollout", "peak_periods", i, "divisions"), x.divisions, "division")
        for i, x in _each(r.phases or []):
            yield from self.refs(("rollout", "phases", i, "divisions"), x.divisions, "division")
        if r.go_no_go is not None:
            yield from self.ref(("rollout", "go_no_go", "decided_by"), r.go_no_go.decided_by, "person")
        for i, x in _each(p.organisation.concurrent_changes or []):
            yield from self.refs(("organisation", "concurrent_changes", i, "divisions"), x.divisions, "division")
        for i, x in _each(p.people or []):
            yield from self.ref(("people", i, "division"), x.division, "division")
        if p.sponsor is not None:
            s = p.sponsor
            yield from self.ref(("sponsor", "primary"), s.primary, "person")
            yield from self.refs(("sponsor", "authority_over"), s.authority_over, "division")
            for i, c in _each(s.co_sponsors or []):
                yield from self.ref(("sponsor", "co_sponsors", i, "person"), c.person, "person")
                yield from self.refs(("sponsor", "co_sponsors", i, "authority_over"), c.authority_over, "division")
            for i, t in _each(s.history or []):
                yield from self.ref(("sponsor", "history", i, "person"), t.person, "person")
        for i, x in _each(p.leaders or []):
            yield from self.ref(("leaders", i, "person"), x.person, "person")
            yield from self.ref(("leaders", i, "division"), x.division, "division")
        if p.governance is not None:
            g = p.governance
            yield from self.ref(("governance", "business_owner"), g.business_owner, "person")
            yield from self.refs(("governance", "co_owners"), g.co_owners, "person")
            if g.change_manager is not None:
                yield from self.ref(("governance", "change_manager", "person"), g.change_manager.person, "person")
            for i, t in _each(g.programme_lead_history or []):
                yield from self.ref(("governance", "programme_lead_history", i, "person"), t.person, "person")
        if p.project_team is not None:
            for i, m in _each(p.project_team.members):
                yield from self.ref(("project_team", "members", i, "person"), m.person, "person")
        for i, x in _each(p.processes or []):
            yield from self.ref(("processes", i, "owner"), x.owner, "person")
        for i, x in _each(p.champions or []):
            yield from self.ref(("champions", i, "person"), x.person, "person")
            yield from self.ref(("champions", i, "division"), x.division, "division")
        for i, x in _each(p.communications or []):
            yield from self.ref(("communications", i, "sender"), x.sender, "person")
            yield from self.audience(("communications", i, "audience"), x.audience)
        for i, x in _each((p.training.sessions if p.training else None) or []):
            yield from self.audience(("training", "sessions", i, "audience"), x.audience)
        for i, x in _each((p.legacy.reports if p.legacy else None) or []):
            yield from self.ref(("legacy", "reports", i, "owner"), x.owner, "person")
        for i, x in _each(p.success_metrics or []):
            yield from self.ref(("success_metrics", i, "owner"), x.owner, "person")
        if p.adoption_design is not None:
            for i, x in _each(p.adoption_design.roles or []):
                yield from self.refs(("adoption_design", "roles", i, "divisions"), x.divisions, "division")
            for i, x in _each(p.adoption_design.reinforcement or []):
                yield from self.ref(("adoption_design", "reinforcement", i, "role"), x.role, "role")

    # 9: ranges
    def span(self, path: Path, start: Any, end: Any, start_name: str, end_name: str) -> Iterator[Problem]:
        if start is not None and end is not None and end < start:
            yield self.problem((*path, end_name), f"{end.isoformat()} is before {start_name} {start.isoformat()}")

    def ranges(self) -> Iterator[Problem]:
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
    def exclusivity(self) -> Iterator[Problem]:
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
            elif not has(ch, "person") and not has(ch, "count"):
                yield self.problem(path, "one of person or count is required")
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

    def audience_shape(self, path: Path, audience: Audience, internal_only: bool) -> Iterator[Problem]:
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
    def go_live(self) -> Iterator[Problem]:
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
    def waivers(self) -> Iterator[Problem]:
        for i, w in _each(self.plan.waivers or []):
            path: Path = ("waivers", i)
            if self.rule_names is not None:
                rule_id = self.rule_names.get(w.rule)
                if rule_id is not None and rule_id.startswith("PLAN"):
                    yield self.problem(
                        (*path, "rule"), f"'{w.rule}' is a waiver meta rule; PLAN rules cannot be waived"
                    )
                elif rule_id is None and not CUSTOM_RULE_ID.match(w.rule):
                    looks_like_id = re.match(r"[A-Z]+[0-9]{3}\Z", w.rule) is not None
                    close = difflib.get_close_matches(
                        w.rule, list(self.rule_names), n=1, cutoff=0.6 if looks_like_id else 0.85
                    )
                    hint = (
                        f" (did you mean '{close[0]}'?)"
                        if close
                        else "; a custom rule is waived by its ID, such as XSAL001"
                    )
                    yield self.problem((*path, "rule"), f"unknown rule '{w.rule}'{hint}")
            if w.target is not None and w.target not in self.kinds:
                yield self.problem((*path, "target"), f"'{w.target}' is not an id in this plan")
