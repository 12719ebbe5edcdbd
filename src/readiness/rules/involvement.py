"""Involvement and champions (INV)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from readiness.findings import Result
from readiness.model import CHANGE_DEGREES, ChangeDegree, Level, has
from readiness.rules.base import OptDays, Options, heuristic, present, rule, sourced
from readiness.rules.context import Context, plus
from readiness.types import NonNegNumber, Pct
from readiness.wording import day, join, num, parts, plural, ratio


class Inv001Options(Options):
    lead_days: OptDays = heuristic(60, "Days before the division's go-live by which a champion must be selected.")


@rule(
    "INV001",
    "division-without-champion",
    "error",
    "Impacted division without a champion selected in time",
    seeds=("S3", "S4"),
    rationale="""The telecom in S3 formed a super-user group of 12 to 15 representatives of the
    customer-facing functions at the outset to feed user needs into the project; its failure lay
    elsewhere. S4 asks project-team members to champion the cause among their peers, addressing
    doubts and fears. The Dynamics 365 Implementation Guide's resistance plan relies on early
    engagement of trusted user champions. Gartner's 2012 guidance on super-user networks treats
    them as a formal, rewarded role.""",
    remediation="""Name at least one respected peer per division as champion early, and involve
    them in design and testing.""",
    sources=(
        "Seeds S3, S4",
        "Microsoft, Dynamics 365 Implementation Guide",
        "Gartner, Use These Best Practices to Manage the ERP Superuser Network, 2012",
    ),
    options=Inv001Options,
    requires=(("champions",),),
    question="""Who are the champions in each impacted division, and when are they selected?
    Record them in `champions` with `selected_on`.""",
    owner=("leader", "change_manager", "sponsor"),
)
def division_without_champion(ctx: Context, opt: Inv001Options) -> Iterator[Result]:
    for i, d in ctx.impacted:
        path = ("organisation", "divisions", i)
        entries = ctx.champion_entries.get(d.id, [])
        go_live = ctx.go_live_of(d.id)
        deadline = plus(go_live, -opt.lead_days)
        if any(e.selected_on is not None and e.selected_on <= deadline for _, e in entries):
            yield ctx.passed(d.id, path)
        elif not entries:
            yield ctx.failed(d.id, path, f"{ctx.entity(d.id)} has no champion.", due=deadline)
        elif absent := [("champions", j, "selected_on") for j, e in entries if not has(e, "selected_on")]:
            yield ctx.unknown(d.id, path, absent, due=deadline)
        else:
            yield ctx.failed(
                d.id,
                path,
                f"{ctx.entity(d.id)} has no champion selected by {day(deadline)} "
                f"({plural(opt.lead_days, 'day')} before its go-live {day(go_live)}).",
                due=deadline,
            )


class Inv002Options(Options):
    max_users_per_champion: NonNegNumber = sourced(
        20, "Most users per champion (loosened from Gartner's 1 per 10; practitioners use 15-20)."
    )
    min_allocation_pct: Pct = sourced(10, "Least protected time for a champion, in percent (Gartner).")


@rule(
    "INV002",
    "thin-champion-coverage",
    "warning",
    "Too many users per champion, or champions without protected time",
    rationale="""Gartner's 2012 note on super-user networks aims for one super-user per 10 end users
    and expects super-user support to take up to 10% of their workload. Too few super-users show up
    as high help-desk volume and poor acceptance. The default ratio is deliberately looser than
    Gartner's aim, and a rubric can tighten it.""",
    remediation="""Add champions until the ratio is met, and agree protected time with their
    managers.""",
    sources=("Gartner, Use These Best Practices to Manage the ERP Superuser Network, 2012",),
    options=Inv002Options,
    requires=(("champions",),),
    question="""How many people in each division will use the CRM, and how much protected time
    does each of its champions get? Record it in `organisation.divisions[].headcount` and
    `champions[].allocation_pct`.""",
    owner=("leader", "change_manager", "sponsor"),
)
def thin_champion_coverage(ctx: Context, opt: Inv002Options) -> Iterator[Result]:
    for i, d in ctx.impacted:
        entries = ctx.champion_entries.get(d.id, [])
        if not entries:
            continue
        path = ("organisation", "divisions", i)
        count = sum(1 if e.person is not None else (e.count or 0) for _, e in entries)
        # groups whose size is not known: they can only add champions, so they leave the ratio
        # undecided only when the champions known so far are too few
        sizeless = [("champions", j, "count") for j, e in entries if e.person is None and e.count is None]
        problems = []
        absent: list[tuple[Any, ...]] = []
        too_many = count == 0 or Fraction(d.headcount or 0, count) > Fraction(opt.max_users_per_champion)
        if d.headcount is None:
            absent.append((*path, "headcount"))
        elif too_many and sizeless:
            absent += sizeless
        elif too_many:
            share = "shares" if d.headcount == 1 else "share"
            problems.append(
                f"{plural(d.headcount, 'person', 'people')} {share} {plural(count, 'champion')} "
                f"({ratio(Fraction(d.headcount, count))} each, limit {num(opt.max_users_per_champion)})"
            )
        thin = []
        for j, e in entries:
            if e.allocation_pct is None:
                absent.append(("champions", j, "allocation_pct"))
            elif e.allocation_pct < opt.min_allocation_pct:
                group = f"group of {e.count}" if e.count is not None else "group of unknown size"
                shown = e.id or (ctx.entity(e.person) if e.person else group)
                thin.append(f"{shown} at {num(e.allocation_pct)}%")
        if thin:
            who = f"champions {join(thin)} have" if len(thin) > 1 else f"champion {thin[0]} has"
            problems.append(f"{who} too little protected time (minimum {num(opt.min_allocation_pct)}%)")
        if problems:
            yield ctx.failed(d.id, path, parts(f"{ctx.entity(d.id)}: ", problems))
        elif absent:
            yield ctx.unknown(d.id, path, absent)
        else:
            yield ctx.passed(d.id, path)


