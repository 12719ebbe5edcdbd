"""One plan through the whole pipeline: load, validate, evaluate, score -> :class:`PlanResult`.

A plan that cannot be loaded or validated gives a result with its errors and exit code 2, so a
call over many plans reports every one of them; nothing here prints or exits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import gc
import heapq
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import BinaryIO

from readiness import analysis
from readiness.custom import EvaluationError
from readiness.engine import Judge
from readiness.errors import PlanError
from readiness.findings import PlanResult
from readiness.forecast import forecast
from readiness.limits import MAX_BYTES, MAX_SHOWN
from readiness.loader import Document, load, load_bytes
from readiness.model import Plan
from readiness.options import RunOptions
from readiness.plan_checks import validate_plan
from readiness.rules import rule_names
from readiness.scoring import score, verdict
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


def check_plan(
    path: str, options: RunOptions, stdin: BinaryIO | None = None, until: dt.date | None = None
) -> PlanResult:
    """Check one plan (``-`` for standard input) under the run's options; its forecast runs to
    ``until`` (default: 90 days after the last go-live)."""
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
        timeline=events(plan),
        reasons=analysis.reasons(results, overall, options, waivers),
        actions=analysis.actions(results, analysis.regained(results, overall, options), plan.rollout.go_live),
        heat=analysis.heat_map(results, [(d.id, d.name) for _, d in judge.ctx.impacted]),
        forecast=forecast(judge, results, waivers, options.as_of, until),
    )


GLOB_CHARS = frozenset("*?[")
PLAN_SUFFIXES = (".yaml", ".yml")


def expand_plans(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Plans named by files, directories (every ``*.yaml``/``*.yml`` below, hidden names
    skipped) and globs (``*``, ``?``, ``[...]``, ``**``), de-duplicated and sorted by code point;
    ``-`` stays as it is. Returns the plans and the arguments that matched nothing.

    Directories and globs are expanded by our own walk, not by :mod:`glob`, which follows
    directory links for ever: a link to a parent directory made ``plans/**/*.yaml`` check one
    plan dozens of times, and two such links never finished. The walk follows links but lists
    each directory once, known by device and inode, under the first of its names in code-point
    order that the walk meets. A file reached by several names (hard links, links to a file, or
    two arguments) is one plan, under the first of those names in code-point order."""
    found: dict[str, tuple[int, int] | None] = {}  # path -> the file's identity, when known
    unmatched: list[str] = []
    stdin = False
    for argument in arguments:
        if argument == "-":
            stdin = True
            continue
        if os.path.isdir(argument):
            matches = _walk(argument)
        elif GLOB_CHARS.intersection(argument) and not os.path.exists(argument):
            matches = _glob(argument)
        else:
            found.setdefault(argument, _identity(argument))  # as given; loading reports any problem
            continue
        if not matches:
            unmatched.append(argument)
        for path, identity in matches:
            found.setdefault(os.path.normpath(path), identity)
    plans: list[str] = []
    seen: set[tuple[int, int]] = set()
    for path in sorted(found):
        identity = found[path]
        if identity is not None:
            if identity in seen:
                continue
            seen.add(identity)
        plans.append(path)
    return (["-", *plans] if stdin else plans), unmatched


Match = tuple[str, tuple[int, int] | None]  # a file found, and its identity when known


def _identity(path: str) -> tuple[int, int] | None:
    """A file's device and inode (links followed), or None when it cannot be known."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if info.st_ino else None


def _entries(folder: str) -> list[tuple[str, os.stat_result]]:
    """A directory's entries with their status (links followed): dangling links, entries that
    vanish and directories that cannot be read are left out, as glob and os.walk leave them."""
    out: list[tuple[str, os.stat_result]] = []
    try:
        with os.scandir(folder or os.curdir) as listing:
            for entry in listing:
                try:
                    out.append((entry.name, entry.stat()))
                except OSError:
                    continue
    except OSError:
        return []
    return out


def _directories(roots: list[str]) -> list[str]:
    """Every directory below ``roots`` (and the roots), hidden names skipped, each directory once
    by device and inode. Names are taken in code-point order, so a directory reached by several
    names is listed under the least of those met."""
    pending = list(roots)
    heapq.heapify(pending)
    visited: set[object] = set()
    out: list[str] = []
    while pending:
        folder = heapq.heappop(pending)
        try:
            info = os.stat(folder or os.curdir)
        except OSError:
            continue
        # where a file system reports no inode numbers, the resolved path stands in for them
        identity = (info.st_dev, info.st_ino) if info.st_ino else os.path.realpath(folder or os.curdir)
        if identity in visited or not stat.S_ISDIR(info.st_mode):
            continue
        visited.add(identity)
        out.append(folder)
        for name, status in _entries(folder):
            if not name.startswith(".") and stat.S_ISDIR(status.st_mode):
                heapq.heappush(pending, os.path.join(folder, name))
    return out


def _files(folder: str, keep: Callable[[str], bool]) -> list[Match]:
    return [
        (os.path.join(folder, name), (status.st_dev, status.st_ino) if status.st_ino else None)
        for name, status in _entries(folder)
        if stat.S_ISREG(status.st_mode) and keep(name)
    ]


def _walk(root: str) -> list[Match]:
    """The plan files below a directory."""
    return [
        match
        for folder in _directories([root])
        for match in _files(folder, lambda name: not name.startswith(".") and name.endswith(PLAN_SUFFIXES))
    ]


def _glob(pattern: str) -> list[Match]:
    """The regular files a pattern matches, as :func:`glob.glob` with ``recursive=True`` matches
    them (``**`` alone in a component is any depth of directories; a wildcard matches a hidden
    name only when its component starts with ``.``), without listing any directory twice."""
    if os.sep != "/":
        pattern = pattern.replace(os.sep, "/")
    drive, rest = os.path.splitdrive(pattern)
    anchor = drive + "/" if rest.startswith("/") else drive
    parts = rest.lstrip("/").split("/")
    bases = [anchor]
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if last:
            if part == "**":
                return [m for folder in _directories(bases) for m in _files(folder, _not_hidden)]
            if not part:  # a pattern ending with / names directories, never plan files
                return []
            return _unique([m for base in bases for m in _matching_files(base, part)])
        if part == "**":
            bases = _directories(bases)
        elif not part:
            continue  # a doubled /
        elif GLOB_CHARS.intersection(part):
            bases = _unique_folders(
                os.path.join(base, name)
                for base in bases
                for name, status in _entries(base)
                if stat.S_ISDIR(status.st_mode) and _fits(name, part)
            )
        else:
            bases = _unique_folders(
                os.path.join(base, part) for base in bases if os.path.isdir(os.path.join(base, part))
            )
        if not bases:
            return []
    return []


def _not_hidden(name: str) -> bool:
    return not name.startswith(".")


def _fits(name: str, part: str) -> bool:
    return (part.startswith(".") or not name.startswith(".")) and fnmatch.fnmatch(name, part)


def _matching_files(base: str, part: str) -> list[Match]:
    if not GLOB_CHARS.intersection(part):
        path = os.path.join(base, part)
        return [(path, _identity(path))] if os.path.isfile(path) else []
    return _files(base, lambda name: _fits(name, part))


def _unique(matches: list[Match]) -> list[Match]:
    return list(dict(matches).items())


def _unique_folders(folders: Iterable[str]) -> list[str]:
    """Directories named once each (by device and inode), under their least name."""
    out: dict[tuple[int, int] | str, str] = {}
    for folder in sorted(set(folders)):
        identity = _identity(folder)
        out.setdefault(identity if identity is not None else folder, folder)
    return list(out.values())
