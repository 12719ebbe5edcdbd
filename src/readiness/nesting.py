"""Find deep flow nesting in YAML text before libyaml reads it.

The loader counts nesting on the parser's events, but libyaml's scanner reads ahead while a flow
collection could still turn out to be a mapping key: a line of densely packed ``[`` or ``{`` is
scanned whole before the first event comes out. Newer libyaml builds stop that scan with their own
error at 1,000 levels, older ones take quadratic time, and either way the loader's limit of 64
would not be the one that fires. This module finds where flow nesting alone passes the limit by
reading the text itself: quoted scalars, comments, block scalars and plain scalars are skipped as
YAML defines them, so brackets inside text are never counted. It runs only when some line holds
more openers than the limit, which no ordinary plan does, so it costs nothing on ordinary plans.

Lines end where YAML 1.1 (libyaml's YAML) ends them: at a line feed, a carriage return, CR LF, or
U+0085, U+2028 or U+2029 (:func:`line_column` counts them the same way). The scan only moves
forward, and finds each line's start and end once, so it takes time linear in the text however the
text is packed.

The answer is a hint, not a verdict: the loader then composes the text up to that point with its
own event-level check, which reports the error at the exact position, or, if the hint was wrong,
composes the whole text as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

BREAKS = "\r\n\x85\u2028\u2029"  # the characters that end a line in YAML 1.1
BREAK = re.compile("\r\n?|[\n\x85\u2028\u2029]")  # a line break of YAML 1.1, CRLF as one
_WHITESPACE = " \t" + BREAKS
_FLOW_SPECIAL = re.compile(r"[\[\]{}\"'#,:?]")
_DOUBLE_QUOTED = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SINGLE_QUOTED = re.compile(r"'[^']*(?:''[^']*)*'")
_KEY_OR_COMMENT = re.compile(":(?=[ \t" + BREAKS + r"]|\Z)| #|\t#")
# blanks, anchors, aliases and tags: what may come before a node without starting a plain scalar
# (possessive: no backtracking, so a long run of them costs linear time)
_PROPERTIES = re.compile(r"(?:[ \t" + BREAKS + r"]++|[&*][0-9A-Za-z_-]*+|![^ \t" + BREAKS + r",\[\]{}]*+)*+\Z")


_ALL_BUT_OPENERS = bytes(b for b in range(256) if b not in b"[{\n")


@cache
def _run(limit: int) -> re.Pattern[bytes]:
    return re.compile(rb"[^\n]{%d}" % (limit + 1))


def dense(text: str, limit: int) -> bool:
    """Whether some line holds more than ``limit`` flow openers. Every other byte is dropped in C
    first, so this costs about a millisecond per MiB (a search over the text itself took 20).
    Only line feeds end a line here: a line that YAML ends earlier, at another break, is counted
    with the next one, so this never misses a dense line."""
    openers = text.encode("utf-8", "surrogatepass").translate(None, _ALL_BUT_OPENERS)
    return _run(limit).search(openers) is not None


def deep_flow(text: str, limit: int) -> int | None:
    """The offset of the flow opener at which flow nesting alone exceeds ``limit``, or None."""
    if not dense(text, limit):
        return None
    return _Scan(text, limit).run()


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``, with lines ended as YAML ends them."""
    line, start = 1, 0
    for match in BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as YAML counts them, without their breaks, one at a time."""
    start = 0
    for match in BREAK.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


class _Scan:
    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.skip_above = -1  # lines indented more than this continue a block or plain scalar
        self.line_start = 0  # the start of the line holding ``self.counted``
        self.counted = 0  # the breaks before this offset are known
        self.end_from = self.end_at = self.end_after = -1  # the last line end found, and from where

    def column(self, pos: int) -> int:
        """The 0-based column of ``pos``. Positions only grow as the scan goes on, so each break
        is found once."""
        if pos < self.counted:  # pragma: no cover - the scan never goes back
            self.line_start = self.counted = 0
        text = self.text
        while (found := BREAK.search(text, self.counted, pos)) is not None:
            self.line_start = self.counted = found.end()
        self.counted = pos
        return pos - self.line_start

    def line_end(self, pos: int) -> tuple[int, int]:
        """Where the line holding ``pos`` ends, and where the next line starts."""
        if self.end_from <= pos <= self.end_at:
            return self.end_at, self.end_after
        found = BREAK.search(self.text, pos)
        self.end_from = pos
        if found is None:
            self.end_at = self.end_after = len(self.text)
        else:
            self.end_at, self.end_after = found.start(), found.end()
        return self.end_at, self.end_after

    def run(self) -> int | None:
        text = self.text
        pos = 0
        while pos < len(text):
            end, after = self.line_end(pos)
            line = text[pos:end]
            indent = len(line) - len(line.lstrip(" "))
            if self.skip_above >= 0:
                if not line.strip() or indent > self.skip_above:
                    pos = after
                    continue
                self.skip_above = -1
            if line.startswith(("%", "...")):
                pos = after
                continue
            start = pos + indent
            if line.startswith("---") and (len(line) == 3 or line[3] in _WHITESPACE):
                start = pos + 3
            found, pos = self.node(start, indent - 1)
            if found is not None:
                return found
        return None

    def node(self, pos: int, parent: int) -> tuple[int | None, int]:
        """Read the block nodes of one line from ``pos`` (the parent's column is ``parent``);
        returns the offset of an opener past the limit, or None and the position of the next
        line. A key's value on the same line is read by the same loop, not by a call, so a line
        of a hundred thousand keys needs no deeper stack than a line of one."""
        text = self.text
        while True:
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos >= len(text):
                return None, pos
            char = text[pos]
            if char in BREAKS:
                return None, self.line_end(pos)[1]
            column = self.column(pos)
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            if char in "&!":  # an anchor or tag before the node
                while pos < len(text) and text[pos] not in _WHITESPACE:
                    pos += 1
                continue
            if char in "-?" and after in _WHITESPACE:  # a sequence entry or a complex key
                pos, parent = pos + 1, column
                continue
            if char in "[{\"'":
                if char in "[{":
                    found, pos = self.flow(pos)
                    if found is not None or pos < 0:
                        return found, len(text)
                else:
                    match = (_DOUBLE_QUOTED if char == '"' else _SINGLE_QUOTED).match(text, pos)
                    if match is None:
                        return None, len(text)
                    pos = match.end()
                # a flow collection or a quoted scalar: a key if ': ' follows, else the line's end
                while pos < len(text) and text[pos] in " \t":
                    pos += 1
                if pos < len(text) and text[pos] == ":" and (pos + 1 == len(text) or text[pos + 1] in _WHITESPACE):
                    pos, parent = pos + 1, column
                    continue
                return None, self.line_end(pos)[1]
            if char in "|>":
                self.skip_above = parent
                return None, self.line_end(pos)[1]
            if char == "#":
                return None, self.line_end(pos)[1]
            end, next_line = self.line_end(pos)
            mark = _KEY_OR_COMMENT.search(text, pos, end)
            if mark is not None and mark.group() == ":":
                pos, parent = mark.end(), column
                continue
            if mark is None:  # a plain scalar to the end of the line may continue below it
                self.skip_above = parent
            return None, next_line

    def flow(self, pos: int) -> tuple[int | None, int]:
        """Read a flow collection opening at ``pos``; returns the offset of an opener past the
        limit, or None and the position after the collection (-1 if it never closes).

        Inside a plain scalar a quote, a ``#`` after a non-blank and a ``:`` before a non-blank are
        text; at the start of a token (after an indicator, a quoted scalar, a collection, or only
        anchors, tags and blanks) a quote opens a quoted scalar, ``#`` a comment, and ``:`` is a
        value indicator wherever it stands, as in ``{"key":"value"}``."""
        text = self.text
        depth = 0
        plain = False  # inside a plain scalar
        last = pos
        while True:
            match = _FLOW_SPECIAL.search(text, last)
            if match is None:
                return None, -1
            at = match.start()
            if not plain and at > last and _PROPERTIES.match(text, last, at) is None:
                plain = True  # plain characters in between
            char = match.group()
            last = at + 1
            if char in "[{":
                depth += 1
                if depth > self.limit:
                    return at, -1
                plain = False
            elif char in "]}":
                depth -= 1
                plain = False
                if depth == 0:
                    return None, last
            elif char == ",":
                plain = False
            elif char == ":":
                if plain and (last >= len(text) or text[last] in _WHITESPACE + ",[]{}"):
                    plain = False  # it ends the plain scalar before it: a value indicator
            elif char == "#":
                if not plain or text[at - 1] in _WHITESPACE:
                    last = self.line_end(at)[0]
                    plain = False
            elif char in "\"'" and not plain:
                quoted = (_DOUBLE_QUOTED if char == '"' else _SINGLE_QUOTED).match(text, at)
                if quoted is None:
                    return None, -1
                last = quoted.end()
            # "?" and the characters of a plain scalar change nothing
