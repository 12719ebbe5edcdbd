"""How the language server judges one document: which files are plans, and the run options.

Both are decided here and nowhere else in the server, from the project configuration that
applies to the document's folder (``[tool.readiness]`` in a ``pyproject.toml`` or a
``readiness.toml``, found as ``readiness check`` finds it, read afresh at each check): a file is a
plan when the configuration's ``plans`` name it or its text has a top-level ``schema_version``
key, and a plan is judged under the configuration's rubric, ``fail-on``, ``min-score``,
``select``, ``ignore`` and ``no-waivers``, on ``readiness lsp --as-of``, else the configuration's
``as-of``, else today's date (read at each check, so a server left running over midnight moves
on with the calendar).

This module is imported by the server process too, which does not load the checking core: the
core is imported where options are made, in the checking process.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.plan_files import names_plan

if TYPE_CHECKING:
    from readiness.config import Settings
    from readiness.options import RunOptions
    from readiness.rubric import Rubric

#: The command line's ``--as-of`` for the whole session; None: the day of each check.
AS_OF: dt.date | None = None


def configure(as_of: dt.date | None) -> None:
    """The command line's choices for every document of the session (``readiness lsp --as-of``);
    the server passes them on to its checking process."""
    global AS_OF
    AS_OF = as_of


_PLAN_KEY = re.compile(r"""^(?:schema_version|"schema_version"|'schema_version')[ \t]*:""", re.MULTILINE)
_JSON_PLAN_KEY = re.compile(r'"schema_version"[ \t\r\n]*:')


def is_plan(document_path: str | None, text: str) -> bool:
    """Whether a document is a plan: the project configuration names its file (see
    :func:`is_configured_plan`), or its text has a top-level ``schema_version`` key, found
    without parsing, so that a plan that cannot be parsed is still told why."""
    if _PLAN_KEY.search(text) is not None:
        return True
    # a JSON plan (JSON is YAML): one object holding the key
    if text.lstrip().startswith("{") and _JSON_PLAN_KEY.search(text) is not None:
        return True
    return is_configured_plan(document_path)  # the configuration is read only for other files


def is_configured_plan(document_path: str | None) -> bool:
    """Whether the project configuration names this file as a plan, as ``readiness check`` with
    no plan argument would find it (a file, a folder above it, or a glob), whatever its text says."""
    if document_path is None:
        return False
    try:
        settings = _settings(document_path)
    except Exception:  # noqa: BLE001 - a broken configuration is reported when the plan is checked
        return False
    return any(names_plan(entry, document_path) for entry in settings.plans)


def options_for(document_path: str | None) -> RunOptions:
    """The run options for the plan at ``document_path`` (None for a document with no file,
    such as an unsaved buffer, judged by the configuration of the server's folder). Raises
    :class:`readiness.errors.ReadinessError` (a configuration or rubric that cannot be read) or
    :class:`readiness.errors.UsageError` when the options cannot be made: the server turns that
    into one diagnostic on the document."""
    settings = _settings(document_path)
    return settings.run_options(rubric(settings.rubric), AS_OF or settings.as_of or dt.date.today())


def _settings(document_path: str | None) -> Settings:
    from readiness.config import project_settings

    start = Path(os.path.dirname(os.path.abspath(document_path))) if document_path else Path.cwd()
    return project_settings(start)


def rubric(name_or_path: str) -> Rubric:
    """A rubric, loaded again only when one of its files (its ``extends`` chain included) has
    changed size or modification time since it was last loaded."""
    cached = _RUBRICS.get(name_or_path)
    if cached is not None and cached[1] == _stamps(cached[0].files):
        return cached[0]
    from readiness.rubric import load_rubric

    loaded = load_rubric(name_or_path)
    if len(_RUBRICS) >= 8:
        _RUBRICS.clear()
    _RUBRICS[name_or_path] = (loaded, _stamps(loaded.files))
    return loaded


_RUBRICS: dict[str, tuple[Rubric, tuple[tuple[int, int] | None, ...]]] = {}


def _stamps(files: tuple[str, ...]) -> tuple[tuple[int, int] | None, ...]:
    out: list[tuple[int, int] | None] = []
    for file in files:
        try:
            info = os.stat(file)
            out.append((info.st_mtime_ns, info.st_size))
        except (OSError, ValueError):
            out.append(None)
    return tuple(out)
