"""Run the rules that a run enables on one plan, apply its waivers, then position and order the
results.

Rules see the validated plan only; the engine adds what they must not know: each rule's
effective severity and options from the rubric, the waivers under the rubric's policy and the
evaluation date, and line and column from the loader's source map.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from readiness.findings import Result, WaiverState
from readiness.loader import Document
from readiness.model import Plan
from readiness.options import RunOptions
from readiness.paths import path_key
from readiness.rules import waivers
from readiness.rules.context import Context


def sort_results(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (path_key(r.path), r.rule, r.target is not None, r.target or ""))


def _run(ctx: Context, options: RunOptions, scored: bool) -> list[Result]:
    """The results of every enabled rule that is scored (or, with ``scored`` false, of the
    PLAN rules), in catalogue order."""
    results: list[Result] = []
    for rule_id, config in options.rubric.rules.items():
        spec = config.spec
        if spec.scored != scored or rule_id not in options.enabled:
            continue
        ctx.start(rule_id, spec.slug, spec.category, config.severity, spec.remediation)
        results.extend(spec.check(ctx, config.options))
    return results


def evaluate(doc: Document, plan: Plan, options: RunOptions) -> tuple[list[Result], list[WaiverState]]:
    """Run a plan through the rules: positioned, waived, ordered results and the waivers' states.
    A custom rule that cannot be evaluated raises :class:`readiness.custom.EvaluationError`."""
    ctx = Context(plan, doc.data)
    results = _run(ctx, options, scored=True)
    policy = options.policy
    results, states, checks = waivers.apply(
        plan.waivers or [], policy, options.rubric.names, options.enabled, options.as_of, results
    )
    if policy.waivers != "forbidden":  # with waivers forbidden, the rules about them do not run
        ctx.waivers, ctx.policy, ctx.as_of = checks, policy, options.as_of
        results += _run(ctx, options, scored=False)
    return sort_results(position(doc, results)), states


def position(doc: Document, results: list[Result]) -> list[Result]:
    """Each result with the line and column of its path (None for an absent top-level key)."""
    out = []
    for r in results:
        line, column = doc.locate(r.path) or (None, None)
        out.append(replace(r, line=line, column=column))
    return out
