"""Find deep flow nesting in YAML text before libyaml reads it.

The loader counts nesting on the parser's events, but libyaml's scanner reads ahead while a flow
collection could still turn out to be a mapping key: a line of densely packed ``[`` or ``{`` is
scanned whole before the first event comes out. Newer libyaml builds stop that scan with their own
error at 1,000 levels, older ones take quadratic time, and either way the loader's limit of 64
would not be the one that fires. This module finds where flow nesting alone passes the limit by
reading the text itself: quoted scalars, comments, block scalars and plain scalars are skipped as
YAML defines them, so brackets inside text are never counted. It runs only when some line holds
more openers than the limit, which no ordinary plan does, so it costs nothing on ordinary plans.

The answer is a hint, not a verdict: the loader then composes the text up to that point with its
own event-level check, which reports the error at the exact position, or, if the hint was wrong,
composes the whole text as usual.
"""

from __future__ import annotations

import re
from functools import cache

_FLOW_SPECIAL = re.compile(r"[\[\]{}\"'#,:?]")
_DOUBLE_QUOTED = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SINGLE_QUOTED = re.compile(r"'[^']*(?:''[^']*)*'")
_KEY_OR_COMMENT = re.compile(r":(?=[ \t\r\n]|\Z)| #|\t#")
_WHITESPACE = " \t\r\n"


_ALL_BUT_OPENERS = bytes(b for b in range(256) if b not in b"[{\n")


@cache
def _run(limit: int) -> re.Pattern[bytes]:
    return re.compile(rb"[^\n]{%d}" % (limit + 1))


def dense(text: str, limit: int) -> bool:
    """Whether some line holds more than ``limit`` flow openers. Every other byte is dropped in C
    first, so this costs about a millisecond per MiB (a search over the text itself took 20)."""
    openers = text.encode("utf-8", "surrogatepass").translate(None, _ALL_BUT_OPENERS)
    return _run(limit).search(openers) is not None


def deep_flow(text: str, limit: int) -> int | None:
    """The offset of the flow opener at which flow nesting alone exceeds ``limit``, or None."""
    if not dense(text, limit):
        return None
    return _Scan(text, limit).run()


class _Scan:
    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.skip_above = -1  # lines indented more than this continue a block or plain scalar

    def run(self) -> int | None:
        text = self.text
        pos = 0
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            indent = len(line) - len(line.lstrip(" "))
            if self.skip_above >= 0:
                if not line.strip() or indent > self.skip_above:
                    pos = end + 1
                    continue
                self.skip_above = -1
            if line.startswith(("%", "...")):
                pos = end + 1
                continue
            start = pos + indent
            if line.startswith("---") and (len(line) == 3 or line[3] in _WHITESPACE):
                start = pos + 3
            found, pos = self.node(start, indent - 1)
            if found is not None:
                return found
        return None

    def line_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def node(self, pos: int, parent: int) -> tuple[int | None, int]:
        """Read a block node starting at ``pos`` (its parent's column is ``parent``); returns the
        offset of an opener past the limit, or None and the position of the next line."""
        text = self.text
        while True:
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos >= len(text) or text[pos] in "\r\n":
                return None, pos + 1
            char = text[pos]
            column = pos - (text.rfind("\n", 0, pos) + 1)
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            if char in "&!":  # an anchor or tag before the node
                while pos < len(text) and text[pos] not in _WHITESPACE:
                    pos += 1
                continue
            if char in "-?" and after in _WHITESPACE:  # a sequence entry or a complex key
                pos, parent = pos + 1, column
                continue
            if char in "[{":
                found, pos = self.flow(pos)
                if found is not None or pos < 0:
                    return found, len(text)
                return self.after_value(pos, column)
            if char in "\"'":
                match = (_DOUBLE_QUOTED if char == '"' else _SINGLE_QUOTED).match(text, pos)
                if match is None:
                    return None, len(text)
                return self.after_value(match.end(), column)
            if char in "|>":
                self.skip_above = parent
                return None, self.line_end(pos) + 1
            if char == "#":
                return None, self.line_end(pos) + 1
            end = self.line_end(pos)
            mark = _KEY_OR_COMMENT.search(text, pos, end)
            if mark is not None and mark.group() == ":":
                pos, parent = mark.end(), column
                continue
            if mark is None:  # a plain scalar to the end of the line may continue below it
                self.skip_above = parent
            return None, end + 1

    def after_value(self, pos: int, column: int) -> tuple[int | None, int]:
        """After a flow collection or quoted scalar: it may be a key (``: value``) or end the line."""
        text = self.text
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] == ":" and (pos + 1 == len(text) or text[pos + 1] in _WHITESPACE):
            return self.node(pos + 1, column)
        return None, self.line_end(pos) + 1

    def flow(self, pos: int) -> tuple[int | None, int]:
        """Read a flow collection opening at ``pos``; returns the offset of an opener past the
        limit, or None and the position after the collection (-1 if it never closes)."""
        text = self.text
        depth = 0
        expect = True  # at the start of a node, where a quote opens a quoted scalar
        last = pos
        while True:
            match = _FLOW_SPECIAL.search(text, last)
            if match is None:
                return None, -1
            at = match.start()
            if text[last:at].strip(_WHITESPACE):
                expect = False  # plain characters in between
            char = match.group()
            last = at + 1
            if char in "[{":
                depth += 1
                if depth > self.limit:
                    return at, -1
                expect = True
            elif char in "]}":
                depth -= 1
                expect = False
                if depth == 0:
                    return None, last
            elif char == ",":
                expect = True
            elif char in ":?":  # a value or an explicit key, when followed by a blank
                expect = last >= len(text) or text[last] in _WHITESPACE + ",[]{}"
            elif char == "#":
                if at == 0 or text[at - 1] in _WHITESPACE:
                    last = self.line_end(at)
                else:
                    expect = False
            elif expect:
                quoted = (_DOUBLE_QUOTED if char == '"' else _SINGLE_QUOTED).match(text, at)
                if quoted is None:
                    return None, -1
                last = quoted.end()
                expect = False
            else:
                expect = False
