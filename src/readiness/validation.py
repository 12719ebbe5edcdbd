"""Data -> a validated pydantic model, or every problem with its position: the machinery that
plans, rubrics and rule options share.

Every problem is counted, but only the first :data:`KEPT` by position are kept and formatted (a
:class:`Collector`), so a file that is wrong a million times costs little more than a valid one:

- a list or mapping of more than :data:`PIECE` entries is validated in pieces of that many (its
  place in the enclosing data holds the validated entries, or nothing), so that no pydantic
  error holds more than a bounded number of line errors;
- a piece whose entries all lie after the last kept problem is only counted
  (``ValidationError.error_count()``), never expanded with ``errors()``;
- a mapping with more unknown keys than :data:`PIECE` has them taken out and counted here;
- messages (did-you-mean hints, expected forms) are made only for the problems kept.

Pydantic errors are read with ``errors(include_input=False)``: ``str()`` of a ``ValidationError``
is slow on aliased data.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import re
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, PlainValidator, TypeAdapter, ValidationError

from readiness.errors import Problem, ReadinessError
from readiness.limits import MAX_SHOWN
from readiness.loader import Document, Node, Tree
from readiness.paths import Path, format_path
from readiness.types import describe

KEPT = 2 * MAX_SHOWN  # problems kept and formatted per file; the rest are only counted
PIECE = 100  # a longer list or larger mapping is validated this many entries at a time

_M = TypeVar("_M", bound=BaseModel)
_E = TypeVar("_E", bound=ReadinessError)
Where = tuple[int, int] | None


# problems, counted in full and kept in part ------------------------------------------------------


class Collector:
    """The problems of one file: every one counted, the first ``keep`` by position kept.

    A problem is added with its position and a function that makes it, called only for the
    problems still kept at the end; problems at the same position keep the order they were
    added in."""

    def __init__(self, doc: Document, keep: int = KEPT) -> None:
        self.doc = doc
        self.keep = keep
        self.total = 0
        self._heap: list[tuple[int, int, int, Callable[[], Problem]]] = []  # a max-heap: keys negated

    def worst(self) -> tuple[int, int] | None:
        """The position a new problem must come before to be kept; None while there is room."""
        if len(self._heap) < self.keep:
            return None
        line, column, _, _ = self._heap[0]
        return -line, -column

    def wants(self, where: Where) -> bool:
        worst = self.worst()
        return worst is None or (where or (0, 0)) < worst

    def add(self, where: Where, make: Callable[[], Problem]) -> None:
        self.total += 1
        line, column = where or (0, 0)
        entry = (-line, -column, -self.total, make)
        if len(self._heap) < self.keep:
            heapq.heappush(self._heap, entry)
        elif (line, column) < (-self._heap[0][0], -self._heap[0][1]):
            heapq.heapreplace(self._heap, entry)

    def add_at(self, path: Path, message: str | Callable[[], str], key: bool = False) -> None:
        """A problem at a plan path (at its key when ``key``); a callable message is made only if
        the problem is kept."""
        where = self.doc.locate_key(path) if key else self.doc.locate(path)
        line, column = where if where else (None, None)

        def make() -> Problem:
            return Problem(message() if callable(message) else message, format_path(path), line, column)

        self.add(where, make)

    def count(self, n: int) -> None:
        """Problems counted but not kept: none of them can come before the kept ones."""
        self.total += n

    def problems(self) -> tuple[list[Problem], int]:
        """The kept problems in file order, and how many more there are."""
        entries = sorted(self._heap, key=lambda e: (-e[0], -e[1], -e[2]))
        seen: set[tuple[Any, ...]] = set()
        unique: list[Problem] = []
        total = self.total
        for *_, make in entries:
            problem = make()
            key = (problem.line, problem.column, problem.path, problem.message)
            if key in seen:
                total -= 1
                continue
            seen.add(key)
            unique.append(problem)
        return unique, total - len(unique)

    def error(self, kind: type[_E]) -> _E:
        problems, omitted = self.problems()
        return kind(self.doc.file, problems, omitted)


# stage 1: the models, in bounded pieces ----------------------------------------------------------

_INVALID: Any = object()
Shape = tuple[str, Any]  # ("model", cls), ("list", item annotation) or ("dict", value annotation)


def validate_model(doc: Document, root: type[_M], data: Any, found: Collector, prefix: Path = ()) -> _M | None:
    """``data`` (found at ``prefix`` in ``doc``) validated by ``root``, or None when it is invalid:
    then its problems are in ``found``."""
    result = _Validation(doc, root, prefix, found).check(("model", root), data, prefix, 0)
    return None if result is _INVALID else typing.cast(_M, result)


def _shape(annotation: Any) -> Shape | None:
    """What pydantic validates inside ``annotation``: a model, the items of a list or the values
    of a mapping; None for a value validated as a whole (or not at all)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            if any(isinstance(m, PlainValidator) for m in annotation.__metadata__):
                return None
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return None
            annotation = members[0]
        elif origin is list:
            item = typing.get_args(annotation)[0]
            return None if item is Any else ("list", item)
        elif origin is dict:
            value = typing.get_args(annotation)[1]
            return None if value is Any else ("dict", value)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return ("model", annotation)
        else:
            return None


