"""Training and support (TRAIN)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from readiness.findings import Result
from readiness.model import Level, has
from readiness.rules.base import OptDays, Options, heuristic, present, rule, sourced
from readiness.rules.context import (
    ROLE_MEASURES,
    Context,
    Coverage,
    audience_slots,
    days,
    frontline,
    plus,
    role_measures,
    slots_covering,
)
from readiness.types import Bool, NonNegNumber, Pct
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


class Train005Options(Options):
    min_hours: NonNegNumber = heuristic(
        4,
        "Least hours of mandatory training before go-live for a role whose daily work changes less than a major change.",
    )
    min_hours_major: NonNegNumber = heuristic(
        8, "Least hours of mandatory training before go-live for a role whose daily work changes by a major change."
    )
    major_change_pct: NonNegNumber = heuristic(
        50,
        "Change in a role's minutes a day or steps, in percent of today's, from which it is a major change.",
    )


@rule(
    "TRAIN005",
    "short-role-training",
    "warning",
    "A role gets fewer hours of mandatory training than the change to its work needs",
    seeds=("S1", "S2"),
    rationale="""Training that exists on paper can still be far too short for how much a person's
    work changes, and no other rule reads how long it is. In S1 the organisation had to run
    duplicate and triplicate training sessions after go-live, and in S2 insufficient training left
    the CRM underused. The Dynamics 365 Implementation Guide's training checklist maps each role
    to the training it needs, and SAP's learning guidance treats training as a programme sized to
    the change rather than a one-off event. Reviews of Canada's Phoenix pay system (Goss Gilroy,
    2017) counted training that did not prepare people for the new way of working among the
    lessons of its failure. The minimum hours here are judgement calls, set per rubric: more for
    a role whose daily work changes a lot than for one that changes a little.""",
    remediation="""Size mandatory training to each role's change: hands-on sessions on the role's
    own tasks and data, longer where the daily work changes most, all before the role's go-live.
    Record the hours of each session.""",
    sources=(
        "Seeds S1, S2",
        "Microsoft, Dynamics 365 Implementation Guide (training checklist)",
        "SAP Learning, Training is not a one-off event",
        "Goss Gilroy Inc., Lessons Learned from the Transformation of Pay Administration Initiative, 2017",
    ),
    options=Train005Options,
    requires=(("adoption_design",), ("adoption_design", "roles"), *SESSIONS),
    question="""How many hours of mandatory training does each role get before its go-live, and
    how much does its daily work change? Record it in `training.sessions[].hours` and
    `.mandatory`, and in the role's minutes a day or steps before and after.""",
    owner=("training_owner", "change_manager", "leader"),
)
def short_role_training(ctx: Context, opt: Train005Options) -> Iterator[Result]:
    hours = _RoleHours(ctx)
    low, high = sorted((opt.min_hours, opt.min_hours_major))
    everywhere = [d.id for _, d in ctx.impacted]
    for i, role in enumerate(present(present(ctx.plan.adoption_design).roles)):
        path = ("adoption_design", "roles", i)
        major, measure = _major_change(role, opt.major_change_pct)
        if major is None:  # the change is not known: the minimum lies between the two
            need_low, need_high = low, high
        else:
            need_low = need_high = opt.min_hours_major if major else opt.min_hours
        if role.divisions is None:  # a role not tied to divisions works in every impacted one
            weakest, decided = hours.weakest_everywhere(everywhere, role.level)
        else:
            weakest, decided = hours.weakest([d for d in role.divisions if d in ctx.impacted_ids], role.level)
        if decided is not None and decided[0] < need_low:
            known, division = decided
            if major is None:
                why = "any change to its work"
            else:
                why = f"{'a major' if major else 'the'} change to its work ({measure})"
            yield ctx.failed(
                role.id,
                path,
                f"{ctx.called('Role', role.id)} gets {num(known)} {'hour' if known == 1 else 'hours'} of mandatory "
                f"training before go-live in "
                f"{ctx.entity(division)}; it needs at least {num(need_low)} for {why}.",
                due=ctx.go_live_of(division),
            )
        elif weakest is not None and weakest[0] < need_high:
            division = weakest[1]
            lacking, more = hours.undecided(division, role.level)
            missing: list[tuple[Any, ...]] = []
            if major is None:  # the role's own measures first: they are always named
                missing += [(*path, f) for f in ROLE_MEASURES if not has(role, f)]
            yield ctx.unknown(role.id, path, missing + lacking, due=ctx.go_live_of(division), more=more)
        else:
            yield ctx.passed(role.id, path)


