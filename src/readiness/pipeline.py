"""One plan through the whole pipeline: load, validate, evaluate, score -> :class:`PlanResult`.

A plan that cannot be loaded or validated gives a result with its errors and exit code 2, so a
call over many plans reports every one of them; nothing here prints or exits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from readiness import analysis
from readiness.custom import EvaluationError
from readiness.engine import Judge
from readiness.errors import PlanError, Problem
from readiness.findings import PlanResult
from readiness.forecast import forecast
from readiness.limits import MAX_BYTES, MAX_SHOWN
from readiness.loader import Document, load, load_bytes
from readiness.model import Plan
from readiness.options import RunOptions
from readiness.plan_checks import validate_plan
from readiness.rules import rule_names
from readiness.scoring import score, verdict
from readiness.text import one_line
from readiness.timeline import events


def load_plan(path: str, max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None) -> tuple[Document, Plan]:
    """Read and validate one plan file (``-`` for standard input); raises :class:`PlanError`."""
    doc = load(path, max_bytes, stdin)
    return doc, validate_plan(doc, rule_names())


def _name_and_go_live(doc: Document | None) -> tuple[str | None, str | None]:
    rollout = doc.data.get("rollout") if doc is not None else None
    if not isinstance(rollout, dict):
        return None, None
    name = rollout.get("name") if isinstance(rollout.get("name"), str) else None
    go_live = rollout.get("go_live") if isinstance(rollout.get("go_live"), str) else None
    return name, go_live


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one plan is checked. Loading builds hundreds of
    thousands of small acyclic objects, and each full collection rescans them all, which made
    checking grow faster than the plan; reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def internal_error(name: str, exc: Exception, rerun: str = "") -> PlanResult:
    """The result of a plan whose check met a bug (exit 3), with the traceback kept for
    ``--debug``; ``rerun`` follows "please report it" where a rerun can show more."""
    import traceback

    message = f"internal error: {type(exc).__name__}: {one_line(str(exc))}; please report it{rerun}"
    return PlanResult(name, "", None, None, exit_code=3, errors=[Problem(message)], debug=traceback.format_exc())


def check_plan(
    path: str, options: RunOptions, stdin: BinaryIO | None = None, until: dt.date | None = None
) -> PlanResult:
    """Check one plan (``-`` for standard input) under the run's options; its forecast runs to
    ``until`` (default: 90 days after the last go-live, or after ``as_of`` when that is later)."""
    with _collector_paused():
        return _check(path, options, stdin, until=until)


def check_bytes(name: str, data: bytes, options: RunOptions) -> PlanResult:
    """Check a plan read some other way (a revision of it, from git), through the same loader
    and limits as a file; ``name`` is how its results and errors name it."""
    with _collector_paused():
        return _check(name, options, None, data)


def _check(
    path: str,
    options: RunOptions,
    stdin: BinaryIO | None,
    data: bytes | None = None,
    until: dt.date | None = None,
) -> PlanResult:
    doc: Document | None = None
    try:
        doc = load(path, options.max_bytes, stdin) if data is None else load_bytes(path, data, options.max_bytes)
        plan = validate_plan(doc, rule_names())
    except PlanError as exc:
        name, go_live = _name_and_go_live(doc)
        return PlanResult(
            path=path,
            sha256=doc.sha256 if doc else "",
            name=name,
            go_live=go_live,
            exit_code=2,
            errors=exc.problems[:MAX_SHOWN],
            errors_omitted=max(0, exc.count - MAX_SHOWN),
        )
    try:
        judge = Judge(doc, plan, options)
    except EvaluationError as exc:  # this plan only cannot be judged by that rule
        problem = replace(exc.problem, message=f"{exc.problem.message} (plan {path})", file=exc.source)
        return PlanResult(
            path=path,
            sha256=doc.sha256,
            name=plan.rollout.name,
            go_live=plan.rollout.go_live.isoformat(),
            exit_code=2,
            errors=[problem],
        )
    results, waivers, _ = judge.on(options.as_of)
    overall, categories = score(results, options)
    outcome = verdict(results, overall, options.policy)
    return PlanResult(
        path=path,
        sha256=doc.sha256,
        name=plan.rollout.name,
        go_live=plan.rollout.go_live.isoformat(),
        verdict=outcome,
        score=overall,
        exit_code=0 if outcome == "ready" else 1,
        results=results,
        categories=categories,
        waivers=waivers,
        timeline=events(plan, judge.ctx.last_go_live),
        reasons=analysis.reasons(results, overall, options, waivers),
        actions=analysis.actions(results, analysis.regained(results, overall, options), plan.rollout.go_live),
        heat=analysis.heat_map(results, [(d.id, d.name) for _, d in judge.ctx.impacted]),
        forecast=forecast(judge, results, waivers, options.as_of, until),
    )
