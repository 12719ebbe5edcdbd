"""Adoption design (ADOPT)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from readiness.findings import Result
from readiness.model import Function, Level, has
from readiness.rules.base import OptCount, Options, heuristic, present, rule
from readiness.rules.context import Context, is_empty
from readiness.wording import parts, plural

ROLES = (("adoption_design",), ("adoption_design", "roles"))


class Adopt001Options(Options):
    max_manual_fields: OptCount = heuristic(15, "Most fields typed by hand per record.")
    max_entry_minutes: OptCount = heuristic(30, "Most minutes a day of data entry.")
    functions: list[Function] = heuristic(["sales"], "Functions whose roles are checked.")


@rule(
    "ADOPT001",
    "data-entry-burden",
    "warning",
    "Heavy data entry for sales with no automation",
    seeds=("S5",),
    rationale="""S5 describes salespeople promised efficiency and then expected to spend hours on
    data entry; its author's best adoption came from external customer data fed in automatically.
    AMR Research (2007, 190 executives) found that 29% of CRM projects failed, mainly because reps
    did not use the system, largely over ease of use, and a 2004 Yankee Group survey put sales
    administration, data entry included, at 16% of a rep's day. An Avon sales leader said of the
    failed system that "they put more steps in it than are needed".""",
    remediation="""Add enrichment, email and calendar capture and defaulted fields, and cut the
    required fields to those the rep actually uses.""",
    sources=("Seed S5", "AMR Research, 2007", "Yankee Group, 2004", "Press reports on Avon, 2013"),
    options=Adopt001Options,
    requires=ROLES,
    question="""How many fields do sales users type by hand per record, how many minutes a day
    go to data entry, and what is captured for them automatically? Record it in
    `adoption_design.roles[]`.""",
    owner=("programme_lead", "business_owner"),
)
def data_entry_burden(ctx: Context, opt: Adopt001Options) -> Iterator[Result]:
    for i, role in enumerate(present(present(ctx.plan.adoption_design).roles)):
        if role.function not in opt.functions and role.data_entry_heavy is not True:
            continue
        path = ("adoption_design", "roles", i)
        halves: list[str] = []
        undecided: list[tuple[Any, ...]] = []
        fields, minutes = role.manual_fields_per_record, role.minutes_per_day_data_entry
        if fields is None:
            undecided.append((*path, "manual_fields_per_record"))
        elif fields > opt.max_manual_fields:
            halves.append(f"{plural(fields, 'field')} per record (limit {opt.max_manual_fields})")
        if minutes is None:
            undecided.append((*path, "minutes_per_day_data_entry"))
        elif minutes > opt.max_entry_minutes:
            halves.append(f"{plural(minutes, 'minute')} a day of data entry (limit {opt.max_entry_minutes})")
        burden: bool | None = True if halves else (None if undecided else False)
        automations = role.automations
        no_automation: bool | None = None if automations is None else not automations
        if burden and no_automation:
            yield ctx.failed(
                role.id,
                path,
                parts(f"{ctx.called('Role', role.id)} has a heavy data-entry burden with nothing automated: ", halves),
            )
        elif burden is False or no_automation is False:
            yield ctx.passed(role.id, path)
        else:
            if automations is None:
                undecided.append((*path, "automations"))
            yield ctx.unknown(role.id, path, undecided)


class LevelsOptions(Options):
    levels: list[Level] = heuristic(["frontline"], "Levels of the roles checked.")


@rule(
    "ADOPT002",
    "role-without-value-back",
    "warning",
    "A front-line role gets nothing back from the CRM",
    seeds=("S5",),
    rationale="""S5 reports that adoption improved "dramatically" once sales people could see other
    departments' data, such as a customer's credit standing or open support issues; its author
    concludes that the system must be designed so every community wants to use it. In ADKAR terms
    this is Desire. A CIO quoted in the AMR coverage said the system needs "enough value ... to
    make it irresistible", and the Dynamics 365 guide warns that without it the CRM becomes "just a
    data entry tool".""",
    remediation="""Give each role something it could not get before, such as credit status, open
    support cases or order history on the account.""",
    sources=("Seed S5", "Prosci ADKAR", "AMR Research, 2007", "Microsoft, Dynamics 365 Implementation Guide"),
    options=LevelsOptions,
    requires=ROLES,
    question="""What does each frontline role get back from the CRM, for itself or as data from
    other departments that it could not see before? Record it in the role's `wiifm` and
    `cross_department_data`.""",
    owner=("business_owner", "programme_lead"),
)
def role_without_value_back(ctx: Context, opt: LevelsOptions) -> Iterator[Result]:
    for i, role in enumerate(present(present(ctx.plan.adoption_design).roles)):
        if role.level not in opt.levels:
            continue
        path = ("adoption_design", "roles", i)
        lists = (("wiifm", role.wiifm), ("cross_department_data", role.cross_department_data))
        if any(value for _, value in lists):
            yield ctx.passed(role.id, path)
        elif all(value is not None for _, value in lists):
            yield ctx.failed(
                role.id,
                path,
                f"{ctx.called('Role', role.id)} gets nothing back from the CRM: no personal "
                "benefit and no data from other departments.",
            )
        else:
            yield ctx.unknown(role.id, path, [(*path, name) for name, value in lists if value is None])


