"""Workload and legacy (LEG)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from readiness.findings import Result
from readiness.model import ChangeType, has
from readiness.rules.base import OptCount, OptDays, Options, heuristic, present, rule
from readiness.rules.context import ROLE_MEASURES, Context, days, is_empty, plus, role_measures
from readiness.types import NonNegNumber
from readiness.wording import day, join_and, parts, plural, relative


class Leg001Options(Options):
    max_days_after_go_live: OptDays = heuristic(60, "Most days after the last go-live a replaced report may live on.")


@rule(
    "LEG001",
    "legacy-report-without-retirement",
    "error",
    "Legacy report kept alongside the CRM with no retirement",
    seeds=("S1",),
    rationale="""In S1, a leader made everyone use the CRM but still demanded "his" old reports;
    his division's workload doubled, his peers copied him, and data quality suffered. Kotter (HBR
    1995) calls supervisors who make demands inconsistent with the transformation "perhaps worst of
    all", and in ADKAR terms a living old path removes Reinforcement. At Nestle USA, demand
    forecasters who would not abandon their familiar spreadsheets saw 77% turnover.""",
    remediation="""Map every legacy report to a CRM dashboard, set a retire-by date soon after
    go-live, and have the report's owner sign off the replacement.""",
    sources=("Seed S1", "Kotter, Leading Change, HBR 1995", "Prosci ADKAR", "Press reports on Nestle USA"),
    options=Leg001Options,
    requires=(("legacy",), ("legacy", "reports")),
    question="""Which CRM dashboard replaces each legacy report, and by when will the old report
    stop, or why must it stay? Record it in `legacy.reports[]`: `replaced_by`, `retire_by` or
    `keep_reason`.""",
    owner=("owner", "business_owner"),
)
def legacy_report_without_retirement(ctx: Context, opt: Leg001Options) -> Iterator[Result]:
    leaders = {leader.person for leader in ctx.plan.leaders or []}
    limit = plus(ctx.last_go_live, opt.max_days_after_go_live)
    for i, rpt in enumerate(present(present(ctx.plan.legacy).reports)):
        path = ("legacy", "reports", i)
        name = ctx.called("Legacy report", rpt.id)
        note = f" (demanded by division leader {ctx.entity(rpt.owner)})" if rpt.owner in leaders else ""
        if not has(rpt, "replaced_by"):
            yield ctx.unknown(rpt.id, path, [(*path, "replaced_by")])
        elif not is_empty(rpt.replaced_by):
            if not has(rpt, "retire_by"):
                yield ctx.unknown(rpt.id, path, [(*path, "retire_by")], due=limit)
            elif rpt.retire_by is None:
                yield ctx.failed(
                    rpt.id,
                    path,
                    f"{name}{note} is replaced by {rpt.replaced_by} but has no retirement date.",
                    due=limit,
                )
            elif rpt.retire_by > limit:
                yield ctx.failed(
                    rpt.id,
                    path,
                    f"{name}{note} is replaced by {rpt.replaced_by} but is "
                    f"retired only on {day(rpt.retire_by)}, "
                    f"{relative(days(ctx.last_go_live, rpt.retire_by), 'the last go-live')} "
                    f"(limit {opt.max_days_after_go_live}).",
                    due=limit,
                )
            else:
                yield ctx.passed(rpt.id, path)
        elif not has(rpt, "keep_reason"):
            yield ctx.unknown(rpt.id, path, [(*path, "keep_reason")])
        elif is_empty(rpt.keep_reason):
            yield ctx.failed(rpt.id, path, f"{name}{note} has no CRM replacement and no reason to keep it.", -1)
        else:
            yield ctx.passed(rpt.id, path)


class Leg002Options(Options):
    max_write_days_after_go_live: OptDays = heuristic(
        30, "Most days after the last go-live a legacy system may stay writable."
    )


