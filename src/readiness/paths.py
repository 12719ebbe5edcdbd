"""Paths into a plan: ``('training', 'sessions', 3, 'start')``, written ``training.sessions[3].start``.

Every finding and error names its place in the plan by such a path; the loader turns it into a
line and column, reports write it out, and results are ordered by it.
"""

from __future__ import annotations

import json
import re
from typing import Any

PathItem = str | int
Path = tuple[PathItem, ...]

_PLAIN_KEY = re.compile(r"[^.\[\]\"]+\Z")


def format_path(path: Path) -> str:
    """``('training', 'sessions', 3, 'start')`` -> ``training.sessions[3].start``; a key that
    holds ``.``, ``[``, ``]`` or ``"`` is written as a JSON string in brackets."""
    out: list[str] = []
    for item in path:
        if isinstance(item, int):
            out.append(f"[{item}]")
        elif _PLAIN_KEY.match(item):
            out.append(f".{item}" if out else item)
        else:
            out.append(f"[{json.dumps(item, ensure_ascii=False)}]")
    return "".join(out)


def path_key(path: Path) -> tuple[tuple[int, Any], ...]:
    """For ordering: component by component, keys by code point, indexes as integers, a prefix first."""
    return tuple((0, item) if isinstance(item, int) else (1, item) for item in path)
