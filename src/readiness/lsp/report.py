"""What the language server knows about one version of one document, as plain data: made by the
checking process (:mod:`readiness.lsp.analysis`), sent to the server, which answers the editor
from it (:mod:`readiness.lsp.server`). Nothing here imports the checking core, so the server
process starts without it.

Every range is already in the editor's terms: LSP lines, and characters in the position encoding
the client and the server agreed on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Range = tuple[tuple[int, int], tuple[int, int]]  # LSP start and end (line, character)

ANY = "*"  # a slot for an id of any entity kind
RULE = "rule"  # a slot for a rule's ID or slug (a waiver's rule), not an entity id


#: A place that expects an id: the range from the start of its key to the end of its value (or
#: of the key's line when the value is empty), and the kind of id (an entity kind, ANY or RULE).
#: A plain tuple: a large plan has tens of thousands, sent from the checking process each time.
Slot = tuple[Range, str]


@dataclass(frozen=True)
class Stub:
    """Where and how a new waiver is written, in the style of the file: appended to the block or
    flow list ``waivers``, or as a new ``waivers`` section at the end of the plan."""

    at: Range  # replaced by the new text (an empty range: inserted)
    mode: str  # "block" (a block list item), "flow" (a flow list item), "section" (a new section)
    dash: str = ""  # before "- " of a block item
    keys: str = ""  # before each key of a block item after the first
    inline: bool = False  # write a block item as a flow mapping on one line, like the others
    json: bool = False  # keys and values in double quotes, as in a JSON plan
    first: bool = False  # the first item of an empty flow list (no comma before it)
    expires: str = ""  # the placeholder expiry: within the rubric's horizon, so the waiver applies

    REASON = "TODO say why this risk is accepted until then"
    OWNER = "TODO name who answers for this risk"

    def text(self, rule: str, target: str | None) -> str:
        pairs = [("rule", rule), *([("target", target)] if target is not None else [])]
        pairs += [("reason", self.REASON), ("owner", self.OWNER), ("expires", self.expires)]
        if self.json:
            flow = "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"
        else:
            flow = "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
        if self.mode == "flow":
            return flow if self.first else f", {flow}"
        if self.mode == "section" and self.json:
            return f', "waivers": [{flow}]'
        if self.mode == "section" and self.inline:
            return f", waivers: [{flow}]"
        if self.inline:
            item = f"{self.dash}- {flow}"
        else:
            lines = [f"{k}: {v}" for k, v in pairs]
            item = f"{self.dash}- {lines[0]}" + "".join(f"\n{self.keys}{line}" for line in lines[1:])
        return ("\n\nwaivers:" if self.mode == "section" else "") + "\n" + item


@dataclass(frozen=True, slots=True)
class Diagnostic:
    range: Range
    severity: str  # error, warning, info or hint
    message: str
    rule: str | None = None  # the rule ID, for a finding
    href: str | None = None  # the rule's documentation
    status: str = "invalid"  # invalid (the plan), setup (the options), fail, unknown or waived
    target: str | None = None  # the finding's target id
    waiver: str | None = None  # what a waiver written for this finding names: the target, or "" for every finding


@dataclass(frozen=True, slots=True)
class RuleText:
    """What hovering over a rule shows."""

    id: str
    slug: str
    title: str
    rationale: str
    remediation: str
    question: str | None
    severity: str
    custom: bool  # a rubric's own rule: its words come from a rubric file


@dataclass
class Report:
    """What the editor is told about one version of one document."""

    version: int | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rules: dict[str, RuleText] = field(default_factory=dict)  # the rules named by findings and waivers
    names: dict[str, str] = field(default_factory=dict)  # every rule ID and slug -> its ID
    titles: dict[str, str] = field(default_factory=dict)  # every rule ID that a waiver can name -> its title
    slots: list[Slot] = field(default_factory=list)
    ids: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    waiver_rules: list[tuple[Range, str]] = field(default_factory=list)
    stub: Stub | None = None
    parsed: bool = False  # the text was read as YAML: slots and ids describe this version


def slot_at(slots: list[Slot], line: int, character: int) -> Slot | None:
    """The innermost slot whose range holds the position (its end included)."""
    best: Slot | None = None
    for slot in slots:
        (start, end), _ = slot
        if start <= (line, character) <= end and (best is None or start >= best[0][0]):
            best = slot
    return best


def containing(items: list[tuple[Range, Any]], line: int, character: int) -> list[Any]:
    """The items whose range holds the position (its end included), innermost first: the latest
    start, then the earliest end."""
    hits = [(rng, item) for rng, item in items if rng[0] <= (line, character) <= rng[1]]
    hits.sort(key=lambda hit: ((-hit[0][0][0], -hit[0][0][1]), hit[0][1]))
    return [item for _, item in hits]
