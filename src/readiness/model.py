"""Pydantic v2 models of plan format v1 (`plan-format.md` §3-§4).

Every model forbids unknown keys except ``x-`` extensions, and is frozen. A field that is absent
stays out of ``model_fields_set``; rules use :func:`has` to tell "not said" from "said none"
(§2.5). Cross-field checks (ids, references, ranges, exclusivity, go-live dates) live in
:mod:`readiness.validate`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from readiness.types import (
    AllOrRefs,
    Bool,
    Count,
    Date,
    DateOrNull,
    DaysOrNull,
    Id,
    NonNegNumber,
    NumberOrNull,
    Pct,
    PctOrNull,
    Ref,
    RefOrNull,
    Str,
    StrOrNull,
    Text,
    all_or_enum,
    enum_type,
    int_type,
)

LEVELS = ("executive", "senior_manager", "middle_manager", "supervisor", "frontline")
FUNCTIONS = ("sales", "service", "marketing", "operations", "finance", "it", "hr", "general_management", "other")
CHANNELS = (
    "email",
    "town_hall",
    "team_meeting",
    "intranet",
    "video",
    "chat",
    "letter",
    "fax",
    "phone",
    "portal",
    "in_person",
)
TOPICS = ("why", "timeline", "progress", "day_to_day_impact", "wiifm", "training", "support", "go_live", "job_security")
APPROACHES = ("big_bang", "phased", "pilot_then_waves")
PHASE_TYPES = ("discovery", "design", "build", "test", "pilot", "wave", "hypercare")
CHANGE_TYPES = (
    "system",
    "process",
    "policy",
    "relocation",
    "restructuring",
    "layoff",
    "outsourcing",
    "merger",
    "other",
)
VENDOR_ROLES = ("implementor", "software", "consultant")
METRIC_KINDS = ("business", "adoption", "project")
CHANGE_DEGREES = ("none", "low", "medium", "high")
TRAINING_KINDS = ("initial", "refresher", "advanced")
TRAINING_FORMATS = ("instructor_led", "elearning", "sandbox", "coaching")
FIRST_LINE = ("champions", "help_desk", "floor_walkers", "vendor_support")
SENDER_GROUPS = ("line_managers", "division_leaders", "project_team", "champions")
CHAMPION_TYPES = ("super_user", "champion")
COMMIT_ITEMS = ("run_reviews_in_crm", "retire_own_legacy_reports", "coach_team", "train_before_staff", "report_usage")

Level = enum_type(LEVELS)
Function = enum_type(FUNCTIONS)
Channel = enum_type(CHANNELS)
Topic = enum_type(TOPICS)
LevelsOrAll = all_or_enum(LEVELS)


def has(model: BaseModel, field: str) -> bool:
    """Whether the plan states ``field`` (present, possibly null), as opposed to leaving it out."""
    return field in model.model_fields_set


class Section(BaseModel):
    """Base of every plan mapping: frozen, unknown keys forbidden, ``x-`` keys set aside."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return data


# 4.1 rollout ------------------------------------------------------------------------------------


class HardDeadline(Section):
    date: Date
    reason: Str = None


class Contingency(Section):
    fallback_plan: StrOrNull = None


class PeakPeriod(Section):
    id: Id
    name: Str = None
    start: Date
    end: Date
    divisions: AllOrRefs = "all"


class Phase(Section):
    id: Id
    type: enum_type(PHASE_TYPES)  # type: ignore[valid-type]
    name: Str = None
    start: Date
    end: Date
    divisions: list[Ref] = None  # type: ignore[assignment]
    exit_criteria: list[Str] = None  # type: ignore[assignment]


class GoNoGo(Section):
    date: Date
    decided_by: RefOrNull = None
    criteria: list[Str] = None  # type: ignore[assignment]


class Rollout(Section):
    name: Text
    scope: list[Function] = None  # type: ignore[valid-type,assignment]
    approach: enum_type(APPROACHES) = None  # type: ignore[valid-type]
    kickoff: Date = None
    go_live: Date
    recommended_duration_days: DaysOrNull = None
    hard_deadline: HardDeadline | None = None
    contingency: Contingency = None  # type: ignore[assignment]
    peak_periods: list[PeakPeriod] = None  # type: ignore[assignment]
    phases: list[Phase] = None  # type: ignore[assignment]
    go_no_go: GoNoGo | None = None


# 4.2 organisation -------------------------------------------------------------------------------


class Division(Section):
    id: Id
    name: Text
    headcount: Count = None
    impacted: Bool = True
    levels: list[Level] = None  # type: ignore[valid-type,assignment]


class ConcurrentChange(Section):
    id: Id
    name: Text
    type: enum_type(CHANGE_TYPES)  # type: ignore[valid-type]
    divisions: AllOrRefs
    start: Date
    end: DateOrNull = None
    announced_on: Date = None


class Organisation(Section):
    divisions: list[Division] = Field(min_length=1)
    concurrent_changes: list[ConcurrentChange] = None  # type: ignore[assignment]