def _field_shape(field: Any) -> Shape | None:
    if any(isinstance(m, PlainValidator) for m in field.metadata):
        return None
    return _shape(field.annotation)


@functools.cache
def _model_info(model: type[BaseModel]) -> tuple[frozenset[str], tuple[tuple[str, Shape, bool], ...]]:
    """The keys a model accepts, and its fields that hold a model, a list or a mapping: key,
    shape, and whether the field needs at least one item."""
    known: set[str] = set()
    containers: list[tuple[str, Shape, bool]] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        known.update((key, name))
        shape = _field_shape(field)
        if shape is not None:
            floor = any(getattr(m, "min_length", 0) for m in field.metadata)
            containers.append((key, shape, floor))
    return frozenset(known), tuple(containers)


_ADAPTERS: dict[int, tuple[Any, TypeAdapter[Any]]] = {}


def _adapter(shape: Shape) -> TypeAdapter[Any]:
    kind, inner = shape
    annotation = list[inner] if kind == "list" else dict[str, inner] if kind == "dict" else inner  # type: ignore[valid-type]
    key = id(inner) * 3 + ("model", "list", "dict").index(kind)
    cached = _ADAPTERS.get(key)
    if cached is None or cached[0] is not inner:
        cached = (inner, TypeAdapter(annotation))
        _ADAPTERS[key] = cached
    return cached[1]


class _Cut:
    """What :meth:`_Validation.cut` set aside: long lists and large mappings, and unknown keys."""

    def __init__(self) -> None:
        self.pieces: list[tuple[Path, Shape, Any, bool]] = []  # relative path, shape, entries, needs one
        self.strays: list[tuple[Path, type[BaseModel], list[str]]] = []  # relative path, model, keys