class Inv003Options(Options):
    required_levels: list[Level] = heuristic(
        ["executive", "middle_manager", "frontline"], "Levels the project team must include."
    )


@rule(
    "INV003",
    "project-team-missing-levels",
    "warning",
    "Project team lacks key players from all levels",
    seeds=("S4",),
    rationale="""S4 argues that a CRM project team must include key players from all levels: the
    people who would fight a technology-only initiative become invaluable when they own the ideas.
    At Nestle USA, the key stakeholders' team included none of the groups directly affected by the
    new processes, which its head later called a near-fatal mistake. McKinsey (2017) ties success
    to engaging line managers and front-line employees.""",
    remediation="Add frontline and middle-manager members with agreed time on the project.",
    sources=("Seed S4", "Press reports on Nestle USA", "McKinsey, The people power of transformations, 2017"),
    options=Inv003Options,
    requires=(("project_team",),),
    question="""Who is on the core project team, and does it include people from every level,
    frontline staff and middle managers as well as executives? Record them in
    `project_team.members`.""",
    owner=("programme_lead", "sponsor"),
)
def project_team_missing_levels(ctx: Context, opt: Inv003Options) -> Iterator[Result]:
    path = ("project_team", "members")
    levels = {ctx.level(m.person) for m in present(ctx.plan.project_team).members}
    if ctx.plan.sponsor is not None and ctx.plan.sponsor.primary is not None:
        levels.add(ctx.level(ctx.plan.sponsor.primary))
    gaps = [lv for lv in opt.required_levels if lv not in levels]
    if gaps:
        level = "level" if len(gaps) == 1 else "levels"
        yield ctx.failed(None, path, f"The project team has no member at {level} {join(gaps)}.")
    else:
        yield ctx.passed(None, path)


class Inv004Options(Options):
    min_change_degree: ChangeDegree = heuristic(
        "medium", "Least change to a process that requires its owner's involvement."
    )
    fallback_lead_days: OptDays = heuristic(
        120,
        "Without a design phase: days before go-live by which owners must be involved.",
    )


def design_limit(ctx: Context, fallback_lead_days: int) -> dt.date:
    return ctx.design_end if ctx.design_end is not None else plus(ctx.go_live, -fallback_lead_days)


