"""A plan's readiness across its git history (``readiness history``).

The revisions come from ``git log --follow`` (through renames), their bytes from one
``git cat-file --batch`` process that serves them all, and each revision is checked in this
process, through the same loader and limits as a file (:func:`readiness.pipeline.check_bytes`),
under one rubric: each as of its own commit date, unless one date is given for all. A revision
that is not a valid plan is a point with its errors, never a reason to stop.

``git`` itself is run through :mod:`subprocess`, with its arguments as a list and the plan's path
after ``--``; nothing here goes through a shell.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

from readiness.errors import PlanError, Problem, UsageError
from readiness.findings import PlanResult
from readiness.limits import DATE_MAX, DATE_MIN, MAX_SHOWN
from readiness.loader import over_limit
from readiness.options import RunOptions
from readiness.pipeline import check_bytes, internal_error
from readiness.text import one_line

# a NUL cannot occur in a commit's fields, and these two separators do not occur in ours
_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"--format={_RECORD}%H{_FIELD}%cI{_FIELD}%an{_FIELD}%s"
_CHUNK = 1 << 16


class GitError(UsageError):
    """The history cannot be read: no git, not a repository, or no commit of the plan."""


@dataclass(frozen=True)
class Revision:
    """One commit that changed the plan."""

    commit: str  # the full object name
    date: dt.date  # the commit date, in the committer's time zone
    author: str
    subject: str
    path: str  # the plan's path in the repository at that commit (it may have been renamed since)


@dataclass(frozen=True)
class Point:
    """One revision checked: the date it was judged as of, and its result."""

    revision: Revision
    as_of: dt.date
    result: PlanResult


def _git(args: list[str], cwd: str) -> str:
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, env=environment, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise GitError("history needs git, and no git command was found") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(one_line(message[-1] if message else f"git {args[0]} failed"))
    return done.stdout.decode("utf-8", errors="surrogateescape")


def locate(plan: str) -> tuple[str, str]:
    """The repository's top directory and the plan's path in it; :class:`GitError` outside a
    repository."""
    folder = os.path.dirname(os.path.abspath(plan))
    if not os.path.isdir(folder):
        raise GitError(f"{one_line(plan)}: directory {one_line(folder)} does not exist")
    try:
        top = _git(["rev-parse", "--show-toplevel"], folder).strip()
    except GitError as exc:
        if "not a git repository" in str(exc):
            raise GitError(f"{one_line(plan)} is not in a git repository") from None
        raise
    inside = os.path.relpath(os.path.join(os.path.realpath(folder), os.path.basename(plan)), os.path.realpath(top))
    return top, inside.replace(os.sep, "/")


def revisions(top: str, path: str, max_count: int | None = None) -> list[Revision]:
    """The commits that changed the plan, oldest first, following renames; deletions are left out."""
    args = ["log", "--follow", "--diff-filter=d", "--name-only", "-z", _FORMAT]
    if max_count is not None:
        args.append(f"--max-count={max_count}")
    out: list[Revision] = []
    for record in _git([*args, "--", path], top).split(_RECORD)[1:]:
        header, _, names = record.partition("\0")
        commit, stamp, author, subject = ([*header.split(_FIELD), "", "", "", ""])[:4]
        named = [n for n in names.lstrip("\n").split("\0") if n]
        day = min(max(dt.date.fromisoformat(stamp[:10]), DATE_MIN), DATE_MAX)
        out.append(Revision(commit, day, author, subject, named[0] if named else path))
    out.reverse()
    return out


def contents(top: str, revisions: list[Revision], max_bytes: int) -> Iterator[tuple[Revision, bytes | PlanError]]:
    """Each revision's bytes, from one ``git cat-file --batch``: a request, then its answer, so no
    pipe fills up. A file over ``max_bytes`` is read past, never kept, and is a :class:`PlanError`
    like a file over the limit."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    with subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=top,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
    ) as git:
        assert git.stdin is not None and git.stdout is not None
        try:
            for revision in revisions:
                git.stdin.write(f"{revision.commit}:{revision.path}\n".encode("utf-8", errors="surrogateescape"))
                git.stdin.flush()
                header = git.stdout.readline().decode("utf-8", errors="replace").split()
                name = _name(revision)
                if len(header) != 3:  # "<name> missing": no content follows
                    yield revision, PlanError(name, [Problem("not in this commit")])
                    continue
                size = int(header[2])
                if header[1] != "blob":  # a directory or a submodule by that name: its content follows
                    _skip(git.stdout.read, size + 1)
                    yield revision, PlanError(name, [Problem(f"a {header[1]}, not a file, at this commit")])
                    continue
                if size > max_bytes:
                    _skip(git.stdout.read, size + 1)
                    yield revision, PlanError(name, [Problem(over_limit(size, max_bytes))])
                    continue
                data = git.stdout.read(size)
                git.stdout.read(1)  # the newline after the content
                yield revision, data
        finally:
            git.stdin.close()


def _skip(read: object, size: int) -> None:
    while size > 0:
        chunk = read(min(size, _CHUNK))  # type: ignore[operator]
        if not chunk:
            return
        size -= len(chunk)


def _name(revision: Revision) -> str:
    return f"{revision.path}@{revision.commit[:7]}"


def history(plan: str, options: RunOptions, as_of: dt.date | None = None, max_count: int | None = None) -> list[Point]:
    """Every revision of the plan checked, oldest first (each point knows its path in the
    repository): each as of its commit date, or all as of ``as_of``. Raises :class:`GitError`
    outside a repository or for a plan git has no commit of."""
    top, path = locate(plan)
    found = revisions(top, path, max_count)
    if not found:
        raise GitError(f"{one_line(plan)} has no commit in the history of {one_line(top)}")
    points = []
    for revision, data in contents(top, found, options.max_bytes):
        when = as_of or revision.date
        judged = dataclasses.replace(options, as_of=when)
        if isinstance(data, PlanError):
            result = PlanResult(_name(revision), "", None, None, exit_code=2, errors=data.problems[:MAX_SHOWN])
        else:
            result = _checked(_name(revision), data, judged)
        points.append(Point(revision, when, result))
    return points


def _checked(name: str, data: bytes, options: RunOptions) -> PlanResult:
    """One revision; a bug while checking it is that point's internal error, as in a batch."""
    try:
        return check_bytes(name, data, options)
    except Exception as exc:  # noqa: BLE001 - one revision's bug must not lose the others
        return internal_error(name, exc)
