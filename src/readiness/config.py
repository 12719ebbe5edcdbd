"""The project configuration: ``[tool.readiness]`` in ``pyproject.toml``, or a ``readiness.toml``,
found by walking up from a directory, as Ruff finds its own; and the settings in force, with
where each came from.

:func:`project_settings` is the one place the defaults of ``check``, ``diff`` and ``history``
come from. It needs no command line (an editor integration can call it for the file it has
open); the command line then lays its flags over the result with :meth:`Settings.given`.

A configuration file is read like a plan: through the guarded reader (bounded, strict UTF-8),
then validated with the same machinery (:mod:`readiness.validation`), so an unknown key or a bad
value is one line ``file:line:col: error: path: message`` with a did-you-mean, and exit 2. TOML
is parsed by the standard library's :mod:`tomllib`, which keeps no positions; they are recovered
by a light scan of the text (:func:`toml_positions`) that finds where each key and each item of
an array starts. What the scan cannot place (a key inside a multi-line inline construct it does
not follow) is reported at the nearest enclosing key or table header it could place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from readiness.errors import PlanError, Problem, ReadinessError
from readiness.findings import FAIL_ON
from readiness.limits import MAX_BYTES
from readiness.loader import Document, Node, Tree, decode, read_bytes
from readiness.paths import Path as PlanPath
from readiness.project import BUILT_IN_RUBRICS
from readiness.render import FORMAT_ALIASES, FORMATS
from readiness.types import Absent, Bool, Count, Date, Pct, PositiveInt, Text, enum_checks
from readiness.validation import Collector, validate_model

if TYPE_CHECKING:
    from readiness.options import RunOptions
    from readiness.rubric import Rubric

CONFIG_NAME = "readiness.toml"  # the whole file is the settings
PYPROJECT = "pyproject.toml"  # the settings are its [tool.readiness] table
SECTION = ("tool", "readiness")


class ConfigError(ReadinessError):
    """The configuration file cannot be read, parsed or validated."""


FailOn = Annotated[str, *enum_checks(FAIL_ON)]


class ConfigFile(BaseModel):
    """The keys of ``[tool.readiness]`` (or of ``readiness.toml``), each named as its flag."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False, defer_build=True)

    rubric: Absent[Text] = Field(None, description="A built-in rubric name or a rubric file (relative to this file).")
    plans: Absent[list[Text]] = Field(
        None, description="Plans checked when none is named: files, directories or globs (relative to this file)."
    )
    format: Absent[list[Text]] = Field(
        None, description="Formats written when no --format is given: FMT or FMT=FILE (relative to this file)."
    )
    fail_on: Absent[FailOn] = Field(None, alias="fail-on", description="Override the rubric's fail_on.")
    min_score: Absent[Pct] = Field(None, alias="min-score", description="Override the rubric's pass score (0-100).")
    as_of: Absent[Date] = Field(None, alias="as-of", description="A fixed evaluation date (YYYY-MM-DD).")
    select: Absent[list[Text]] = Field(None, description="Run only these rules: IDs, slugs or ID prefixes.")
    ignore: Absent[list[Text]] = Field(None, description="Skip these rules: IDs, slugs or ID prefixes.")
    no_waivers: Absent[Bool] = Field(None, alias="no-waivers", description="Ignore every waiver in the plans.")
    jobs: Absent[Count] = Field(None, description="Processes for many plans; 0 uses every usable core.")
    max_bytes: Absent[PositiveInt] = Field(
        None, alias="max-bytes", description="Largest plan or rubric file accepted, in bytes."
    )
    baseline: Absent[Text] = Field(
        None, description="Report and gate on findings not in this baseline file (relative to this file)."
    )
    max_score_drop: Absent[Pct] = Field(
        None, alias="max-score-drop", description="Points the score may fall before diff calls NEW worse."
    )


#: Each setting: its attribute, its key in the file, and the flag that overrides it.
KEYS: tuple[tuple[str, str, str], ...] = tuple(
    (name, f.alias or name, "PLAN arguments" if name == "plans" else f"--{f.alias or name}")
    for name, f in ConfigFile.model_fields.items()
)
PATH_KEYS = ("rubric", "plans", "format", "baseline")  # values that name files, relative to the config file
DEFAULT = "default"


