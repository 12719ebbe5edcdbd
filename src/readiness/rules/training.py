"""Training and support (TRAIN)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from readiness.findings import Result
from readiness.model import Level, has
from readiness.rules.base import OptDays, Options, heuristic, present, rule, sourced
from readiness.rules.context import Context, Coverage, days, frontline, plus
from readiness.types import Bool, Pct
from readiness.wording import day, join, num, parts, plural, relative

SESSIONS = (("training",), ("training", "sessions"))


class Train001Options(Options):
    exempt_levels: list[Level] = heuristic([], "Levels that need no training.")


@rule(
    "TRAIN001",
    "training-coverage-gap",
    "error",
    "Training does not reach every level of every impacted division",
    seeds=("S1", "S2"),
    rationale="""S1 calls for adequate training and support at all levels. In S2, insufficient
    training and the leaders' unwillingness to learn left the CRM underused. The Dynamics 365
    training checklist asks for every persona and role to be mapped to sessions. At Nestle USA,
    divisional executives were "just as confused" as the workers who did not understand the new
    processes.""",
    remediation="""Add sessions for the missing levels, including leadership sessions on running
    the business from the CRM.""",
    sources=(
        "Seeds S1, S2",
        "Microsoft, Dynamics 365 Implementation Guide (training checklist)",
        "Press reports on Nestle USA",
    ),
    options=Train001Options,
    requires=SESSIONS,
    question="""Which levels work in each impacted division, and is training planned for every
    one of them, leaders included, before that division goes live? Record them in
    `organisation.divisions[].levels` and `training.sessions`.""",
    owner=("training_owner", "change_manager"),
)
def training_coverage_gap(ctx: Context, opt: Train001Options) -> Iterator[Result]:
    cov: Coverage = ctx.session_coverage
    exempt = set(opt.exempt_levels)
    for i, d in ctx.impacted:
        path = ("organisation", "divisions", i, "levels")
        go_live = ctx.go_live_of(d.id)
        if d.levels is None:
            yield ctx.unknown(d.id, path, [path], due=go_live)
            continue
        gaps = [lv for lv in d.levels if lv not in exempt and ((w := cov.earliest(d.id, lv)) is None or w > go_live)]
        if not gaps:
            yield ctx.passed(d.id, path)
            continue
        message = f"{ctx.entity(d.id)}: no training before its go-live {day(go_live)} for {join(gaps)}."
        if "executive" in gaps or "senior_manager" in gaps:
            message += " Leadership is not being educated in the system."
        yield ctx.failed(d.id, path, message, due=go_live)


class Train002Options(Options):
    max_lead_days: OptDays = heuristic(
        42,
        "Most days between the start of frontline training and go-live without a refresher "
        "(informed by Microsoft's guidance to complete the pre-go-live checklist 4-6 weeks ahead).",
    )


@rule(
    "TRAIN002",
    "frontline-training-mistimed",
    "warning",
    "Frontline training is scheduled too early or ends after go-live",
    rationale="""SAP's learning guidance is to train as close to first use as possible, because of
    the forgetting curve. Nike's i2 planning project (2000, over $100M in lost sales) was derailed
    in part by "inadequate training" (CIO). Hershey's compressed 1999 rollout cut corners on
    training. Training that ends after go-live leaves people learning on live customers.""",
    remediation="""Move frontline training into the last six weeks before the division's go-live,
    or add a refresher and sandbox practice close to it, and finish before go-live.""",
    sources=(
        "SAP Learning, Training is not a one-off event",
        "CIO on Nike i2, 2000",
        "Press reports on Hershey, 1999",
        "Microsoft, Finance and Operations: prepare for go-live",
    ),
    options=Train002Options,
    requires=SESSIONS,
    question="""When does frontline training start and end compared with each division's
    go-live, and is a refresher planned if it starts weeks ahead? Record it in
    `training.sessions`.""",
    owner=("training_owner", "change_manager"),
)
def frontline_training_mistimed(ctx: Context, opt: Train002Options) -> Iterator[Result]:
    for i, s in ctx.sessions:
        if s.kind != "initial" or not frontline(s.audience):
            continue
        path = ("training", "sessions", i)
        g = ctx.go_live_set(s.audience.divisions)
        problems = []
        lead = days(s.start, g)
        if s.start < plus(g, -opt.max_lead_days) and not s.refresher_before_go_live:
            problems.append(
                f"it starts {plural(lead, 'day')} before go-live {day(g)} (limit {opt.max_lead_days}) "
                "with no refresher planned"
            )
        if s.last_day > g:
            problems.append(f"it ends {day(s.last_day)}, after go-live {day(g)}")
        if problems:
            yield ctx.failed(s.id, path, parts(f"{ctx.called('Session', s.id)} is mistimed: ", problems), due=g)
        else:
            yield ctx.passed(s.id, path)


class Train003Options(Options):
    min_completion_pct: Pct = heuristic(90, "Lowest accepted completion target, in percent.")


@rule(
    "TRAIN003",
    "training-not-enforced",
    "warning",
    "Training is optional, or its completion has no target or tracking",
    seeds=("S3",),
    rationale="""In S3, nearly half the intended users said they knew little about the initiative
    when training was offered, and many declined it; the initiative struggled for four more months
    and was cancelled. The Dynamics 365 Implementation Guide asks teams to measure users' training
    experience and adapt, and to watch high-risk user groups. Optional, untracked training gives
    the sponsor no signal before the go/no-go.""",
    remediation="""Make role training a go-live prerequisite, track completion per person, and
    report completion by division at the go/no-go.""",
    sources=("Seed S3", "Microsoft, Dynamics 365 Implementation Guide"),
    options=Train003Options,
    requires=(("training",),),
    question="""Is frontline training mandatory, what share of people must complete it, and is
    completion tracked per person? Record it in `training.sessions[].mandatory`,
    `training.completion_target_pct` and `training.completion_tracked`.""",
    owner=("training_owner", "change_manager"),
)
def training_not_enforced(ctx: Context, opt: Train003Options) -> Iterator[Result]:
    t = present(ctx.plan.training)
    path = ("training",)
    problems: list[str] = []
    absent: list[tuple[Any, ...]] = []
    optional = []
    if has(t, "sessions"):
        for i, s in ctx.sessions:
            if s.kind == "initial" and frontline(s.audience):
                if s.mandatory is False:
                    optional.append(s.id)
                elif not has(s, "mandatory"):
                    absent.append(("training", "sessions", i, "mandatory"))
    else:
        absent.append(("training", "sessions"))
    if optional:
        problems.append(
            f"sessions {join(optional)} are optional" if len(optional) > 1 else f"session {optional[0]} is optional"
        )
    if has(t, "completion_target_pct"):
        pct = t.completion_target_pct
        if pct is None:
            problems.append("no completion target")
        elif pct < opt.min_completion_pct:
            problems.append(f"completion target {num(pct)}% is below {num(opt.min_completion_pct)}%")
    else:
        absent.append(("training", "completion_target_pct"))
    if t.completion_tracked is False:
        problems.append("completion is not tracked")
    elif not has(t, "completion_tracked"):
        absent.append(("training", "completion_tracked"))
    if problems:
        yield ctx.failed(None, path, parts("Training is not enforced: ", problems))
    elif absent:
        yield ctx.unknown(None, path, absent)
    else:
        yield ctx.passed(None, path)


class Train004Options(Options):
    min_days: OptDays = heuristic(14, "Least days hypercare must run past the last go-live.")
    check_first_period_close: Bool = sourced(
        True,
        "Also require hypercare to last past the first financial period close when finance is in scope (Gartner 2017).",
    )


@rule(
    "TRAIN004",
    "missing-hypercare",
    "error",
    "No adequate post-go-live support (hypercare)",
    seeds=("S1",),
    rationale="""Gartner's 2017 go-live guidance keeps hypercare until at least the successful close
    of the first financial period, with exit criteria based on business and IT metrics rather than
    time; Microsoft's FastTrack go-live readiness review also covers the support and hypercare plan.
    After AT&T Wireless's 2003 CRM upgrade, representatives could not set up or reach accounts for
    months, with lost revenue estimated at $100M, and Nestle USA's help desk took 300 calls a day.
    S1's lesson that all teams need support at every level during the transition points the same
    way.""",
    remediation="""Staff a hypercare window that runs at least two weeks past the last wave (and
    past the first period close when finance is in scope), with named first-line support and
    metric-based exit criteria.""",
    sources=(
        "Seed S1",
        "Gartner, How to Plan Your Postmodern ERP Project's Go-Live and Post-Go-Live, 2017",
        "Microsoft, FastTrack go-live workshops",
        "CIO on AT&T Wireless, 2004",
        "Press reports on Nestle USA",
    ),
    options=Train004Options,
    requires=(("support",), ("support", "hypercare")),
    question="""Who supports users after go-live, from when and until when, and who answers
    their first calls? Record it in `support.hypercare`.""",
    owner=("programme_lead", "training_owner", "change_manager"),
)
def missing_hypercare(ctx: Context, opt: Train004Options) -> Iterator[Result]:
    path = ("support", "hypercare")
    h = present(ctx.plan.support).hypercare
    primary: list[str] = []
    secondary: list[str] = []
    absent: list[tuple[Any, ...]] = []
    if h is None:
        primary.append("no hypercare planned")
    else:
        if h.start > ctx.go_live:
            primary.append(f"hypercare starts {day(h.start)}, after go-live")
        if h.end is None:  # an end not known yet: the length and the first close are undecided
            absent.append((*path, "end"))
        elif h.end < plus(ctx.last_go_live, opt.min_days):
            offset = days(ctx.last_go_live, h.end)
            minimum = opt.min_days if offset > 0 else f"{plural(opt.min_days, 'day')} after"
            primary.append(f"hypercare ends {day(h.end)}, {relative(offset, 'the last go-live')} (minimum {minimum})")
        if h.first_line is not None and not h.first_line:
            primary.append("no first-line support named")
        elif not has(h, "first_line"):
            absent.append((*path, "first_line"))
        close = present(ctx.plan.support).first_period_close
        scope = ctx.rollout.scope
        checked = opt.check_first_period_close and scope and "finance" in scope and close is not None
        if checked and close is not None and h.end is not None and h.end < close:
            secondary.append(f"hypercare ends before the first period close {day(close)}")
    problems = primary + secondary
    if problems:
        yield ctx.failed(None, path, parts("Post-go-live support is not ready: ", problems), 0 if primary else -1)
    elif absent:
        yield ctx.unknown(None, path, absent)
    else:
        yield ctx.passed(None, path)