# 4.3-4.7 people, sponsor, leaders, governance, project team -------------------------------------


class Person(Section):
    id: Id
    name: Text
    level: Level  # type: ignore[valid-type]
    function: Function  # type: ignore[valid-type]
    division: RefOrNull = None
    title: Str = None


class CoSponsor(Section):
    person: Ref
    authority_over: AllOrRefs


class Tenure(Section):
    person: Ref
    from_: Date = Field(alias="from")
    to: DateOrNull = None


class Sponsor(Section):
    primary: RefOrNull = None
    authority_over: AllOrRefs = None  # type: ignore[assignment]
    co_sponsors: list[CoSponsor] = None  # type: ignore[assignment]
    history: list[Tenure] = None  # type: ignore[assignment]


class UsageTarget(Section):
    metric: Text
    target_pct: Pct


class Commitment(Section):
    signed: Bool
    signed_on: DateOrNull = None
    items: list[enum_type(COMMIT_ITEMS)] = None  # type: ignore[valid-type,assignment]
    usage_target: UsageTarget = None  # type: ignore[assignment]


class Leader(Section):
    person: Ref
    division: Ref
    trained_on: DateOrNull = None
    commitment: Commitment | None = None


class ChangeManager(Section):
    person: Ref
    allocation_pct: Pct = None


class ReadinessReview(Section):
    date: Date


class Governance(Section):
    business_owner: RefOrNull = None
    co_owners: list[Ref] = None  # type: ignore[assignment]
    change_manager: ChangeManager | None = None
    readiness_review: ReadinessReview | None = None
    programme_lead_history: list[Tenure] = None  # type: ignore[assignment]


class Member(Section):
    person: Ref
    role: Str = None
    allocation_pct: Pct = None
    joined_on: Date = None
    decision_rights: Bool = None


class ProjectTeam(Section):
    members: list[Member]


# 4.8-4.11 processes, champions, communications, training ----------------------------------------


class Process(Section):
    id: Id
    name: Text
    owner: Ref
    change_degree: enum_type(CHANGE_DEGREES)  # type: ignore[valid-type]
    owner_involved_on: DateOrNull = None


class Champion(Section):
    id: Id = None
    person: Ref = None
    count: int_type(1) = None  # type: ignore[valid-type]
    division: Ref = None
    type: enum_type(CHAMPION_TYPES) = "champion"  # type: ignore[valid-type]
    allocation_pct: Pct = None
    selected_on: DateOrNull = None


class Audience(Section):
    """Internal (``divisions``, ``levels``, ``roles``) or external (``external``, ``segments``);
    which keys may be mixed is checked in :mod:`readiness.validate`."""

    divisions: AllOrRefs = None  # type: ignore[assignment]
    levels: LevelsOrAll = "all"
    roles: list[Ref] = None  # type: ignore[assignment]
    external: enum_type(("customers",)) = None  # type: ignore[valid-type]
    segments: AllOrRefs = None  # type: ignore[assignment]

    @property
    def is_external(self) -> bool:
        return has(self, "external") or has(self, "segments")


class Communication(Section):
    id: Id
    name: Str = None
    sender: Ref = None
    sender_group: enum_type(SENDER_GROUPS) = None  # type: ignore[valid-type]
    audience: Audience
    channel: Channel  # type: ignore[valid-type]
    first_date: Date
    cadence_days: DaysOrNull = None
    until: Date = None
    topics: list[Topic] = Field(min_length=1)  # type: ignore[valid-type]
    feedback_channel: Bool = None


class Session(Section):
    id: Id
    name: Str = None
    audience: Audience
    kind: enum_type(TRAINING_KINDS) = "initial"  # type: ignore[valid-type]
    format: enum_type(TRAINING_FORMATS) = None  # type: ignore[valid-type]
    start: Date
    end: Date = None
    mandatory: Bool = None
    hours: NonNegNumber = None
    refresher_before_go_live: Bool = False
    realistic_data: Bool = None

    @property
    def last_day(self) -> Any:
        return self.end if self.end is not None else self.start


class Training(Section):
    completion_target_pct: PctOrNull = None
    completion_tracked: Bool = None
    sessions: list[Session] = None  # type: ignore[assignment]


# 4.12-4.18 support, legacy, vendors, metrics, adoption design, customers, waivers ---------------


class Hypercare(Section):
    start: Date
    end: Date
    first_line: list[enum_type(FIRST_LINE)] = None  # type: ignore[valid-type,assignment]
    exit_criteria: list[Str] = None  # type: ignore[assignment]


class Support(Section):
    hypercare: Hypercare | None = None
    first_period_close: Date = None


class LegacyReport(Section):
    id: Id
    name: Text
    owner: Ref = None
    replaced_by: StrOrNull = None
    retire_by: DateOrNull = None
    keep_reason: StrOrNull = None


class LegacySystem(Section):
    id: Id
    name: Text
    read_only_from: DateOrNull = None
    decommission_by: DateOrNull = None