@dataclass(frozen=True)
class Settings:
    """The settings in force and where each came from: ``default``, a position in the
    configuration file (``pyproject.toml:14:1``), or a flag (``--fail-on``).

    Paths (a rubric file, plans, report files, the baseline) are relative to the current working
    directory, or absolute: whatever directory the configuration was found from, this process
    can open them as they are."""

    rubric: str = "default"
    plans: tuple[str, ...] = ()
    format: tuple[str, ...] = ()
    fail_on: str | None = None
    min_score: Decimal | None = None
    as_of: dt.date | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    no_waivers: bool = False
    jobs: int = 0
    max_bytes: int = MAX_BYTES
    baseline: str | None = None
    max_score_drop: Decimal = Decimal(0)
    file: str | None = None  # the configuration file read, if any
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def source(self, name: str) -> str:
        return self.sources.get(name, DEFAULT)

    def given(self, **flags: Any) -> Settings:
        """These settings with the command line's flags laid over them: a flag that is None was
        not given and leaves the setting as it is."""
        changed = {name: value for name, value in flags.items() if value is not None}
        unknown = set(changed) - {name for name, _, _ in KEYS}
        if unknown:
            raise TypeError(f"not a setting: {', '.join(sorted(unknown))}")
        sources = dict(self.sources)
        sources.update({name: _flag(name) for name in changed})
        return dataclasses.replace(self, **changed, sources=MappingProxyType(sources))

    def run_options(self, rubric: Rubric, as_of: dt.date) -> RunOptions:
        """The options of a run under these settings, for ``rubric`` as of ``as_of``. Raises
        :class:`readiness.errors.UsageError` for a ``select`` or ``ignore`` code that matches no
        rule."""
        from readiness.options import RunOptions  # the rubric and rule machinery: only for a run

        return RunOptions.make(
            rubric,
            as_of,
            fail_on=self.fail_on,
            pass_score=self.min_score,
            no_waivers=self.no_waivers,
            select=list(self.select) if self.select is not None else None,
            ignore=list(self.ignore) if self.ignore is not None else None,
            max_bytes=self.max_bytes,
        )

    def rows(self) -> Iterator[tuple[str, Any, str]]:
        """(key, value, source) for every setting, in the order of :data:`KEYS`."""
        for name, key, _ in KEYS:
            yield key, getattr(self, name), self.source(name)


def _flag(name: str) -> str:
    return next(flag for n, _, flag in KEYS if n == name)


# discovery ---------------------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The configuration that applies in ``start``: the nearest directory, ``start`` or one of
    its parents, that holds a ``readiness.toml`` or a ``pyproject.toml`` with a
    ``[tool.readiness]`` table; in one directory ``readiness.toml`` wins."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_section(pyproject):
            return pyproject
    return None