class _Validation:
    def __init__(self, doc: Document, root: type[BaseModel], prefix: Path, found: Collector) -> None:
        self.doc = doc
        self.root = root
        self.prefix = prefix
        self.found = found

    def check(self, shape: Shape, value: Any, loc: Path, shift: int) -> Any:
        """``value`` at ``loc`` validated, or _INVALID. ``shift`` is the index of the first item
        when ``value`` is a piece of a longer list at ``loc``."""
        cut = _Cut()
        data = self.cut(shape, value, (), cut, False)
        failed = False
        empty: set[Path] = set()  # pieces left empty in ``data``, that need at least one item
        for rel, piece_shape, entries, floor in cut.pieces:
            where = _shifted(loc, shift, rel)
            validated = self.piece(piece_shape, entries, where)
            if validated is _INVALID:
                failed = True
                if floor:
                    empty.add(rel)
            else:
                _put(data, rel, validated)
        for rel, model, keys in cut.strays:
            failed = True
            self.unknown_keys(model, keys, _shifted(loc, shift, rel))
        try:
            result = _adapter(shape).validate_python(data)
        except ValidationError as exc:
            self.collect(exc, loc, shift, value, empty)
            return _INVALID
        return _INVALID if failed else result

    def cut(self, shape: Shape, value: Any, rel: Path, cut: _Cut, floor: bool) -> Any:
        """``value`` with every long list and large mapping inside it set aside (left empty), and
        the keys of a mapping with very many unknown keys taken out; copies, never changes data."""
        kind, inner = shape
        if kind == "model":
            if not isinstance(value, dict):
                return value
            known, containers = _model_info(inner)
            out = value
            if len(value) > len(known) + PIECE:
                unknown = [k for k in value if k not in known and not (isinstance(k, str) and k.startswith("x-"))]
                if len(unknown) > PIECE:
                    dropped = set(unknown)
                    out = {k: v for k, v in value.items() if k not in dropped}
                    cut.strays.append((rel, inner, unknown))
            for key, sub, needs in containers:
                if key in out:
                    child = out[key]
                    new = self.cut(sub, child, (*rel, key), cut, needs)
                    if new is not child:
                        if out is value:
                            out = dict(value)
                        out[key] = new
            return out
        if kind == "list" and isinstance(value, list):
            if len(value) > PIECE and rel:
                cut.pieces.append((rel, shape, value, floor))
                return []
            item = _shape(inner)
            if item is None or not self.deep(item, value):
                return value
            items = value
            for i, child in enumerate(value):
                new = self.cut(item, child, (*rel, i), cut, False)
                if new is not child:
                    if items is value:
                        items = list(value)
                    items[i] = new
            return items
        if kind == "dict" and isinstance(value, dict):
            if len(value) > PIECE and rel:
                cut.pieces.append((rel, shape, value, False))
                return {}
            item = _shape(inner)
            if item is None or not self.deep(item, value.values()):
                return value
            entries = value
            for key, child in value.items():
                new = self.cut(item, child, (*rel, key), cut, False)
                if new is not child:
                    if entries is value:
                        entries = dict(value)
                    entries[key] = new
            return entries
        return value

    @staticmethod
    def deep(item: Shape, children: Iterable[Any]) -> bool:
        """Whether any of ``children`` (validated by ``item``) may have something to set aside."""
        kind, inner = item
        if kind != "model":
            return True
        known, containers = _model_info(inner)
        if containers:
            return True
        limit = len(known) + PIECE
        return any(type(child) is dict and len(child) > limit for child in children)

    def piece(self, shape: Shape, entries: Any, loc: Path) -> Any:
        """A long list or large mapping validated ``PIECE`` entries at a time."""
        failed = False
        if shape[0] == "list":
            items: list[Any] | None = []
            for start in range(0, len(entries), PIECE):
                got = self.check(shape, entries[start : start + PIECE], loc, start)
                if got is _INVALID:
                    failed, items = True, None
                elif items is not None:
                    items.extend(got)
            return _INVALID if failed else items
        keys = list(entries)
        mapping: dict[str, Any] | None = {}
        for start in range(0, len(keys), PIECE):
            got = self.check(shape, {k: entries[k] for k in keys[start : start + PIECE]}, loc, 0)
            if got is _INVALID:
                failed, mapping = True, None
            elif mapping is not None:
                mapping.update(got)
        return _INVALID if failed else mapping

    def collect(self, exc: ValidationError, loc: Path, shift: int, value: Any, empty: set[Path]) -> None:
        """The errors of one validation call; only counted when none of them can be kept."""
        if loc != self.prefix:  # a piece of a long list or large mapping
            earliest = self.earliest(loc, shift, value)
            if earliest is not None and not self.found.wants(earliest):
                self.found.count(exc.error_count() - len(empty))
                return
        for error in exc.errors(include_input=False, include_url=False):
            rel = tuple(error["loc"])
            if error["type"] == "too_short" and rel in empty:
                continue
            self.error(_shifted(loc, shift, rel), error)

    def earliest(self, loc: Path, shift: int, value: Any) -> tuple[int, int] | None:
        """The first position of the entries of a piece: no error in them comes before it (an
        error inside an entry lies at or after the entry, unless it is in an alias of a node
        defined earlier)."""
        node = self.doc.locate_node(loc)
        if type(node) is not Node:
            return None
        if isinstance(value, list) and node.kind == Node.SEQUENCE:
            nodes: Iterable[Tree] = node.value[shift : shift + len(value)]
        elif isinstance(value, dict) and node.kind == Node.MAPPING:
            nodes = [node.value[k][0] for k in value if k in node.value]
        else:
            return None
        return min((_where(n) for n in nodes), default=None)

    def error(self, loc: Path, error: Any) -> None:
        kind = error["type"]
        where = self.doc.locate_key(loc) if kind == "extra_forbidden" else self.doc.locate(loc)
        if not self.found.wants(where):
            self.found.count(1)
            return
        self.found.add(where, lambda: _pydantic_problem(self, loc, error, where))

    def unknown_keys(self, model: type[BaseModel], keys: list[str], loc: Path) -> None:
        for i, key in enumerate(keys):
            path = (*loc, key)
            where = self.doc.locate_key(path)
            if not self.found.wants(where):  # the keys of one mapping come in file order
                self.found.count(len(keys) - i)
                return
            self.found.add(where, functools.partial(_unknown_key, path, model, where))


def _shifted(loc: Path, shift: int, rel: Path) -> Path:
    if shift and rel and isinstance(rel[0], int):
        return (*loc, rel[0] + shift, *rel[1:])
    return (*loc, *rel)


def _put(data: Any, rel: Path, value: Any) -> None:
    """Set ``value`` at ``rel`` inside ``data`` (a copy made by :meth:`_Validation.cut`)."""
    for item in rel[:-1]:
        data = data[item]
    data[rel[-1]] = value


