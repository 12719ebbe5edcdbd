"""Bytes -> YAML events -> a node tree with positions -> plain data.

The pipeline guards each stage against hostile input before the stage runs:

1. read: ``O_NONBLOCK`` open, ``fstat``, regular files only, a bounded read;
2. decode: strict UTF-8 (a UTF-8 BOM is dropped), no NUL;
3. compose from the parser's *events*, counting depth, events, tags and the node count after
   alias expansion as they arrive, so no limit is ever passed before it is checked (libyaml's
   own composer crashes on deep nesting, and alias bombs explode only downstream);
4. construct plain data: only the YAML 1.2 core booleans and nulls are typed, every other plan
   scalar stays a string for the model to parse by field type; ``x-`` values get the full core
   schema.

The node tree is kept as the source map: :meth:`Document.locate` turns a plan path into a line
and column by walking it, so positions cost nothing until a finding or an error needs one.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

import yaml

from readiness.errors import PlanError, Problem
from readiness.limits import MAX_BYTES, MAX_DEPTH, MAX_EVENTS, MAX_INT_DIGITS, MAX_NODES
from readiness.nesting import deep_flow, line_column, lines
from readiness.paths import Path, PathItem, format_path

_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"null", "Null", "NULL", "~", ""})
_CORE_INT = re.compile(r"[-+]?[0-9]+\Z")
_CORE_OCT = re.compile(r"0o[0-7]+\Z")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_CORE_NONFINITE = re.compile(r"[-+]?\.(inf|Inf|INF)\Z|\.(nan|NaN|NAN)\Z")
_NONZERO = re.compile("[1-9]")
_SURROGATE = re.compile("[\ud800-\udfff]")

try:  # libyaml's parser when PyYAML was built with it (only its events are used)
    from yaml import CBaseLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef,misc]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


WITH_LIBYAML = _Parser.__module__ != __name__  # False on the pure-Python fallback


class Node:
    """A composed mapping (dict of key -> (key node, value node)) or sequence (list of nodes),
    with its 1-based position. A scalar is a plain tuple ``(value, line0, column0, plain)``,
    0-based: lists of a million scalars are built four times faster that way."""

    __slots__ = ("column", "kind", "line", "plain", "value")

    MAPPING, SEQUENCE = 1, 2

    def __init__(self, kind: int, value: Any, line: int, column: int, plain: bool = False) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.column = column
        self.plain = plain


Scalar = tuple[str, int, int, bool]
Tree = Node | Scalar


def _where(node: Tree) -> tuple[int, int]:
    """The 1-based line and column of a node or scalar."""
    if type(node) is tuple:
        return node[1] + 1, node[2] + 1
    return node.line, node.column  # type: ignore[union-attr]


def _is(node: Tree, kind: int) -> bool:
    return type(node) is Node and node.kind == kind


@dataclass(frozen=True)
class Document:
    """A loaded YAML file: its plain data, its node tree (the source map), and provenance."""

    file: str
    data: dict[str, Any]
    root: Node
    sha256: str

    def locate(self, path: Path) -> tuple[int, int] | None:
        """Line and column of the node at ``path``; for an absent node, of its nearest existing
        enclosing node; ``None`` only when the first step (a top-level key) is absent."""
        node: Tree = self.root
        for depth, item in enumerate(path):
            child: Tree | None = None
            if _is(node, Node.MAPPING) and isinstance(item, str):
                pair = node.value.get(item)  # type: ignore[union-attr]
                child = pair[1] if pair else None
            elif _is(node, Node.SEQUENCE) and isinstance(item, int):
                items = node.value  # type: ignore[union-attr]
                child = items[item] if 0 <= item < len(items) else None
            if child is None:
                return None if depth == 0 else _where(node)
            node = child
        return _where(node)

    def locate_key(self, path: Path) -> tuple[int, int] | None:
        """Position of the *key* that ends ``path`` (for unknown and duplicate keys)."""
        if not path:
            return _where(self.root)
        parent = self.locate_node(path[:-1])
        if parent is not None and _is(parent, Node.MAPPING) and isinstance(path[-1], str):
            pair = parent.value.get(path[-1])  # type: ignore[union-attr]
            if pair is not None:
                return _where(pair[0])
        return self.locate(path)

    def locate_node(self, path: Path) -> Tree | None:
        node: Tree = self.root
        for item in path:
            if _is(node, Node.MAPPING) and isinstance(item, str):
                pair = node.value.get(item)  # type: ignore[union-attr]
                if pair is None:
                    return None
                node = pair[1]
            elif _is(node, Node.SEQUENCE) and isinstance(item, int) and 0 <= item < len(node.value):  # type: ignore[union-attr]
                node = node.value[item]  # type: ignore[union-attr]
            else:
                return None
        return node


# ---------------------------------------------------------------------------------------------
# 1. read


def _fail(file: str, message: str, line: int | None = None, column: int | None = None) -> PlanError:
    return PlanError(file, [Problem(message, None, line, column)])


def _bounded(name: str, read: Callable[[int], bytes], max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes, read in chunks (a limit near 2**63 must not become one huge
    read); more than ``max_bytes`` is an error."""
    parts: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = read(min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise _fail(name, over_limit(f"more than {max_bytes}", max_bytes))
    return b"".join(parts)


def over_limit(size: int | str, max_bytes: int) -> str:
    """What is wrong with a file of ``size`` bytes (or ``more than N``) beyond ``--max-bytes``."""
    return f"{size} bytes, over the {max_bytes}-byte limit (--max-bytes)"


def read_bytes(name: str, max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None) -> bytes:
    """Read a plan or rubric file (``-`` is standard input) within ``max_bytes``; never block on
    a FIFO, never read a device, never read more than ``max_bytes + 1`` bytes."""
    if name == "-":
        if stdin is None and sys.stdin is None:  # closed when the process started (<&-)
            raise _fail(name, "standard input is closed")
        stream = stdin if stdin is not None else sys.stdin.buffer
        return _bounded(name, stream.read, max_bytes)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except PermissionError:
        raise _fail(name, "permission denied") from None
    except OSError as exc:
        raise _fail(name, f"cannot open: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = (
                "a directory"
                if stat.S_ISDIR(info.st_mode)
                else "a FIFO"
                if stat.S_ISFIFO(info.st_mode)
                else "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket"
                if stat.S_ISSOCK(info.st_mode)
                else "not a regular file"
            )
            raise _fail(name, f"is {kind}, not a regular file" if kind.startswith("a ") else kind)
        if info.st_size > max_bytes:
            raise _fail(name, over_limit(info.st_size, max_bytes))
        return _bounded(name, lambda size: os.read(fd, size), max_bytes)
    except OSError as exc:
        raise _fail(name, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# 2. decode


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column of a byte offset, counted in characters and YAML's line breaks."""
    before = data[:offset].decode("utf-8", errors="replace")
    return line_column(before, len(before))


def decode(file: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(file, "the file is UTF-16 or UTF-32; save it as UTF-8", 1, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise _fail(
            file, f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); save the file as UTF-8", line, column
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _position(data, len(text[:nul].encode("utf-8")))
        raise _fail(file, "NUL character: this is not a text file", line, column)
    return text


# ---------------------------------------------------------------------------------------------
# 3. compose from events


_IN_PROGRESS = object()


class _Frame:
    __slots__ = ("anchor", "count_at_start", "height", "items", "key", "node", "seen")

    def __init__(self, node: Node, anchor: str | None, count_at_start: int) -> None:
        self.node = node
        self.items: list[Tree] | None = node.value if node.kind == Node.SEQUENCE else None
        self.anchor = anchor
        self.count_at_start = count_at_start
        self.height = 1
        self.key: tuple[str, Scalar] | None = None  # pending mapping key
        self.seen = False


def compose(file: str, text: str) -> Node:
    """Compose a single-document YAML text into a node tree, enforcing every limit on the way.

    Flow nesting packed densely on one line is found in the text first (:mod:`readiness.nesting`),
    because libyaml reads such a line whole before it gives the first event; the text up to the
    offending opener is then composed, so that the event-level limit reports it exactly where it
    would have in a file libyaml reads event by event."""
    deep = deep_flow(text, MAX_DEPTH)
    if deep is not None:
        try:
            _compose(file, text[: deep + 1])
        except PlanError as exc:
            if any(_NESTING in p.message for p in exc.problems):
                raise
    return _compose(file, text)


_NESTING = f"nesting deeper than {MAX_DEPTH} levels"


def _compose(file: str, text: str) -> Node:
    problems: list[Problem] = []
    stack: list[_Frame] = []
    anchors: dict[str, Any] = {}  # name -> (node, size, height) or _IN_PROGRESS
    aliases = 0  # aliases expanded so far
    root: Tree | None = None
    events = 0
    nodes = 0
    documents = 0

    def fatal(message: str, mark: Any, at_node: bool = True) -> PlanError:
        """The error that ends composing: at the node now being composed, or (a limit, a second
        document) about the file as a whole."""
        path = format_path(_composing(stack)) if at_node else None
        problems.append(Problem(message, path, mark.line + 1, mark.column + 1))
        problems.sort(key=Problem.sort_key)
        return PlanError(file, problems)

    def too_many_nodes() -> str:
        expanded = " after alias expansion" if aliases else ""  # words that would mislead without one
        return f"more than {MAX_NODES} nodes{expanded}, over the input limit"

    def attach(node: Tree, size: int, height: int, mark: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        top.height = max(top.height, height + 1)
        if top.node.kind == Node.SEQUENCE:
            top.node.value.append(node)
            return
        if top.key is None:  # this node is a key
            if type(node) is not tuple:
                raise fatal("a mapping key must be a plain string, not a list or mapping", mark)
            top.key = (node[0], node)
            return
        key, key_node = top.key
        top.key = None
        first = top.node.value.get(key)
        if first is not None:
            problems.append(
                Problem(
                    f"duplicate key '{key}' (first defined on line {_where(first[0])[0]})",
                    format_path((*_composing(stack), key)),
                    *_where(key_node),
                )
            )
            return
        top.node.value[key] = (key_node, node)

    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent  # locals: this loop runs per event
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    try:
        parser = _Parser(text)
        get_event = parser.get_event
        while True:
            event = get_event()
            events += 1
            if events > MAX_EVENTS:
                raise fatal(f"more than {MAX_EVENTS} YAML events, over the input limit", event.start_mark, False)
            cls = type(event)
            if cls is scalar_event:
                if event.tag is not None:
                    raise fatal(f"explicit tag '{_tag(event.tag)}' is not allowed", event.start_mark)
                nodes += 1
                mark = event.start_mark
                scalar: Scalar = (event.value, mark.line, mark.column, not event.style)
                if nodes > MAX_NODES:
                    raise fatal(too_many_nodes(), mark, False)
                if event.anchor is not None:
                    anchors[event.anchor] = (scalar, 1, 0)
                if stack and stack[-1].items is not None:  # fast path: an item of a list
                    stack[-1].items.append(scalar)
                else:
                    attach(scalar, 1, 0, mark)
            elif cls is mapping_start or cls is sequence_start:
                mark = event.start_mark
                if event.tag is not None:
                    raise fatal(f"explicit tag '{_tag(event.tag)}' is not allowed", mark)
                if len(stack) + 1 > MAX_DEPTH:
                    raise fatal(f"{_NESTING}, over the input limit", mark, False)
                if stack and stack[-1].node.kind == Node.MAPPING and stack[-1].key is None:
                    raise fatal("a mapping key must be a plain string, not a list or mapping", mark)
                nodes += 1
                if nodes > MAX_NODES:
                    raise fatal(too_many_nodes(), mark, False)
                is_map = cls is mapping_start
                node = Node(
                    Node.MAPPING if is_map else Node.SEQUENCE, {} if is_map else [], mark.line + 1, mark.column + 1
                )
                if event.anchor is not None:
                    anchors[event.anchor] = _IN_PROGRESS
                stack.append(_Frame(node, event.anchor, nodes - 1))
            elif cls is mapping_end or cls is sequence_end:
                frame = stack.pop()
                size = nodes - frame.count_at_start
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.node, size, frame.height)
                attach(frame.node, size, frame.height, event.start_mark)
            elif cls is alias_event:
                mark = event.start_mark
                target = anchors.get(event.anchor)
                if target is None:
                    raise fatal(f"alias '*{event.anchor}' refers to no anchor defined before it", mark)
                if target is _IN_PROGRESS:
                    raise fatal(f"recursive alias '*{event.anchor}': it occurs inside the node it refers to", mark)
                node, size, height = target
                aliases += 1
                nodes += size
                if nodes > MAX_NODES:
                    raise fatal(too_many_nodes(), mark, False)
                if len(stack) + height > MAX_DEPTH:
                    raise fatal(
                        f"nesting deeper than {MAX_DEPTH} levels after alias expansion, over the input limit",
                        mark,
                        False,
                    )
                attach(node, size, height, mark)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fatal(
                        "a second YAML document starts here; a plan is exactly one document", event.start_mark, False
                    )
            elif cls is yaml.StreamEndEvent:
                break
    except PlanError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        if "maximum nesting depth" in what:  # a libyaml build with a nesting limit of its own
            raise fatal(f"{_NESTING}, over the input limit", mark, False) from None
        hint = _hint(exc, text)
        message = f"invalid YAML: {what}" + (f"; {hint}" if hint else "")
        if mark is None:
            problems.append(Problem(message))
        else:
            problems.append(Problem(message, None, mark.line + 1, mark.column + 1))
        problems.sort(key=Problem.sort_key)
        raise PlanError(file, problems) from None
    except yaml.reader.ReaderError as exc:
        offset = exc.position
        if WITH_LIBYAML:  # libyaml counts the bytes of the UTF-8 text it was given
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        line, column = line_column(text, offset)
        problems.append(
            Problem(
                f"invalid YAML: {exc.reason} (character U+{exc.character:04X})"
                if isinstance(exc.character, int)
                else f"invalid YAML: {exc.reason}",
                None,
                line,
                column,
            )
        )
        raise PlanError(file, problems) from None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"invalid YAML: {_one_line(str(exc))}"))
        raise PlanError(file, problems) from None
    except (ValueError, KeyError, AttributeError, IndexError, OverflowError, TypeError) as exc:
        problems.append(Problem(f"invalid YAML: {_one_line(str(exc)) or type(exc).__name__}"))
        raise PlanError(file, problems) from None

    if root is None or (type(root) is tuple and root[3] and root[0] in _NULLS):
        problems.append(Problem("the file is empty; a plan is a YAML mapping", None, 1, 1))
    elif not _is(root, Node.MAPPING):
        what = "a list" if _is(root, Node.SEQUENCE) else "a single value"
        problems.append(Problem(f"the top level is {what}; it must be a mapping", None, *_where(root)))
    if problems:
        problems.sort(key=Problem.sort_key)
        raise PlanError(file, problems)
    assert type(root) is Node
    return root


def _composing(stack: list[_Frame]) -> Path:
    """The plan path of the node now being composed (a mapping's, while its key is read)."""
    path: list[PathItem] = []
    for frame in stack:
        if frame.node.kind == Node.SEQUENCE:
            path.append(len(frame.node.value))
        elif frame.key is not None:
            path.append(frame.key[0])
    return tuple(path)


def _hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What to check for one of the parser's common complaints, in the writer's terms."""
    problem = exc.problem or ""
    opened = f" on line {exc.context_mark.line + 1}" if exc.context_mark is not None else ""
    if problem.startswith("mapping values are not allowed"):
        return "check the indentation of this line, or quote a value that contains ': '"
    if problem == "did not find expected key" or problem.startswith("expected <block end>"):
        return (
            f"check the indentation of this line against the keys of the mapping that starts{opened}, "
            "and that nothing follows a closing quote or bracket"
        )
    if problem == "did not find expected '-' indicator":
        return f"check the indentation of this line against the items of the list that starts{opened}"
    if problem == "could not find expected ':'":
        return (
            f"the key{opened} needs ': ' after it on the same line; a value that goes on to the next "
            "line must be indented more than its key"
        )
    if problem.startswith("did not find expected ','"):
        close = problem[-2]
        return f"close the {'[' if close == ']' else '{'}{opened} with {close}, and separate its entries with ','"
    if problem == "found unexpected end of stream" and "quoted" in (exc.context or ""):
        return f"the quote{opened} is never closed"
    if problem == "found unexpected end of stream":
        return f"something opened{opened} is never closed"
    if problem.startswith("found a tab character") or _character(exc, text) == "\t":
        return "indent with spaces: YAML does not allow tabs for indentation"
    if problem == "found character that cannot start any token":
        return "quote a value that starts with @, ` or %"
    if problem == "block sequence entries are not allowed in this context":
        return "start a list on the line after its key, one '- item' per line indented, or write [a, b]"
    if problem == "found unknown escape character":
        return "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"
    if problem == "did not find expected alphabetic or numeric character":
        return "& and * start an anchor or an alias and need a name; quote a value that starts with & or *"
    if problem == "did not find expected node content":
        return "a value is missing here, or starts with a character that needs quoting"
    return ""


def _character(exc: yaml.MarkedYAMLError, text: str) -> str:
    mark = exc.problem_mark
    if mark is None:
        return ""
    for number, line in enumerate(lines(text)):
        if number == mark.line:
            return str(line[mark.column : mark.column + 1])
    return ""


def _tag(tag: str) -> str:
    """A tag as it was most likely written: ``tag:yaml.org,2002:str`` -> ``!!str``."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# 4. construct plain data


def _plain_scalar(node: Scalar) -> Any:
    value, _, _, plain = node
    if not plain:
        return value
    if value in _NULLS:
        return None
    return _BOOLS.get(value, value)


def _core_scalar(node: Scalar, path: Path, problems: list[Problem]) -> Any:
    """YAML 1.2 core schema typing, for ``x-`` values."""
    value, _, _, plain = node
    if not plain:
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    try:
        integer = _CORE_INT.match(value) or _CORE_OCT.match(value) or _CORE_HEX.match(value)
        if integer:
            # bounded before conversion: Python bounds decimal text itself, but reads hexadecimal
            # of any length, and exact arithmetic on a million-digit number later takes minutes
            digits = len(value) - (2 if value[:2] in ("0o", "0x") else len(value) - len(value.lstrip("+-")))
            if digits > MAX_INT_DIGITS:
                problems.append(
                    Problem(
                        f"number {value[:40]} cannot be represented in plan data: {digits} digits, more than "
                        f"{MAX_INT_DIGITS}; quote it to keep it a string",
                        format_path(path),
                        *_where(node),
                    )
                )
                return None
            return int(value) if value[:2] not in ("0o", "0x") else int(value, 0)
        if _CORE_FLOAT.match(value):
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
            if abs(number) < sys.float_info.min and _NONZERO.search(value.partition("e")[0].partition("E")[0]):
                # a non-zero number that a double turns into 0 or a subnormal: bounded like plan numbers
                problems.append(
                    Problem(
                        f"number {value[:40]} is too close to zero to be represented in plan data; "
                        "quote it to keep it a string",
                        format_path(path),
                        *_where(node),
                    )
                )
                return None
            return number
    except ValueError:
        problems.append(
            Problem(
                f"number {value[:40]} cannot be represented in plan data; quote it to keep it a string",
                format_path(path),
                *_where(node),
            )
        )
        return None
    if _CORE_NONFINITE.match(value):
        problems.append(
            Problem(
                f"non-finite number {value} is not allowed; quote it to keep it a string",
                format_path(path),
                *_where(node),
            )
        )
        return None
    return value


def construct(file: str, root: Node, core_keys: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Plain data from a composed tree. Values under ``x-`` keys, and under any key in
    ``core_keys`` (a rubric's ``equals`` and ``in`` operands), get the YAML 1.2 core schema."""
    problems: list[Problem] = []

    def build(node: Tree, path: Path, extension: bool) -> Any:
        if isinstance(node, tuple):
            value = _core_scalar(node, path, problems) if extension else _plain_scalar(node)
            if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
                problems.append(Problem("lone surrogate character in text", format_path(path), *_where(node)))
            return value
        if node.kind == Node.SEQUENCE:
            return [build(child, (*path, index), extension) for index, child in enumerate(node.value)]
        out: dict[str, Any] = {}
        for key, (_key_node, child) in node.value.items():
            out[key] = build(child, (*path, key), extension or key.startswith("x-") or key in core_keys)
        return out

    data = build(root, (), False)
    if problems:
        problems.sort(key=Problem.sort_key)
        raise PlanError(file, problems)
    return data  # type: ignore[no-any-return]


def load_text(file: str, text: str, sha256: str = "", core_keys: frozenset[str] = frozenset()) -> Document:
    root = compose(file, text)
    return Document(file, construct(file, root, core_keys), root, sha256)


def load(
    name: str, max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None, core_keys: frozenset[str] = frozenset()
) -> Document:
    """Read, decode, compose and construct one YAML file under every input limit."""
    return load_bytes(name, read_bytes(name, max_bytes, stdin), max_bytes, core_keys)


def load_bytes(name: str, raw: bytes, max_bytes: int = MAX_BYTES, core_keys: frozenset[str] = frozenset()) -> Document:
    """Decode, compose and construct YAML that was read some other way (a file's content at a
    commit, from git), under the same limits as a file: ``name`` is how errors name it."""
    import hashlib

    if len(raw) > max_bytes:
        raise _fail(name, over_limit(len(raw), max_bytes))
    return load_text(name, decode(name, raw), hashlib.sha256(raw).hexdigest(), core_keys)
