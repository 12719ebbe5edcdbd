"""Sponsorship and leadership (LEAD)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from readiness.findings import Result
from readiness.model import Level, has
from readiness.rules.base import OptCount, OptDays, Options, heuristic, present, rule
from readiness.rules.context import Context, level_rank, plus
from readiness.types import Bool
from readiness.wording import day, join, parts, plural


class Lead001Options(Options):
    lead_days: OptDays = heuristic(30, "Days before the division's go-live by which the commitment must be signed.")


@rule(
    "LEAD001",
    "leader-without-commitment",
    "error",
    "Division leader has no signed adoption commitment",
    seeds=("S1",),
    rationale="""In S1 every division leader agreed to the new dashboards in a meeting, yet one then
    forced his staff onto the CRM while still demanding "his" old reports, and his peers followed;
    a spoken agreement was not enough, a service-level agreement was needed. Prosci's sponsorship
    model asks sponsors to build a coalition of leaders, and its 2016 benchmark (1,120
    participants) ranks manager and supervisor resistance third among obstacles. Kotter (HBR 1995)
    lists the lack of a powerful guiding coalition as a classic error.""",
    remediation="""Before go-live, have each division leader sign a short commitment: run their own
    reviews from CRM dashboards, retire their private reports, set a usage target for their team
    and coach to it. Record signature dates in `leaders[].commitment`.""",
    sources=(
        "Seed S1",
        "Prosci, Best Practices in Change Management, 2016",
        "Kotter, Leading Change: Why Transformation Efforts Fail, HBR 1995",
    ),
    options=Lead001Options,
    requires=(("leaders",),),
    question="""Has each impacted division's leader signed a written adoption commitment, and on
    what date? Record it in `leaders[].commitment`.""",
    owner=("leader", "sponsor"),
)
def leader_without_commitment(ctx: Context, opt: Lead001Options) -> Iterator[Result]:
    staged: list[tuple[int, Any, str, list[Any], dt.date]] = []
    for i, d in ctx.impacted:
        deadline = plus(ctx.go_live_of(d.id), -opt.lead_days)
        status = "fail"
        absent: list[tuple[Any, ...]] = []
        for j, leader in ctx.leaders_of.get(d.id, []):
            c = leader.commitment
            if c is not None and c.signed and c.signed_on is not None and c.signed_on <= deadline:
                status = "pass"
                break
            if not has(leader, "commitment"):
                absent.append(("leaders", j, "commitment"))
            elif c is not None and c.signed and not has(c, "signed_on"):
                absent.append(("leaders", j, "commitment", "signed_on"))
        if status == "fail" and absent:
            status = "unknown"
        staged.append((i, d, status, absent, deadline))
    covered = sum(1 for s in staged if s[2] == "pass")
    impacted = plural(len(staged), "impacted division")
    verb = "is" if covered == 1 or len(staged) == 1 else "are"
    for i, d, status, absent, deadline in staged:
        path = ("organisation", "divisions", i)
        if status == "pass":
            yield ctx.passed(d.id, path)
        elif status == "unknown":
            yield ctx.unknown(d.id, path, absent, due=deadline)
        else:
            go_live = ctx.go_live_of(d.id)
            yield ctx.failed(
                d.id,
                path,
                f"{ctx.entity(d.id)} has no leader with an adoption commitment signed by "
                f"{day(deadline)} ({plural(opt.lead_days, 'day')} before its go-live "
                f"{day(go_live)}); {covered} of {impacted} {verb} covered.",
                due=deadline,
            )


class Lead002Options(Options):
    min_level: Level = heuristic("senior_manager", "Lowest level accepted for the primary sponsor.")
    single_accountable: Bool = heuristic(
        False,
        "With co-sponsors, require the primary sponsor's own authority to reach every impacted division, "
        "so that one executive is accountable for all of them.",
    )


@rule(
    "LEAD002",
    "sponsor-without-authority",
    "error",
    "No executive sponsor with authority over every impacted division",
    rationale="""Prosci's benchmark has ranked active and visible executive sponsorship as the top
    contributor to success study after study; in 2014 (822 participants, the eighth consecutive
    study to rank it first) it was cited more than three times as often as the next factor.
    Prosci's list of sponsorship failures starts with a sponsor at the wrong level, or in the wrong
    part of the organisation, who lacks control over the people and systems being changed; its
    Project Change Triangle assessment asks whether the sponsor has that authority. Splitting the
    authority among co-sponsors leaves nobody who can settle a conflict between them: the
    independent assessment of Cover Oregon (First Data Government Solutions, 2014) named the lack
    of a single point of authority among the causes of its failure. With `single_accountable` on
    (the strict rubric sets it), co-sponsors are accepted only under a primary sponsor whose own
    authority reaches every impacted division.""",
    remediation="""Name a primary sponsor senior enough to direct every impacted division, or add
    co-sponsors with authority over the divisions not yet covered.""",
    sources=(
        "Prosci, Best Practices in Change Management, 2014",
        "Prosci, Project Change Triangle",
        "First Data Government Solutions, independent assessment of Cover Oregon, 2014",
    ),
    options=Lead002Options,
    requires=(("sponsor",),),
    question="""Who is the executive sponsor, at what level, and over which impacted divisions
    can they, or co-sponsors, direct people, processes and systems? Record it in `sponsor`.""",
    owner=("business_owner", "sponsor", "programme_lead"),
)
def sponsor_without_authority(ctx: Context, opt: Lead002Options) -> Iterator[Result]:
    s = present(ctx.plan.sponsor)
    problems: list[str] = []
    path: tuple[Any, ...] | None = None
    undecided: list[tuple[Any, ...]] = []
    if has(s, "primary") and s.primary is None:
        problems.append("no primary sponsor")
        path = ("sponsor", "primary")
    elif s.primary is not None:
        level = ctx.level(s.primary)
        if level is not None and level_rank(level) > level_rank(opt.min_level):
            problems.append(f"{ctx.called('primary sponsor', s.primary)} is {level}, below {opt.min_level}")
            path = ("sponsor", "primary")
    else:
        undecided.append(("sponsor", "primary"))
    covered: set[str] = set()
    everything = False
    for grant in [s.authority_over] + [c.authority_over for c in s.co_sponsors or []]:
        if grant == "all":
            everything = True
        elif grant:
            covered.update(grant)
    outside = [] if everything else [d.id for _, d in ctx.impacted if d.id not in covered]
    if outside:
        if has(s, "authority_over"):
            problems.append(f"no sponsor has authority over {ctx.entities(outside)}")
            path = path or ("sponsor", "authority_over")
        else:
            undecided.append(("sponsor", "authority_over"))
    if opt.single_accountable and s.co_sponsors and s.primary is not None:
        # the divisions only co-sponsors direct: nobody is accountable over their sponsors
        own = s.authority_over
        if own is None:
            if ("sponsor", "authority_over") not in undecided:
                undecided.append(("sponsor", "authority_over"))
        elif own != "all":
            directed = {*own, *outside}  # a set: the plan's divisions are looked up once each
            split = [d.id for _, d in ctx.impacted if d.id not in directed]
            if split:
                co = list(dict.fromkeys(c.person for c in s.co_sponsors))
                who = f"co-sponsor {ctx.entity(co[0])}" if len(co) == 1 else f"co-sponsors {ctx.entities(co)}"
                problems.append(
                    f"{who} alone {'directs' if len(co) == 1 else 'direct'} {ctx.entities(split)}, so no single "
                    "executive is accountable for every impacted division"
                )
                path = path or ("sponsor", "co_sponsors")
    if problems:
        yield ctx.failed(
            None,
            path or ("sponsor", "primary"),
            parts("Executive sponsorship does not reach every impacted division: ", problems),
        )
    elif undecided:
        yield ctx.unknown(None, ("sponsor", "primary"), undecided)
    else:
        yield ctx.passed(None, ("sponsor", "primary"))


class Lead003Options(Options):
    lead_days: OptDays = heuristic(30, "Days before go-live by which the sponsor must have spoken to staff.")


@rule(
    "LEAD003",
    "sponsor-not-visible",
    "warning",
    "Sponsor does not speak to staff before go-live",
    seeds=("S3",),
    rationale="""In S3, senior management chose not to communicate or promote the initiative until
    implementation neared completion, and the rumour mill filled the silence. Prosci's 2016
    benchmark found a lack of active and visible sponsorship cited more than twice as often as any
    other obstacle, typically a sponsor who appears at kickoff and then steps away. The Microsoft
    Dynamics 365 Implementation Guide asks for a sponsor roadmap that keeps executives active and
    visible; in its change-management case study, the president's address to the whole company on
    why the change mattered helped turn a failing rollout round.""",
    remediation="""Put sponsor-sent messages into the communication plan (kickoff, mid-project and
    before go-live), addressed to all impacted staff.""",
    sources=(
        "Seed S3",
        "Prosci, Best Practices in Change Management, 2016",
        "Microsoft, Dynamics 365 Implementation Guide",
    ),
    options=Lead003Options,
    requires=(("sponsor",), ("communications",)),
    question="""Will the executive sponsor address all impacted staff in their own name before
    go-live, and when is the first such message? Record it in `communications` with the sponsor
    as `sender`.""",
    owner=("sponsor", "change_manager", "programme_lead"),
)
def sponsor_not_visible(ctx: Context, opt: Lead003Options) -> Iterator[Result]:
    path = ("communications",)
    s = present(ctx.plan.sponsor)
    deadline = plus(ctx.go_live, -opt.lead_days)
    if not has(s, "primary"):
        yield ctx.unknown(None, path, [("sponsor", "primary")], due=deadline)
        return
    if s.primary is None:
        yield ctx.failed(
            None, path, "No sponsor is named, so no sponsor message reaches staff before go-live.", due=deadline
        )
        return
    if any(c.sender == s.primary and c.first_date <= deadline for _, c in ctx.internal_comms):
        yield ctx.passed(None, path)
    else:
        yield ctx.failed(
            None,
            path,
            f"{ctx.called('The sponsor', s.primary)} sends no message to staff by "
            f"{day(deadline)} ({plural(opt.lead_days, 'day')} before go-live).",
            due=deadline,
        )


class Lead004Options(Options):
    leader_levels: list[Level] = heuristic(
        ["executive", "senior_manager", "middle_manager", "supervisor"],
        "Levels whose training sessions count as leader training.",
    )
    min_gap_days: OptDays = heuristic(1, "Days by which leader training must precede frontline training.")


@rule(
    "LEAD004",
    "leaders-trained-after-staff",
    "warning",
    "Leaders are not trained before their staff",
    seeds=("S1", "S2"),
    rationale="""S1 says leaders must be invested in the implementation and trained in the system
    beforehand, because their behaviour spreads; in S2, leaders who resisted education left the
    global staff underusing the CRM. The Dynamics 365 Implementation Guide's coaching plan engages
    managers as employees first and then equips them to lead the change with their teams, and
    Prosci's 12th edition lists engaging and supporting people managers among the seven top
    contributors. Practitioner reports on HubSpot rollouts (low authority) describe adoption
    decaying when sales managers never learn to run pipeline reviews in the CRM.""",
    remediation="""Train each division's leaders first, including running their own reviews and
    forecasts inside the CRM, before their staff's training starts.""",
    sources=(
        "Seeds S1, S2",
        "Microsoft, Dynamics 365 Implementation Guide",
        "Prosci, Best Practices in Change Management, 12th edition",
        "Practitioner reports on HubSpot adoption (low authority)",
    ),
    options=Lead004Options,
    requires=(("training",), ("training", "sessions")),
    question="""When will each division's leaders be trained in the CRM, and is that before
    their frontline staff's training starts? Record it in `leaders[].trained_on` or as training
    sessions for leader levels.""",
    owner=("leader", "training_owner", "change_manager"),
)
def leaders_trained_after_staff(ctx: Context, opt: Lead004Options) -> Iterator[Result]:
    cov = ctx.session_coverage
    for i, d in ctx.impacted:
        path = ("organisation", "divisions", i)
        t_staff = cov.earliest(d.id, "frontline")
        leader_dates = [w for w in (cov.earliest(d.id, lv) for lv in opt.leader_levels) if w is not None]
        t_lead_sessions = min(leader_dates) if leader_dates else None
        if t_staff is None:
            yield ctx.passed(d.id, path)
            continue
        dates = [leader.trained_on for _, leader in ctx.leaders_of.get(d.id, []) if leader.trained_on is not None]
        if t_lead_sessions is not None:
            dates.append(t_lead_sessions)
        limit = plus(t_staff, -opt.min_gap_days)
        if any(when <= limit for when in dates):
            yield ctx.passed(d.id, path)
            continue
        absent: list[tuple[Any, ...]] = []
        if not has(ctx.plan, "leaders"):
            absent.append(("leaders",))
        else:
            absent += [
                ("leaders", j, "trained_on")
                for j, leader in ctx.leaders_of.get(d.id, [])
                if not has(leader, "trained_on")
            ]
        if absent:
            yield ctx.unknown(d.id, path, absent, due=limit)
        elif dates:
            yield ctx.failed(
                d.id,
                path,
                f"In {ctx.entity(d.id)}, leaders are first trained on {day(min(dates))} "
                f"but frontline training starts {day(t_staff)}; leaders should be trained "
                f"at least {plural(opt.min_gap_days, 'day')} earlier.",
                due=limit,
            )
        else:
            yield ctx.failed(
                d.id,
                path,
                f"In {ctx.entity(d.id)}, no leader training is planned before frontline "
                f"training starts {day(t_staff)}.",
                due=limit,
            )