def _where(node: Tree) -> tuple[int, int]:
    if type(node) is tuple:
        return node[1] + 1, node[2] + 1
    return node.line, node.column  # type: ignore[union-attr]


# messages of stage 1 ------------------------------------------------------------------------------


def _raw(data: Any, loc: tuple[Any, ...]) -> tuple[bool, Any]:
    for item in loc:
        if (isinstance(data, dict) and item in data) or (
            isinstance(data, list) and isinstance(item, int) and 0 <= item < len(data)
        ):
            data = data[item]
        else:
            return False, None
    return True, data


def _type_at(root: Any, loc: Path) -> Any:
    """The annotation that validates the value at ``loc`` below ``root``, or None."""
    annotation: Any = root
    for item in loc:
        shape = _shape(annotation)
        if shape is None:
            return None
        kind, inner = shape
        if kind == "model" and isinstance(item, str):
            field = next((f for n, f in inner.model_fields.items() if item in (f.alias, n)), None)
            if field is None:
                return None
            annotation = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
        elif (kind == "list" and isinstance(item, int)) or (kind == "dict" and isinstance(item, str)):
            annotation = inner
        else:
            return None
    return annotation


def _model_at(root: Any, loc: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (for did-you-mean hints)."""
    shape = _shape(_type_at(root, loc))
    return shape[1] if shape is not None and shape[0] == "model" else None


def _mapping_form(annotation: Any, raw: Any) -> str:
    """What a mapping-typed field takes, derived from its model: "a mapping with date and optional
    reason, such as {date: 2027-06-30, reason: ...}" (the value given, when it fits a field)."""
    shape = _shape(annotation)
    if shape is None:
        return "a mapping of names to values" if _origin(annotation) is dict else "a mapping"
    kind, inner = shape
    if kind == "dict":
        value = _shape(inner)
        if value is not None and value[0] == "model":
            return f"a mapping of names to mappings, each {_fields(value[1])}"
        return "a mapping of names to values"
    if kind != "model":
        return "a mapping"
    return f"a mapping {_fields(inner)}, such as {_example(inner, raw)}"


def _origin(annotation: Any) -> Any:
    """The container type under Annotated and Optional: list, dict or None."""
    while typing.get_origin(annotation) in (typing.Annotated, typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = members[0]
    return typing.get_origin(annotation)


def _list_form(annotation: Any, raw: Any) -> str:
    """What a list-typed field takes: "a list of mappings, each with ..." or "a list, such as [why]"."""
    shape = _shape(annotation)
    if shape is None or shape[0] != "list":
        return "a list"
    item = _shape(shape[1])
    if item is not None and item[0] == "model":
        return f"a list of mappings, each {_fields(item[1])}"
    return f"a list, such as [{_fits(shape[1], raw) or _sample(shape[1])}]"


def _fields(model: type[BaseModel]) -> str:
    """ "with id, name, level and function, and optional division and title" """
    required = [f.alias or n for n, f in model.model_fields.items() if f.is_required()]
    optional = [f.alias or n for n, f in model.model_fields.items() if not f.is_required()]
    if len(optional) > 5:
        optional = [*optional[:4], f"{len(optional) - 4} more"]
    text = f"with {_and(required)}" if required else ""
    if optional:
        text += (", and " if len(required) > 1 else " and ") if required else "with "
        text += f"optional {_and(optional)}"
    return text or "with no fields"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _example(model: type[BaseModel], raw: Any = None, depth: int = 0) -> str:
    """A small instance of ``model`` as YAML flow text: its required fields (at least two entries
    when the model has them), with the value given as the first one when it fits there."""
    fields = [(f.alias or n, f) for n, f in model.model_fields.items()]
    chosen = [(k, f) for k, f in fields if f.is_required()]
    chosen += [(k, f) for k, f in fields if not f.is_required()][: max(0, 2 - len(chosen))]
    entries: list[str] = []
    for i, (key, field) in enumerate(chosen):
        annotation = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
        given = _fits(annotation, raw) if i == 0 else None
        entries.append(f"{key}: {given or _sample(annotation, depth + 1)}")
    return "{" + ", ".join(entries) + "}"


def _fits(annotation: Any, raw: Any) -> str | None:
    """``raw`` as written, if it is a plain value that ``annotation`` accepts."""
    if not isinstance(raw, str) or not raw or len(raw) > 40 or _shape(annotation) is not None:
        return None
    try:
        _value_adapter(annotation).validate_python(raw)
    except (ValidationError, TypeError, ValueError):
        return None
    return raw if re.fullmatch(r"[\w.\-]+", raw) else None


_VALUE_ADAPTERS: dict[int, tuple[Any, TypeAdapter[Any]]] = {}


def _value_adapter(annotation: Any) -> TypeAdapter[Any]:
    cached = _VALUE_ADAPTERS.get(id(annotation))
    if cached is None or cached[0] is not annotation:
        cached = (annotation, TypeAdapter(annotation))
        _VALUE_ADAPTERS[id(annotation)] = cached
    return cached[1]


def _sample(annotation: Any, depth: int = 0) -> str:
    """A placeholder value of ``annotation`` in YAML flow text."""
    schema = _declared_schema(annotation)
    if schema is not None:
        return _sample_schema(schema)
    shape = _shape(annotation)
    if shape is not None:
        kind, inner = shape
        if kind == "model":
            return _example(inner, None, depth) if depth < 2 else "{...}"
        if kind == "list":
            return f"[{_sample(inner, depth + 1)}]"
        return "{NAME: ...}"
    if typing.get_origin(annotation) is typing.Literal:
        return str(typing.get_args(annotation)[0])
    return "..."


def _declared_schema(annotation: Any) -> dict[str, Any] | None:
    """The JSON Schema a plan type declares with ``WithJsonSchema``, if it does."""
    from pydantic import WithJsonSchema

    while typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, WithJsonSchema) and meta.json_schema is not None:
                return dict(meta.json_schema)
        annotation = typing.get_args(annotation)[0]
    return None


def _sample_schema(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return _sample_schema(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "const" in schema:
        return str(schema["const"])
    if "enum" in schema:
        return str(schema["enum"][0])
    kind = schema.get("type")
    if kind == "boolean":
        return "true"
    if kind in ("integer", "number"):
        return str(schema.get("minimum", 0))
    if kind == "array":
        return f"[{_sample_schema(schema.get('items', {}))}]"
    if schema.get("format") == "date":
        return "YYYY-MM-DD"
    return "..."


def _unknown_key(path: Path, model: type[BaseModel] | None, where: Where) -> Problem:
    key = str(path[-1])
    message = f"unknown key '{key}'"
    if model is not None:
        names = [f.alias or n for n, f in model.model_fields.items()]
        close = difflib.get_close_matches(key, names, n=1)
        message += f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(names)})"
    line, column = where if where else (None, None)
    return Problem(message, format_path(path), line, column)


def _pydantic_problem(validation: _Validation, loc: Path, error: Any, where: Where) -> Problem:
    doc, root = validation.doc, validation.root
    inner = loc[len(validation.prefix) :]
    kind = error["type"]
    if kind == "extra_forbidden":
        return _unknown_key(loc, _model_at(root, inner[:-1]), where)
    found, raw = _raw(doc.data, loc)
    if kind == "missing":
        message = "required field is missing"
    elif found and raw is None and kind in ("model_type", "dict_type", "list_type", "model_attributes_type"):
        message = "null is not allowed here"
        if kind == "list_type":
            message += "; to state that a list is empty, write []"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected {_mapping_form(_type_at(root, inner), raw)}, got {describe(raw)}"
    elif kind == "list_type":
        message = f"expected {_list_form(_type_at(root, inner), raw)}, got {describe(raw)}"
    elif kind == "too_short":
        message = "must have at least one item"
    elif loc == ("schema_version",):  # a plan of another format version
        message = f"unsupported schema_version {describe(raw)} (this tool reads format 1: write schema_version: 1)"
    else:
        message = str(error["msg"])
    line, column = where if where else (None, None)
    return Problem(message, format_path(loc), line, column)


def listing(values: list[str]) -> str:
    if not values:
        return "none defined"
    shown = ", ".join(values[:10])
    return shown + (f" and {len(values) - 10} more" if len(values) > 10 else "")


def closest_rule(code: str, names: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The rule ID or slug most likely meant by ``code``: the same name in other letter case;
    for something shaped like an ID (``LEAD999``, ``lead9``), the nearest ID of that category; else
    the closest name by spelling, if at least ``cutoff`` alike."""
    known = list(names)
    folded = {name.casefold(): name for name in known}
    if code.casefold() in folded:
        return folded[code.casefold()]
    shaped = re.fullmatch(r"([A-Za-z]+)([0-9]+)", code)
    if shaped:
        family = [name for name in known if re.fullmatch(re.escape(shaped[1].upper()) + "[0-9]+", name)]
        if family:
            return difflib.get_close_matches(code.upper(), family, n=1, cutoff=0)[0]
    close = difflib.get_close_matches(code, known, n=1, cutoff=0.6 if shaped else cutoff)
    return close[0] if close else None
