"""Meta rules about waivers (PLAN).

Their results depend on the rubric's waiver policy and the evaluation date, so the engine
produces them while applying waivers (:mod:`readiness.engine`); the functions here only carry the
metadata and yield nothing on their own.
"""

from __future__ import annotations

from collections.abc import Iterator

from readiness.rules import Context, Outcome, rule


@rule(
    "PLAN001",
    "unused-waiver",
    "warning",
    "Waiver matches no failing result",
    rationale="""An unused waiver is noise at best. At worst it is a standing exemption that will
    silently hide a future problem on the same target.""",
    remediation="Delete the waiver, or fix its `rule` or `target`.",
    sources=("readiness waiver policy (rubrics.md §4)",),
)
def unused_waiver(ctx: Context, opt: object) -> Iterator[Outcome]:
    return iter(())


@rule(
    "PLAN002",
    "expired-waiver",
    "info",
    "Waiver has expired",
    rationale="""Accepted risks must be revisited. The findings that come back carry the weight, so
    this reminder itself stays at info.""",
    remediation="Fix the underlying finding, or renew the waiver with a new reason and date.",
    sources=("readiness waiver policy (rubrics.md §4)",),
)
def expired_waiver(ctx: Context, opt: object) -> Iterator[Outcome]:
    return iter(())


@rule(
    "PLAN003",
    "waiver-too-long",
    "warning",
    "Waiver expires too far ahead",
    rationale="""Long waivers turn accepted risks into permanent ones. A short horizon forces a fresh
    decision at each review.""",
    remediation="Shorten the waiver and renew it if the reason still holds.",
    sources=("readiness waiver policy (rubrics.md §4)",),
)
def waiver_too_long(ctx: Context, opt: object) -> Iterator[Outcome]:
    return iter(())
