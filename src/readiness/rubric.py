"""Rubrics: the policy a plan is judged by (docs/rubrics.md).

A rubric file is read by the same guarded loader as a plan, validated with pydantic, and resolved
along its ``extends`` chain into a :class:`Rubric`: every rule's effective enabled flag,
severity, weight and validated options, the category settings and the top-level policy.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path as FsPath
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import Field

from readiness.custom import CustomCheck, compile_rules
from readiness.errors import PlanError, Problem, RubricError
from readiness.findings import CATEGORIES, FAIL_ON, Severity
from readiness.limits import MAX_BYTES
from readiness.loader import Document, load, load_text
from readiness.model import Section, tidy_schema
from readiness.project import BUILT_IN_RUBRICS, RUBRIC_SCHEMA_URL
from readiness.rules import registry
from readiness.rules.base import OptDays, Options, RuleSpec
from readiness.rules.context import OWNERS
from readiness.types import (
    Absent,
    Bool,
    Count,
    CountOrNull,
    DaysOrNull,
    NonNegNumber,
    Number,
    Pct,
    Ratio,
    Str,
    Text,
    enum_checks,
)
from readiness.validation import Collector, closest_rule, validate_model

MAX_CHAIN = 8
OPERANDS = frozenset({"equals", "in"})  # typed by the YAML 1.2 core schema, like x- values


SeverityName = Annotated[Severity, *enum_checks(("error", "warning", "info"))]
FailOn = Annotated[str, *enum_checks(FAIL_ON)]
WaiverPolicy = Annotated[str, *enum_checks(("allowed", "forbidden"))]
CategoryName = Annotated[str, *enum_checks(CATEGORIES)]
OwnerName = Annotated[str, *enum_checks(tuple(OWNERS))]


class RuleSetting(Section):
    """How one rule runs and counts under this rubric."""

    enabled: Absent[Bool] = Field(None, description="Whether the rule runs (every built-in rule does by default).")
    severity: Absent[SeverityName] = Field(
        None, description="Its severity here; secondary and escalated findings shift relative to it."
    )
    weight: Absent[NonNegNumber] = Field(None, description="Its base weight in the score (0 or more).")
    options: Absent[dict[str, Any]] = Field(
        None, description="Values for the rule's options (readiness explain lists them); the rest keep their defaults."
    )


class CategorySetting(Section):
    """How one category of rules runs and counts under this rubric."""

    enabled: Absent[Bool] = Field(
        None, description="false turns off every rule of the category, whatever the rule's own setting says."
    )
    weight_multiplier: Absent[NonNegNumber] = Field(
        None, description="Multiplies the weight of every rule of the category (0 or more; default 1)."
    )


class DateRef(Section):
    """A date found in the plan, moved by a number of days."""

    date_of: Text = Field(description="JMESPath expression for a date in the plan data (not the target).")
    days: OptDays = Field(0, description="Days to move that date by, 0 to 36,500 (default 0).")


class ConditionFile(Section):
    """A condition on one value of a target: a path and exactly one operator."""

    path: Text = Field(description="JMESPath expression for the value checked, evaluated against the target.")
    exists: Absent[Bool] = Field(
        None, description="true: the value is present and not null; false: it is absent or null."
    )
    not_empty: Absent[Bool] = Field(
        None, description="true: the value is not an empty or blank string, [] or {} (absent fails)."
    )
    equals: Absent[Any] = Field(None, description="The value equals this string, number or boolean.")
    in_: Absent[list[Any]] = Field(
        None, alias="in", description="The value equals one of these strings, numbers or booleans."
    )
    min: Absent[Number] = Field(None, description="The value is a number at least this.")
    max: Absent[Number] = Field(None, description="The value is a number at most this.")
    min_items: Absent[Count] = Field(None, description="The value is a list with at least this many items.")
    before: Absent[DateRef] = Field(
        None, description="The value is a date on or before the date at date_of, less days."
    )
    after: Absent[DateRef] = Field(None, description="The value is a date on or after the date at date_of, plus days.")


class CustomRuleFile(Section):
    """A declarative rule of this organisation, checked like a built-in one."""

    id: Text = Field(description="The rule's ID: X, 1 to 6 capital letters and 3 digits, such as XSAL001.")
    name: Text = Field(description="The rule's slug in kebab-case, unique among all rules; usable wherever the ID is.")
    title: Absent[Str] = Field(None, description="One-line title for listings (default: the name).")
    severity: SeverityName = Field(description="Default severity of its findings.")
    category: CategoryName = Field(description="Category for scoring and reports.")
    message: Text = Field(description="Message of a finding; may use {target}, {failed} and other placeholders.")
    remediation: Text = Field(description="How to fix a finding.")
    rationale: Absent[Str] = Field(None, description="Why it matters, shown by readiness explain.")
    question: Absent[Str] = Field(
        None, description="What to ask the client when the plan does not say enough to decide; shown with its unknowns."
    )
    owner: Absent[list[OwnerName]] = Field(
        None,
        description="Who acts on a finding: kinds of owner tried in turn, such as [leader, sponsor] "
        "(docs/rules.md lists them); absent: the target's own owner.",
    )
    for_each: Absent[Text] = Field(
        None, description="JMESPath expression selecting the targets; absent means one target, the plan."
    )
    require: list[ConditionFile] = Field(
        min_length=1, description="Conditions that must all hold for a target to pass; at least one."
    )


class RubricFile(Section):
    """A rubric: the policy a plan is judged by."""

    name: Text = Field(description="Name of the rubric, shown in reports and JSON output.")
    description: Absent[Str] = Field(None, description="One paragraph for readiness rubrics and reports.")
    extends: Absent[Text] = Field(
        None, description="A built-in rubric name, or the path of a rubric file relative to this one, to build on."
    )
    pass_score: Absent[Pct] = Field(None, description="Lowest score (0 to 100) for a ready verdict (default 80).")
    fail_on: Absent[FailOn] = Field(
        None, description="Lowest severity of a live finding that blocks ready; never leaves only the score."
    )
    unknown_credit: Absent[Ratio] = Field(
        None, description="Credit (0 to 1) a rule whose result is unknown earns in the score (default 0.5)."
    )
    waivers: Absent[WaiverPolicy] = Field(None, description="Whether plan waivers are honoured (default allowed).")
    max_waivers: CountOrNull = Field(
        None, description="Most waivers applied per plan (0 or more); null means no limit (the default)."
    )
    max_waiver_days: DaysOrNull = Field(
        None,
        description="Longest accepted time from the evaluation date to a waiver's expiry, in days (1 to 36,500); "
        "null means no limit (the default); setting it turns on PLAN003.",
    )
    rules: Absent[dict[str, RuleSetting]] = Field(None, description="Settings per rule, by ID or slug.")
    categories: Absent[dict[str, CategorySetting]] = Field(None, description="Settings per category, such as TIME.")
    custom_rules: Absent[list[CustomRuleFile]] = Field(
        None, description="Declarative rules of this organisation, checked like built-in ones."
    )


@dataclass(frozen=True)
class RuleConfig:
    """One rule as a rubric runs it: enabled or not, its severity, weight and options."""

    spec: RuleSpec
    enabled: bool
    severity: Severity
    weight: Decimal | None
    options: Options


DEFAULT_CATEGORY = (True, Decimal(1))  # enabled, weight multiplier


@dataclass(frozen=True)
class Rubric:
    """A loaded rubric, its whole ``extends`` chain applied. Immutable: the command line's
    overrides live in :class:`readiness.options.RunOptions`, never in the rubric."""

    name: str
    description: str
    pass_score: Decimal
    fail_on: str
    unknown_credit: Decimal
    waivers: str
    max_waivers: int | None
    max_waiver_days: int | None
    rules: Mapping[str, RuleConfig]  # every rule, built-in then custom, in catalogue order
    categories: Mapping[str, tuple[bool, Decimal]]
    files: tuple[str, ...]  # the rubric files read, the extends chain's included
    names: Mapping[str, str]  # every rule ID and slug -> its ID

    def runs(self, rule_id: str) -> bool:
        config = self.rules[rule_id]
        return config.enabled and self.categories.get(config.spec.category, DEFAULT_CATEGORY)[0]

    def weight(self, rule_id: str) -> Decimal:
        config = self.rules[rule_id]
        base = config.weight if config.weight is not None else Decimal(SEVERITY_WEIGHT[config.severity])
        return base * self.categories.get(config.spec.category, DEFAULT_CATEGORY)[1]


SEVERITY_WEIGHT = {"error": 3, "warning": 2, "info": 1}  # a rule's base weight, unless the rubric sets one


@dataclass
class _Draft:
    """A rubric while its ``extends`` chain is applied, one file after the other."""

    name: str
    description: str = ""
    pass_score: Decimal = Decimal(80)
    fail_on: str = "error"
    unknown_credit: Decimal = Decimal("0.5")
    waivers: str = "allowed"
    max_waivers: int | None = None
    max_waiver_days: int | None = None
    rules: dict[str, RuleConfig] = field(default_factory=dict)
    categories: dict[str, tuple[bool, Decimal]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for rule_id, config in self.rules.items():
            out[rule_id] = rule_id
            out[config.spec.slug] = rule_id
        return out

    def freeze(self) -> Rubric:
        return Rubric(
            self.name,
            self.description,
            self.pass_score,
            self.fail_on,
            self.unknown_credit,
            self.waivers,
            self.max_waivers,
            self.max_waiver_days,
            MappingProxyType(dict(self.rules)),
            MappingProxyType(dict(self.categories)),
            tuple(self.files),
            MappingProxyType(self.names()),
        )


def _defaults() -> _Draft:
    """Every built-in rule enabled with its default severity, weight and options."""
    draft = _Draft(name="default")
    for spec in registry().values():
        draft.rules[spec.id] = RuleConfig(spec, True, spec.severity, None, spec.options.defaults())
    return draft


def _built_in_text(name: str) -> str:
    return resources.files("readiness").joinpath("rubrics", f"{name}.yaml").read_text(encoding="utf-8")


def is_path(reference: str) -> bool:
    return "/" in reference or "\\" in reference or reference.endswith((".yaml", ".yml"))


def load_rubric(reference: str = "default", max_bytes: int = MAX_BYTES) -> Rubric:
    """Load a built-in rubric by name or a rubric file by path, with its whole ``extends`` chain."""
    return _resolve(reference, None, max_bytes, []).freeze()


def _read(reference: str, base: FsPath | None, max_bytes: int) -> tuple[Document, FsPath | None]:
    if is_path(reference):
        path = FsPath(reference) if base is None or FsPath(reference).is_absolute() else base / reference
        try:
            return load(str(path), max_bytes, core_keys=OPERANDS), path.parent
        except PlanError as exc:
            raise RubricError(exc.file, exc.problems) from None
    if reference not in BUILT_IN_RUBRICS:
        close = difflib.get_close_matches(reference, BUILT_IN_RUBRICS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (built-in rubrics: {', '.join(BUILT_IN_RUBRICS)})"
        raise RubricError(reference, [Problem(f"unknown rubric '{reference}'{hint}")])
    try:
        return load_text(f"<built-in rubric {reference}>", _built_in_text(reference), core_keys=OPERANDS), None
    except PlanError as exc:  # pragma: no cover - the shipped rubrics are tested
        raise RubricError(exc.file, exc.problems) from None


def _resolve(reference: str, base: FsPath | None, max_bytes: int, chain: list[str]) -> _Draft:
    doc, folder = _read(reference, base, max_bytes)
    key = str((folder / FsPath(reference).name).resolve()) if folder is not None else f"builtin:{reference}"
    if key in chain:
        raise RubricError(
            doc.file,
            [
                Problem(
                    f"extends cycle: {' -> '.join([*chain, key])}",
                    "extends",
                    *(doc.locate(("extends",)) or (None, None)),
                )
            ],
        )
    if len(chain) >= MAX_CHAIN:
        raise RubricError(
            doc.file,
            [
                Problem(
                    f"extends chain longer than {MAX_CHAIN} files",
                    "extends",
                    *(doc.locate(("extends",)) or (None, None)),
                )
            ],
        )
    found = Collector(doc)
    spec = validate_model(doc, RubricFile, doc.data, found)
    if spec is None:
        raise found.error(RubricError)
    if spec.extends is not None:
        try:
            rubric = _resolve(spec.extends, folder, max_bytes, [*chain, key])
        except RubricError as exc:
            # an unknown built-in name has no file of its own: point at the extends line instead
            if (
                exc.problems
                and exc.problems[0].path is None
                and exc.problems[0].line is None
                and exc.file == spec.extends
            ):
                where = doc.locate(("extends",)) or (None, None)
                raise RubricError(doc.file, [Problem(exc.problems[0].message, "extends", *where)]) from None
            raise
    else:
        rubric = _defaults()
    _apply(doc, spec, rubric)
    if folder is not None:
        rubric.files.append(key)
    return rubric


def _apply(doc: Document, spec: RubricFile, rubric: _Draft) -> None:
    found = Collector(doc)

    def problem(path: tuple[Any, ...], message: str | Callable[[], str], key: bool = False) -> None:
        found.add_at(path, message, key)

    rubric.name = spec.name
    rubric.description = spec.description or ""
    for name in ("pass_score", "fail_on", "unknown_credit", "waivers", "max_waivers", "max_waiver_days"):
        if name in spec.model_fields_set:
            setattr(rubric, name, getattr(spec, name))
    _add_custom_rules(doc, spec, rubric, found)
    names = rubric.names()
    seen: dict[str, str] = {}
    for key, setting in (spec.rules or {}).items():
        path = ("rules", key)
        rule_id = names.get(key)
        if rule_id is None:
            problem(path, functools.partial(_unknown_rule, key, names), key=True)
            continue
        if rule_id in seen:
            problem(path, f"rule {rule_id} is configured twice (also as '{seen[rule_id]}')", key=True)
            continue
        seen[rule_id] = key
        config = rubric.rules[rule_id]
        if rule_id.startswith("PLAN"):
            for forbidden in ("weight", "options"):
                if forbidden in setting.model_fields_set:
                    problem(
                        (*path, forbidden), "PLAN rules are not scored and take only enabled and severity", key=True
                    )
        if setting.enabled is not None:
            config = replace(config, enabled=setting.enabled)
        if setting.severity is not None:
            config = replace(config, severity=setting.severity)
        if setting.weight is not None:
            config = replace(config, weight=setting.weight)
        if config.spec.custom is not None and "options" in setting.model_fields_set:
            problem((*path, "options"), "custom rules take enabled, severity and weight, not options", key=True)
        elif setting.options is not None and not rule_id.startswith("PLAN"):
            current = {name: getattr(config.options, name) for name in type(config.options).model_fields}
            merged = {**current, **setting.options}
            options = validate_model(doc, config.spec.options, merged, found, prefix=(*path, "options"))
            if options is not None:
                config = replace(config, options=options)
        rubric.rules[rule_id] = config
    for key, category in (spec.categories or {}).items():
        path = ("categories", key)
        if key not in CATEGORIES:
            reason = (
                "PLAN cannot be configured as a category"
                if key == "PLAN"
                else f"unknown category '{key}' (known: {', '.join(CATEGORIES)})"
            )
            problem(path, reason, key=True)
            continue
        enabled, multiplier = rubric.categories.get(key, (True, Decimal(1)))
        if category.enabled is not None:
            enabled = category.enabled
        if category.weight_multiplier is not None:
            multiplier = category.weight_multiplier
        rubric.categories[key] = (enabled, multiplier)
    if found.total:
        raise found.error(RubricError)


def _add_custom_rules(doc: Document, spec: RubricFile, rubric: _Draft, found: Collector) -> None:
    """This file's custom rules, compiled and added: an extending file replaces a base rule of the
    same id."""
    taken = {s.slug: s.id for s in registry().values()}
    taken.update({c.spec.slug: rid for rid, c in rubric.rules.items() if c.spec.custom is not None})
    for rule in compile_rules(doc, spec.custom_rules or [], taken, found):
        previous = rubric.rules.get(rule.id)
        if previous is not None and previous.spec.custom is not None:
            del taken[previous.spec.slug]
        spec_ = RuleSpec(
            rule.id,
            rule.name,
            rule.category,
            rule.severity,  # type: ignore[arg-type]
            rule.title,
            rule.rationale,
            rule.remediation,
            (),
            Options,
            CustomCheck(rule),
            custom=rule,
            question=rule.question,
            owner=rule.owner,
        )
        rubric.rules[rule.id] = RuleConfig(spec_, True, rule.severity, None, Options.defaults())  # type: ignore[arg-type]
        taken[rule.name] = rule.id


def _unknown_rule(key: str, names: dict[str, str]) -> str:
    close = closest_rule(key, names)
    return f"unknown rule '{key}'" + (f" (did you mean '{close}'?)" if close else "")


def rubric_schema() -> dict[str, Any]:
    """The JSON Schema of rubric files, generated from their models."""
    schema = tidy_schema(RubricFile.model_json_schema(mode="validation"))
    schema["title"] = "readiness rubric"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": RUBRIC_SCHEMA_URL, **schema}
