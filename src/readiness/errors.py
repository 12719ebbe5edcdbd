"""One exception family for everything a user can get wrong.

A user error is data: each :class:`Problem` knows its file, position and path, and renders as
one line ``file:line:col: error: path: message``. Only ``cli.py`` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from readiness.limits import MAX_SHOWN
from readiness.text import one_line

MAX_PATH = 160  # characters of a path shown in an error line
MAX_MESSAGE = 300  # characters of a message shown in an error line


def _clip(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a position when one is known."""

    message: str
    path: str | None = None  # dotted plan path; "" is the root, None when not meaningful
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    file: str | None = None  # set when the problem lies in another file (a rubric, for a plan)

    def render(self, file: str) -> str:
        where = _clip(self.file or file, 4096)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = _clip(self.message, MAX_MESSAGE)  # one readable line, however long a key or value is
        if self.path is None:
            return f"{where}: error: {message}"
        shown = _clip(self.path, MAX_PATH) if self.path else "(plan)"
        return f"{where}: error: {shown}: {message}"

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line or 0, self.column or 0, self.path or "")


@dataclass
class ReadinessError(Exception):
    """Base of every error a user can cause: exit code 2."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems found beyond those listed, counted but not kept

    def __str__(self) -> str:
        return "\n".join(self.lines())

    @property
    def count(self) -> int:
        """How many problems were found, listed or not."""
        return len(self.problems) + self.omitted

    def lines(self, limit: int = MAX_SHOWN) -> list[str]:
        shown = [p.render(self.file) for p in self.problems[:limit]]
        rest = self.count - limit
        if rest > 0:
            shown.append(f"{self.file}: error: {rest} more error(s) not shown")
        return shown


class PlanError(ReadinessError):
    """The plan file cannot be read, parsed or validated."""


class RubricError(ReadinessError):
    """The rubric file cannot be read, parsed or validated."""


class UsageError(Exception):
    """The call itself is wrong: a bad option, an unknown name, an unwritable output."""
