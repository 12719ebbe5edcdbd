"""What a rule is: its metadata, its options, and the ``@rule`` decorator that registers it.

A rule is one decorated function ``check(ctx, options)`` in its category's module. It yields one
:class:`~readiness.findings.Result` per target, built by the context (``ctx.passed``,
``ctx.failed``, ``ctx.unknown``), which knows the rule being run and its effective severity. It
sees only the validated plan, through :class:`~readiness.rules.context.Context`, and its
options: never files, YAML, the terminal or the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from readiness.findings import Result, Severity
from readiness.limits import MAX_DAYS
from readiness.paths import Path
from readiness.types import int_checks

if TYPE_CHECKING:
    from readiness.rules.context import Context

OptDays = Annotated[int, *int_checks(0, MAX_DAYS)]  # days, from 0
OptDays1 = Annotated[int, *int_checks(1, MAX_DAYS)]  # days, from 1
OptCount = Annotated[int, *int_checks(0)]

Check = Callable[["Context", Any], Iterable[Result]]


def heuristic(default: Any, text: str) -> Any:
    """An option whose default is a judgement call, configurable in a rubric."""
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
class RuleSpec:
    """A rule's metadata and its check, as declared by ``@rule`` (or compiled from a rubric's
    custom rule): everything ``explain``, ``docs/rules.md``, the rubric schema and reports show."""

    id: str
    slug: str
    category: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    sources: tuple[str, ...]
    options: type[Options]
    check: Check
    seeds: tuple[str, ...] = ()
    custom: Any = None  # the CustomRule definition, for a rubric's custom rule
    requires: tuple[Path, ...] = ()  # sections whose absence makes the whole rule unknown
    question: str = ""  # what to ask the client when the plan does not say enough to decide
    owner: tuple[str, ...] = ()  # who acts on a finding: owner kinds (rules/context.py OWNERS), first found

    @property
    def scored(self) -> bool:
        return self.category != "PLAN"


RULES: dict[str, RuleSpec] = {}


def _guarded(check: Check, needed: tuple[Path, ...]) -> Check:
    def run(ctx: Context, options: Any) -> Iterable[Result]:
        missing = ctx.plan_unknown(*needed)
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
    question: str = "",
    owner: Iterable[str] = (),
) -> Callable[[Check], Check]:
    """Register a rule with its metadata. The category is the ID's letter prefix. ``requires``
    lists the sections whose absence leaves the whole rule undecided: when one is absent the rule
    gives a single plan-level ``unknown`` result and its body does not run. ``question`` is what to
    ask the client when the rule is unknown; ``owner`` names who acts on a finding, as kinds of
    owner tried in turn (see :data:`readiness.rules.context.OWNERS`)."""
    needed = tuple(requires)

    def register(check: Check) -> Check:
        if id in RULES:
            raise ValueError(f"duplicate rule id {id}")
        RULES[id] = RuleSpec(
            id,
            slug,
            id.rstrip("0123456789"),
            severity,
            title,
            " ".join(rationale.split()),
            " ".join(remediation.split()),
            tuple(sources),
            options,
            _guarded(check, needed) if needed else check,
            tuple(seeds),
            requires=needed,
            question=" ".join(question.split()),
            owner=tuple(owner),
        )
        return check

    return register


_T = TypeVar("_T")


def present(value: _T | None) -> _T:
    """A section or list a rule's ``requires`` guarantees is present: the type checker cannot see
    that, so each use says so (a failure here is a bug, reported as an internal error)."""
    assert value is not None, "a rule read a section its requires= does not guarantee"
    return value