@rule(
    "INV004",
    "process-owner-not-involved",
    "error",
    "Owner of a changing process is not part of the solution",
    seeds=("S4",),
    rationale="""S4 warns that people protect turf: managers who owned a process whose purpose comes
    into question will become a problem unless they are brought into the search for a solution. At
    Nestle USA, the heads of sales and of the divisions kept being "surprised". SAP's counter-claim
    in the Waste Management case alleged that the client failed to provide "knowledgeable,
    decision-empowered users and managers"; this is an allegation, and the case settled in
    2010.""",
    remediation="""Make each owner of a changing process a design-authority member with sign-off on
    the future process.""",
    sources=(
        "Seed S4",
        "Press reports on Nestle USA",
        "Waste Management v. SAP, counter-claim (allegation; settled 2010)",
    ),
    options=Inv004Options,
    requires=(("processes",),),
    question="""Is the owner of each changing process on the project team, or when do they start
    designing the new process? Record it in `project_team.members` or
    `processes[].owner_involved_on`.""",
    owner=("owner", "programme_lead", "business_owner"),
)
def process_owner_not_involved(ctx: Context, opt: Inv004Options) -> Iterator[Result]:
    limit = design_limit(ctx, opt.fallback_lead_days)
    team = ctx.plan.project_team
    members = {m.person for m in team.members} if team is not None else set()
    floor = CHANGE_DEGREES.index(opt.min_change_degree)
    for i, proc in enumerate(present(ctx.plan.processes)):
        if CHANGE_DEGREES.index(proc.change_degree) < floor:
            continue
        path = ("processes", i, "owner")
        involved = proc.owner_involved_on
        if proc.owner in members or (involved is not None and involved <= limit):
            yield ctx.passed(proc.id, path)
            continue
        absent: list[tuple[Any, ...]] = []
        if team is None:
            absent.append(("project_team",))
        if not has(proc, "owner_involved_on"):
            absent.append(("processes", i, "owner_involved_on"))
        if absent:
            yield ctx.unknown(proc.id, path, absent, due=limit)
            continue
        head = (
            f"{ctx.called('Process', proc.id)} ({proc.change_degree} change) is owned by {ctx.entity(proc.owner)}, "
            "who is not on the project team and is "
        )
        tail = (
            f"never involved; the limit is {day(limit)}."
            if involved is None
            else f"involved only from {day(involved)}; the limit is {day(limit)}."
        )
        yield ctx.failed(proc.id, path, head + tail, due=limit)


class Inv005Options(Options):
    fallback_lead_days: OptDays = heuristic(
        120,
        "Without a design phase: days before go-live by which end users must take part.",
    )
    user_levels: list[Level] = heuristic(["frontline"], "Levels whose members count as end users.")


@rule(
    "INV005",
    "late-user-involvement",
    "warning",
    "Affected users are engaged only after design",
    seeds=("S2",),
    rationale="""In S2, the internal onlookers assumed the outsourced team would meet expectations;
    the seed's lesson is that they should have taken part closely in discovery and deployment and
    caught the problems early. In the Dynamics 365 change-management case study, order takers were
    kept out until late in the project and nearly revolted. The UK National Audit Office criticised
    NHS NPfIT for not consulting clinicians before the specification was drawn up.""",
    remediation="Bring end-user representatives and champions into discovery and design workshops.",
    sources=(
        "Seed S2",
        "Microsoft, Dynamics 365 Implementation Guide (change-management case study)",
        "UK National Audit Office on NHS NPfIT",
    ),
    options=Inv005Options,
    question="""When do end users, as project-team members or champions, first take part in
    discovery and design? Record it in `project_team.members[].joined_on` or
    `champions[].selected_on`.""",
    owner=("programme_lead", "change_manager", "sponsor"),
)
def late_user_involvement(ctx: Context, opt: Inv005Options) -> Iterator[Result]:
    p = ctx.plan
    if not has(p, "project_team") and not has(p, "champions"):
        yield ctx.plan_unknown(("project_team",), ("champions",))  # type: ignore[misc]
        return
    path = ("project_team", "members")
    limit = design_limit(ctx, opt.fallback_lead_days)
    users = set(opt.user_levels)
    dates: list[dt.date] = []
    absent: list[tuple[Any, ...]] = []
    if p.project_team is not None:
        for j, m in enumerate(p.project_team.members):
            if ctx.level(m.person) in users:
                if m.joined_on is not None:
                    dates.append(m.joined_on)
                else:
                    absent.append(("project_team", "members", j, "joined_on"))
    else:
        absent.insert(0, ("project_team",))
    if p.champions is not None:
        for j, e in enumerate(p.champions):
            if e.selected_on is not None:
                dates.append(e.selected_on)
            elif not has(e, "selected_on"):
                absent.append(("champions", j, "selected_on"))
    else:
        absent.insert(0, ("champions",))
    if any(when <= limit for when in dates):
        yield ctx.passed(None, path)
    elif absent:
        yield ctx.unknown(None, path, absent, due=limit)
    elif dates:
        yield ctx.failed(
            None,
            path,
            f"End users first take part on {day(min(dates))}, after the design limit {day(limit)}.",
            due=limit,
        )
    else:
        yield ctx.failed(None, path, f"No end user takes part by the design limit {day(limit)}.", due=limit)
