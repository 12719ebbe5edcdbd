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

from readiness.custom import EvaluationError
from readiness.engine import evaluate
from readiness.errors import MAX_SHOWN, PlanError
from readiness.findings import PlanResult
from readiness.loader import MAX_BYTES, Document, load
from readiness.model import Plan
from readiness.rubric import Rubric
from readiness.rules import rule_names
from readiness.scoring import score, verdict
from readiness.timeline import events
from readiness.validate import validate_plan


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


def check_plan(
    path: str,
    rubric: Rubric,
    as_of: dt.date,
    enabled: set[str] | None = None,
    max_bytes: int = MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> PlanResult:
    """Check one plan under ``rubric`` as of ``as_of``. ``enabled`` narrows the rules that run."""
    with _collector_paused():
        return _check(path, rubric, as_of, enabled, max_bytes, stdin)


def _check(
    path: str, rubric: Rubric, as_of: dt.date, enabled: set[str] | None, max_bytes: int, stdin: BinaryIO | None
) -> PlanResult:
    if enabled is None:
        enabled = {rule_id for rule_id in rubric.rules if rubric.runs(rule_id)}
    doc: Document | None = None
    try:
        doc = load(path, max_bytes, stdin)
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
        results, waivers = evaluate(doc, plan, rubric, as_of, enabled)
    except EvaluationError as exc:  # rubrics.md §9: this plan only cannot be judged by that rule
        problem = replace(exc.problem, message=f"{exc.problem.message} (plan {path})", file=exc.source)
        return PlanResult(
            path=path,
            sha256=doc.sha256,
            name=plan.rollout.name,
            go_live=plan.rollout.go_live.isoformat(),
            exit_code=2,
            errors=[problem],
        )
    overall, categories = score(results, rubric, enabled)
    outcome = verdict(results, overall, rubric)
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
        timeline=events(plan),
    )


GLOB_CHARS = frozenset("*?[")


def expand_plans(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Plans named by files, directories (every ``*.yaml``/``*.yml`` below, hidden names
    skipped) and globs, de-duplicated and sorted by code point; ``-`` stays as it is. Returns the
    plans and the arguments that matched nothing."""
    import glob
    import os

    found: set[str] = set()
    unmatched: list[str] = []
    stdin = False
    for argument in arguments:
        if argument == "-":
            stdin = True
            continue
        if os.path.isdir(argument):
            before = len(found)
            for folder, dirs, files in os.walk(argument):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if not name.startswith(".") and name.endswith((".yaml", ".yml")):
                        full = os.path.join(folder, name)
                        if os.path.isfile(full):
                            found.add(os.path.normpath(full))
            if len(found) == before:
                unmatched.append(argument)
        elif GLOB_CHARS.intersection(argument) and not os.path.exists(argument):
            matches = [m for m in glob.glob(argument, recursive=True) if os.path.isfile(m)]
            if matches:
                found.update(os.path.normpath(m) for m in matches)
            else:
                unmatched.append(argument)
        else:
            found.add(argument)
    plans = sorted(found)
    return (["-", *plans] if stdin else plans), unmatched