def _has_section(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a [tool.readiness] table. Files that never mention readiness
    are not parsed (most are not ours); a broken one that does is an error, reported in full."""
    name = _shown_path(str(pyproject))
    raw = read_bytes(name, MAX_BYTES)
    if b"readiness" not in raw:
        return False
    data, _ = _parse(name, raw)
    tool = data.get("tool")
    return isinstance(tool, dict) and "readiness" in tool


def project_settings(start: Path, *, config: Path | None = None, isolated: bool = False) -> Settings:
    """The settings in force for a run started in ``start``: the defaults, with the nearest
    configuration file's values over them (``config`` names one instead; ``isolated`` reads
    none). Raises :class:`ConfigError` for a file that cannot be read or holds a bad value, and
    :class:`ValueError` for a ``config`` that does not exist."""
    if isolated:
        return Settings()
    if config is not None:
        if not config.is_file():
            raise ValueError(f"{config}: no such file")
        path: Path | None = config
    else:
        try:
            path = find_config(start)
        except PlanError as exc:
            raise ConfigError(exc.file, exc.problems, exc.omitted) from None
    if path is None:
        return Settings()
    return load_settings(path)


def load_settings(path: Path) -> Settings:
    """The settings of one configuration file (``pyproject.toml`` by name: its
    ``[tool.readiness]`` table; any other name: the whole file)."""
    name = _shown_path(str(path))
    try:
        raw = read_bytes(name, MAX_BYTES)
    except PlanError as exc:
        raise ConfigError(exc.file, exc.problems, exc.omitted) from None
    data, text = _parse(name, raw)
    prefix: PlanPath = SECTION if path.name == PYPROJECT else ()
    section: Any = data
    for key in prefix:
        section = section.get(key) if isinstance(section, dict) else None
    if section is None:
        raise ConfigError(name, [Problem("no [tool.readiness] table, so no settings for readiness")])
    root = _tree(data, (), toml_positions(text))
    assert isinstance(root, Node)  # TOML's top level is a table
    doc = Document(name, data, root, "")
    found = Collector(doc)
    if not isinstance(section, dict):
        found.add_at(prefix, f"expected a table of settings, got {type(section).__name__}")
        raise found.error(ConfigError)
    spec = validate_model(doc, ConfigFile, _numbers_as_written(section), found, prefix=prefix)
    if spec is None:
        raise found.error(ConfigError)
    base = os.path.dirname(os.path.abspath(name))
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for attribute, key, _ in KEYS:
        if attribute not in spec.model_fields_set:
            continue
        value = getattr(spec, attribute)
        where = (*prefix, key)
        if key == "rubric":
            value = _rubric(value, base, where, found)
        elif key == "baseline":
            value = _relative(value, base)
        elif key == "plans":
            value = tuple(_relative(v, base) for v in value)
        elif key == "format":
            value = tuple(_format(v, i, base, where, found) for i, v in enumerate(value))
        elif key in ("select", "ignore"):
            value = tuple(value)
        values[attribute] = value
        line, column = doc.locate_key(where) or (1, 1)
        sources[attribute] = f"{name}:{line}:{column}"
    if found.total:
        raise found.error(ConfigError)
    return Settings(**values, file=name, sources=MappingProxyType(sources))


def _relative(value: str, base: str) -> str:
    """A path written in the configuration file (relative to it) as this process opens it:
    relative to the current directory, or absolute."""
    if os.path.isabs(value):
        return value
    joined = os.path.normpath(os.path.join(base, value))
    try:
        return os.path.relpath(joined)
    except ValueError:  # another drive on Windows
        return joined


def _shown_path(path: str) -> str:
    """A file's name relative to the current directory when that is shorter, as errors name it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return relative if len(relative) <= len(path) else path


