"""The ``readiness`` Typer application, its root options, and what every command shares. The
commands are declared in :mod:`readiness.cli.check`, :mod:`readiness.cli.change` and
:mod:`readiness.cli.reference`, each registering itself on :data:`app`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from readiness import __version__
from readiness.cli import console
from readiness.cli.args import (
    err,
)

app = typer.Typer(
    name="readiness",
    help="Judge a CRM rollout plan on its people risks before launch.\n\n"
    "Validates a plan (YAML, format v1), runs the rule catalogue, scores it against a rubric and "
    "gives a verdict: exit 0 ready, 1 not ready, 2 invalid input or usage, 3 internal error.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from readiness.output import write_stdout

        write_stdout(f"readiness {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Judge a CRM rollout plan on its people risks before launch."""


def written(target: Any, text: str, machine: bool) -> None:
    """Write one whole report (``diff``, ``forecast``, ``history``, ``init``): a failure is one line and exit 2; a reader of
    standard output that went away changes no exit code."""
    from readiness.output import OutputError, write_atomic

    try:
        whole = write_atomic(target, text, machine)
    except OutputError as exc:
        err(f"readiness: error: {exc}")
        raise typer.Exit(2) from None
    if not whole:
        console.quiet_stdout()