@rule(
    "ADOPT003",
    "no-reinforcement",
    "warning",
    "Nothing reinforces use of the CRM",
    seeds=("S5",),
    rationale="""S5 observes that salespeople can ignore a CRM like no other community: top
    performers who ignore it stay stars, while active users who miss their numbers are still fired.
    ADKAR's last element is Reinforcement, and Prosci (2014) associates planning for it with more
    than 27% higher odds of reaching intended outcomes. The Dynamics 365 checklist asks for rewards
    and corrective actions, and its case study includes a plan to calculate commissions fairly
    during the transition.""",
    remediation="""Make the CRM the only source for forecasts and commissions, run pipeline reviews
    in it, recognise early adopters, and protect variable pay during the transition.""",
    sources=(
        "Seed S5",
        "Prosci ADKAR",
        "Prosci, Best Practices in Change Management, 2014",
        "Microsoft, Dynamics 365 change-management checklist and case study",
    ),
    options=LevelsOptions,
    requires=ROLES,
    question="""What makes using the CRM expected and rewarded for each frontline role, and if
    the role earns commission or a bonus, how is that pay protected during the switch? Record it
    in `adoption_design.reinforcement` and the role's `variable_pay` and
    `transition_protection`.""",
    owner=("leader", "business_owner", "sponsor"),
)
def no_reinforcement(ctx: Context, opt: LevelsOptions) -> Iterator[Result]:
    design = present(ctx.plan.adoption_design)
    reinforced = {r.role for r in design.reinforcement} if design.reinforcement is not None else None
    for i, role in enumerate(present(design.roles)):
        if role.level not in opt.levels:
            continue
        path = ("adoption_design", "roles", i)
        problems = []
        absent: list[tuple[Any, ...]] = []
        if reinforced is None:
            absent.append(("adoption_design", "reinforcement"))
        elif role.id not in reinforced:
            problems.append("nothing reinforces use of the CRM")
        if role.variable_pay is None:
            absent.append((*path, "variable_pay"))
        elif role.variable_pay:
            if not has(role, "transition_protection"):
                absent.append((*path, "transition_protection"))
            elif is_empty(role.transition_protection):
                problems.append("variable pay has no protection during the transition")
        if problems:
            yield ctx.failed(role.id, path, parts(f"{ctx.called('Role', role.id)}: ", problems))
        elif absent:
            yield ctx.unknown(role.id, path, absent)
        else:
            yield ctx.passed(role.id, path)
