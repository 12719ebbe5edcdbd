"""``readiness lsp``: findings while a plan is written, through the Language Server Protocol.

The server speaks LSP on standard input and output (:mod:`readiness.lsp.server`, on pygls), and
checks each plan in a process of its own (:mod:`readiness.lsp.worker`) with the same stages as
``readiness check`` (:mod:`readiness.lsp.analysis`). pygls comes with the optional ``lsp``
extra, so the base install stays lean: :func:`missing` says what is lacking before anything
imports it. Only the command line's ``lsp`` command imports this package.
"""

from __future__ import annotations

import datetime as dt
from importlib import metadata

#: The pygls release line the server is written for (its 2.x API differs from 1.x).
PYGLS_MAJOR = 2
INSTALL = "pip install 'readiness[lsp]'"


def missing() -> str | None:
    """Why the server cannot start here (pygls absent, or of another major version), or None."""
    try:
        version = metadata.version("pygls")
    except metadata.PackageNotFoundError:
        return f"the language server needs pygls, which is not installed: {INSTALL}"
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) != PYGLS_MAJOR:
        return f"the language server needs pygls {PYGLS_MAJOR}.x, but {version} is installed: {INSTALL}"
    return None


def serve(as_of: dt.date | None = None) -> int:
    """Run the server on standard input and output until the editor ends it; the exit code.
    ``as_of`` is the evaluation date of every check (None: the day of each check)."""
    from readiness.lsp.server import serve as run

    return run(as_of)
