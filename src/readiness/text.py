"""Text from plans, rubrics and file names, made inert wherever people or CI systems read it.

One neutraliser serves every such place: the terminal report, error lines on standard error,
GitHub annotations, Markdown and JUnit text. It writes as visible escapes

- control characters (line breaks and tabs too, unless the text may span lines), DEL, C1
  controls, bidi controls, zero-width characters, line and paragraph separators, byte-order marks
  and lone surrogates, which can move the cursor, overwrite a line, hide or reorder text, copy to
  the clipboard or make a link in a terminal;
- the openings of CI workflow commands, ``::`` (GitHub Actions) and ``##[`` / ``##vso[`` (the
  older GitHub and Azure Pipelines forms, which are obeyed anywhere in a line), which a CI log
  obeys at the start of any line: text can land at a line start wherever a report wraps, so
  every occurrence is escaped, not only a leading one, and in a run of colons every colon but
  the last.

Machine formats (JSON, SARIF) keep the data exact and use their own escaping instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# every character class that can act on a terminal or hide or reorder text (bidi marks and
# controls, the Arabic letter mark, zero-width characters); \n and \t are added below
_C0 = "\x00-\x08\x0b-\x1f"  # the C0 controls but \n and \t (JSON escapes these itself)
_WIDE = "\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff"
ACTIVE = _C0 + _WIDE
# the openings of CI workflow commands: each colon followed by another, each # that starts ## then
# [ or vso[, so that no run of them (":::", "###[") leaves a command's opening unescaped
COMMANDS = ":(?=:)|#(?=#(?:vso)?\\[)"
_MULTI_LINE = re.compile(f"[{ACTIVE}]|{COMMANDS}")
_ONE_LINE = re.compile(f"[\n\t{ACTIVE}]|{COMMANDS}")


def unicode_escape(char: str) -> str:
    """``\\u001b``: how a terminal or log shows an escaped character."""
    return f"\\u{ord(char):04x}"


def entity_escape(char: str) -> str:
    """``&#27;``: how Markdown and HTML show it (and a CI log printing the document does not obey)."""
    return f"&#{ord(char)};"


def inert(text: str, lines: bool = True, escape: Callable[[str], str] = unicode_escape) -> str:
    """``text`` made inert (see the module's description). With ``lines``, line breaks and tabs
    stay as they are (CR does not: it overwrites what came before it)."""
    pattern = _MULTI_LINE if lines else _ONE_LINE
    return pattern.sub(lambda m: escape(m.group()), text)


def one_line(text: str) -> str:
    """Text that stays on one line and cannot act on a terminal or a CI log."""
    return inert(text, lines=False)


# What JSON may carry raw but a terminal or a CI log must not: C1 controls, DEL, bidi and
# zero-width characters, line separators, and the openings of workflow commands that logs obey
# anywhere in a line (##[, ##vso[); also lone surrogates, which no UTF-8 file can hold (a file name
# that is not UTF-8). Written as JSON escapes, the data stays exact. (JSON escapes C0 controls
# itself; only inside strings can "::" or "##[" stand in JSON text.)
_JSON_UNSAFE = re.compile(f"[{_WIDE}]|{COMMANDS}")


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters that could
    act on a terminal written as ``\\uXXXX`` escapes (JSON escapes C0 controls itself)."""
    return _JSON_UNSAFE.sub(lambda m: unicode_escape(m.group()), text)
