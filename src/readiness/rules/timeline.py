"""Timeline (TIME)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from pydantic import Field

from readiness.findings import Result
from readiness.model import has
from readiness.rules.base import OptDays, Options, heuristic, present, rule
from readiness.rules.context import Context, days, is_empty, plus
from readiness.types import Pct, PositiveInt, Ratio, SignedDays
from readiness.wording import day, num, parts, plural, ratio, relative


class Time001Options(Options):
    buffer_days: OptDays = heuristic(30, "Days before a peak period in which go-live is too close.")


@rule(
    "TIME001",
    "go-live-near-peak",
    "error",
    "Go-live falls in or just before a peak business period",
    rationale="""Hershey went live in July 1999, ahead of the Halloween season; about $100M of orders
    could not be filled, and third-quarter sales fell 12.4%. Gartner's 2017 go-live guidance calls
    for a managed business ramp-down and ramp-up, and a date based on when the solution can
    realistically be delivered.""",
    remediation="""Move go-live to a low-volume period, and plan a business ramp-down and ramp-up
    around it.""",
    sources=(
        "Press reports on Hershey, 1999",
        "Gartner, How to Plan Your Postmodern ERP Project's Go-Live and Post-Go-Live, 2017",
    ),
    options=Time001Options,
    requires=(("rollout", "peak_periods"),),
    question="""Which busy business periods, such as seasonal peaks, period closes or campaigns,
    fall near the go-live dates? Record them in `rollout.peak_periods`, or `[]` if there are
    none.""",
    owner=("programme_lead", "decision_maker", "sponsor"),
)
def go_live_near_peak(ctx: Context, opt: Time001Options) -> Iterator[Result]:
    by_date: dict[dt.date, list[str]] = {}
    for _, d in ctx.impacted:
        by_date.setdefault(ctx.go_live_of(d.id), []).append(d.id)
    dates = sorted(by_date)  # a peak of "all" divisions looks its window up here: no scan per peak
    for i, peak in enumerate(present(ctx.rollout.peak_periods)):
        path = ("rollout", "peak_periods", i)
        start = plus(peak.start, -opt.buffer_days)
        if peak.divisions == "all":
            if not dates:
                continue
            window = dates[bisect_left(dates, start) : bisect_right(dates, peak.end)]
            hits = [(when, by_date[when]) for when in window]
        else:
            affected: dict[dt.date, list[str]] = {}
            for d in dict.fromkeys(peak.divisions):
                if d in ctx.impacted_ids:
                    affected.setdefault(ctx.go_live_of(d), []).append(d)
            if not affected:
                continue
            hits = sorted((when, ids) for when, ids in affected.items() if start <= when <= peak.end)
        if hits:
            shown = [
                f"{ctx.entities(ids)} {'goes' if len(ids) == 1 else 'go'} live on {day(when)}"
                for when, ids in hits[:10]
            ]
            more = f" and {plural(len(hits) - 10, 'more go-live date')}" if len(hits) > 10 else ""
            go_lives = " and ".join(shown) + more
            # the peak is named by its id, which often says "peak" itself: no "peak peak-storm"
            yield ctx.failed(
                peak.id,
                path,
                f"{go_lives}, within {plural(opt.buffer_days, 'day')} before or during {ctx.entity(peak.id)}, "
                f"a peak period from {day(peak.start)} to {day(peak.end)}.",
            )
        else:
            yield ctx.passed(peak.id, path)


class Time002Options(Options):
    min_ratio: Ratio = Field(
        Decimal("0.8"),
        description="Least share of the independent estimate the schedule may take; in (0, 1].",
        json_schema_extra={"basis": "heuristic"},
    )


@rule(
    "TIME002",
    "compressed-schedule",
    "warning",
    "Schedule compressed against an independent estimate",
    rationale="""Hershey's leaders insisted on 30 months against a suggested 48 (a ratio of 0.63),
    and testing, data migration and training were cut. Gartner (2017) warns against an arbitrary
    go-live date. Nestle USA's restart began from the business requirements and only then set an
    end date.""",
    remediation="Restore the schedule, or cut scope rather than testing and training.",
    sources=(
        "Press reports on Hershey, 1999",
        "Gartner, How to Plan Your Postmodern ERP Project's Go-Live and Post-Go-Live, 2017",
        "Press reports on Nestle USA",
    ),
    options=Time002Options,
    question="""When did the project start, and how long did an independent estimate say it
    should take to reach go-live? Record it in `rollout.kickoff` and
    `rollout.recommended_duration_days`.""",
    owner=("programme_lead", "decision_maker", "sponsor"),
)
def compressed_schedule(ctx: Context, opt: Time002Options) -> Iterator[Result]:
    path = ("rollout", "recommended_duration_days")
    r = ctx.rollout
    if not has(r, "recommended_duration_days"):
        yield ctx.unknown(None, path, [path])
        return
    recommended = r.recommended_duration_days
    if recommended is None:
        yield ctx.failed(None, path, "No independent duration estimate to compare the schedule with.")
        return
    if r.kickoff is None:
        yield ctx.unknown(None, path, [("rollout", "kickoff")])
        return
    planned = days(r.kickoff, ctx.go_live)
    minimum = Fraction(Decimal(opt.min_ratio))
    if planned < minimum * recommended:
        yield ctx.failed(
            None,
            path,
            f"{plural(planned, 'day')} from kickoff to go-live is {ratio(Fraction(100 * planned, recommended))}% "
            f"of the recommended {recommended} (minimum {num(minimum * 100)}%).",
        )
    else:
        yield ctx.passed(None, path)


class Time003Options(Options):
    min_slack_days: SignedDays = heuristic(30, "Least days between the last go-live and a hard external deadline.")


@rule(
    "TIME003",
    "hard-deadline-without-fallback",
    "error",
    "Hard external deadline with no fallback plan",
    rationale="""AT&T Wireless pushed its 2003 CRM upgrade against the FCC number-portability date of
    24 November 2003 with no alternative, and the system broke down; CIO's lesson was that an
    alternative plan is essential when a fixed deadline looms. Nestle USA rushed for Y2K and
    overlooked integration points. Nike's later SAP rollout succeeded partly because it avoided
    being driven by hard external deadlines.""",
    remediation="""Define a fallback (keep the legacy path, phase the scope) and leave slack before
    the external date.""",
    sources=("CIO on AT&T Wireless, 2004", "Press reports on Nestle USA", "CIO on Nike"),
    options=Time003Options,
    requires=(("rollout", "hard_deadline"),),
    question="""Is there an external date the rollout cannot move past, and what happens if
    go-live slips towards it? Record it in `rollout.hard_deadline` (null if there is none) and
    `rollout.contingency.fallback_plan`.""",
    owner=("programme_lead", "decision_maker", "sponsor"),
)
def hard_deadline_without_fallback(ctx: Context, opt: Time003Options) -> Iterator[Result]:
    path = ("rollout", "hard_deadline")
    r = ctx.rollout
    deadline = r.hard_deadline
    if deadline is None:
        yield ctx.passed(None, path)
        return
    primary: list[str] = []
    secondary: list[str] = []
    absent: tuple[str, ...] | None = None
    if not has(r, "contingency"):
        absent = ("rollout", "contingency")
    elif not has(present(r.contingency), "fallback_plan"):
        absent = ("rollout", "contingency", "fallback_plan")
    elif is_empty(present(r.contingency).fallback_plan):
        primary.append("no fallback plan")
    slack = days(ctx.last_go_live, deadline.date)
    minimum = opt.min_slack_days
    if slack < minimum:
        if slack > 0:
            secondary.append(f"only {plural(slack, 'day')} after the last go-live (minimum {minimum})")
        else:  # on or before the last go-live: never "only -17 days after"
            limit = (
                f"minimum {plural(minimum, 'day')} after"
                if minimum > 0
                else f"at most {plural(-minimum, 'day')} before"
            )
            secondary.append(f"{relative(slack, 'the last go-live')} ({limit})")
    note = f" ({deadline.reason})" if deadline.reason is not None else ""
    if primary or secondary:
        # the last go-live had to come by the date that leaves the slack; a fallback alone has no date
        due = plus(deadline.date, -minimum) if secondary else None
        yield ctx.failed(
            None,
            path,
            parts(f"Hard deadline {day(deadline.date)}{note}: ", primary + secondary),
            0 if primary else -1,
            due=due,
        )
    elif absent is not None:
        yield ctx.unknown(None, path, [absent])
    else:
        yield ctx.passed(None, path)


class Time004Options(Options):
    min_divisions: PositiveInt = heuristic(2, "Least impacted divisions for a big bang to need a pilot.")


def _pilot_settles(ctx: Context, applies: Callable[[str], bool]) -> Result | None:
    """The result of TIME004 and TIME005 before they look at the waves: unknown without an
    approach, or without phases for an approach the rule ``applies`` to; a pass for any other
    approach, or when a pilot ends before go-live; None when the rule has more to judge."""
    path = ("rollout", "approach")
    r = ctx.rollout
    if r.approach is None:
        return ctx.unknown(None, path, [path])
    if not applies(r.approach):
        return ctx.passed(None, path)
    if r.phases is None:
        return ctx.unknown(None, path, [("rollout", "phases")])
    if any(p.type == "pilot" and p.end < ctx.go_live for p in r.phases):
        return ctx.passed(None, path)
    return None


@rule(
    "TIME004",
    "big-bang-without-pilot",
    "warning",
    "Several divisions go live at once with no pilot",
    seeds=("S1",),
    rationale="""In S1, the new system went to all groups across the globe at once, and one
    division's resistance spread to its peers before anyone could react. Hershey went live
    "simultaneously across the enterprise with one big bang". Avon's 2013 pilot in Canada exposed
    the damage to representatives' daily work before a global rollout, and the rollout was halted;
    the pilot contained the loss.""",
    remediation="Pilot with one division, set exit criteria, then roll out in waves.",
    sources=("Seed S1", "Press reports on Hershey, 1999", "Press reports on Avon, 2013"),
    options=Time004Options,
    question="""Will the divisions go live all at once, in waves, or after a pilot, and when
    does the pilot end? Record it in `rollout.approach` and `rollout.phases`.""",
    owner=("programme_lead", "decision_maker", "sponsor"),
)
def big_bang_without_pilot(ctx: Context, opt: Time004Options) -> Iterator[Result]:
    path = ("rollout", "approach")
    count = len(ctx.impacted)
    settled = _pilot_settles(
        ctx, lambda approach: approach == "pilot_then_waves" or (approach == "big_bang" and count >= opt.min_divisions)
    )
    if settled is not None:
        yield settled
    elif ctx.rollout.approach == "big_bang":
        go = "goes" if count == 1 else "go"
        yield ctx.failed(
            None, path, f"{plural(count, 'division')} {go} live at once on {day(ctx.go_live)} with no pilot before it."
        )
    else:
        yield ctx.failed(None, path, "The approach is pilot_then_waves but no pilot ends before go-live.")


class Time005Options(Options):
    max_first_wave_pct: Pct = heuristic(
        25,
        "Largest share of the impacted divisions, or of their headcount, that a phased rollout's first "
        "wave may take with no pilot before it, in percent.",
    )
    min_divisions: PositiveInt = heuristic(2, "Least impacted divisions for a phased rollout to need a pilot.")


@rule(
    "TIME005",
    "heavy-first-wave-without-pilot",
    "warning",
    "A phased rollout's first wave takes a large share of the organisation with no pilot",
    rationale="""Going live in waves limits the damage only if the first wave is small enough to
    learn from. The Auditor General of Canada (2018) found that the Phoenix pay system's pilot was
    cancelled and that its first wave, in February 2016, took 34 departments at once; the pay
    problems that followed reached far beyond what a pilot would have exposed. The successes
    started small: HMRC brought Real Time Information for PAYE in with a pilot group of employers
    in 2012 before the rest joined in 2013, and Mayo Clinic moved to its new Epic record in waves
    that began at regional sites in 2017 and reached its largest campuses in 2018. TIME004 covers
    big-bang plans and pilots that never happen; this rule covers the phased plan whose first wave
    is a big bang in all but name.""",
    remediation="""Start with a pilot in one division, or make the first wave small (a fraction of
    the divisions and people), set exit criteria for it, and widen only once they are met.""",
    sources=(
        "Office of the Auditor General of Canada, Building and Implementing the Phoenix Pay System, Spring 2018",
        "HMRC, Real Time Information pilot, 2012-13",
        "Press reports on Mayo Clinic's Epic rollout, 2017-18",
    ),
    options=Time005Options,
    question="""Which divisions go live in the first wave of the phased rollout, how many people work
    in them and in the others, and does a pilot end before it? Record it in `rollout.phases` and
    `organisation.divisions[].headcount`.""",
    owner=("programme_lead", "decision_maker", "sponsor"),
)
def heavy_first_wave_without_pilot(ctx: Context, opt: Time005Options) -> Iterator[Result]:
    path = ("rollout", "approach")
    settled = _pilot_settles(ctx, lambda approach: approach == "phased" and len(ctx.impacted) >= opt.min_divisions)
    if settled is not None:
        yield settled
        return
    limit = Fraction(opt.max_first_wave_pct) / 100
    first = [d for _, d in ctx.impacted if ctx.go_live_of(d.id) == ctx.go_live]
    problems = []
    share = Fraction(len(first), len(ctx.impacted))
    if share > limit:
        problems.append(f"{len(first)} of {len(ctx.impacted)} impacted divisions ({ratio(share * 100)}%)")
    unknown_heads = [("organisation", "divisions", i, "headcount") for i, d in ctx.impacted if d.headcount is None]
    total = sum(d.headcount or 0 for _, d in ctx.impacted)
    if not unknown_heads and total:
        heads = sum(d.headcount or 0 for d in first)
        if Fraction(heads, total) > limit:
            problems.append(f"{heads} of {total} impacted people ({ratio(Fraction(heads * 100, total))}%)")
    if problems:
        prefix = (
            f"The first wave on {day(ctx.go_live)} has no pilot before it and takes more than "
            f"{num(opt.max_first_wave_pct)}% of the rollout: "
        )
        yield ctx.failed(None, path, parts(prefix, problems))
    elif unknown_heads:
        yield ctx.unknown(None, path, unknown_heads)
    else:
        yield ctx.passed(None, path)
