"""What the command line shows on standard error and how it reads the terminal: error lines,
the progress bar, the terminal's width and colour, and the process-wide settings of a run."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from readiness.cli.args import err, stderr
from readiness.text import one_line


def print_errors(r: Any, debug: bool) -> None:
    if debug and r.debug:
        stderr(r.debug)
    for problem in r.errors:
        err(problem.render(r.path) if r.exit_code != 3 else f"{one_line(r.path)}: {problem.message}")
    if r.errors_omitted:
        err(f"{one_line(r.path)}: error: {r.errors_omitted} more error(s) not shown")


def claim_standard_descriptors() -> None:
    """Give each of descriptors 0, 1 and 2 that the process started without (``>&-``) a stand-in
    before anything is opened, so that no report or temporary file is given one of their numbers
    and then receives what was meant for a standard stream. Standard input and error read and
    write /dev/null; standard output is /dev/null open for reading only, so that writing a report
    to it still fails as writing to a closed standard output does."""
    for fd, flags in ((0, os.O_RDONLY), (1, os.O_RDONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                stand_in = os.open(os.devnull, flags)
                if stand_in != fd:
                    os.dup2(stand_in, fd)
                    os.close(stand_in)


def quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's own flush at exit does not
    report the broken pipe a second time."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


@contextlib.contextmanager
def progress(total: int, enabled: bool) -> Iterator[Callable[[object], None]]:
    """A progress bar on standard error, only when it is a terminal (never in machine output)."""
    if not enabled or sys.stderr is None or not sys.stderr.isatty():
        yield lambda result: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("plans", total=total)
        yield lambda result: progress.advance(task)


def _stdout_is_a_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()  # None: closed when the process started


def color() -> bool:
    return _stdout_is_a_terminal() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def width() -> int:
    """The terminal's width, at most 120. A terminal that reports no size (``script``, ``docker run
    -t``, some CI runners say 0 columns) gets ``COLUMNS`` or 80; off a terminal, 100."""
    if not _stdout_is_a_terminal():
        return 100
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        columns = 0
    if columns <= 0:
        given = os.environ.get("COLUMNS", "")
        columns = int(given) if given.isdigit() and 0 < int(given) < 10_000 else 80
    return max(40, min(columns, 120))


OWN_PROCESS = False  # set by main(): the process exists for this one run and ends with it


def settle() -> None:
    """When the process is ours, move everything loaded so far (modules, models, the rubric,
    all of which live to the end) out of the cyclic collector's reach: later collections skip
    it, which halves their cost in a many-plan run, and forked workers leave its pages shared
    (the pattern the ``gc.freeze`` documentation gives). Never in a host process (tests, or
    an embedding program), whose objects are not ours to pin."""
    if OWN_PROCESS:
        import gc

        gc.freeze()