class Legacy(Section):
    reports: list[LegacyReport] = None  # type: ignore[assignment]
    systems: list[LegacySystem] = None  # type: ignore[assignment]


class DueDiligence(Section):
    references_checked: Count = None
    similar_implementations: Count = None
    demo_on_our_data: Bool = None
    named_team: Bool = None
    team_experience_verified: Bool = None
    completed_on: Date = None


class Vendor(Section):
    id: Id
    name: Text
    role: enum_type(VENDOR_ROLES)  # type: ignore[valid-type]
    due_diligence: DueDiligence | None = None
    success_criteria: list[Str] = None  # type: ignore[assignment]
    success_criteria_agreed_on: DateOrNull = None
    acceptance_criteria: list[Str] = None  # type: ignore[assignment]


class Metric(Section):
    id: Id
    name: Text
    kind: enum_type(METRIC_KINDS)  # type: ignore[valid-type]
    business_problem: StrOrNull = None
    baseline: NumberOrNull = None
    baseline_date: Date = None
    target: NumberOrNull = None
    target_date: DateOrNull = None
    unit: Str = None
    owner: RefOrNull = None
    review_cadence_days: DaysOrNull = None
    data_source: Str = None


class Role(Section):
    id: Id
    name: Str = None
    function: Function  # type: ignore[valid-type]
    level: Level  # type: ignore[valid-type]
    divisions: list[Ref] = None  # type: ignore[assignment]
    headcount: Count = None
    minutes_per_day_before: Count = None
    minutes_per_day_after: Count = None
    steps_before: Count = None
    steps_after: Count = None
    manual_fields_per_record: Count = None
    minutes_per_day_data_entry: Count = None
    data_entry_heavy: Bool = False
    automations: list[Str] = None  # type: ignore[assignment]
    wiifm: list[Str] = None  # type: ignore[assignment]
    cross_department_data: list[Str] = None  # type: ignore[assignment]
    double_entry: Bool = None
    variable_pay: Bool = None
    transition_protection: StrOrNull = None


class Reinforcement(Section):
    role: Ref
    mechanism: Text


class AdoptionDesign(Section):
    roles: list[Role] = None  # type: ignore[assignment]
    reinforcement: list[Reinforcement] = None  # type: ignore[assignment]


class Segment(Section):
    id: Id
    name: Text
    count: Count = None
    current_channels: list[Channel] = None  # type: ignore[valid-type,assignment]
    changes: list[Str] = None  # type: ignore[assignment]


class Customers(Section):
    segments: list[Segment] = None  # type: ignore[assignment]


class Waiver(Section):
    rule: Text
    target: Ref = None
    reason: Text
    owner: Text
    expires: Date


# the plan ---------------------------------------------------------------------------------------


class Plan(Section):
    """A CRM rollout plan, format v1."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        title="readiness plan, format v1",
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    schema_version: Literal[1]
    rollout: Rollout
    organisation: Organisation
    people: list[Person] = None  # type: ignore[assignment]
    sponsor: Sponsor = None  # type: ignore[assignment]
    leaders: list[Leader] = None  # type: ignore[assignment]
    governance: Governance = None  # type: ignore[assignment]
    project_team: ProjectTeam = None  # type: ignore[assignment]
    processes: list[Process] = None  # type: ignore[assignment]
    champions: list[Champion] = None  # type: ignore[assignment]
    communications: list[Communication] = None  # type: ignore[assignment]
    training: Training = None  # type: ignore[assignment]
    support: Support = None  # type: ignore[assignment]
    legacy: Legacy = None  # type: ignore[assignment]
    vendors: list[Vendor] = None  # type: ignore[assignment]
    success_metrics: list[Metric] = None  # type: ignore[assignment]
    adoption_design: AdoptionDesign = None  # type: ignore[assignment]
    customers: Customers = None  # type: ignore[assignment]
    waivers: list[Waiver] = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _schema_version(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and data.get("schema_version") in ("1", 1)
            and not isinstance(data.get("schema_version"), bool)
        ):
            data = {**data, "schema_version": 1}
        return data


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of plan format v1, generated from the models."""
    from readiness import SCHEMA_URL

    schema = _tidy(Plan.model_json_schema(mode="validation"))
    schema["properties"]["schema_version"] = {"const": 1, "description": "Plan format version; must be 1."}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_URL, **schema}


def _tidy(node: Any) -> Any:
    """Drop pydantic's ``"default": null`` on fields that are merely optional, and the
    implementation notes in model docstrings."""
    if isinstance(node, dict):
        return {
            k: _tidy(v)
            for k, v in node.items()
            if not (k == "default" and v is None) and not (k == "description" and ":mod:" in str(v))
        }
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    return node


def rubric_schema() -> dict[str, Any]:
    """The JSON Schema of rubric files, generated from their models."""
    from readiness import RUBRIC_SCHEMA_URL
    from readiness.rubric import RubricFile

    schema = _tidy(RubricFile.model_json_schema(mode="validation"))
    schema["title"] = "readiness rubric"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": RUBRIC_SCHEMA_URL, **schema}