class Lead005Options(Options):
    freeze_days: OptDays = heuristic(180, "Days before go-live from which a sponsor or lead change counts as late.")
    max_changes: OptCount = heuristic(1, "Most sponsor and programme-lead changes accepted since kickoff.")


@rule(
    "LEAD005",
    "late-sponsor-change",
    "warning",
    "Sponsor or programme lead changes late in the rollout",
    rationale="""Prosci's 2007 and 2012 benchmarks count changes of sponsor among the forms of
    ineffective sponsorship. The NHS National Programme for IT had six senior responsible owners
    after 2004, and MPs later asked whether to scrap what remained of it. Lidl's head of IT left in
    May 2017; the EUR 500M eLWIS programme was stopped in July 2018, its strategic goals "not
    possible at an acceptable expense".""",
    remediation="""Confirm that the sponsor and programme lead stay through hypercare. If a change
    cannot be avoided, plan a handover and have the new sponsor restate the commitment in
    public.""",
    sources=(
        "Prosci, Best Practices in Change Management, 2007 and 2012",
        "UK Public Accounts Committee on the NHS National Programme for IT",
        "Press reports on Lidl eLWIS, 2018",
    ),
    options=Lead005Options,
    question="""Has the sponsor or the programme lead changed since kickoff, and is either
    expected to change before the last division goes live? Record the tenures in
    `sponsor.history` and `governance.programme_lead_history`.""",
    owner=("business_owner", "sponsor", "programme_lead"),
)
def late_sponsor_change(ctx: Context, opt: Lead005Options) -> Iterator[Result]:
    p = ctx.plan
    sponsor_history = p.sponsor.history if p.sponsor is not None and has(p.sponsor, "history") else None
    lead_history = (
        p.governance.programme_lead_history
        if p.governance is not None and has(p.governance, "programme_lead_history")
        else None
    )
    path = ("sponsor", "history")
    if sponsor_history is None and lead_history is None:
        yield ctx.plan_unknown(("sponsor", "history"), ("governance", "programme_lead_history"))  # type: ignore[misc]
        return
    changes: list[tuple[Any, str]] = []
    for role, history in (("sponsor", sponsor_history), ("programme lead", lead_history)):
        entries = sorted(history or [], key=lambda t: t.from_)
        changes += [(t.from_, role) for t in entries[1:]]
        if entries and entries[-1].to is not None and entries[-1].to < ctx.last_go_live:
            changes.append((entries[-1].to, role))
    changes.sort(key=lambda c: c[0])
    start = plus(ctx.go_live, -opt.freeze_days)
    window = [c for c in changes if start <= c[0] <= ctx.last_go_live]
    kickoff = ctx.rollout.kickoff
    since = [c for c in changes if kickoff is None or c[0] >= kickoff]
    problems = []
    if window:
        listed = join(f"{role} change on {day(when)}" for when, role in window)
        problems.append(f"{listed} within {plural(opt.freeze_days, 'day')} before go-live or during the waves")
    if len(since) > opt.max_changes:
        problems.append(f"{plural(len(since), 'change')} since kickoff (limit {opt.max_changes})")
    if problems:
        yield ctx.failed(None, path, parts("Sponsor or programme lead is unstable: ", problems))
    else:
        yield ctx.passed(None, path)
