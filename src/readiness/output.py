"""Where reports go, and how they get there whole or not at all.

Every destination of a run is resolved and checked before any plan is read (a bad one is a usage
error, exit 2, and nothing is written). Reports are then written as the plans are checked into
spools that hold little in memory, so a run over thousands of plans never keeps them all. Only
when every report is complete are they put in place, together: each file is written to a
temporary file in its own directory and synced; then streams (standard output, ``/dev/stdout``
and other file descriptors of the process, devices and named pipes) are written, never renamed
over; then each file is renamed over its target, and if one rename fails, the ones already made
are undone from hard-linked backups, so either every report of the run is new or every old one is
still there. A stream that cannot be written stops the run before any file is in place, unless
its reader went away (``| head``), which costs the reader nothing it still wanted. Appended files
(the GitHub step summary) are appended to last, only by a run that put its reports in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import select
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Literal

from readiness.errors import UsageError
from readiness.text import one_line

SPOOL_BYTES = 8 * 1024 * 1024  # a report larger than this waits on disk, not in memory
_OWN_FD = re.compile(r"/(?:dev/fd|proc/self/fd|proc/thread-self/fd|proc/(\d+)/fd)/(\d+)\Z")
_SPECIAL_FS = ("/proc", "/sys")


class OutputError(Exception):
    """A report could not be written (a full disk, a file-size limit, a closed stream): no file of
    the run was."""


@dataclass(frozen=True)
class Destination:
    """One place a report goes: a file replaced whole, a stream written to, or a file appended to."""

    name: str  # as the user gave it, for messages
    kind: Literal["file", "fd", "device", "append"]
    path: str = ""  # the file to replace, append to or open (symlinks resolved)
    fd: int = -1  # for "fd": a file descriptor of this process
    identity: object = None  # device and inode (or real path) of what would be written

    @property
    def stream(self) -> bool:
        return self.kind in ("fd", "device")


def stdout() -> Destination:
    return Destination("standard output", "fd", fd=1, identity=_fd_identity(1))


def destination(name: str) -> Destination:
    """Resolve a report path given by the user; raises :class:`UsageError` when no report can be
    written there. ``-`` is standard output."""
    if name == "-":
        return stdout()
    shown = one_line(name)
    if not name:
        raise UsageError("an empty report path; give a file name")
    own = None if name.endswith(("/", os.sep)) else _own_fd_behind(name)
    if own is not None:
        access = _access(own)
        if access is None:
            raise UsageError(f"{shown}: file descriptor {own} is not open")
        if access == os.O_RDONLY:
            raise UsageError(f"{shown}: file descriptor {own} is open for reading only")
        return Destination(name, "fd", fd=own, identity=_fd_identity(own))
    if name.endswith(("/", os.sep)) or os.path.isdir(name):
        raise UsageError(f"{shown}: is a directory; give a file name for the report")
    real = os.path.realpath(name)
    for root in _SPECIAL_FS:
        if real == root or real.startswith(root + "/"):
            raise UsageError(f"{shown}: is under {root}, which holds no reports")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot be used: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{shown}: is a directory; give a file name for the report")
    if info is not None and not stat.S_ISREG(info.st_mode):
        if not os.access(real, os.W_OK):
            raise UsageError(f"{shown}: is not writable")
        return Destination(name, "device", path=real, identity=(info.st_dev, info.st_ino))
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise UsageError(f"{shown}: directory {one_line(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}: directory {one_line(folder)} is not writable")
    if info is not None:
        _check_replaceable(shown, real, folder, info)
    identity = (info.st_dev, info.st_ino) if info is not None else real
    return Destination(name, "file", path=real, identity=identity)


def append_to(name: str) -> Destination:
    """A file the run appends to (the CI runner's step summary), never replaces."""
    real = os.path.realpath(name)
    return Destination(name, "append", path=real, identity=_identity(real))


def _own_fd(name: str) -> int | None:
    """The descriptor a name such as ``/dev/stdout`` or ``/proc/self/fd/3`` stands for."""
    aliases = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
    if name in aliases:
        return aliases[name]
    match = _OWN_FD.match(name)
    if match is None or (match[1] is not None and int(match[1]) != os.getpid()):
        return None
    return int(match[2])


def _access(fd: int) -> int | None:
    """How a descriptor is open (``os.O_RDONLY``, ``O_WRONLY`` or ``O_RDWR``), None if it is not."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no fcntl on Windows: only whether it is open
        try:
            os.fstat(fd)
        except OSError:
            return None
        return os.O_RDWR
    try:
        return fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
    except OSError:
        return None


_MAX_LINKS = 40  # as the system's own bound on the links of one path


def _own_fd_behind(name: str) -> int | None:
    """The descriptor of this process that ``name`` stands for, however it is spelt: normalised
    (``/dev//stdout``, ``/proc/self/fd/../fd/1``) and followed through links one at a time
    (``out.json -> /dev/stdout``), so that the name of a descriptor is found before the link is
    resolved to whatever the descriptor happens to be open on (a log file to be appended to, not
    replaced)."""
    path = os.path.abspath(name)
    for _ in range(_MAX_LINKS):
        own = _own_fd(path)
        if own is not None:
            return own
        parts = path.split("/")[1:]
        resolved = "/"
        for index, part in enumerate(parts):
            step = os.path.join(resolved, part)
            try:
                target = os.readlink(step)
            except OSError:  # not a link, or not there
                resolved = step
                continue
            path = os.path.normpath(os.path.join(resolved, target, *parts[index + 1 :]))
            break
        else:
            return None
    return None


def _check_replaceable(shown: str, real: str, folder: str, info: os.stat_result) -> None:
    """A rename over a file another user owns in a sticky directory (/tmp) is refused by the
    system: say so now rather than after other reports were put in place."""
    folder_info = os.stat(folder)
    euid = os.geteuid() if hasattr(os, "geteuid") else 0
    if folder_info.st_mode & stat.S_ISVTX and euid not in (0, info.st_uid, folder_info.st_uid):
        raise UsageError(f"{shown}: belongs to another user in a sticky directory and cannot be replaced")


def _fd_identity(fd: int) -> object:
    try:
        info = os.fstat(fd)
    except OSError:
        return ("fd", fd)
    return (info.st_dev, info.st_ino)


def _identity(path: str) -> object:
    """One file however it is named (relative, through a symlink, by a hard link): its device and
    inode when it exists, else its real path."""
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except OSError:
        return real
    return (info.st_dev, info.st_ino)


def stdin_identity() -> object | None:
    """What standard input reads when it is a file (``check - < plan.yaml``), else None."""
    try:
        info = os.fstat(0)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def check_targets(reports: list[tuple[str, Destination]], inputs: list[tuple[str, str, object]]) -> None:
    """Raise :class:`UsageError` when two reports would go to one place, or a report would
    replace a file the run reads (a plan, a rubric, the file behind standard input). ``reports``
    are (what, destination) pairs; ``inputs`` are (what, name, identity) triples."""
    written: dict[object, tuple[str, Destination]] = {}
    discard = _identity(os.devnull)
    for what, dest in reports:
        if dest.identity == discard:
            continue  # reports sent to /dev/null lose nothing by sharing it
        if dest.identity in written:
            raise UsageError(
                f"{one_line(dest.name)}: the {written[dest.identity][0]} and the {what} would both be written there"
            )
        written[dest.identity] = (what, dest)
    for what, name, identity in inputs:
        if identity in written:
            report, dest = written[identity]
            verb = "be appended to" if dest.kind == "append" else "overwrite"
            raise UsageError(
                f"{one_line(dest.name)}: the {report} would {verb} the {what} {one_line(name)}, which the run reads"
            )


def input_identity(path: str) -> object:
    return _identity(path)


# writing ----------------------------------------------------------------------------------------


class Spool:
    """A report being written: text in memory up to a limit, on disk (in the temporary
    directory) beyond it."""

    def __init__(self) -> None:
        self.file: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by Outputs
            max_size=SPOOL_BYTES, mode="w+", encoding="utf-8", errors="surrogatepass", newline=""
        )

    def write(self, text: str) -> None:
        self.file.write(text)

    def chunks(self) -> list[str] | IO[str]:
        self.file.seek(0)
        return self.file

    def close(self) -> None:
        with contextlib.suppress(OSError):  # what it still buffers is thrown away: it failed already
            self.file.close()


@dataclass
class _Report:
    dest: Destination
    machine: bool
    body: Spool = field(default_factory=Spool)
    head: str = ""
    tail: str = ""
    temp: str = ""  # the prepared file, for a file destination
    backup: str = ""  # a hard link to the file it replaces, until the run is committed
    placed: bool = False

    def write(self, text: str) -> None:
        """Add to the report; a temporary directory that cannot hold it (full, over a file-size
        limit) is an :class:`OutputError`."""
        try:
            self.body.write(text)
        except OSError as exc:
            raise OutputError(
                f"{one_line(self.dest.name)}: cannot hold the report in the temporary directory "
                f"{one_line(tempfile.gettempdir())}: {exc.strerror or exc}"
            ) from None


class Outputs:
    """Every report of one run: written into spools, then put in place together or not at all."""

    def __init__(self) -> None:
        self.reports: list[_Report] = []
        self.broken_pipe = False  # the reader of a stream went away before it had everything
        self.warnings: list[str] = []  # for the caller to show: appends that failed

    def open(self, dest: Destination, machine: bool) -> _Report:
        report = _Report(dest, machine)
        self.reports.append(report)
        return report

    def finish(self) -> None:
        """Put every report in place: files prepared beside their targets, streams written, files
        renamed into place together, then appended files. Raises :class:`OutputError`, with no
        file of the run in place, when a report cannot be written; a stream whose reader went
        away only sets ``broken_pipe``."""
        self.prepare()
        self.write_streams()
        self.commit()
        self.append()

    def prepare(self) -> None:
        """Write each file report to a temporary file beside its target and sync it."""
        for report in self.reports:
            if report.dest.kind != "file":
                continue
            folder = os.path.dirname(report.dest.path)
            try:
                fd, report.temp = tempfile.mkstemp(
                    prefix=f".{os.path.basename(report.dest.path)}.", suffix=".tmp", dir=folder
                )
                with os.fdopen(fd, "w", encoding="utf-8", errors="strict", newline="") as handle:
                    _copy(report, handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(report.temp, 0o666 & ~umask)
            except OSError as exc:
                raise OutputError(
                    f"{one_line(report.dest.name)}: cannot write the report: {exc.strerror or exc}"
                ) from None

    def commit(self) -> None:
        """Put every prepared file in place; if one cannot be, undo the others and raise
        :class:`OutputError`."""
        files = [r for r in self.reports if r.dest.kind == "file"]
        try:
            for report in files:
                if os.path.lexists(report.dest.path):
                    report.backup = _temp_name(report.dest.path, "old")
                    try:
                        os.link(report.dest.path, report.backup)
                    except OSError:
                        report.backup = ""  # no hard links here: this one cannot be undone
                os.replace(report.temp, report.dest.path)
                report.temp = ""
                report.placed = True
        except OSError as exc:
            name = next(r.dest.name for r in files if not r.placed)
            self._undo(files)
            raise OutputError(f"{one_line(name)}: cannot put the report in place: {exc.strerror or exc}") from None
        except BaseException:
            self._undo(files)
            raise
        for report in files:
            if report.backup:
                with contextlib.suppress(OSError):
                    os.unlink(report.backup)
            _sync_directory(os.path.dirname(report.dest.path))

    def _undo(self, files: list[_Report]) -> None:
        for report in files:
            with contextlib.suppress(OSError):
                if report.placed and report.backup:
                    os.replace(report.backup, report.dest.path)
                elif report.placed:
                    os.unlink(report.dest.path)
                elif report.backup:
                    os.unlink(report.backup)
            report.placed = False
            report.backup = ""

    def write_streams(self) -> None:
        """Streams and devices, each copied a piece at a time. A reader that went away sets
        ``broken_pipe`` (what it did not read is lost to it alone); any other failure raises
        :class:`OutputError`."""
        for report in self.reports:
            if not report.dest.stream:
                continue
            try:
                if report.dest.kind == "fd":
                    for piece in _pieces(report):
                        write_fd(report.dest.fd, piece, report.machine)
                else:
                    with open(report.dest.path, "w", encoding="utf-8", newline="") as handle:
                        _copy(report, handle)
            except (OSError, ValueError) as exc:
                if is_broken_pipe(exc):
                    self.broken_pipe = True
                    continue
                raise cannot_write(one_line(report.dest.name), exc) from None

    def append(self) -> None:
        """Append to the appended files (the CI runner's step summary); a failure is a warning."""
        for report in self.reports:
            if report.dest.kind == "append":
                try:
                    text = "".join(_pieces(report))
                except OSError as exc:
                    self.warnings.append(_cannot_append(report.dest, exc))
                    continue
                warning = _append(report.dest, text)
                if warning:
                    self.warnings.append(warning)

    def close(self) -> None:
        """Remove whatever was not put in place (temporary files, backups) and free the spools."""
        for report in self.reports:
            for leftover in (report.temp, report.backup):
                if leftover:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
            report.temp = report.backup = ""
            report.body.close()


def _temp_name(path: str, tag: str) -> str:
    folder, base = os.path.split(path)
    fd, name = tempfile.mkstemp(prefix=f".{base}.{tag}.", suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(name)
    return name


def _copy(report: _Report, handle: IO[str]) -> None:
    report.body.file.seek(0)
    handle.write(report.head)
    for chunk in iter(lambda: report.body.file.read(1 << 16), ""):
        handle.write(chunk)
    handle.write(report.tail)
    report.body.file.seek(0)


def _pieces(report: _Report) -> Iterator[str]:
    report.body.file.seek(0)
    yield report.head
    yield from iter(lambda: report.body.file.read(1 << 16), "")
    yield report.tail


def _sync_directory(folder: str) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _cannot_append(dest: Destination, exc: OSError) -> str:
    return f"readiness: warning: cannot append to {one_line(dest.name)}: {exc.strerror or exc}"


def _append(dest: Destination, text: str) -> str:
    """Append with a single write to a file the CI runner owns; returns a warning, or ""."""
    try:
        fd = os.open(dest.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        return _cannot_append(dest, exc)
    return ""


def write_atomic(target: str | Destination, text: str, machine: bool = True) -> bool:
    """One report, whole or not at all (``init``, ``diff``): a file replaced, or a stream written.
    Raises :class:`OutputError`; returns False when the reader of a stream went away first."""
    outputs = Outputs()
    try:
        report = outputs.open(destination(target) if isinstance(target, str) else target, machine)
        report.write(text)
        outputs.finish()
    finally:
        outputs.close()
    return not outputs.broken_pipe


def write_stdout(text: str, machine: bool = False) -> None:
    """Write all of ``text`` to standard output (see :func:`write_fd`). A reader that went away
    raises BrokenPipeError; any other failure (a closed descriptor, a full device) raises
    :class:`OutputError`."""
    try:
        write_fd(1, text, machine)
    except (OSError, ValueError) as exc:
        if is_broken_pipe(exc):
            raise
        raise cannot_write("standard output", exc) from None


def cannot_write(name: str, exc: OSError | ValueError) -> OutputError:
    """The error of a stream or file that refused a report: its system error, or a closed stream."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "the stream is closed"
    return OutputError(f"{name}: cannot write: {reason}")


def write_fd(fd: int, text: str, machine: bool) -> None:
    """Write all of ``text`` to a file descriptor of this process.

    Machine formats (``machine``: JSON, SARIF, JUnit, Markdown, annotations) go out as UTF-8
    whatever the locale: they declare or assume it, and a plan's "Łódź" must not become a crash on
    a cp1252 console. Text for people uses the console's encoding, replacing what it cannot show.
    The bytes are written here, to the last one: with PYTHONUNBUFFERED set, as in many CI images,
    ``sys.stdout.write`` ignores a partial write of the raw file and drops the rest silently, and a
    pipe a parent left non-blocking refuses writes while it is full. Standard output closed when
    the process started (``>&-``) has no ``sys.stdout``: its descriptor is written, and fails."""
    if fd == 1 and sys.stdout is not None:
        stream = sys.stdout
        encoding = "utf-8" if machine else (stream.encoding or "utf-8")
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stream of an embedding program
            stream.write(text)
            return
        try:
            real = buffer.fileno()
        except (OSError, ValueError):  # io.UnsupportedOperation: captured in memory
            real = -1
        if real != 1:
            buffer.write(text.encode(encoding, errors="strict" if machine else "replace"))
            buffer.flush()
            return
        buffer.flush()
    else:
        encoding = "utf-8"
    data = memoryview(text.encode(encoding, errors="strict" if machine else "replace"))
    while data:
        try:
            written = os.write(fd, data)
        except BlockingIOError:
            _wait_until_writable(fd)
            continue
        except InterruptedError:
            continue
        data = data[written:]


def _wait_until_writable(fd: int) -> None:
    with contextlib.suppress(OSError, ValueError):
        select.select([], [fd], [], 1.0)


def is_broken_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)
