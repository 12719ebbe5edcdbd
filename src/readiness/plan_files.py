"""Which files a plan list names: files, directories and globs, as ``readiness check`` expands
its arguments and the project configuration's ``plans``, and as the language server tells
whether a document is one of them. Only the standard library is imported here, so the server
process can ask without loading the checking core."""

from __future__ import annotations

import fnmatch
import heapq
import os
import stat
from collections.abc import Callable, Iterable

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


def names_plan(entry: str, path: str) -> bool:
    """Whether ``entry`` of a plan list (a file, a directory or a glob) names the file at ``path``
    as :func:`expand_plans` would find it, decided from the names alone: no directory is read,
    so a language server can ask at every keystroke. Links are not followed here."""
    target = os.path.abspath(path)
    if os.path.isdir(entry):
        below = os.path.relpath(target, os.path.abspath(entry)).split(os.sep)
        return (
            below[0] not in (os.pardir, os.curdir)
            and not any(name.startswith(".") for name in below)
            and target.endswith(PLAN_SUFFIXES)
        )
    if GLOB_CHARS.intersection(entry) and not os.path.exists(entry):
        if entry.endswith(("/", os.sep)):
            return False  # a pattern ending with / names directories, never plan files
        parts = _components(os.path.normpath(entry))
        prefix = [] if os.path.isabs(entry) else _components(os.getcwd())  # a name, never a pattern
        up = next((i for i, part in enumerate(parts) if part != os.pardir), len(parts))
        prefix, parts = prefix[: max(0, len(prefix) - up)], parts[up:]
        names = _components(target)
        return names[: len(prefix)] == prefix and _pattern_names(parts, names[len(prefix) :])
    return os.path.abspath(entry) == target


def _components(path: str) -> list[str]:
    return [name for name in path.replace(os.sep, "/").split("/") if name]


def _pattern_names(parts: list[str], names: list[str]) -> bool:
    """Whether the components of a glob (``**`` any depth of directories, hidden names matched
    only by a component that starts with ``.``) match those of a path, as :func:`_glob` walks."""
    if not parts:
        return not names
    part, rest = parts[0], parts[1:]
    if part == "**":
        if not rest:  # a file at any depth, below directories that are not hidden
            return bool(names) and not any(name.startswith(".") for name in names)
        for depth in range(len(names)):
            if _pattern_names(rest, names[depth:]):
                return True
            if names[depth].startswith("."):
                return False  # the walk does not enter a hidden directory
        return False
    if not names:
        return False
    fits = _fits(names[0], part) if GLOB_CHARS.intersection(part) else names[0] == part
    return fits and _pattern_names(rest, names[1:])
