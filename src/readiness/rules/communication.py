"""Communication (COMM)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from readiness.findings import Result
from readiness.model import Level, Topic
from readiness.rules.base import OptDays, OptDays1, Options, heuristic, rule
from readiness.rules.context import Context, Coverage, days, plus
from readiness.wording import day, join, plural

PLAN_PATH = ("communications",)


class Comm001Options(Options):
    max_days_after_kickoff: OptDays = heuristic(
        30, 'Days after kickoff by which staff must first hear of the rollout (S3\'s "from day one").'
    )
    fallback_lead_days: OptDays = heuristic(
        90, "Without a kickoff date: days before go-live by which staff must first hear of it."
    )


@rule(
    "COMM001",
    "late-first-communication",
    "error",
    "Communication to staff starts too late",
    seeds=("S3",),
    rationale="""In S3, a telecom kept its CRM initiative quiet until the implementation neared
    completion; its rumour mill turned minor early glitches into "system killers", nearly half the
    intended users knew little about the initiative when training was offered, and the project was
    cancelled with a loss of more than $800,000. Kotter (HBR 1995) names under-communicating the
    vision, "by a factor of 10", as a classic error. SAP's training guidance warns that training
    which is the first time staff hear the business case leads to resistance.""",
    remediation="""Announce the initiative, the reasons for it and its timeline within the first
    month, and plan a communication programme from day one.""",
    sources=("Seed S3", "Kotter, Leading Change, HBR 1995", "SAP Learning, Training is not a one-off event"),
    options=Comm001Options,
    requires=(PLAN_PATH,),
    question="""When do staff first hear about the rollout, why it is happening and its
    timeline? Record the messages in `communications`.""",
    owner=("change_manager", "sponsor"),
)
def late_first_communication(ctx: Context, opt: Comm001Options) -> Iterator[Result]:
    kickoff = ctx.rollout.kickoff
    if kickoff is not None:
        deadline = plus(kickoff, opt.max_days_after_kickoff)
        basis = f"{plural(opt.max_days_after_kickoff, 'day')} after kickoff {day(kickoff)}"
    else:
        deadline = plus(ctx.go_live, -opt.fallback_lead_days)
        basis = f"{plural(opt.fallback_lead_days, 'day')} before go-live {day(ctx.go_live)}"
    if not ctx.internal_comms:
        yield ctx.failed(None, PLAN_PATH, "No communication to staff is planned.", due=deadline)
        return
    first = min(c.first_date for _, c in ctx.internal_comms)
    if first > deadline:
        yield ctx.failed(
            None,
            PLAN_PATH,
            f"The first message to staff is on {day(first)}, after {day(deadline)} ({basis}).",
            due=deadline,
        )
    else:
        yield ctx.passed(None, PLAN_PATH)


class Comm002Options(Options):
    max_gap_days: OptDays1 = heuristic(30, "Longest accepted silence between progress updates, in days.")


@rule(
    "COMM002",
    "progress-update-gap",
    "warning",
    "Gaps in regular progress updates",
    seeds=("S3",),
    rationale="""S3's lesson is to update people regularly on how the implementation is going;
    silence let rumours inflate glitches until users lost interest. In McKinsey's 2017 research on
    the people side of transformations, 30% of front-line staff wanted regular progress information
    against 16% overall (as reported in a secondary summary). Keller and Schaninger (McKinsey, 2020)
    report that transformations whose leaders communicate progress frequently are eight times more
    likely to succeed, and Prosci's 12th edition lists frequent, open communication among the top
    contributors.""",
    remediation="""Set a fixed progress cadence (fortnightly or monthly) to every impacted group,
    with a feedback channel so rumours are answered on the record.""",
    sources=(
        "Seed S3",
        "McKinsey, The people power of transformations, 2017",
        "Keller and Schaninger, McKinsey, 2020",
        "Prosci, Best Practices in Change Management, 12th edition",
    ),
    options=Comm002Options,
    requires=(PLAN_PATH,),
    question="""How often do staff get a progress update, from the first announcement until the
    last division goes live? Record the updates in `communications` with topic `progress` and
    their `cadence_days`.""",
    owner=("change_manager", "sponsor"),
)
def progress_update_gap(ctx: Context, opt: Comm002Options) -> Iterator[Result]:
    none = "No progress updates to staff are planned before go-live."
    if not ctx.internal_comms:
        yield ctx.failed(None, PLAN_PATH, none)
        return
    anchor = min(c.first_date for _, c in ctx.internal_comms)
    horizon = ctx.last_go_live
    # Days of [anchor, horizon] that have a progress update. A series whose cadence is within the
    # limit covers its whole span (no gap above the limit inside it); a slower series marks its
    # own occurrences, identical series once. Work is bounded by the number of days, not by
    # series times occurrences.
    spans: list[tuple[int, int]] = []
    series: set[tuple[int, int, int]] = set()
    for _, c in ctx.internal_comms:
        if "progress" not in c.topics:
            continue
        stop = min(c.until if c.until is not None else ctx.last_go_live, horizon)
        if c.first_date > stop:
            continue
        first = days(anchor, c.first_date)
        if c.cadence_days is None:
            spans.append((first, first))
        elif c.cadence_days <= opt.max_gap_days:
            spans.append((first, first + days(c.first_date, stop) // c.cadence_days * c.cadence_days))
        else:
            series.add((first, days(anchor, stop), c.cadence_days))
    if not spans and not series:
        yield ctx.failed(None, PLAN_PATH, none)
        return
    length = days(anchor, horizon) + 1
    covered = bytearray(length)
    reach = -1
    for first, last in sorted(spans):  # merged first, so each day is written at most once
        first = max(first, reach + 1)
        if first <= last:
            covered[first : last + 1] = b"\x01" * (last - first + 1)
            reach = last
    for first, last, cadence in series:
        count = (last - first) // cadence + 1
        covered[first : last + 1 : cadence] = b"\x01" * count
    covered[0] = covered[-1] = 1  # the anchor and the horizon close the sequence
    worst, worst_at = 0, (anchor, anchor)
    previous = 0
    while (following := covered.find(1, previous + 1)) != -1:
        if following - previous > worst:
            worst, worst_at = following - previous, (plus(anchor, previous), plus(anchor, following))
        previous = following
    if worst > opt.max_gap_days:
        yield ctx.failed(
            None,
            PLAN_PATH,
            f"Staff get no progress update for {plural(worst, 'day')}, from {day(worst_at[0])} to "
            f"{day(worst_at[1])} (limit {opt.max_gap_days}).",
            due=plus(worst_at[0], opt.max_gap_days),  # the update that would have closed this gap
        )
    else:
        yield ctx.passed(None, PLAN_PATH)


class Comm003Options(Options):
    topics: list[Topic] = heuristic(
        ["day_to_day_impact", "wiifm"],
        "Topics that explain what changes for people and what they gain.",
    )


@rule(
    "COMM003",
    "impact-not-explained",
    "warning",
    "Day-to-day impact and benefits are not explained to a division before training",
    seeds=("S1", "S3"),
    rationale="""S3's lesson is to make sure users understand how the system will affect their
    daily work. S1 adds that a clear message about benefits addresses anxiety and scepticism. In
    Prosci's ADKAR model this builds Awareness and Desire before Knowledge. Prosci's work on senders
    and receivers notes that employees spend about 95% of the conversation at home on personal
    impact, while managers explaining a change spend about 95% on business reasons.""",
    remediation="""Send each division a role-specific "what changes for you and what you gain"
    message before its first training session.""",
    sources=("Seeds S1, S3", "Prosci ADKAR", "Prosci, articles on senders of change messages"),
    options=Comm003Options,
    requires=(PLAN_PATH,),
    question="""Does each division hear what changes in its daily work and what it gains before
    its first training session? Record those messages in `communications` with their `topics`.""",
    owner=("change_manager", "sponsor"),
)
def impact_not_explained(ctx: Context, opt: Comm003Options) -> Iterator[Result]:
    wanted = set(opt.topics)
    told = Coverage()
    for _, c in ctx.internal_comms:
        if wanted.intersection(c.topics):
            told.add(c.audience, c.first_date)
    first_session: dict[str, tuple[dt.date, int, Any]] = {}  # division or "*" -> (start, index, session)
    for j, s in ctx.sessions:
        keys = ["*"] if s.audience.divisions == "all" else s.audience.divisions or []
        for key in keys:
            if key not in first_session or s.start < first_session[key][0]:
                first_session[key] = (s.start, j, s)
    for i, d in ctx.impacted:
        path = ("organisation", "divisions", i)
        candidates = [first_session[k] for k in (d.id, "*") if k in first_session]
        if candidates:
            deadline, _, session = min(candidates, key=lambda c: (c[0], c[1]))
            basis = f"its first training session {ctx.entity(session.id)}"
        else:
            deadline, basis = ctx.go_live_of(d.id), "its go-live"
        earliest = told.earliest(d.id)
        if earliest is not None and earliest < deadline:
            yield ctx.passed(d.id, path)
        else:
            yield ctx.failed(
                d.id,
                path,
                f"{ctx.entity(d.id)} hears nothing about what changes for them or what they "
                f"gain before {day(deadline)} ({basis}).",
                due=plus(deadline, -1),  # strictly before the deadline
            )


class Comm004Options(Options):
    manager_levels: list[Level] = heuristic(
        ["middle_manager", "supervisor"],
        "Levels of senders who count as people managers.",
    )
    topics: list[Topic] = heuristic(["day_to_day_impact"], "Topics that carry personal impact.")


@rule(
    "COMM004",
    "impact-not-from-managers",
    "info",
    "Personal-impact messages are not delivered by people managers",
    seeds=("S4",),
    rationale="""Prosci's research on preferred senders finds that employees want the business
    reasons from senior leaders and the personal impact from their own manager. S4 makes the same
    point from the field: a strong leader at the helm does not guarantee buy-in, and the message
    has to be carried among peers and teams.""",
    remediation="""Give line managers talking points and have them deliver the impact message to
    their own teams.""",
    sources=("Seed S4", "Prosci, articles on preferred senders of change messages"),
    options=Comm004Options,
    requires=(PLAN_PATH,),
    question="""Who tells people what the change means for them personally: their own managers,
    or senior leaders and the project team? Record it in the message's `sender` or
    `sender_group`.""",
    owner=("change_manager", "sponsor"),
)
def impact_not_from_managers(ctx: Context, opt: Comm004Options) -> Iterator[Result]:
    wanted = set(opt.topics)
    managers = set(opt.manager_levels)
    relevant = [c for _, c in ctx.internal_comms if wanted.intersection(c.topics)]
    if not relevant:
        yield ctx.failed(None, PLAN_PATH, "No message about personal impact is planned.")
        return
    if any(c.sender_group == "line_managers" or ctx.level(c.sender) in managers for c in relevant):
        yield ctx.passed(None, PLAN_PATH)
        return
    senders = dict.fromkeys(ctx.entity(c.sender) if c.sender is not None else c.sender_group for c in relevant)
    yield ctx.failed(
        None,
        PLAN_PATH,
        f"Messages about personal impact come only from {join(senders)}; none is delivered by people managers.",
    )


class Comm005Options(Options):
    exempt_levels: list[Level] = heuristic([], "Levels that need not be reached.")


@rule(
    "COMM005",
    "group-without-communication",
    "warning",
    "An impacted group receives no communication before go-live",
    rationale="""McKinsey (2017) found that where transformations failed to engage line managers and
    front-line employees, only 3% of respondents reported success. Prosci counts engaging
    front-line employees among the seven top contributors.""",
    remediation="Extend the audience of the communication plan to the missing levels.",
    sources=(
        "McKinsey, The people power of transformations, 2017",
        "Prosci, Best Practices in Change Management, 12th edition",
    ),
    options=Comm005Options,
    requires=(PLAN_PATH,),
    question="""Which levels work in each impacted division, and does some message reach every
    one of them before that division goes live? Record them in `organisation.divisions[].levels`
    and `communications`.""",
    owner=("change_manager", "sponsor"),
)
def group_without_communication(ctx: Context, opt: Comm005Options) -> Iterator[Result]:
    reached = Coverage()
    for _, c in ctx.internal_comms:
        reached.add(c.audience, c.first_date)
    exempt = set(opt.exempt_levels)
    for i, d in ctx.impacted:
        path = ("organisation", "divisions", i, "levels")
        go_live = ctx.go_live_of(d.id)
        if d.levels is None:
            yield ctx.unknown(d.id, path, [path], due=go_live)
            continue
        missing_levels = [
            lv for lv in d.levels if lv not in exempt and ((w := reached.earliest(d.id, lv)) is None or w > go_live)
        ]
        if missing_levels:
            yield ctx.failed(
                d.id,
                path,
                f"No communication reaches {join(missing_levels)} in {ctx.entity(d.id)} "
                f"before its go-live {day(go_live)}.",
                due=go_live,
            )
        else:
            yield ctx.passed(d.id, path)
