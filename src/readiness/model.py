"""Pydantic v2 models of plan format v1 (docs/plan-format.md is generated from them).

Every model forbids unknown keys except ``x-`` extensions, and is frozen. A field that is absent
stays out of ``model_fields_set``; rules use :func:`has` to tell "not said" from "said none"
(docs/plan-format.md, "Absent, null, empty"). Cross-field checks (ids, references, ranges, exclusivity, go-live dates) live in
:mod:`readiness.plan_checks`.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from readiness.paths import Path
from readiness.project import SCHEMA_URL
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
    Refers,
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
RECOMMENDATIONS = ("proceed", "proceed_with_conditions", "delay", "stop")

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
Recommendation = Annotated[str, *enum_checks(RECOMMENDATIONS)]
LevelsOrAll = Annotated[Literal["all"] | list[str], *all_or_enum_checks(LEVELS)]

# References: each names the kind of entity it points at, and is checked, hinted and looked up
# from that declaration alone (see entities() and references() below).
PersonRef = Annotated[Ref, Refers("person")]
PersonRefOrNull = Annotated[RefOrNull, Refers("person")]
DivisionRef = Annotated[Ref, Refers("division")]
DivisionRefOrNull = Annotated[RefOrNull, Refers("division")]
RoleRef = Annotated[Ref, Refers("role")]
Divisions = Annotated[AllOrRefs, Refers("division")]
Segments = Annotated[AllOrSegments, Refers("segment")]
ReviewerRef = Annotated[Ref, Refers("vendor", "delivery team", "person")]


def has(model: BaseModel, field: str) -> bool:
    """Whether the plan states ``field`` (present, possibly null), as opposed to leaving it out."""
    return field in model.model_fields_set


class Section(BaseModel):
    """Base of every plan mapping: frozen, unknown keys forbidden, ``x-`` keys set aside."""

    # Built when first used, as part of whichever model is validated: building each class on
    # its own at import took a third of a cold start, and a run validates only a plan.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        defer_build=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return data


# 4.1 rollout ------------------------------------------------------------------------------------
# Each field's description is what an editor shows on hover (schema/plan-v1.json): one line, in
# the plan author's terms, with units and ranges, and what leaving a field out or writing null says.


class HardDeadline(Section):
    """An external date the rollout cannot move past."""

    date: Date = Field(description="The deadline itself (YYYY-MM-DD).")
    reason: Absent[Str] = Field(None, description="Why the date is fixed: a regulation, a contract, an end of support.")


class Contingency(Section):
    """What happens if go-live fails or is stopped."""

    fallback_plan: StrOrNull = Field(
        None, description="The fallback if go-live fails or is stopped; null states there is none."
    )


class PeakPeriod(Section):
    """A busy business period in which going live is risky."""

    entity: ClassVar[str] = "peak period"  # other fields refer to it by id

    id: Id = Field(description="Identifies the period; unique among all ids of the plan.")
    name: Absent[Str] = Field(None, description="A label for reports.")
    start: Date = Field(description="First day of the period (YYYY-MM-DD).")
    end: Date = Field(description="Last day of the period (YYYY-MM-DD), on or after start.")
    divisions: Divisions = Field(
        "all", description="The divisions that are busy then: 'all' (the default) or a list of division ids."
    )


class Phase(Section):
    """A project phase, pilot or go-live wave."""

    entity: ClassVar[str] = "phase"  # other fields refer to it by id

    id: Id = Field(description="Identifies the phase; unique among all ids of the plan.")
    type: PhaseType = Field(description="Kind of phase; a wave moves the divisions it lists to its start date.")
    name: Absent[Str] = Field(None, description="A label for reports.")
    start: Date = Field(description="First day (YYYY-MM-DD); for a wave, the go-live date of its divisions.")
    end: Date = Field(description="Last day (YYYY-MM-DD), on or after start.")
    divisions: Absent[list[DivisionRef]] = Field(
        None, description="Division ids in the pilot or wave; required, and not empty, for those two types."
    )
    exit_criteria: Absent[list[Str]] = Field(None, description="What must hold to leave the phase.")


class AssuranceReview(Section):
    """An independent review of readiness reported before the go/no-go decision."""

    entity: ClassVar[str] = "assurance review"  # other fields refer to it by id

    id: Id = Field(description="Identifies the review; unique among all ids of the plan.")
    by: ReviewerRef = Field(description="Who reviewed: a vendor, delivery team or person id.")
    date: Date = Field(description="When the review reported (YYYY-MM-DD).")
    recommendation: Recommendation = Field(description="What the review recommended.")
    seen_by_decider: Absent[Bool] = Field(
        None, description="Whether the go/no-go decision-maker received the review itself, not a summary of it."
    )
    go_live_at_review: Absent[Date] = Field(
        None,
        description="The go-live date planned when the review reported (YYYY-MM-DD); a later rollout.go_live "
        "means the date moved.",
    )
    response: StrOrNull = Field(
        None,
        description="The project's recorded answer to the review: what changed, or why it goes ahead; "
        "null states there was none.",
    )
    summary: Absent[Str] = Field(None, description="What the review found, in a line, for reports.")


class CriteriaChange(Section):
    """A change to a go/no-go criterion after the criteria were set."""

    date: Date = Field(description="When the criterion changed (YYYY-MM-DD).")
    criterion: Text = Field(description="The criterion changed, as the gate names it; not blank.")
    before: Absent[Str] = Field(None, description="The criterion as it was set.")
    after: Absent[Str] = Field(None, description="The criterion as changed.")
    loosens: Absent[Bool] = Field(None, description="Whether the change makes the criterion easier to meet.")
    approved_by: PersonRefOrNull = Field(
        None, description="Person id of who approved the change; null states nobody did."
    )


class GoNoGo(Section):
    """The formal decision to go live or not."""

    date: Date = Field(description="When the decision is taken (YYYY-MM-DD).")
    decided_by: PersonRefOrNull = Field(None, description="Person id of who decides; null states nobody is named.")
    criteria: Absent[list[Str]] = Field(None, description="The written criteria for 'go'.")
    assurance: Absent[list[AssuranceReview]] = Field(
        None,
        description="Independent reviews of readiness before the decision; [] states there are none, "
        "absent says nothing.",
    )
    criteria_changes: Absent[list[CriteriaChange]] = Field(
        None,
        description="Changes to the criteria after they were set; [] states there were none, absent says nothing.",
    )


class Rollout(Section):
    """The rollout as a project: its name, dates, approach, phases and gates."""

    name: Text = Field(description="Name of the rollout, shown in reports; not blank.")
    scope: Absent[list[Function]] = Field(
        None, description="Business functions the CRM covers; finance brings in the first-close check."
    )
    approach: Absent[Approach] = Field(
        None, description="How divisions go live: all at once, in waves, or after a pilot."
    )
    kickoff: Absent[Date] = Field(None, description="Project start (YYYY-MM-DD), on or before go_live.")
    go_live: Date = Field(
        description="First production go-live (YYYY-MM-DD): the first division starts work in the CRM, after any pilot."
    )
    recommended_duration_days: DaysOrNull = Field(
        None,
        description="Days from kickoff to go-live that an independent estimate recommends (1 to 36,500); "
        "null states no estimate exists.",
    )
    hard_deadline: HardDeadline | None = Field(
        None, description="An external date go-live cannot move past; null states there is none, absent says nothing."
    )
    contingency: Absent[Contingency] = Field(None, description="Fallback arrangements if go-live fails.")
    peak_periods: Absent[list[PeakPeriod]] = Field(None, description="Busy business periods to keep go-live away from.")
    phases: Absent[list[Phase]] = Field(None, description="Project phases, pilots and go-live waves.")
    go_no_go: GoNoGo | None = Field(
        None, description="The formal go/no-go decision; null states none is planned, absent says nothing."
    )


# 4.2 organisation -------------------------------------------------------------------------------


class Division(Section):
    """An organisational unit the plan talks about."""

    entity: ClassVar[str] = "division"  # other fields refer to it by id

    id: Id = Field(description="Identifies the division; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    headcount: Absent[Count] = Field(
        None, description="People in the division who will use or be affected by the CRM (an integer, 0 or more)."
    )
    impacted: Bool = Field(
        True, description="Whether the rollout changes the division's work (default true); rules skip the others."
    )
    levels: Absent[list[Level]] = Field(None, description="The organisational levels that exist in the division.")


class ConcurrentChange(Section):
    """Another change that affects the same people."""

    entity: ClassVar[str] = "concurrent change"  # other fields refer to it by id

    id: Id = Field(description="Identifies the change; unique among all ids of the plan.")
    name: Text = Field(description="What the change is; not blank.")
    type: ChangeType = Field(description="Kind of change.")
    divisions: Divisions = Field(description="Who it affects: 'all' or a list of division ids.")
    start: Date = Field(description="When it starts affecting people (YYYY-MM-DD).")
    end: DateOrNull = Field(None, description="When it ends (YYYY-MM-DD); absent or null means open-ended.")
    announced_on: Absent[Date] = Field(None, description="When it was or will be announced (YYYY-MM-DD).")


class Organisation(Section):
    """The divisions and the other changes they live through."""

    divisions: list[Division] = Field(
        min_length=1, description="The organisational units the plan talks about; at least one."
    )
    concurrent_changes: Absent[list[ConcurrentChange]] = Field(
        None, description="Other changes affecting the same people around the same time."
    )


# 4.3-4.7 people, sponsor, leaders, governance, project team -------------------------------------


class Person(Section):
    """Someone the plan refers to: a sponsor, leader, owner, team member or sender."""

    entity: ClassVar[str] = "person"  # other fields refer to it by id

    id: Id = Field(description="Person id used by references; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    level: Level = Field(description="Organisational level.")
    function: Function = Field(description="Business function.")
    division: DivisionRefOrNull = Field(
        None, description="Division id of the home division; null for a corporate role outside any division."
    )
    title: Absent[Str] = Field(None, description="Job title, for reports.")


class CoSponsor(Section):
    """A further sponsor for divisions the primary sponsor does not direct."""

    person: PersonRef = Field(description="Person id of the co-sponsor.")
    authority_over: Divisions = Field(description="Divisions they direct: 'all' or a list of division ids.")


class Tenure(Section):
    """A period in which one person held a role."""

    person: PersonRef = Field(description="Person id of who held the role.")
    from_: Date = Field(alias="from", description="Start of the tenure (YYYY-MM-DD).")
    to: DateOrNull = Field(None, description="End of the tenure (YYYY-MM-DD); absent or null means still in the role.")


class Sponsor(Section):
    """The executive sponsorship of the rollout."""

    primary: PersonRefOrNull = Field(None, description="Person id of the executive sponsor; null states there is none.")
    authority_over: Absent[Divisions] = Field(
        None,
        description="Divisions whose people, processes and systems the primary sponsor can direct: 'all' or a list.",
    )
    co_sponsors: Absent[list[CoSponsor]] = Field(
        None, description="Further sponsors covering divisions the primary sponsor does not direct."
    )
    history: Absent[list[Tenure]] = Field(None, description="Who has held the primary sponsor role, in any order.")


class UsageTarget(Section):
    """A usage target a leader signs up to."""

    metric: Text = Field(description="What is measured, such as weekly active users; not blank.")
    target_pct: Pct = Field(description="The level to reach, in percent (0 to 100).")


class Commitment(Section):
    """A leader's written adoption commitment, an internal service-level agreement."""

    signed: Bool = Field(description="Whether the commitment is signed.")
    signed_on: DateOrNull = Field(None, description="Date of signature (YYYY-MM-DD); null states it has none yet.")
    items: Absent[list[CommitItem]] = Field(None, description="What the leader commits to.")
    usage_target: Absent[UsageTarget] = Field(None, description="The usage target the leader signs up to.")