@rule(
    "LEG002",
    "legacy-system-writable",
    "warning",
    "Legacy system stays writable, so people enter data twice",
    seeds=("S1",),
    rationale="""S1's staff carried double the workload because the old path stayed alive next to
    the CRM. Nike's i2 system ran alongside legacy systems with heavy customisation (CIO). Double
    entry turns the CRM into the extra task instead of the tool.""",
    remediation="""Set a read-only date for each legacy system shortly after go-live, set a
    migration cut-off, and remove duplicate entry steps from every role.""",
    sources=("Seed S1", "CIO on Nike i2, 2000"),
    options=Leg002Options,
    question="""From when can nobody enter data in each legacy system, and will any role still
    enter the same data twice after go-live? Record it in `legacy.systems[].read_only_from` and
    `adoption_design.roles[].double_entry`.""",
    owner=("programme_lead", "business_owner"),
)
def legacy_system_writable(ctx: Context, opt: Leg002Options) -> Iterator[Result]:
    systems_absent = ctx.absent_prefix(("legacy", "systems"))
    roles_absent = ctx.absent_prefix(("adoption_design", "roles"))
    if systems_absent and roles_absent:
        yield ctx.plan_unknown(("legacy", "systems"), ("adoption_design", "roles"))  # type: ignore[misc]
        return
    if systems_absent:
        yield ctx.plan_unknown(("legacy", "systems"))  # type: ignore[misc]
    else:
        limit = plus(ctx.last_go_live, opt.max_write_days_after_go_live)
        for i, system in enumerate(present(present(ctx.plan.legacy).systems)):
            path = ("legacy", "systems", i, "read_only_from")
            when = system.read_only_from
            if not has(system, "read_only_from"):
                yield ctx.unknown(system.id, path, [path], due=limit)
            elif when is None:
                yield ctx.failed(
                    system.id, path, f"{ctx.called('Legacy system', system.id)} has no read-only date.", due=limit
                )
            elif when > limit:
                yield ctx.failed(
                    system.id,
                    path,
                    f"{ctx.called('Legacy system', system.id)} stays writable until {day(when)}, "
                    f"{relative(days(ctx.last_go_live, when), 'the last go-live')} (limit "
                    f"{opt.max_write_days_after_go_live}).",
                    due=limit,
                )
            else:
                yield ctx.passed(system.id, path)
    if roles_absent:
        yield ctx.plan_unknown(("adoption_design", "roles"))  # type: ignore[misc]
    else:
        for i, role in enumerate(present(present(ctx.plan.adoption_design).roles)):
            path = ("adoption_design", "roles", i, "double_entry")
            if role.double_entry is True:
                yield ctx.failed(
                    role.id, path, f"{ctx.called('Role', role.id)} enters the same data twice after go-live."
                )
            elif role.double_entry is None:
                yield ctx.unknown(role.id, path, [path])
            else:
                yield ctx.passed(role.id, path)


class Leg003Options(Options):
    tolerance_pct: NonNegNumber = heuristic(0, "Extra effort accepted after go-live, in percent.")


@rule(
    "LEG003",
    "role-workload-increase",
    "warning",
    "The new process adds net work for a role",
    seeds=("S1", "S5"),
    rationale="""S1 says the new system must simplify workflows, not create extra headaches; S5
    describes salespeople told the system will help them, then expected to spend hours on data
    entry. In Avon's 2013 pilot, the CEO called the impact on representatives' daily processes
    "significant" and active representatives dropped steeply; one sales leader reported that more
    than a third of her 300 reps quit. Avon wrote off $100-125M.""",
    remediation="""Redesign the flow until each role's effort is the same or lower, or add
    automation (see ADOPT001).""",
    sources=("Seeds S1, S5", "Press reports on Avon, 2013"),
    options=Leg003Options,
    requires=(("adoption_design",), ("adoption_design", "roles")),
    question="""How many minutes a day, or how many steps, does each role spend on the affected
    work today, and how many after go-live? Record it in `adoption_design.roles[]`.""",
    owner=("programme_lead", "business_owner"),
)
def role_workload_increase(ctx: Context, opt: Leg003Options) -> Iterator[Result]:
    factor = 1 + Decimal(opt.tolerance_pct) / 100
    for i, role in enumerate(present(present(ctx.plan.adoption_design).roles)):
        path = ("adoption_design", "roles", i)
        problems = []
        measures = role_measures(role)
        for before, after, unit, units in measures:
            if after > before * factor:
                problems.append(f"{before} → {after} {unit if after == 1 else units}")
        if problems:
            yield ctx.failed(
                role.id, path, parts(f"{ctx.called('Role', role.id)} does more work after go-live: ", problems)
            )
        elif measures:
            yield ctx.passed(role.id, path)
        else:
            yield ctx.unknown(role.id, path, [(*path, f) for f in ROLE_MEASURES])


class Leg004Options(Options):
    window_days: OptDays = heuristic(90, "Days either side of a division's go-live in which other changes count.")
    max_other_changes: OptCount = heuristic(1, "Most other changes accepted in the window.")
    escalate_types: list[ChangeType] = heuristic(
        ["layoff", "outsourcing", "restructuring"],
        "Change types that threaten jobs: a single overlapping change of one of these types fails the rule "
        "on its own, whatever max_other_changes allows, and raises the finding one level (from the AT&T "
        "Wireless case).",
    )


