"""docs/cli.md, generated from the command line itself so that it cannot drift from ``--help``.

It is given the Click command that Typer builds from :mod:`readiness.cli` (which imports this
package, not the other way round); ``python -m pytest --update-goldens`` writes the file.
"""

from __future__ import annotations

from typing import Any


def _option_row(param: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        meta = f" {param.metavar}" if param.metavar and not param.is_flag else ""
        # an option whose default is "not given" (then the project configuration decides) states
        # what that comes to in show_default
        default = param.show_default if isinstance(param.show_default, str) else param.default
        shown = "" if param.is_flag or default in (None, [], (), "") else f" (default: `{default}`)"
        return f"| {names}{meta} | {(param.help or '').replace('|', '/')}{shown} |"
    return f"| `{(param.metavar or param.name or '').upper()}` | {getattr(param, 'help', '') or ''} |"


def usage(name: str, command: Any) -> str:
    """``readiness check [OPTIONS] PLAN...``, built from the parameters themselves: Typer releases
    write argument labels differently (``PLAN`` in one, ``{PLAN}...`` in another)."""
    parts = [f"readiness {name}", "[OPTIONS]"]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        label = (param.metavar or param.name or "").upper() + ("..." if param.nargs == -1 else "")
        parts.append(label if param.required else f"[{label}]")
    return " ".join(parts)


def render(group: Any) -> str:
    lines = [
        "# Command reference",
        "",
        "Generated from the command line (`python -m pytest --update-goldens` rewrites it); `readiness COMMAND --help`",
        "prints the same. Exit codes: 0 ready, 1 not ready, 2 invalid input or usage, 3 internal error.",
        "",
    ]
    for name in sorted(group.commands):
        command = group.commands[name]
        if command.hidden:
            continue
        lines += [
            f"## readiness {name}",
            "",
            f"`{usage(name, command)}`",
            "",
            " ".join((command.help or "").split()),
            "",
            "| Argument or option | Meaning |",
            "| --- | --- |",
        ]
        lines += [_option_row(p) for p in command.params if p.name not in ("help",)]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
