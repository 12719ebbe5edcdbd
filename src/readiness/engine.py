"""Run the rules that a run enables on one plan, apply its waivers, then position and order the
results.

Rules see the validated plan only; the engine adds what they must not know: each rule's
effective severity and options from the rubric, the waivers under the rubric's policy and the
evaluation date, and line and column from the loader's source map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from readiness.findings import Result, WaiverCheck, WaiverState
from readiness.loader import Document
from readiness.model import Plan
from readiness.options import RunOptions
from readiness.paths import path_key
from readiness.rules import waivers
from readiness.rules.context import DEFAULT_OWNER, Context


def sort_results(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (path_key(r.path), r.rule, r.target is not None, r.target or ""))


def _run(ctx: Context, doc: Document, options: RunOptions, scored: bool) -> list[Result]:
    """The results of every enabled rule that is scored (or, with ``scored`` false, of the
    PLAN rules), in catalogue order, each with its line and column in the file and the
    divisions its target belongs to, each finding with who acts on it and each unknown with its
    rule's question: all added in one copy of the result."""
    results: list[Result] = []
    for rule_id, config in options.rubric.rules.items():
        spec = config.spec
        if spec.scored != scored or rule_id not in options.enabled:
            continue
        ctx.start(rule_id, spec.slug, spec.category, config.severity, spec.remediation)
        kinds = spec.owner or DEFAULT_OWNER
        for r in spec.check(ctx, config.options):
            line, column = doc.locate(r.path) or (None, None)
            divisions = ctx.divisions_of(r.target)
            if r.status == "pass":
                r = replace(r, line=line, column=column, divisions=divisions)
            else:
                question = spec.question if r.status == "unknown" else ""
                owner = ctx.owner_of(kinds, r)
                r = replace(r, line=line, column=column, divisions=divisions, owner=owner, question=question)
            results.append(r)
    return results


class Judge:
    """A plan's results, and how they read on any evaluation date.

    The rules' results never depend on the date (docs/rules.md): they are computed once. Only
    the waivers and the PLAN rules, which judge them, read it; :meth:`on` applies them for a
    date, and :meth:`plan_rules` judges a few waivers alone (readiness.forecast).
    """

    def __init__(self, doc: Document, plan: Plan, options: RunOptions) -> None:
        self.doc, self.plan, self.options = doc, plan, options
        self.ctx = Context(plan, doc.data)
        self.base = _run(self.ctx, doc, options, scored=True)

    def on(self, as_of: dt.date) -> tuple[list[Result], list[WaiverState], list[WaiverCheck]]:
        """The ordered results, the waivers' states and what the PLAN rules judged, on ``as_of``."""
        options = self.options
        results, states, checks = waivers.apply(
            self.plan.waivers or [], options.policy, options.rubric.names, options.enabled, as_of, self.base
        )
        return sort_results(results + self.plan_rules(checks, as_of)), states, checks

    def plan_rules(self, checks: list[WaiverCheck], as_of: dt.date) -> list[Result]:
        """The PLAN rules' results on the waivers of ``checks``, on ``as_of``."""
        if self.options.policy.waivers == "forbidden":  # no waiver applies, and the rules about them do not run
            return []
        ctx = self.ctx
        ctx.waivers, ctx.policy, ctx.as_of = checks, self.options.policy, as_of
        return _run(ctx, self.doc, self.options, scored=False)


def evaluate(doc: Document, plan: Plan, options: RunOptions) -> tuple[list[Result], list[WaiverState]]:
    """Run a plan through the rules: positioned, waived, ordered results and the waivers' states.
    A custom rule that cannot be evaluated raises :class:`readiness.custom.EvaluationError`."""
    results, states, _ = Judge(doc, plan, options).on(options.as_of)
    return results, states
