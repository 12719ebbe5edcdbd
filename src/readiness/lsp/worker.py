"""Checks run in a process of their own, so that no document can stall the server.

The server hands each check to one long-lived checking process and awaits the answer without
blocking its event loop: hovers, completions and code actions keep being answered from the last
report while a large plan is checked. The checking process reads every document under the
loader's input limits, so a hostile file is refused quickly; should a check still outlast
:data:`CHECK_SECONDS`, or the process die, it is replaced and the document gets one diagnostic
saying so.

The checking process is started afresh (``spawn``), not forked: the server has threads running,
and a fork would copy their locks mid-use. It writes nothing to standard output, which carries the
editor's messages, and it ends when the server does (it reads end-of-file from its pipe).
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from readiness.lsp import settings
from readiness.lsp.report import Diagnostic, Report
from readiness.text import one_line

#: The longest a check may take before the checking process is replaced. The loader's limits keep
#: the worst hostile file to a few seconds; this only guards against what they do not foresee.
CHECK_SECONDS = 30.0


class CheckFailed(Exception):
    """The checking process could not answer: it took too long, died, or hit a bug."""


class Checker:
    """The server's side of the checking process: one request at a time, in order."""

    def __init__(self, timeout: float = CHECK_SECONDS) -> None:
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readiness-check")
        self._stopped = False
        self._answered = False  # the current process has answered a request
        self._broken: str | None = None  # why checking processes cannot start here

    def start(self) -> None:
        """Start the checking process now (it loads the checking core and warms up while the
        editor opens its first document)."""
        if self._process is not None and self._process.is_alive():
            return
        ours, theirs = self._context.Pipe()
        self._answered = False
        process = self._context.Process(
            target=_serve, args=(theirs, settings.AS_OF), name="readiness-lsp-check", daemon=True
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours

    def stop(self) -> None:
        """End the checking process. A request in flight ends with :class:`CheckFailed`: the
        process's end of the pipe closes, which wakes the thread waiting on it."""
        self._stopped = True
        process, conn = self._process, self._conn
        self._process = None
        if process is not None:
            process.terminate()
            process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join(1.0)
        self._executor.shutdown(wait=True, cancel_futures=True)
        if conn is not None:
            conn.close()
        self._conn = None

    async def analyse(self, path: str | None, text: str, version: int | None, encoding: str) -> Report:
        """The report on one version of a document; when the check fails, a report with one
        diagnostic that says why."""
        try:
            report = await self._call(("analyse", path, text, version, encoding))
        except CheckFailed as exc:
            return failed_report(version, str(exc))
        assert isinstance(report, Report)
        return report

    async def explain(self, path: str | None, rule: str) -> str:
        """``readiness explain RULE`` under the document's rubric; raises :class:`CheckFailed`."""
        text = await self._call(("explain", path, rule))
        assert isinstance(text, str)
        return text

    async def _call(self, request: tuple[Any, ...]) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._round_trip, request)

    def _round_trip(self, request: tuple[Any, ...]) -> Any:
        """Send one request and wait for its answer (in the checker's own thread)."""
        if self._stopped:
            raise CheckFailed("the server is shutting down")
        if self._broken is not None:
            raise CheckFailed(self._broken)
        if self._process is None or not self._process.is_alive():
            self._replace()
        conn = self._conn
        assert conn is not None
        try:
            conn.send(request)
            if not conn.poll(self.timeout):
                self._replace()
                raise CheckFailed(
                    f"checking took more than {self.timeout:g} seconds and was stopped; "
                    "please report the file that caused it"
                )
            status, value = conn.recv()
        except (EOFError, OSError) as exc:
            if self._stopped:
                raise CheckFailed("the server is shutting down") from None
            if not self._answered:  # it never started: another would fail the same way
                self._broken = "the checking process cannot start (its error is on the server's standard error)"
                raise CheckFailed(self._broken) from None
            self._replace()
            raise CheckFailed(
                f"the checking process stopped unexpectedly ({type(exc).__name__}); please report it"
            ) from None
        self._answered = True
        if status != "ok":
            raise CheckFailed(f"internal error: {value}; please report it")
        return value

    def _replace(self) -> None:
        if self._stopped:
            return
        process, conn = self._process, self._conn
        if conn is not None:
            conn.close()
        if process is not None and process.is_alive():
            process.kill()
            process.join(1.0)
        self._process = self._conn = None
        self.start()


def failed_report(version: int | None, message: str) -> Report:
    """A report whose one diagnostic covers the first line: the document could not be checked."""
    return Report(version, [Diagnostic(((0, 0), (1, 0)), "error", one_line(message), status="setup")])


def _serve(conn: Connection, as_of: Any) -> None:
    """The checking process: answer requests until the server closes the pipe."""
    # Standard output is the editor's channel, inherited from the server: keep it out of reach.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from readiness.lsp import analysis

    settings.configure(as_of)
    _warm_up(analysis)
    # What is loaded now (modules, models, validators, the rubric) lives as long as the process:
    # out of the collector's sight, a full collection between checks has little left to walk.
    gc.freeze()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if request[0] == "analyse":
                reply: tuple[str, Any] = ("ok", analysis.analyse(*request[1:]))
            elif request[0] == "explain":
                reply = ("ok", _explain(*request[1:]))
            else:
                reply = ("error", f"unknown request {request[0]!r}")
        except Exception as exc:  # noqa: BLE001 - one bad document must not end the process
            traceback.print_exc()
            reply = ("error", f"{type(exc).__name__}: {one_line(str(exc))}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _warm_up(analysis: Any) -> None:
    """Check the starter plan once, so that the first real check does not pay for building the
    models' validators."""
    import datetime as dt

    from readiness.starter import starter_plan

    try:
        analysis.analyse(None, starter_plan(dt.date(2026, 1, 5)))
    except Exception:  # noqa: BLE001 - warming up is only an optimisation
        traceback.print_exc()


def _explain(path: str | None, rule: str) -> str:
    from readiness.errors import ReadinessError, UsageError
    from readiness.reference.rules import render_explain

    try:
        rubric = settings.options_for(path).rubric
    except (ReadinessError, UsageError):
        rubric = None
    try:
        return render_explain(rule, rubric)
    except UsageError as exc:
        return str(exc)
