"""Where a node of the loader's tree starts and ends in the text, and how an editor counts it.

The loader's source map (:class:`readiness.loader.Node` and scalar tuples) keeps where each node
starts, as libyaml reports it: lines broken at CR, LF, CRLF, NEL, LS and PS, columns in code
points. Where a node ends is found here from the text: a scalar by its style (plain, quoted,
block), a block collection at the end of its last entry, a flow collection at its closing
bracket. An editor counts lines at CR, LF and CRLF only, and columns in UTF-16 code units unless
it asked for UTF-8 or UTF-32: :class:`Positions` converts.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from readiness.loader import Node
from readiness.nesting import BREAK

Point = tuple[int, int]  # 0-based line and column (code points), as libyaml counts lines

_LSP_BREAK = re.compile("\r\n|[\r\n]")
_ANCHOR = re.compile(r"&[^\s\[\]{},]+[ \t]*")
_ALIAS = re.compile(r"\*[^\s\[\]{},]+")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


def _starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    return [0, *(m.end() for m in breaks.finditer(text))]


class Positions:
    """One text as libyaml saw it, with conversions to an editor's positions.

    ``encoding`` is the LSP position encoding the client and server agreed on: ``utf-16`` (the
    protocol's default), ``utf-8`` or ``utf-32``."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        # the loader drops a byte-order mark before libyaml sees the text
        self.shift = 1 if text.startswith("\ufeff") else 0
        seen = text[self.shift :]
        self.lines = BREAK.split(seen)
        self.simple = not self.shift and not any(c in seen for c in "\x85\u2028\u2029")
        if not self.simple:
            self._yaml_starts = _starts(seen, BREAK)
            self._lsp_starts = _starts(text, _LSP_BREAK)
            self._lsp_lines = _LSP_BREAK.split(text)

    # -- reading the text ------------------------------------------------------------------------

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def clamp(self, point: Point) -> Point:
        line = min(max(point[0], 0), max(len(self.lines) - 1, 0))
        return line, min(max(point[1], 0), len(self.line(line)))

    def line_end(self, number: int) -> Point:
        """The end of a line's content, before any comment and trailing blanks."""
        text = self.line(number)
        return number, len(_strip_comment(text).rstrip())

    # -- converting for the editor ---------------------------------------------------------------

    def lsp(self, point: Point) -> Point:
        """An LSP position (line, character in the agreed encoding) for a libyaml position."""
        line, column = self.clamp(point)
        if self.simple:
            return line, _units(self.lines[line], column, self.encoding)
        offset = self.shift + self._yaml_starts[line] + column
        lsp_line = bisect.bisect_right(self._lsp_starts, offset) - 1
        text = self._lsp_lines[lsp_line]
        return lsp_line, _units(text, offset - self._lsp_starts[lsp_line], self.encoding)

    def from_lsp(self, line: int, character: int) -> Point:
        """A libyaml position for an LSP position (the inverse of :meth:`lsp`)."""
        if self.simple:
            text = self.line(line)
            return line, _column(text, character, self.encoding)
        if not 0 <= line < len(self._lsp_lines):
            return self.clamp((line, 0))
        text = self._lsp_lines[line]
        offset = self._lsp_starts[line] + _column(text, character, self.encoding) - self.shift
        yaml_line = max(bisect.bisect_right(self._yaml_starts, offset) - 1, 0)
        return yaml_line, max(offset - self._yaml_starts[yaml_line], 0)

    # -- spans of nodes --------------------------------------------------------------------------

    def start(self, node: Any) -> Point:
        if type(node) is tuple:
            return node[1], node[2]
        return node.line - 1, node.column - 1

    def end(self, node: Any) -> Point:
        """Where a node ends: just after its last character. A collection ends where its last
        entry does (or at its closing bracket), so only the last entry of each level is read."""
        if type(node) is tuple:
            return self.scalar_end(node)
        start = self.start(node)
        opener = self.content(start)
        flow = self.char(opener) in "[{"
        last: Point | None = None
        if node.value:
            if node.kind == Node.MAPPING:
                key, value = next(reversed(node.value.values()))
                last = self.scalar_end(key)
                if self.start(value) >= self.start(key):  # not an alias, whose node lies elsewhere
                    last = max(last, self.end(value))
                else:
                    last = self.line_end(key[1]) if not flow else last
            else:
                item = node.value[-1]
                if self.start(item) >= start:
                    last = self.end(item)
                else:  # an alias, whose node lies elsewhere
                    last = self.line_end(start[0]) if not flow else (opener[0], opener[1] + 1)
        if flow:
            return self._closer(last if last is not None else (opener[0], opener[1] + 1))
        return last if last is not None else start

    def char(self, point: Point) -> str:
        text = self.line(point[0])
        return text[point[1]] if 0 <= point[1] < len(text) else ""

    def content(self, point: Point) -> Point:
        """Past an anchor (``&name``) that starts a node."""
        line, column = point
        match = _ANCHOR.match(self.line(line), column)
        return (line, match.end()) if match else point

    def _closer(self, point: Point) -> Point:
        """Just after the bracket that closes a flow collection, searching from ``point`` over
        blanks, commas, line breaks and comments."""
        line, column = point
        while line < len(self.lines):
            text = self.lines[line]
            while column < len(text):
                char = text[column]
                if char in "]}":
                    return line, column + 1
                if char == "#" and (column == 0 or text[column - 1] in " \t"):
                    break
                if char == "*":  # an alias, whose node lies elsewhere
                    match = _ALIAS.match(text, column)
                    column = match.end() if match else column + 1
                    continue
                if char not in " \t,:":
                    return point
                column += 1
            line, column = line + 1, 0
        return point

    def scalar_end(self, node: tuple[str, int, int, bool]) -> Point:
        value, line, column, plain = node
        line, column = self.content((line, column))
        text = self.line(line)
        first = text[column : column + 1]
        if plain:
            return self._plain_end(value, line, column)
        if first == '"':
            return self._quoted_end(line, column + 1, double=True)
        if first == "'":
            return self._quoted_end(line, column + 1, double=False)
        if first in ("|", ">"):
            return self._block_end(value, line, column)
        return line, min(column + len(value), len(text))

    def _plain_end(self, value: str, line: int, column: int) -> Point:
        if not value:
            return line, column
        text = self.line(line)
        if text.startswith(value, column):
            return line, column + len(value)
        # a plain scalar folded over several lines: match its pieces line by line
        rest = value
        at = column
        end: Point = self.line_end(line)
        number = line
        while number < len(self.lines):
            piece = self.lines[number][at:].rstrip()
            start = at
            if piece:
                if rest.startswith(piece):
                    rest = rest[len(piece) :].lstrip(" \n")
                    end = number, start + len(piece)
                    if not rest:
                        return end
                elif piece.startswith(rest):
                    return number, start + len(rest)
                else:
                    return end
            number += 1
            if number < len(self.lines):
                stripped = self.lines[number].lstrip(" \t")
                at = len(self.lines[number]) - len(stripped)
        return end

    def _quoted_end(self, line: int, column: int, double: bool) -> Point:
        quote = '"' if double else "'"
        while line < len(self.lines):
            text = self.lines[line]
            while column < len(text):
                char = text[column]
                if double and char == "\\":
                    column += 2
                    continue
                if char == quote:
                    if not double and text[column + 1 : column + 2] == "'":
                        column += 2
                        continue
                    return line, column + 1
                column += 1
            line, column = line + 1, 0
        return self.clamp((line, column))

    def _block_end(self, value: str, line: int, column: int) -> Point:
        header = _BLOCK_HEADER.match(self.line(line), column)
        header_end: Point = (line, header.end() if header else column + 1)
        if not value.strip("\n"):
            return header_end
        number = line + 1
        indent: int | None = None
        last = header_end
        while number < len(self.lines):
            text = self.lines[number]
            if text.strip():
                depth = len(text) - len(text.lstrip(" "))
                if indent is None:
                    indent = depth
                elif depth < indent:
                    break
                last = number, len(text.rstrip())
            number += 1
        return last


def _strip_comment(text: str) -> str:
    """A line without its comment, as far as can be told without parsing it (a ``#`` after a
    blank, outside quotes)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and (index == 0 or text[index - 1] in " \t[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index]
    return text


def _units(text: str, column: int, encoding: str) -> int:
    """Code points -> the client's units, for the first ``column`` characters of a line."""
    if encoding == "utf-32" or text.isascii():
        return column
    head = text[:column]
    if encoding == "utf-8":
        return len(head.encode("utf-8", "surrogatepass"))
    return len(head.encode("utf-16-le", "surrogatepass")) // 2


def _column(text: str, units: int, encoding: str) -> int:
    """The client's units -> code points (the inverse of :func:`_units`), clamped to the line."""
    if encoding == "utf-32" or text.isascii():
        return min(max(units, 0), len(text))
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        size = len(char.encode("utf-8", "surrogatepass")) if encoding == "utf-8" else (2 if ord(char) > 0xFFFF else 1)
        count += size
    return len(text)