class Leader(Section):
    """A division leader, whose behaviour the division copies; one entry per division led."""

    person: PersonRef = Field(description="Person id of the leader.")
    division: DivisionRef = Field(description="Division id of the division led.")
    trained_on: DateOrNull = Field(
        None, description="When the leader completes CRM training (YYYY-MM-DD); null states they will not be trained."
    )
    commitment: Commitment | None = Field(
        None, description="The leader's written adoption commitment; null states there is none, absent says nothing."
    )


class ChangeManager(Section):
    """The dedicated change-management resource."""

    person: PersonRef = Field(description="Person id of the change manager.")
    allocation_pct: Absent[Pct] = Field(None, description="Share of their time on this rollout, in percent (0 to 100).")


class ReadinessReview(Section):
    """The formal readiness review before go-live."""

    date: Date = Field(description="When the review happens (YYYY-MM-DD).")


class Governance(Section):
    """Who owns the outcome and steers the change."""

    business_owner: PersonRefOrNull = Field(
        None, description="Person id of who is accountable for business outcomes; null states nobody is."
    )
    co_owners: Absent[list[PersonRef]] = Field(None, description="Person ids of people who share business ownership.")
    change_manager: ChangeManager | None = Field(
        None, description="The dedicated change-management resource; null states there is none, absent says nothing."
    )
    readiness_review: ReadinessReview | None = Field(
        None, description="The formal pre-go-live readiness review; null states there is none, absent says nothing."
    )
    programme_lead_history: Absent[list[Tenure]] = Field(
        None, description="Who has led the programme, as {person, from, to} entries in any order."
    )


