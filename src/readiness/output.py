"""Writing reports so that a reader never sees half of one.

Paths are checked before any plan is checked (a bad ``--output`` is a usage error, exit 2), and
each file is written to a temporary file in the same directory, flushed, synced and renamed over
the target, so an interrupted run leaves the previous report intact. Standard output gets every
byte too, whatever the console's encoding or the pipe's mode.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import tempfile

from readiness.errors import UsageError


def check_writable(path: str) -> None:
    """Raise :class:`UsageError` unless ``path`` can be replaced by a new regular file."""
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory, cannot write a report there")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"{path}: directory {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: directory {folder} is not writable")
    if os.path.exists(path) and not os.path.isfile(os.path.realpath(path)):
        raise UsageError(f"{path}: exists and is not a regular file")


def check_targets(reports: list[tuple[str, str]], inputs: list[tuple[str, str]]) -> None:
    """Raise :class:`UsageError` when two reports would go to one file, or a report would replace
    a file the run reads (a plan, a rubric): either way the user would lose a file. ``reports``
    and ``inputs`` are (what, path) pairs, such as ("json report", "out.json") or ("plan", "a.yaml")."""
    written: dict[object, tuple[str, str]] = {}
    for what, path in reports:
        key = _identity(path)
        if key in written:
            raise UsageError(f"{path}: the {written[key][0]} and the {what} would both be written there")
        written[key] = (what, path)
    if written:
        for what, path in inputs:
            key = _identity(path)
            if key in written:
                report, target = written[key]
                raise UsageError(f"{target}: the {report} would overwrite the {what} {path}, which the run reads")


def _identity(path: str) -> object:
    """One file however it is named (relative, through a symlink, by a hard link): its device and
    inode when it exists, else its real path."""
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except OSError:
        return real
    return (info.st_dev, info.st_ino)


def write_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step; a symlink's target is replaced."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_stdout(text: str, machine: bool = False) -> None:
    """Write all of ``text`` to standard output.

    Machine formats (``machine``: JSON, SARIF, JUnit, Markdown, annotations) go out as UTF-8
    whatever the locale: they declare or assume it, and a plan's "Łódź" must not become a crash on
    a cp1252 console. Text for people uses the console's encoding, replacing what it cannot show.
    The bytes are written here, to the last one: with PYTHONUNBUFFERED set, as in many CI images,
    ``sys.stdout.write`` ignores a partial write of the raw file and drops the rest silently, and a
    pipe a parent left non-blocking refuses writes while it is full."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream of an embedding program
        stream.write(text)
        return
    encoding = "utf-8" if machine else (stream.encoding or "utf-8")
    data = memoryview(text.encode(encoding, errors="strict" if machine else "replace"))
    stream.flush()
    while data:
        try:
            written = buffer.write(data)
        except BlockingIOError as exc:
            written = exc.characters_written
            _wait_until_writable(buffer)
        data = data[written or 0 :]
        if written is None:  # a raw non-blocking file that would block
            _wait_until_writable(buffer)
    while True:
        try:
            buffer.flush()
            return
        except BlockingIOError:
            _wait_until_writable(buffer)


def _wait_until_writable(stream: object) -> None:
    fileno = getattr(stream, "fileno", None)
    with contextlib.suppress(OSError, ValueError):
        if fileno is not None:
            select.select([], [fileno()], [], 1.0)
