"""Pydantic v2 models of plan format v1 (`plan-format.md` §3-§4).

Every model forbids unknown keys except ``x-`` extensions, and is frozen. A field that is absent
stays out of ``model_fields_set``; rules use :func:`has` to tell "not said" from "said none"
(§2.5). Cross-field checks (ids, references, ranges, exclusivity, go-live dates) live in
:mod:`readiness.validate`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from readiness.types import (
    Absent,
    AllOrRefs,
    AllOrSegments,
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
    PositiveInt,
    Ref,
    RefOrNull,
    Str,
    StrOrNull,
    Text,
    all_or_enum_checks,
    enum_checks,
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

Level = Annotated[str, *enum_checks(LEVELS)]
Function = Annotated[str, *enum_checks(FUNCTIONS)]
Channel = Annotated[str, *enum_checks(CHANNELS)]
Topic = Annotated[str, *enum_checks(TOPICS)]
Approach = Annotated[str, *enum_checks(APPROACHES)]
PhaseType = Annotated[str, *enum_checks(PHASE_TYPES)]
ChangeType = Annotated[str, *enum_checks(CHANGE_TYPES)]
CommitItem = Annotated[str, *enum_checks(COMMIT_ITEMS)]
ChangeDegree = Annotated[str, *enum_checks(CHANGE_DEGREES)]
ChampionType = Annotated[str, *enum_checks(CHAMPION_TYPES)]
External = Annotated[str, *enum_checks(("customers",))]
SenderGroup = Annotated[str, *enum_checks(SENDER_GROUPS)]
TrainingKind = Annotated[str, *enum_checks(TRAINING_KINDS)]
TrainingFormat = Annotated[str, *enum_checks(TRAINING_FORMATS)]
FirstLine = Annotated[str, *enum_checks(FIRST_LINE)]
VendorRole = Annotated[str, *enum_checks(VENDOR_ROLES)]
MetricKind = Annotated[str, *enum_checks(METRIC_KINDS)]
LevelsOrAll = Annotated[Literal["all"] | list[str], *all_or_enum_checks(LEVELS)]


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
    reason: Absent[Str] = None


class Contingency(Section):
    fallback_plan: StrOrNull = None


class PeakPeriod(Section):
    id: Id
    name: Absent[Str] = None
    start: Date
    end: Date
    divisions: AllOrRefs = "all"


class Phase(Section):
    id: Id
    type: PhaseType
    name: Absent[Str] = None
    start: Date
    end: Date
    divisions: Absent[list[Ref]] = None
    exit_criteria: Absent[list[Str]] = None


class GoNoGo(Section):
    date: Date
    decided_by: RefOrNull = None
    criteria: Absent[list[Str]] = None


class Rollout(Section):
    name: Text
    scope: Absent[list[Function]] = None
    approach: Absent[Approach] = None
    kickoff: Absent[Date] = None
    go_live: Date
    recommended_duration_days: DaysOrNull = None
    hard_deadline: HardDeadline | None = None
    contingency: Absent[Contingency] = None
    peak_periods: Absent[list[PeakPeriod]] = None
    phases: Absent[list[Phase]] = None
    go_no_go: GoNoGo | None = None


# 4.2 organisation -------------------------------------------------------------------------------


class Division(Section):
    id: Id
    name: Text
    headcount: Absent[Count] = None
    impacted: Bool = True
    levels: Absent[list[Level]] = None


class ConcurrentChange(Section):
    id: Id
    name: Text
    type: ChangeType
    divisions: AllOrRefs
    start: Date
    end: DateOrNull = None
    announced_on: Absent[Date] = None


class Organisation(Section):
    divisions: list[Division] = Field(min_length=1)
    concurrent_changes: Absent[list[ConcurrentChange]] = None


# 4.3-4.7 people, sponsor, leaders, governance, project team -------------------------------------


class Person(Section):
    id: Id
    name: Text
    level: Level
    function: Function
    division: RefOrNull = None
    title: Absent[Str] = None


class CoSponsor(Section):
    person: Ref
    authority_over: AllOrRefs


class Tenure(Section):
    person: Ref
    from_: Date = Field(alias="from")
    to: DateOrNull = None


class Sponsor(Section):
    primary: RefOrNull = None
    authority_over: Absent[AllOrRefs] = None
    co_sponsors: Absent[list[CoSponsor]] = None
    history: Absent[list[Tenure]] = None


class UsageTarget(Section):
    metric: Text
    target_pct: Pct


class Commitment(Section):
    signed: Bool
    signed_on: DateOrNull = None
    items: Absent[list[CommitItem]] = None
    usage_target: Absent[UsageTarget] = None


class Leader(Section):
    person: Ref
    division: Ref
    trained_on: DateOrNull = None
    commitment: Commitment | None = None


class ChangeManager(Section):
    person: Ref
    allocation_pct: Absent[Pct] = None


class ReadinessReview(Section):
    date: Date


class Governance(Section):
    business_owner: RefOrNull = None
    co_owners: Absent[list[Ref]] = None
    change_manager: ChangeManager | None = None
    readiness_review: ReadinessReview | None = None
    programme_lead_history: Absent[list[Tenure]] = None


class Member(Section):
    person: Ref
    role: Absent[Str] = None
    allocation_pct: Absent[Pct] = None
    joined_on: Absent[Date] = None
    decision_rights: Absent[Bool] = None


class ProjectTeam(Section):
    members: list[Member]


# 4.8-4.11 processes, champions, communications, training ----------------------------------------


class Process(Section):
    id: Id
    name: Text
    owner: Ref
    change_degree: ChangeDegree
    owner_involved_on: DateOrNull = None


class Champion(Section):
    id: Absent[Id] = None
    person: Absent[Ref] = None
    count: Absent[PositiveInt] = None
    division: Absent[Ref] = None
    type: ChampionType = "champion"
    allocation_pct: Absent[Pct] = None
    selected_on: DateOrNull = None


class Audience(Section):
    """Internal (``divisions``, ``levels``, ``roles``) or external (``external``, ``segments``);
    which keys may be mixed is checked in :mod:`readiness.validate`."""

    divisions: Absent[AllOrRefs] = None
    levels: LevelsOrAll = "all"
    roles: Absent[list[Ref]] = None
    external: Absent[External] = None
    segments: Absent[AllOrSegments] = None

    @property
    def is_external(self) -> bool:
        return has(self, "external") or has(self, "segments")


class Communication(Section):
    id: Id
    name: Absent[Str] = None
    sender: Absent[Ref] = None
    sender_group: Absent[SenderGroup] = None
    audience: Audience
    channel: Channel
    first_date: Date
    cadence_days: DaysOrNull = None
    until: Absent[Date] = None
    topics: list[Topic] = Field(min_length=1)
    feedback_channel: Absent[Bool] = None


class Session(Section):
    id: Id
    name: Absent[Str] = None
    audience: Audience
    kind: TrainingKind = "initial"
    format: Absent[TrainingFormat] = None
    start: Date
    end: Absent[Date] = None
    mandatory: Absent[Bool] = None
    hours: Absent[NonNegNumber] = None
    refresher_before_go_live: Bool = False
    realistic_data: Absent[Bool] = None

    @property
    def last_day(self) -> Any:
        return self.end if self.end is not None else self.start


class Training(Section):
    completion_target_pct: PctOrNull = None
    completion_tracked: Absent[Bool] = None
    sessions: Absent[list[Session]] = None


# 4.12-4.18 support, legacy, vendors, metrics, adoption design, customers, waivers ---------------


class Hypercare(Section):
    start: Date
    end: Date
    first_line: Absent[list[FirstLine]] = None
    exit_criteria: Absent[list[Str]] = None


class Support(Section):
    hypercare: Hypercare | None = None
    first_period_close: Absent[Date] = None


class LegacyReport(Section):
    id: Id
    name: Text
    owner: Absent[Ref] = None
    replaced_by: StrOrNull = None
    retire_by: DateOrNull = None
    keep_reason: StrOrNull = None


class LegacySystem(Section):
    id: Id
    name: Text
    read_only_from: DateOrNull = None
    decommission_by: DateOrNull = None


class Legacy(Section):
    reports: Absent[list[LegacyReport]] = None
    systems: Absent[list[LegacySystem]] = None


class DueDiligence(Section):
    references_checked: Absent[Count] = None
    similar_implementations: Absent[Count] = None
    demo_on_our_data: Absent[Bool] = None
    named_team: Absent[Bool] = None
    team_experience_verified: Absent[Bool] = None
    completed_on: Absent[Date] = None


class Vendor(Section):
    id: Id
    name: Text
    role: VendorRole
    due_diligence: DueDiligence | None = None
    success_criteria: Absent[list[Str]] = None
    success_criteria_agreed_on: DateOrNull = None
    acceptance_criteria: Absent[list[Str]] = None


class Metric(Section):
    id: Id
    name: Text
    kind: MetricKind
    business_problem: StrOrNull = None
    baseline: NumberOrNull = None
    baseline_date: Absent[Date] = None
    target: NumberOrNull = None
    target_date: DateOrNull = None
    unit: Absent[Str] = None
    owner: RefOrNull = None
    review_cadence_days: DaysOrNull = None
    data_source: Absent[Str] = None


class Role(Section):
    id: Id
    name: Absent[Str] = None
    function: Function
    level: Level
    divisions: Absent[list[Ref]] = None
    headcount: Absent[Count] = None
    minutes_per_day_before: Absent[Count] = None
    minutes_per_day_after: Absent[Count] = None
    steps_before: Absent[Count] = None
    steps_after: Absent[Count] = None
    manual_fields_per_record: Absent[Count] = None
    minutes_per_day_data_entry: Absent[Count] = None
    data_entry_heavy: Bool = False
    automations: Absent[list[Str]] = None
    wiifm: Absent[list[Str]] = None
    cross_department_data: Absent[list[Str]] = None
    double_entry: Absent[Bool] = None
    variable_pay: Absent[Bool] = None
    transition_protection: StrOrNull = None


class Reinforcement(Section):
    role: Ref
    mechanism: Text


class AdoptionDesign(Section):
    roles: Absent[list[Role]] = None
    reinforcement: Absent[list[Reinforcement]] = None


class Segment(Section):
    id: Id
    name: Text
    count: Absent[Count] = None
    current_channels: Absent[list[Channel]] = None
    changes: Absent[list[Str]] = None


class Customers(Section):
    segments: Absent[list[Segment]] = None


class Waiver(Section):
    rule: Text
    target: Absent[Ref] = None
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
    people: Absent[list[Person]] = None
    sponsor: Absent[Sponsor] = None
    leaders: Absent[list[Leader]] = None
    governance: Absent[Governance] = None
    project_team: Absent[ProjectTeam] = None
    processes: Absent[list[Process]] = None
    champions: Absent[list[Champion]] = None
    communications: Absent[list[Communication]] = None
    training: Absent[Training] = None
    support: Absent[Support] = None
    legacy: Absent[Legacy] = None
    vendors: Absent[list[Vendor]] = None
    success_metrics: Absent[list[Metric]] = None
    adoption_design: Absent[AdoptionDesign] = None
    customers: Absent[Customers] = None
    waivers: Absent[list[Waiver]] = None

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