class Member(Section):
    """A member of the core project team."""

    person: PersonRef = Field(description="Person id of the member; their level comes from people.")
    role: Absent[Str] = Field(None, description="Role on the team, free text such as key_user.")
    allocation_pct: Absent[Pct] = Field(None, description="Share of their time on the project, in percent (0 to 100).")
    joined_on: Absent[Date] = Field(None, description="When they joined the team (YYYY-MM-DD).")
    decision_rights: Absent[Bool] = Field(None, description="Whether they can sign off design decisions.")


class ProjectTeam(Section):
    """The core team that designs and delivers the rollout."""

    members: list[Member] = Field(description="The team's members.")


# 4.8-4.11 processes, champions, communications, training ----------------------------------------


class Process(Section):
    """A business process the rollout changes."""

    entity: ClassVar[str] = "process"  # other fields refer to it by id

    id: Id = Field(description="Identifies the process; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    owner: PersonRef = Field(description="Person id of who owns the process today.")
    change_degree: ChangeDegree = Field(description="How much the process changes.")
    owner_involved_on: DateOrNull = Field(
        None,
        description="When the owner starts designing the new process (YYYY-MM-DD); null states they will not.",
    )


class Champion(Section):
    """A named champion (person) or an unnamed group of them (division, and count when known)."""

    entity: ClassVar[str] = "champion entry"  # other fields refer to it by id

    id: Absent[Id] = Field(None, description="Identifies the entry, if anything needs to name it.")
    person: Absent[PersonRef] = Field(None, description="Person id of a named champion, counted as one; or give count.")
    count: Absent[PositiveInt] = Field(
        None,
        description="Number of unnamed champions in a group (1 or more); absent in a group says its size is "
        "not known. Not with person.",
    )
    division: Absent[DivisionRef] = Field(
        None, description="Division id of the division served; required for a group, else the person's division."
    )
    type: ChampionType = Field("champion", description="Role of the entry (default champion).")
    allocation_pct: Absent[Pct] = Field(None, description="Protected time for the role, in percent (0 to 100).")
    selected_on: DateOrNull = Field(
        None, description="When the champion is or was selected (YYYY-MM-DD); null states no date is set."
    )


class Audience(Section):
    """Internal (``divisions``, ``levels``, ``roles``) or external (``external``, ``segments``);
    which keys may be mixed is checked in :mod:`readiness.plan_checks`."""

    divisions: Absent[Divisions] = Field(
        None, description="Internal audience: the divisions reached, 'all' or a list of division ids."
    )
    levels: LevelsOrAll = Field(
        "all",
        description="Internal audience: the levels reached within those divisions, 'all' (the default) or a list.",
    )
    roles: Absent[list[RoleRef]] = Field(
        None, description="Internal audience: role ids narrowing it to adoption roles; informational only."
    )
    external: Absent[External] = Field(None, description="External audience: customers, with segments.")
    segments: Absent[Segments] = Field(
        None, description="External audience: the customer segments reached, 'all' or a list of segment ids."
    )

    @property
    def is_external(self) -> bool:
        return has(self, "external") or has(self, "segments")


class Communication(Section):
    """A planned message, or a recurring series of them."""

    entity: ClassVar[str] = "communication"  # other fields refer to it by id

    id: Id = Field(description="Identifies the item; unique among all ids of the plan.")
    name: Absent[Str] = Field(None, description="A label for reports.")
    sender: Absent[PersonRef] = Field(
        None, description="Person id of who the message comes from; or give sender_group."
    )
    sender_group: Absent[SenderGroup] = Field(
        None, description="A group of senders, such as every line manager to their own team; or give sender."
    )
    audience: Audience = Field(
        description="Who receives it: {divisions, levels, roles} inside, or {external: customers, segments}."
    )
    channel: Channel = Field(description="How it is delivered.")
    first_date: Date = Field(description="The first or only occurrence (YYYY-MM-DD).")
    cadence_days: DaysOrNull = Field(
        None, description="Days between occurrences (1 to 36,500); absent or null means a single occurrence."
    )
    until: Absent[Date] = Field(
        None, description="Last possible occurrence (YYYY-MM-DD); absent means the series runs to the last go-live."
    )
    topics: list[Topic] = Field(min_length=1, description="What it covers; at least one topic.")
    feedback_channel: Absent[Bool] = Field(
        None, description="Whether receivers can respond or ask questions on record."
    )


class Session(Section):
    """A training session, or a series of them for one audience."""

    entity: ClassVar[str] = "training session"  # other fields refer to it by id

    id: Id = Field(description="Identifies the session; unique among all ids of the plan.")
    name: Absent[Str] = Field(None, description="A label for reports.")
    audience: Audience = Field(description="Who is trained: an internal audience {divisions, levels}.")
    kind: TrainingKind = Field("initial", description="First training, a refresher or advanced (default initial).")
    format: Absent[TrainingFormat] = Field(None, description="How it is delivered.")
    start: Date = Field(description="First day (YYYY-MM-DD).")
    end: Absent[Date] = Field(None, description="Last day (YYYY-MM-DD), on or after start; absent means start.")
    mandatory: Absent[Bool] = Field(None, description="Whether attendance is required.")
    hours: Absent[NonNegNumber] = Field(None, description="Length per participant, in hours (0 or more).")
    refresher_before_go_live: Bool = Field(
        False,
        description="Whether the same audience gets a refresher or sandbox practice shortly before go-live "
        "(default false).",
    )
    realistic_data: Absent[Bool] = Field(None, description="Whether the training environment holds realistic data.")

    @property
    def last_day(self) -> Any:
        return self.end if self.end is not None else self.start


class Training(Section):
    """The training plan."""

    completion_target_pct: PctOrNull = Field(
        None, description="Required completion of mandatory training, in percent (0 to 100); null states none is set."
    )
    completion_tracked: Absent[Bool] = Field(None, description="Whether completion is tracked per person and reported.")
    sessions: Absent[list[Session]] = Field(None, description="The training sessions.")
    owner: Absent[PersonRef] = Field(
        None, description="Person id of who answers for the training plan; actions on training findings go to them."
    )


# 4.12-4.18 support, legacy, vendors, metrics, adoption design, customers, waivers ---------------


class Hypercare(Section):
    """The period of reinforced support after go-live."""

    start: Date = Field(description="Start (YYYY-MM-DD).")
    end: Absent[Date] = Field(
        None, description="Planned end (YYYY-MM-DD), on or after start; absent says it is not known yet."
    )
    first_line: Absent[list[FirstLine]] = Field(None, description="Who users turn to first.")
    exit_criteria: Absent[list[Str]] = Field(None, description="Measurable criteria for ending hypercare.")


class Support(Section):
    """Support around go-live."""

    hypercare: Hypercare | None = Field(
        None, description="Reinforced support after go-live; null states there is none, absent says nothing."
    )
    first_period_close: Absent[Date] = Field(
        None, description="The first financial period close after go-live (YYYY-MM-DD)."
    )


class LegacyReport(Section):
    """A report, spreadsheet or dashboard used today."""

    entity: ClassVar[str] = "legacy report"  # other fields refer to it by id

    id: Id = Field(description="Identifies the report; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    owner: Absent[PersonRef] = Field(None, description="Person id of who relies on or demands the report.")
    replaced_by: StrOrNull = Field(
        None, description="The CRM report or dashboard replacing it (free text); null states there is none."
    )
    retire_by: DateOrNull = Field(
        None, description="When the report stops being produced (YYYY-MM-DD); null states no date is set."
    )
    keep_reason: StrOrNull = Field(None, description="Why a report without a replacement is kept.")


class LegacySystem(Section):
    """A system the CRM replaces, fully or in part."""

    entity: ClassVar[str] = "legacy system"  # other fields refer to it by id

    id: Id = Field(description="Identifies the system; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    read_only_from: DateOrNull = Field(
        None, description="From when users can no longer enter data in it (YYYY-MM-DD); null states it stays writable."
    )
    decommission_by: DateOrNull = Field(None, description="Planned switch-off (YYYY-MM-DD); null states none is set.")


class Legacy(Section):
    """What the CRM replaces."""

    reports: Absent[list[LegacyReport]] = Field(None, description="Reports, spreadsheets and dashboards used today.")
    systems: Absent[list[LegacySystem]] = Field(None, description="Systems the CRM replaces, fully or in part.")


class DueDiligence(Section):
    """The vetting of an implementor (a vendor, or the organisation's own delivery team) before it
    is engaged."""

    references_checked: Absent[Count] = Field(None, description="Client references actually contacted (0 or more).")
    similar_implementations: Absent[Count] = Field(
        None,
        description="Rollouts comparable in industry or scale that the implementor has delivered (0 or more).",
    )
    demo_on_our_data: Absent[Bool] = Field(
        None, description="Whether the implementor demonstrated on this organisation's data and processes."
    )
    named_team: Absent[Bool] = Field(None, description="Whether the contract or charter names the key staff.")
    team_experience_verified: Absent[Bool] = Field(
        None, description="Whether the named staff's experience was verified."
    )
    completed_on: Absent[Date] = Field(None, description="When vetting finished (YYYY-MM-DD).")


class Vendor(Section):
    """An implementor, software vendor or consultant."""

    entity: ClassVar[str] = "vendor"  # other fields refer to it by id

    id: Id = Field(description="Identifies the vendor; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    role: VendorRole = Field(description="What the vendor does; only implementors are checked.")
    due_diligence: DueDiligence | None = Field(
        None, description="The vetting done before contract; null states none was done, absent says nothing."
    )
    success_criteria: Absent[list[Str]] = Field(None, description="Business outcomes both sides agree define success.")
    success_criteria_agreed_on: DateOrNull = Field(
        None, description="When both sides signed the success criteria (YYYY-MM-DD); null states they have not."
    )
    acceptance_criteria: Absent[list[Str]] = Field(None, description="Conditions for accepting the vendor's delivery.")
    owner: Absent[PersonRef] = Field(
        None,
        description="Person id of who in the organisation answers for the vendor's work; actions on the vendor go to them.",
    )


class DeliveryTeam(Section):
    """The organisation's own delivery team, when it implements the rollout itself instead of an
    outside implementor: vetted and held to agreed success like one."""

    entity: ClassVar[str] = "delivery team"  # other fields refer to it by id

    id: Id = Field(description="Identifies the team; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    due_diligence: DueDiligence | None = Field(
        None,
        description="How the team's fitness to deliver was checked; null states it was not, absent says nothing.",
    )
    success_criteria: Absent[list[Str]] = Field(
        None, description="Business outcomes the business and the team agree define success."
    )
    success_criteria_agreed_on: DateOrNull = Field(
        None,
        description="When the business and the team signed the success criteria (YYYY-MM-DD); null states not yet.",
    )
    acceptance_criteria: Absent[list[Str]] = Field(None, description="Conditions for accepting the team's delivery.")
    owner: Absent[PersonRef] = Field(
        None, description="Person id of who answers for the team's delivery; actions on the team go to them."
    )


class Metric(Section):
    """A success metric: a business outcome, adoption or project delivery."""

    entity: ClassVar[str] = "metric"  # other fields refer to it by id

    id: Id = Field(description="Identifies the metric; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    kind: MetricKind = Field(description="A business outcome, adoption, or project delivery.")
    business_problem: StrOrNull = Field(
        None, description="The measurable problem the metric tracks; null states there is none."
    )
    baseline: NumberOrNull = Field(None, description="Value today, in the metric's unit; null states it is not known.")
    baseline_date: Absent[Date] = Field(None, description="When the baseline was measured (YYYY-MM-DD).")
    target: NumberOrNull = Field(None, description="Value to reach, in the metric's unit; null states none is set.")
    target_date: DateOrNull = Field(None, description="When to reach the target (YYYY-MM-DD); null states no date.")
    unit: Absent[Str] = Field(None, description="Unit of baseline and target, such as percent or minutes.")
    owner: PersonRefOrNull = Field(
        None, description="Person id of who is accountable for the number; null states nobody."
    )
    review_cadence_days: DaysOrNull = Field(
        None, description="Days between reviews of the metric (1 to 36,500); null states it is not reviewed."
    )
    data_source: Absent[Str] = Field(None, description="Where the number comes from.")


class Role(Section):
    """A user role, and how its daily work changes."""

    entity: ClassVar[str] = "role"  # other fields refer to it by id

    id: Id = Field(description="Identifies the role; unique among all ids of the plan.")
    name: Absent[Str] = Field(None, description="Display name.")
    function: Function = Field(description="Business function.")
    level: Level = Field(description="Level of the role.")
    divisions: Absent[list[DivisionRef]] = Field(None, description="Division ids of where the role exists.")
    headcount: Absent[Count] = Field(None, description="People in the role (0 or more).")
    minutes_per_day_before: Absent[Count] = Field(
        None, description="Minutes a day spent on the affected work today (0 or more)."
    )
    minutes_per_day_after: Absent[Count] = Field(
        None, description="Minutes a day on the same work after go-live (0 or more)."
    )
    steps_before: Absent[Count] = Field(None, description="Steps in the core task today (0 or more).")
    steps_after: Absent[Count] = Field(None, description="Steps in the core task after go-live (0 or more).")
    manual_fields_per_record: Absent[Count] = Field(
        None, description="Fields the user types by hand per record (0 or more)."
    )
    minutes_per_day_data_entry: Absent[Count] = Field(
        None, description="Minutes a day of data entry in the CRM (0 or more)."
    )
    data_entry_heavy: Bool = Field(False, description="Marks a non-sales role with heavy data entry (default false).")
    automations: Absent[list[Str]] = Field(
        None, description="What is captured or filled in automatically, such as email_capture."
    )
    wiifm: Absent[list[Str]] = Field(None, description="What the role gains personally ('what's in it for me').")
    cross_department_data: Absent[list[Str]] = Field(
        None, description="Data from other departments the role now sees, such as credit_standing."
    )
    double_entry: Absent[Bool] = Field(
        None, description="Whether the role enters the same data in the CRM and elsewhere after go-live."
    )
    variable_pay: Absent[Bool] = Field(None, description="Whether the role earns commission or a bonus.")
    transition_protection: StrOrNull = Field(
        None, description="How variable pay is protected during the switch; null states it is not."
    )


class Reinforcement(Section):
    """Something that makes using the CRM expected and rewarded for a role."""

    role: RoleRef = Field(description="Role id of the role reinforced.")
    mechanism: Text = Field(description="What reinforces use, such as commission computed only from the CRM.")


class AdoptionDesign(Section):
    """How daily work changes for each user role, and what makes the CRM worth using."""

    roles: Absent[list[Role]] = Field(None, description="The user roles.")
    reinforcement: Absent[list[Reinforcement]] = Field(
        None, description="Mechanisms that make use of the CRM expected and rewarded."
    )


class Segment(Section):
    """A group of customers the rollout affects."""

    entity: ClassVar[str] = "segment"  # other fields refer to it by id

    id: Id = Field(description="Identifies the segment; unique among all ids of the plan.")
    name: Text = Field(description="Display name; not blank.")
    count: Absent[Count] = Field(None, description="Number of customers (0 or more).")
    current_channels: Absent[list[Channel]] = Field(None, description="Channels these customers use today.")
    changes: Absent[list[Str]] = Field(
        None, description="What changes for these customers; [] states nothing does, absent says nothing."
    )


class Customers(Section):
    """The customers the rollout affects."""

    segments: Absent[list[Segment]] = Field(None, description="Customer groups.")
    owner: Absent[PersonRef] = Field(
        None,
        description="Person id of who answers for what customers are told; actions on customer findings go to them.",
    )


class Waiver(Section):
    """A conscious decision to accept one rule's finding, with a reason, an owner and an end date."""

    rule: Text = Field(
        description="The rule waived: a built-in ID or name (LEG001 or its slug), or a custom rule's ID (XSAL001)."
    )
    target: Absent[Ref] = Field(
        None, description="Id of the entity whose finding is waived; absent waives every finding of the rule."
    )
    reason: Text = Field(description="Why the risk is accepted; not blank.")
    owner: Text = Field(description="Who answers for it: a person id or free text; not blank.")
    expires: Date = Field(description="Last day the waiver applies (YYYY-MM-DD).")


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

    schema_version: Literal[1] = Field(description="Plan format version; must be 1.")
    rollout: Rollout = Field(description="The rollout as a project: name, dates, approach, phases and gates.")
    organisation: Organisation = Field(description="The divisions, and other changes affecting their people.")
    people: Absent[list[Person]] = Field(
        None, description="Everyone the plan refers to: sponsor, leaders, owners, team members, senders."
    )
    sponsor: Absent[Sponsor] = Field(None, description="The executive sponsor, co-sponsors and who held the role.")
    leaders: Absent[list[Leader]] = Field(
        None, description="Division leaders, whose behaviour their division copies; one entry per division led."
    )
    governance: Absent[Governance] = Field(
        None, description="Business ownership, change management and the readiness review."
    )
    project_team: Absent[ProjectTeam] = Field(
        None, description="The core project team: who designs and delivers the rollout, and how much of their time."
    )
    processes: Absent[list[Process]] = Field(None, description="Business processes the rollout changes.")
    champions: Absent[list[Champion]] = Field(
        None,
        description="Champions and super-users who help colleagues adopt the CRM; [] states there are none, "
        "absent says nothing.",
    )
    communications: Absent[list[Communication]] = Field(None, description="Planned messages and recurring channels.")
    training: Absent[Training] = Field(None, description="Training sessions and the completion target.")
    support: Absent[Support] = Field(None, description="Hypercare after go-live and the first period close.")
    legacy: Absent[Legacy] = Field(None, description="Reports and systems the CRM replaces.")
    vendors: Absent[list[Vendor]] = Field(None, description="Implementors, software vendors and consultants.")
    delivery_team: DeliveryTeam | None = Field(
        None,
        description="The organisation's own delivery team, when it is its own implementor; null states there is "
        "none, absent says nothing.",
    )
    success_metrics: Absent[list[Metric]] = Field(
        None, description="How success is measured: business outcomes, adoption and delivery."
    )
    adoption_design: Absent[AdoptionDesign] = Field(
        None, description="How daily work changes per user role, and what makes the CRM worth using."
    )
    customers: Absent[Customers] = Field(None, description="Customer segments the rollout affects.")
    waivers: Absent[list[Waiver]] = Field(
        None, description="Accepted findings, each with a reason, an owner and an expiry date."
    )

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
    schema = tidy_schema(Plan.model_json_schema(mode="validation"))
    schema["properties"]["schema_version"] = {"const": 1, "description": "Plan format version; must be 1."}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_URL, **schema}


def tidy_schema(node: Any) -> Any:
    """Drop pydantic's ``"default": null`` on fields that are merely optional, and the
    implementation notes in model docstrings."""
    if isinstance(node, dict):
        return {
            k: tidy_schema(v)
            for k, v in node.items()
            if not (k == "default" and v is None) and not (k == "description" and ":mod:" in str(v))
        }
    if isinstance(node, list):
        return [tidy_schema(v) for v in node]
    return node


# entities and references, found from the declarations above ---------------------------------------

_Layout = tuple[tuple[str, str, str, Any], ...]  # attribute, key in the file, what it holds, kind or model


def _refers(annotation: Any) -> str | None:
    for item in getattr(annotation, "__metadata__", ()):
        if isinstance(item, Refers):
            return item.kind
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    members = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    for member in members:
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


@functools.cache
def field_layout(model: type[BaseModel]) -> _Layout:
    """Where a model's fields lead: to a reference (or a list of them), or to nested models."""
    out: list[tuple[str, str, str, Any]] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        kind = next((m.kind for m in field.metadata if isinstance(m, Refers)), None)
        annotation = field.annotation
        if kind is not None:
            out.append((name, key, "ref", kind))
        elif typing.get_origin(annotation) is list:
            (item,) = typing.get_args(annotation)
            if (kind := _refers(item)) is not None:
                out.append((name, key, "ref", kind))
            elif (inner := _model(item)) is not None:
                out.append((name, key, "models", inner))
        elif (inner := _model(annotation)) is not None:
            out.append((name, key, "model", inner))
    return tuple(out)


def _walk(node: BaseModel, path: Path) -> Iterator[tuple[str, Path, str, Any]]:
    entity = getattr(type(node), "entity", None)
    if entity is not None and getattr(node, "id", None) is not None:
        yield "entity", (*path, "id"), entity, node
    for name, key, holds, kind in field_layout(type(node)):
        value = getattr(node, name)
        if value is None:
            continue
        if holds == "ref":
            if isinstance(value, str):
                if value != "all":
                    yield "ref", (*path, key), kind, value
            else:
                for i, item in enumerate(value):
                    yield "ref", (*path, key, i), kind, item
        elif holds == "model":
            yield from _walk(value, (*path, key))
        else:
            for i, item in enumerate(value):
                yield from _walk(item, (*path, key, i))


@dataclass(frozen=True)
class Graph:
    """A plan's entities (kind, path of the ``id``, id, entity) and references (path, kind, id
    named), in the order of the file."""

    entities: list[tuple[str, Path, str, Any]]
    references: list[tuple[Path, str, str]]


_last: tuple[Plan, Graph] | None = None  # the graph of the plan last asked about


def graph(plan: Plan) -> Graph:
    """The plan's entities and references, found in one walk: validation and the rules' context
    ask about the same plan one after the other, so the last one is kept."""
    global _last
    if _last is None or _last[0] is not plan:
        found = Graph([], [])
        for tag, path, kind, value in _walk(plan, ()):
            if tag == "entity":
                found.entities.append((kind, path, value.id, value))
            else:
                found.references.append((path, kind, value))
        _last = (plan, found)
    return _last[1]


def entities(plan: Plan) -> Iterator[tuple[str, Path, str, Any]]:
    """Every entity that can be referred to: its kind, the path of its ``id``, the id and itself,
    in the order of the file."""
    return iter(graph(plan).entities)


def references(plan: Plan) -> Iterator[tuple[Path, str, str]]:
    """Every reference in the plan: its path, the kind of entity it names, and the id it names."""
    return iter(graph(plan).references)