def _major_change(role: Any, major_pct: Decimal) -> tuple[bool | None, str]:
    """Whether a role's daily work changes by a major change, from its complete measures (minutes
    a day, steps, as LEG003 reads them), and the measure that changes most, in words; None when
    neither measure is complete. Work that starts from nothing is a major change."""
    best: tuple[tuple[bool, Fraction], str] | None = None
    for before, after, _, units in role_measures(role):
        size = (before == 0 and after > 0, Fraction(abs(after - before), before) if before else Fraction(0))
        if best is None or size > best[0]:
            best = size, f"{before} → {after} {units}"
    if best is None:
        return None, ""
    (new, change), words = best
    return new or change * 100 >= Fraction(major_pct), words


_Weakest = tuple[Decimal, str] | None  # hours, and the division that gets them


class _File:
    """The sessions filed under one (division or ``*``, level or ``*``), by start: running sums of
    their known hours and of the fields the undecided ones lack, and where those undecided ones are."""

    def __init__(self, entries: list[tuple[dt.date, int, Decimal, list[tuple[Any, ...]]]]) -> None:
        entries.sort(key=lambda e: (e[0], e[1]))
        self.starts = [e[0] for e in entries]
        self.hours = [Decimal(0)]
        self.lacking = [0]
        self.open: list[tuple[int, int, list[tuple[Any, ...]]]] = []  # position, session index, fields
        for position, (_, index, given, lacking) in enumerate(entries):
            self.hours.append(self.hours[-1] + given)
            self.lacking.append(self.lacking[-1] + len(lacking))
            if lacking:
                self.open.append((position, index, lacking))


class _RoleHours:
    """Hours of mandatory training before a division's go-live, per division and level, from an
    index built once: each session is filed under its divisions (or ``*``) and levels (or ``*``),
    so a look-up is four binary searches. A session not known to be mandatory, or whose hours are
    not given, is undecided: counted apart, with the fields it lacks. A session stated optional
    does not count."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        filed: dict[tuple[str, str], list[tuple[dt.date, int, Decimal, list[tuple[Any, ...]]]]] = {}
        for i, s in ctx.sessions:
            if s.mandatory is False:
                continue
            path = ("training", "sessions", i)
            lacking = [(*path, f) for f in ("mandatory", "hours") if not has(s, f)]
            given = s.hours if s.hours is not None and not lacking else Decimal(0)
            divisions, levels = audience_slots(s.audience)
            for d in divisions:
                for level in levels:
                    filed.setdefault((d, level), []).append((s.start, i, given, lacking))
        self.files = {key: _File(entries) for key, entries in filed.items()}
        self.everywhere: dict[str, tuple[_Weakest, _Weakest]] = {}

    def _counted(self, division: str, level: str) -> Iterator[tuple[_File, int]]:
        """The files that cover (division, level), each with how many of its sessions start by
        the division's go-live."""
        cutoff = self.ctx.go_live_of(division)
        for key in slots_covering(division, level):
            found = self.files.get(key)
            if found is not None:
                yield found, bisect_right(found.starts, cutoff)

    def weakest(self, divisions: list[str], level: str) -> tuple[_Weakest, _Weakest]:
        """The division with the fewest known hours, and the one among those that no undecided
        session covers, each with its hours; the first listed on a tie."""
        weakest: _Weakest = None
        decided: _Weakest = None
        for d in divisions:
            counted = list(self._counted(d, level))
            known = sum((file.hours[n] for file, n in counted), Decimal(0))
            if weakest is None or known < weakest[0]:
                weakest = known, d
            if not any(file.lacking[n] for file, n in counted) and (decided is None or known < decided[0]):
                decided = known, d
        return weakest, decided

    def weakest_everywhere(self, divisions: list[str], level: str) -> tuple[_Weakest, _Weakest]:
        """:meth:`weakest` over every impacted division, worked out once per level."""
        if level not in self.everywhere:
            self.everywhere[level] = self.weakest(divisions, level)
        return self.everywhere[level]

    def undecided(self, division: str, level: str) -> tuple[list[tuple[Any, ...]], int]:
        """Fields that undecided sessions covering (division, level) before its go-live lack: at
        most 10 of them, taken from the sessions that start first and named in the plan's order, and
        how many more there are."""
        found: list[tuple[int, tuple[Any, ...]]] = []
        total = 0
        for file, n in self._counted(division, level):
            total += file.lacking[n]
            for position, index, lacking in file.open[:10]:
                if position >= n:  # the rest start after the go-live
                    break
                found += [(index, f) for f in lacking]
        shown = [f for _, f in sorted(found)[:10]]
        return shown, total - len(shown)
