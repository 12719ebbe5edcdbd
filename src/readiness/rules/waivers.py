"""Waivers: how the plan's waivers apply under the rubric's policy, and the three rules about
them (PLAN001-PLAN003), their metadata and their logic together.

A waiver turns the failing results of one rule (on one target, or on all) into ``waived``. The
rubric decides its fate, in order: with waivers forbidden none applies and the PLAN rules do not
run; an expired waiver (``expires`` before the evaluation date) waives nothing; a waiver for a
rule that does not run is inactive; past ``max_waivers`` the rest are over the limit; the others
apply, each to every failing result it matches (docs/rubrics.md). The PLAN rules then judge each
waiver: PLAN001 one that matches nothing, PLAN002 one that expired, PLAN003 one that runs too far
ahead. They are the only rules that read the evaluation date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from readiness.findings import Policy, Result, WaiverCheck, WaiverRef, WaiverState
from readiness.rules.base import rule
from readiness.rules.context import Context


def apply(
    waivers: list[Any],
    policy: Policy,
    names: Mapping[str, str],
    enabled: frozenset[str] | set[str],
    as_of: dt.date,
    results: list[Result],
) -> tuple[list[Result], list[WaiverState], list[WaiverCheck]]:
    """The results with waivers applied, the waivers' states, and what the PLAN rules judge.
    ``names`` maps every rule ID and slug of the rubric to its ID; ``enabled`` are the rules that
    run."""
    states: list[WaiverState] = []
    applied: dict[str, list[tuple[int, Any]]] = {}
    count = 0
    for index, w in enumerate(waivers):
        rule_id = names.get(w.rule, w.rule)  # a custom rule is named by its ID
        if policy.waivers == "forbidden":
            state = "forbidden"
        elif w.expires < as_of:
            state = "expired"
        elif rule_id not in enabled:
            state = "inactive"
        elif policy.max_waivers is not None and count >= policy.max_waivers:
            state = "over_limit"
        else:
            state = "applied"
            count += 1
            applied.setdefault(rule_id, []).append((index, w))
        states.append(WaiverState(index, w.rule, w.target, w.owner, w.expires.isoformat(), state))
    used: set[int] = set()
    out: list[Result] = []
    for result in results:
        first = None
        if result.status == "fail":
            for index, w in applied.get(result.rule, ()):
                if w.target is None or (result.target is not None and w.target == result.target):
                    used.add(index)
                    if first is None:
                        first = WaiverRef(index, w.reason, w.owner, w.expires.isoformat())
        out.append(result if first is None else replace(result, status="waived", waiver=first))
    checks = [
        WaiverCheck(s.index, s.rule, s.target, waivers[s.index].expires, s.state, s.index in used) for s in states
    ]
    return out, states, checks


@rule(
    "PLAN001",
    "unused-waiver",
    "warning",
    "Waiver matches no failing result",
    rationale="""An unused waiver is noise at best. At worst it is a standing exemption that will
    silently hide a future problem on the same target.""",
    remediation="Delete the waiver, or fix its `rule` or `target`.",
    sources=("readiness waiver policy (docs/rubrics.md)",),
    question="""Which failing finding was this waiver meant to accept, and does that risk still
    exist? Correct the waiver's `rule` or `target`, or remove it.""",
    owner=("waiver_owner",),
)
def unused_waiver(ctx: Context, opt: object) -> Iterator[Result]:
    for w in ctx.waivers:
        if w.state != "applied":
            continue
        if w.used:
            yield ctx.passed(None, w.path)
        else:
            yield ctx.failed(None, w.path, f"{w.named} matches no failing result; remove it or correct its target.")


@rule(
    "PLAN002",
    "expired-waiver",
    "info",
    "Waiver has expired",
    rationale="""Accepted risks must be revisited. The findings that come back carry the weight, so
    this reminder itself stays at info.""",
    remediation="Fix the underlying finding, or renew the waiver with a new reason and date.",
    sources=("readiness waiver policy (docs/rubrics.md)",),
    question="""Does the organisation still accept the risk this waiver covered, and if so, for
    what reason and until when? Record the decision in the waiver's `reason` and `expires`.""",
    owner=("waiver_owner",),
)
def expired_waiver(ctx: Context, opt: object) -> Iterator[Result]:
    for w in ctx.waivers:
        if w.state == "expired":
            yield ctx.failed(
                None,
                w.path,
                f"{w.named} expired on {w.expires.isoformat()}; its findings are live again.",
                due=w.expires,  # renewed or resolved by then
            )
        else:
            yield ctx.passed(None, w.path)


@rule(
    "PLAN003",
    "waiver-too-long",
    "warning",
    "Waiver expires too far ahead",
    rationale="""Long waivers turn accepted risks into permanent ones. A short horizon forces a fresh
    decision at each review.""",
    remediation="Shorten the waiver and renew it if the reason still holds.",
    sources=("readiness waiver policy (docs/rubrics.md)",),
    question="""Why must this risk stay accepted for so long, and when will it next be reviewed?
    Record that nearer date in the waiver's `expires`.""",
    owner=("waiver_owner",),
)
def waiver_too_long(ctx: Context, opt: object) -> Iterator[Result]:
    limit = ctx.policy.max_waiver_days if ctx.policy is not None else None
    if limit is None or ctx.as_of is None:
        return
    for w in ctx.waivers:
        if w.state != "applied":
            continue
        ahead = (w.expires - ctx.as_of).days
        if ahead > limit:
            yield ctx.failed(
                None, w.path, f"{w.named} runs until {w.expires.isoformat()}, {ahead} days ahead (limit {limit})."
            )
        else:
            yield ctx.passed(None, w.path)
