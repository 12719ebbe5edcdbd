"""The ``readiness`` command line. It parses options, calls the core and maps results to exit
codes; the checking, reporting and writing live in the modules it calls. Options shared by
several commands are declared once, in :mod:`readiness.cli.args`."""

from __future__ import annotations

import os
import sys

from readiness.cli import change, check, console, reference  # noqa: F401 - the commands register themselves
from readiness.cli.app import app
from readiness.cli.args import err
from readiness.text import one_line

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: an internal error is one line and exit 3 (traceback with --debug)."""
    console.OWN_PROCESS = True
    # pydantic looks for plugins through every installed distribution's entry points when it
    # builds its first model (a tenth of a cold start); none is meant for this command, and the
    # documented switch turns the search off for this process only.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    import signal

    from readiness.output import OutputError

    console.claim_standard_descriptors()

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds like an error: half-written reports are removed

    signal.signal(signal.SIGTERM, terminated)
    if hasattr(signal, "SIGHUP"):  # the terminal closed: end as when terminated
        signal.signal(signal.SIGHUP, terminated)
    try:
        app()
    except SystemExit:
        # Frozen objects are skipped by the collection at interpreter exit, which otherwise
        # walks every object of the finished run: 50-80 ms of a 300 ms single-plan check.
        console.settle()
        raise
    except BrokenPipeError:
        os._exit(1)  # the reader went away outside a report (help, a listing); nothing more can be said
    except OutputError as exc:  # a listing that standard output cannot take (closed, full)
        err(f"readiness: error: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err("readiness: interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        if "--debug" in sys.argv:
            import traceback

            from readiness.cli.args import stderr

            stderr(traceback.format_exc())
        err(f"readiness: internal error: {type(exc).__name__}: {one_line(str(exc))}; please report it "
             "(rerun with --debug for details)")  # fmt: skip
        sys.exit(3)