def _rubric(value: str, base: str, where: PlanPath, found: Collector) -> str:
    from readiness.rubric import is_path

    if is_path(value):
        return _relative(value, base)
    if value not in BUILT_IN_RUBRICS:
        close = difflib.get_close_matches(value, BUILT_IN_RUBRICS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"built-in rubrics: {', '.join(BUILT_IN_RUBRICS)};"
        found.add_at(where, f"unknown rubric '{value}' ({hint} a rubric file is a path ending in .yaml)")
    return value


def _format(spec: str, index: int, base: str, where: PlanPath, found: Collector) -> str:
    name, sep, file = spec.partition("=")
    name = FORMAT_ALIASES.get(name, name)
    if name not in FORMATS:
        close = difflib.get_close_matches(name, list(FORMATS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        found.add_at((*where, index), f"unknown format '{name}' ({hint}available: {', '.join(FORMATS)})")
        return spec
    if sep and file not in ("", "-"):
        return f"{name}={_relative(file, base)}"
    return name


def _numbers_as_written(value: Any) -> Any:
    """TOML floats as the decimal text they were written as (near enough: the shortest text
    that reads back as the same double), so that numbers are read exactly as in a plan."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {k: _numbers_as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_written(v) for v in value]
    return value


# TOML: parsing, and positions -----------------------------------------------------------------------

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _parse(name: str, raw: bytes) -> tuple[dict[str, Any], str]:
    import tomllib

    try:
        text = decode(name, raw)
    except PlanError as exc:
        raise ConfigError(exc.file, exc.problems) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT.search(message)
        line, column = (int(at[1]), int(at[2])) if at else (None, None)
        reason = _AT.sub("", message) if at else message
        raise ConfigError(name, [Problem(f"invalid TOML: {reason}", None, line, column)]) from None


Position = tuple[int, int]  # 1-based line and column
_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Scanner:
    """Walks a TOML text that :mod:`tomllib` has accepted, noting where each key and each array
    item starts. It trusts the text to be valid and reads only as much of it as positions need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.start = 0  # offset of the current line's first character
        self.found: dict[PlanPath, Position] = {}

    def here(self) -> Position:
        return self.line, self.i - self.start + 1

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i < len(self.text) and self.text[self.i] == "\n":
                self.line += 1
                self.start = self.i + 1
            self.i += 1

    def blank(self, newlines: bool) -> None:
        """Skip spaces, comments and (with ``newlines``) line breaks."""
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.advance()
            else:
                return

    def run(self) -> dict[PlanPath, Position]:
        table: PlanPath = ()
        while True:
            self.blank(newlines=True)
            if self.i >= len(self.text):
                return self.found
            if self.peek() == "[":
                double = self.peek(2) == "[["
                where = self.here()
                self.advance(2 if double else 1)
                table = self.key()
                self.found.setdefault(table, where)
                self.advance(2 if double else 1)
            else:
                self.pair(table)

    def key(self) -> PlanPath:
        parts: list[str] = []
        while True:
            self.blank(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                match = _BARE.match(self.text, self.i)
                word = match.group() if match else ""
                parts.append(word)
                self.advance(max(1, len(word)))
            self.blank(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    def pair(self, table: PlanPath) -> None:
        where = self.here()
        path = (*table, *self.key())
        for depth in range(len(table) + 1, len(path) + 1):  # a dotted key places its tables too
            self.found.setdefault(path[:depth], where)
        self.blank(newlines=False)
        self.advance()  # =
        self.blank(newlines=False)
        self.value(path)

    def value(self, path: PlanPath) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.advance()
            index = 0
            while True:
                self.blank(newlines=True)
                if self.peek() == "]" or self.i >= len(self.text):
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                self.found.setdefault((*path, index), self.here())
                self.value((*path, index))
                index += 1
        elif c == "{":
            self.advance()
            while True:
                self.blank(newlines=False)
                if self.peek() == "}" or self.i >= len(self.text):
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                self.pair(path)
        else:
            while self.i < len(self.text) and self.text[self.i] not in ",]}#\n":
                self.advance()

    def string(self) -> str:
        quote = self.peek()
        triple = self.peek(3) == quote * 3
        self.advance(3 if triple else 1)
        out: list[str] = []
        while self.i < len(self.text):
            if triple and self.peek(3) == quote * 3:
                self.advance(3)
                while self.peek() == quote:  # up to two quotes may end the content
                    out.append(quote)
                    self.advance()
                return "".join(out)
            c = self.peek()
            if not triple and c == quote:
                self.advance()
                return "".join(out)
            if quote == '"' and c == "\\":
                out.append(self.peek(2))
                self.advance(2)
                continue
            out.append(c)
            self.advance()
        return "".join(out)


def toml_positions(text: str) -> dict[PlanPath, Position]:
    """Where each key (and table, and array item) of a valid TOML text starts. A quoted key with
    escapes is recorded as written, so such a key may go unplaced; that costs only precision."""
    try:
        return _Scanner(text).run()
    except (IndexError, ValueError):  # pragma: no cover - the text was valid TOML
        return {}


def _tree(value: Any, path: PlanPath, positions: dict[PlanPath, Position], near: Position = (1, 1)) -> Tree:
    """A node tree with the positions found, for :class:`Document`'s source map: what the scan
    did not place sits where its nearest placed parent does."""
    line, column = positions.get(path, near)
    if isinstance(value, dict):
        children: dict[str, Any] = {}
        for key, child in value.items():
            at = positions.get((*path, key), (line, column))
            children[key] = ((key, at[0] - 1, at[1] - 1, True), _tree(child, (*path, key), positions, at))
        return Node(Node.MAPPING, children, line, column)
    if isinstance(value, list):
        items = [_tree(child, (*path, i), positions, (line, column)) for i, child in enumerate(value)]
        return Node(Node.SEQUENCE, items, line, column)
    return (str(value), line - 1, column - 1, True)


# showing -----------------------------------------------------------------------------------------


def shown(key: str, value: Any) -> str:
    """A setting's value as ``readiness config`` prints it."""
    if value is None or value == ():
        return {
            "fail-on": "(the rubric's)",
            "min-score": "(the rubric's)",
            "as-of": "today",
            "select": "(every rule the rubric enables)",
            "ignore": "(none)",
            "baseline": "(none)",
            "plans": "(none: name them on the command line)",
            "format": "rich",
        }.get(key, "(none)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "jobs" and value == 0:
        return "0 (every usable core)"
    return str(value)


def plain(value: Any) -> Any:
    """A setting's value for JSON."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
