"""Checking many plans: one after the other, or across processes with the same results.

Each plan is checked independently; a plan that cannot be loaded, or that hits a bug, becomes a
result with its own exit code and never stops the others. With several workers the results come
back in the order the plans were given, so output is byte-identical to a single-process run.
Workers receive the run's options whole: the rubric, its custom rules' compiled expressions
included, and the command line's overrides.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from readiness.errors import Problem
from readiness.findings import PlanResult
from readiness.options import RunOptions
from readiness.pipeline import check_plan, internal_error

if TYPE_CHECKING:  # the process pool is imported only by a run that starts one
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

MIN_PLANS_PER_WORKER = 2  # below this, starting processes costs more than it saves


def check_one(path: str, options: RunOptions, until: dt.date | None = None) -> PlanResult:
    """One plan; a bug while checking it becomes an exit-3 result, with the traceback kept."""
    try:
        return check_plan(path, options, until=until)
    except Exception as exc:  # noqa: BLE001 - one plan's bug must not stop the others
        return internal_error(path, exc, " (rerun with --debug for details)")


_worker: RunOptions | None = None

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 0.25


def _start_worker(options: RunOptions, parent: int) -> None:
    global _worker
    _die_with_parent(parent)
    _worker = options


def _die_with_parent(parent: int) -> None:
    """End this worker when the process that started it ends, however it ends. A parent killed
    outright (SIGKILL, the OOM killer, a CI timeout) cannot shut its pool down, and its workers
    would wait for more plans for ever, holding its standard error open, so whoever reads that
    pipe would hang too. On Linux the kernel sends SIGKILL when the parent exits; elsewhere a
    thread watches for the worker being handed to another parent."""
    if not _parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent ended before the signal was set up
        os._exit(1)


def _parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent exits; False where that cannot be done.
    (The signal follows the thread that forked the worker: check_many forks from the caller's
    thread, the command line's main thread, which lasts as long as the process.)"""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Workers are the caller's own children, so that they can tell when it is gone: forked on
    Linux (the default there up to Python 3.13; a fork server would stand between them), spawned
    elsewhere (the default there)."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _check_in_worker(path: str) -> PlanResult:
    assert _worker is not None
    return check_one(path, _worker)


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity, as taskset or a container sets it."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity call on this platform
        return os.cpu_count() or 1


def workers_for(plans: int, jobs: int) -> int:
    """Processes to use: ``jobs`` when given (>0), else every usable core. Never more than the
    usable cores, since checking is CPU-bound and extra processes only add start-up and memory
    (64 workers on 2 cores took 4.0 s for 1,000 plans, 2 took 2.4 s), nor more than the plans allow."""
    cores = usable_cores()
    wanted = min(jobs, cores) if jobs > 0 else cores
    return max(1, min(wanted, plans // MIN_PLANS_PER_WORKER))


def check_many(paths: list[str], options: RunOptions, jobs: int = 0) -> Iterator[PlanResult]:
    """Check every plan, yielding the results in the order of ``paths``. ``-`` (standard input)
    is always read by this process. With several workers, only a few chunks of plans are in
    flight at a time, so results never pile up faster than the caller writes them out."""
    workers = workers_for(len([p for p in paths if p != "-"]), jobs)
    if workers == 1:
        for path in paths:
            yield check_one(path, options)
        return
    from concurrent.futures.process import BrokenProcessPool

    if "-" in paths:
        yield check_one("-", options)
    files = [p for p in paths if p != "-"]
    size = max(1, len(files) // (workers * 32))  # small chunks keep both workers busy to the end
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    window = workers * 4
    done = 0  # chunks yielded
    while done < len(chunks):
        submitted = done
        with _pool(workers, options) as pool:
            pending: deque[Future[list[PlanResult]]] = deque()
            while done < len(chunks):
                try:
                    while submitted < len(chunks) and len(pending) < window:
                        pending.append(pool.submit(_check_chunk, chunks[submitted]))
                        submitted += 1
                    results = pending.popleft().result()
                except BrokenProcessPool:
                    break  # a worker was killed (the OOM killer, a SIGKILL): every chunk in flight is lost
                yield from results
                done += 1
            else:
                return
        # Each plan of the lost chunks is checked again, one at a time in a worker of its own, so
        # that a plan that kills its worker again is known and is the only one reported; the
        # chunks after them go on in a fresh pool.
        yield from _check_alone([path for chunk in chunks[done:submitted] for path in chunk], options)
        done = submitted


def _pool(workers: int, options: RunOptions) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_start_worker,
        initargs=(options, os.getpid()),
    )


WORKER_LOST = (
    "internal error: the process checking this plan ended abruptly, twice (killed, or out of memory); please report it"
)


def _check_alone(paths: list[str], options: RunOptions) -> Iterator[PlanResult]:
    """Check each plan in a single worker, starting a new one after a plan whose worker is
    killed; such a plan becomes an internal error of its own."""
    from concurrent.futures.process import BrokenProcessPool

    pool: ProcessPoolExecutor | None = None
    try:
        for path in paths:
            if pool is None:
                pool = _pool(1, options)
            try:
                result = pool.submit(_check_in_worker, path).result()
            except BrokenProcessPool:
                pool.shutdown()
                pool = None
                result = PlanResult(path, "", None, None, exit_code=3, errors=[Problem(WORKER_LOST)])
            yield result
    finally:
        if pool is not None:
            pool.shutdown()


def _check_chunk(paths: list[str]) -> list[PlanResult]:
    return [_check_in_worker(path) for path in paths]