@rule(
    "LEG004",
    "change-saturation",
    "warning",
    "Competing disruptive changes hit a division around its go-live",
    seeds=("S4",),
    rationale="""Prosci's 2018 benchmark lists change saturation among the top obstacles, and its
    risk assessment rates an organisation's capacity for change. S4 notes that roles diminish and
    subordinates are re-assigned as work flows across old boundaries, and people notice. AT&T
    Wireless confirmed 1,900 layoffs, with offshoring under way, while staff were still fixing
    glitches from its 2003 CRM upgrade; CIO magazine's advice afterwards was to postpone layoffs
    and offshoring until a vital systems project is complete.""",
    remediation="""Re-sequence the other changes or move the go-live out of the window. Where job
    changes cannot wait, communicate about job security early and explicitly.""",
    sources=("Seed S4", "Prosci, Best Practices in Change Management, 2018", "CIO on AT&T Wireless, 2004"),
    options=Leg004Options,
    requires=(("organisation", "concurrent_changes"),),
    question="""What other changes, such as reorganisations, layoffs or other system changes,
    reach the impacted divisions around their go-live? Record them in
    `organisation.concurrent_changes`, or `[]` if there are none.""",
    owner=("sponsor", "programme_lead"),
)
def change_saturation(ctx: Context, opt: Leg004Options) -> Iterator[Result]:
    path = ("organisation", "concurrent_changes")
    changes = present(ctx.plan.organisation.concurrent_changes)
    window = opt.window_days
    escalate = set(opt.escalate_types)
    specific: dict[str, list[tuple[int, Any]]] = {}
    for i, c in enumerate(changes):
        if c.divisions != "all":
            for d in c.divisions:
                specific.setdefault(d, []).append((i, c))
    dates = sorted({ctx.go_live_of(d.id) for _, d in ctx.impacted})
    general = _AllDivisionChanges([(i, c) for i, c in enumerate(changes) if c.divisions == "all"], dates, window)

    def overlaps(c: Any, go_live: dt.date) -> bool:
        return bool(c.start <= plus(go_live, window) and (c.end is None or c.end >= plus(go_live, -window)))

    for _, d in ctx.impacted:
        go_live = ctx.go_live_of(d.id)
        count, listed, types = general.at(go_live, escalate)
        own = [(i, c) for i, c in specific.get(d.id, []) if overlaps(c, go_live)]
        count += len(own)
        hits = [c for _, c in sorted(listed + own, key=lambda item: item[0])][:10]
        types |= {c.type for _, c in own if c.type in escalate}
        shown = [t for t in opt.escalate_types if t in types]
        if count > opt.max_other_changes or shown:
            more = f" and {count - len(hits)} more" if count > len(hits) else ""
            message = (
                f"{ctx.entity(d.id)} faces {plural(count, 'other change')} within {plural(window, 'day')} "
                f"of its go-live {day(go_live)}: {', '.join(ctx.entity(c.id) for c in hits)}{more}."
            )
            if shown:
                threaten = "threatens" if len(shown) == 1 else "threaten"
                message += f" Includes {join_and(shown)}, which {threaten} jobs."
            yield ctx.failed(d.id, path, message, 1 if shown else 0)
        else:
            yield ctx.passed(d.id, path)


class _AllDivisionChanges:
    """Changes affecting every division, indexed so that each go-live date's overlaps are found
    without scanning every change: counts by bisection over sorted starts and ends, and the first
    ten overlapping changes in plan order by a union-find over dates that still have room."""

    def __init__(self, changes: list[tuple[int, Any]], dates: list[dt.date], window: int) -> None:
        self.window = window
        self.starts = sorted(c.start for _, c in changes)
        self.ends = sorted(c.end for _, c in changes if c.end is not None)
        self.by_type: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
        for _, c in changes:
            starts, ends = self.by_type.setdefault(c.type, ([], []))
            starts.append(c.start)
            if c.end is not None:
                ends.append(c.end)
        for starts, ends in self.by_type.values():
            starts.sort()
            ends.sort()
        self.index = {when: n for n, when in enumerate(dates)}
        self.listed: list[list[tuple[int, Any]]] = [[] for _ in dates]
        room = list(range(len(dates) + 1))  # room[j]: the next date at or after j with room

        def find(j: int) -> int:
            while room[j] != j:
                room[j] = room[room[j]]
                j = room[j]
            return j

        for i, c in changes:  # plan order
            first = bisect_left(dates, plus(c.start, -window))
            last = bisect_right(dates, plus(c.end, window)) if c.end is not None else len(dates)
            j = find(first)
            while j < last:
                self.listed[j].append((i, c))
                if len(self.listed[j]) == 10:
                    room[j] = j + 1
                j = find(j + 1)

    def _count(self, starts: list[dt.date], ends: list[dt.date], go_live: dt.date) -> int:
        # overlapping = started by the window's end, less those that ended before its start
        return bisect_right(starts, plus(go_live, self.window)) - bisect_left(ends, plus(go_live, -self.window))

    def at(self, go_live: dt.date, escalate: set[str]) -> tuple[int, list[tuple[int, Any]], set[str]]:
        count = self._count(self.starts, self.ends, go_live)
        types = {t for t in escalate if t in self.by_type and self._count(*self.by_type[t], go_live) > 0}
        return count, list(self.listed[self.index[go_live]]), types
