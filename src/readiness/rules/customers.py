"""Customers (CUST)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from readiness.findings import Result
from readiness.rules.base import OptDays, Options, heuristic, present, rule
from readiness.rules.context import Context, plus
from readiness.wording import day, join, plural

NEEDED = (("customers",), ("customers", "segments"), ("communications",))


def _notices(ctx: Context) -> tuple[list[Any], dict[str, list[Any]]]:
    """External communications to every segment, and per segment id."""
    general: list[Any] = []
    specific: dict[str, list[Any]] = {}
    for c in ctx.plan.communications or []:
        if not c.audience.is_external:
            continue
        if c.audience.segments == "all":
            general.append(c)
        else:
            for s in c.audience.segments or []:
                specific.setdefault(s, []).append(c)
    return general, specific


class Cust001Options(Options):
    notice_lead_days: OptDays = heuristic(30, "Days before go-live by which affected customers must be told.")


@rule(
    "CUST001",
    "late-customer-notice",
    "error",
    "Affected customers are not told in time",
    seeds=("S4",),
    rationale="""S4 extends change management to customers and asks how they will cope with hiccups
    as the changes begin. Panorama Consulting makes the same point: customers and vendors need
    preparing when the way orders are processed changes. Hershey's 1999 go-live left about $100M of
    orders unfilled.""",
    remediation="""Plan customer notices covering what changes, when, and whom to contact, at least
    a month before go-live.""",
    sources=("Seed S4", "Panorama Consulting on ERP communications", "Press reports on Hershey, 1999"),
    options=Cust001Options,
    requires=NEEDED,
    question="""What changes for the customers in each segment, and when are they told? Record
    it in `customers.segments[].changes` and as communications to those segments.""",
    owner=("customer_owner", "business_owner"),
)
def late_customer_notice(ctx: Context, opt: Cust001Options) -> Iterator[Result]:
    general, specific = _notices(ctx)
    deadline = plus(ctx.go_live, -opt.notice_lead_days)
    general_in_time = any(c.first_date <= deadline for c in general)  # once, not once per segment
    for i, seg in enumerate(present(present(ctx.plan.customers).segments)):
        path = ("customers", "segments", i)
        if seg.changes is None:
            yield ctx.unknown(seg.id, path, [(*path, "changes")], due=deadline)
            continue
        if not seg.changes:
            continue
        if general_in_time or any(c.first_date <= deadline for c in specific.get(seg.id, [])):
            yield ctx.passed(seg.id, path)
        else:
            yield ctx.failed(
                seg.id,
                path,
                f"Customers in {ctx.entity(seg.id)} are not told about {join(seg.changes)} by "
                f"{day(deadline)} ({plural(opt.notice_lead_days, 'day')} before go-live).",
                due=deadline,
            )


@rule(
    "CUST002",
    "customer-channel-mismatch",
    "error",
    "Customer notice goes by a channel the customers do not use",
    seeds=("S4",),
    rationale="""In S4, a company began emailing customer-service updates to a small-business
    customer base that still relied on fax. The notice existed, but it never reached the
    customers.""",
    remediation="""Send the notice through the channel the customers use now (fax, phone or letter),
    with email as an addition rather than a replacement.""",
    sources=("Seed S4",),
    requires=NEEDED,
    question="""Which channels do the customers in each segment use today, and do the notices
    reach them through one of those? Record them in `customers.segments[].current_channels`.""",
    owner=("customer_owner", "business_owner"),
)
def customer_channel_mismatch(ctx: Context, opt: object) -> Iterator[Result]:
    general, specific = _notices(ctx)
    order = {id(c): n for n, c in enumerate(present(ctx.plan.communications))}
    general_channels = {c.channel: order[id(c)] for c in reversed(general)}  # channel -> its first notice
    for i, seg in enumerate(present(present(ctx.plan.customers).segments)):
        first: dict[str, int] = dict(general_channels)
        for c in specific.get(seg.id, []):
            first[c.channel] = min(first.get(c.channel, order[id(c)]), order[id(c)])
        if not first or seg.changes == []:
            continue
        path = ("customers", "segments", i, "current_channels")
        absent = [("customers", "segments", i, f) for f in ("changes", "current_channels") if getattr(seg, f) is None]
        if absent:
            yield ctx.unknown(seg.id, path, absent)
            continue
        channels = sorted(first, key=first.__getitem__)  # in the order the notices are planned
        current = present(seg.current_channels)
        if set(channels) & set(current):
            yield ctx.passed(seg.id, path)
        else:
            yield ctx.failed(
                seg.id,
                path,
                f"Customers in {ctx.entity(seg.id)} use {join(current)} but are notified only by {join(channels)}.",
            )
