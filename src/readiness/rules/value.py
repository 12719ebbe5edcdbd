"""Value and metrics (VAL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from readiness.findings import Result
from readiness.model import has
from readiness.rules.base import OptDays1, Options, heuristic, present, rule
from readiness.rules.context import Context, is_empty
from readiness.wording import day, join, parts, plural

PATH = ("success_metrics",)
FIELDS = ("business_problem", "baseline", "target", "target_date")


@rule(
    "VAL001",
    "no-business-metric",
    "error",
    "No measurable business problem and success metric",
    seeds=("S5",),
    rationale="""S5 describes systems that "worked great" but solved no measurable business problem,
    because nobody had tried to improve anything. Rigby, Reichheld and Schefter (HBR 2002) name
    implementing CRM before creating a customer strategy as the first peril. Nike kept a concrete
    goal through its i2 trouble, taking three months out of a nine-month manufacturing cycle, and
    CIO credits it with sustaining the project. A clear goal is necessary but not sufficient: Nike
    still failed on other counts.""",
    remediation="""State the business problem and a baseline-to-target metric with a date, for
    example forecast accuracy from 60% to 80% by the end of Q2.""",
    sources=(
        "Seed S5",
        "Rigby, Reichheld and Schefter, Avoid the Four Perils of CRM, HBR 2002",
        "CIO on Nike i2, 2000",
    ),
    requires=(PATH,),
    question="""Which measurable business problem should the CRM solve, and what are its
    baseline, target and target date? Record it as a `business` metric in `success_metrics`.""",
    owner=("business_owner", "sponsor"),
)
def no_business_metric(ctx: Context, opt: object) -> Iterator[Result]:
    undecided: list[tuple[Any, ...]] = []
    incomplete: list[str] = []
    for i, m in enumerate(present(ctx.plan.success_metrics)):
        if m.kind != "business":
            continue
        values = [getattr(m, f) for f in FIELDS]
        if all(not is_empty(v) for v in values):
            yield ctx.passed(None, PATH)
            return
        incomplete.append(m.id)
        known_absent = any(has(m, f) and is_empty(getattr(m, f)) for f in FIELDS)
        if not known_absent:
            undecided += [("success_metrics", i, f) for f in FIELDS if not has(m, f)]
    if undecided:
        yield ctx.unknown(None, PATH, undecided)
        return
    by_kind: dict[str, list[str]] = {}
    for m in present(ctx.plan.success_metrics):
        if m.kind != "business":
            by_kind.setdefault(m.kind, []).append(m.id)
    if incomplete:
        found = f" (incomplete business metric{'s' if len(incomplete) > 1 else ''}: {join(incomplete)})"
    elif by_kind:
        found = " (only " + "; ".join(f"{kind} metrics: {join(ids)}" for kind, ids in by_kind.items()) + ")"
    else:
        found = ""
    yield ctx.failed(None, PATH, f"No business metric states the problem, a baseline, a target and a date{found}.")


@rule(
    "VAL002",
    "incomplete-metric",
    "warning",
    "A success metric lacks a baseline, target, date or owner",
    seeds=("S2",),
    rationale="""S2 traces its failure partly to never establishing a shared definition of success.
    The UK Public Accounts Committee (2007) found the costs and benefits of NHS NPfIT for the local
    NHS unclear, with cost estimates ranging from GBP 6.2bn to GBP 20bn, and asked for an annual
    statement of both.""",
    remediation="Complete each metric and name its business owner.",
    sources=("Seed S2", "UK Public Accounts Committee on NHS NPfIT, 2007"),
    requires=(PATH,),
    question="""For each success metric, what are the baseline, the target and its date, and who
    answers for the number? Record them in `success_metrics[]`.""",
    owner=("owner", "business_owner"),
)
def incomplete_metric(ctx: Context, opt: object) -> Iterator[Result]:
    for i, m in enumerate(present(ctx.plan.success_metrics)):
        path = ("success_metrics", i)
        names = ("baseline", "target", "target_date", "owner")
        nulls = [f for f in names if has(m, f) and getattr(m, f) is None]
        problems = [f"no {join(nulls)}"] if nulls else []
        if m.target_date is not None and m.target_date < ctx.go_live:
            problems.append(f"target date {day(m.target_date)} is before go-live {day(ctx.go_live)}")
        if problems:
            yield ctx.failed(m.id, path, parts(f"{ctx.called('Metric', m.id)} is incomplete: ", problems))
        elif absent := [(*path, f) for f in names if not has(m, f)]:
            yield ctx.unknown(m.id, path, absent)
        else:
            yield ctx.passed(m.id, path)


class Val003Options(Options):
    max_review_cadence_days: OptDays1 = heuristic(30, "Longest accepted time between adoption reviews, in days.")


@rule(
    "VAL003",
    "adoption-not-measured",
    "warning",
    "Adoption is not measured after go-live",
    rationale="""The Dynamics 365 change-management checklist asks teams to measure adoption and
    use. In CSO Insights' 2006 study of 1,275 companies, fewer than 40% had end-user adoption above
    90%, so adoption cannot be assumed. In ADKAR terms, measurement is part of Reinforcement.""",
    remediation="""Define adoption measures (weekly active users, data completeness, share of
    pipeline in the CRM) per division, and review them in steering during and after hypercare.""",
    sources=("Microsoft, Dynamics 365 change-management checklist", "CSO Insights, 2006", "Prosci ADKAR"),
    options=Val003Options,
    requires=(PATH,),
    question="""How will adoption be measured after go-live, against what target, and how often
    will it be reviewed? Record it as an `adoption` metric with its `target` and
    `review_cadence_days`.""",
    owner=("change_manager", "business_owner"),
)
def adoption_not_measured(ctx: Context, opt: Val003Options) -> Iterator[Result]:
    absent: list[tuple[Any, ...]] = []
    for i, m in enumerate(present(ctx.plan.success_metrics)):
        if m.kind != "adoption":
            continue
        if (
            m.target is not None
            and m.review_cadence_days is not None
            and m.review_cadence_days <= opt.max_review_cadence_days
        ):
            yield ctx.passed(None, PATH)
            return
        absent += [("success_metrics", i, f) for f in ("target", "review_cadence_days") if not has(m, f)]
    if absent:
        yield ctx.unknown(None, PATH, absent)
    else:
        yield ctx.failed(
            None,
            PATH,
            "Adoption is not measured after go-live: no adoption metric with a target reviewed at least every "
            f"{'day' if opt.max_review_cadence_days == 1 else plural(opt.max_review_cadence_days, 'day')}.",
        )
