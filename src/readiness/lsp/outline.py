"""What an editor needs to know about a plan's structure, read from the loader's node tree and the
plan models' own declarations: the entities that can be referred to, the places that expect a
reference (and of which kind), the rules the waivers name, and where a new waiver goes.

Nothing here is a hand-written list of fields. A model with a ``ClassVar`` ``entity`` is an entity
kind; a field declared ``Annotated[Ref, Refers(kind)]`` (or a list of them) expects an id of that
kind; a field typed ``Ref`` without ``Refers`` (a waiver's ``target``) accepts any entity's id
(:func:`readiness.model.field_layout`). The tree is walked even when the plan does not validate,
so completion keeps working while a plan is being written.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from readiness.loader import Node
from readiness.lsp.positions import Point, Positions
from readiness.lsp.report import ANY, RULE, Range, Slot, Stub
from readiness.model import Plan, Waiver, field_layout
from readiness.types import Ref


@dataclass
class Outline:
    slots: list[Slot] = field(default_factory=list)
    ids: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind -> (id, name)
    waiver_rules: list[tuple[Range, str]] = field(default_factory=list)  # a waiver's rule as written
    stub: Stub | None = None


@functools.cache
def fields(model: type[BaseModel]) -> dict[str, tuple[str, Any]]:
    """A model's keys that lead somewhere: ``("model", M)``, ``("models", M)`` (a list of M),
    ``("ref", kind)`` (an id, or a list of ids, of that kind; ANY for any kind) and, for the
    waiver's ``rule``, ``("ref", RULE)``."""
    out: dict[str, tuple[str, Any]] = {key: (holds, kind) for _, key, holds, kind in field_layout(model)}
    plain_ref = Ref.__metadata__  # type: ignore[attr-defined]
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in out and all(any(m is r for m in info.metadata) for r in plain_ref):
            out[key] = ("ref", ANY)
    if model is Waiver:
        out["rule"] = ("ref", RULE)
    return out


def outline(root: Node, pos: Positions) -> Outline:
    """The plan's entities, reference slots and waiver rules, from its node tree."""
    out = Outline()

    def rng(start: Point, end: Point) -> Range:
        return pos.lsp(start), pos.lsp(end)

    def walk(node: Any, model: type[BaseModel]) -> None:
        if type(node) is not Node or node.kind != Node.MAPPING:
            return
        entity = getattr(model, "entity", None)
        if entity is not None:
            pair = node.value.get("id")
            if pair is not None and type(pair[1]) is tuple and pair[1][0]:
                name = node.value.get("name")
                label = name[1][0] if name is not None and type(name[1]) is tuple else ""
                out.ids.setdefault(entity, []).append((pair[1][0], label))
        layout = fields(model)
        for key, (key_node, value) in node.value.items():
            entry = layout.get(key)
            if entry is None:
                continue
            holds, target = entry
            if holds == "model":
                walk(value, target)
            elif holds == "models":
                if type(value) is Node and value.kind == Node.SEQUENCE:
                    for item in value.value:
                        walk(item, target)
            else:
                start = pos.start(key_node)
                empty = type(value) is tuple and not value[0] and value[3]
                end = pos.line_end(start[0]) if empty or pos.start(value) < start else pos.end(value)
                end = max(end, pos.scalar_end(key_node))
                line = pos.line(end[0])
                rest = line[end[1] :].lstrip(" \t")
                if not rest or rest.startswith("#"):  # nothing follows on its line: the rest of it is in the slot
                    end = end[0], len(line)
                out.slots.append((rng(start, end), target))
                if target == RULE and type(value) is tuple and value[0]:
                    out.waiver_rules.append((rng(pos.start(value), pos.end(value)), value[0]))

    walk(root, Plan)
    return out


def stub(root: Node, pos: Positions, as_of: dt.date, horizon: int | None) -> Stub | None:
    """Where a new waiver goes in this plan, and its placeholder expiry: ``as_of`` plus 30 days,
    or the rubric's ``max_waiver_days`` when shorter, so that the waiver applies and PLAN003
    stays quiet. None when the plan's ``waivers`` is something else than a list."""
    expires = (as_of + dt.timedelta(days=min(30, horizon) if horizon is not None else 30)).isoformat()
    json_style = any(not key[3] for key, _ in root.value.values())  # quoted keys: a JSON plan
    root_flow = pos.char(pos.content(pos.start(root))) == "{"
    pair = root.value.get("waivers")
    if pair is None:
        if root_flow:
            key, value = next(reversed(root.value.values()))
            at = max(pos.end(value), pos.scalar_end(key))  # after the last entry
            return Stub((pos.lsp(at), pos.lsp(at)), "section", json=json_style, inline=True, expires=expires)
        line = pos.end(root)[0]
        at = pos.lsp((line, len(pos.line(line))))
        dash = _top_level_indent(root, pos)
        return Stub((at, at), "section", dash=dash, keys=dash + "  ", expires=expires)
    key, value = pair
    if type(value) is not Node or value.kind != Node.SEQUENCE:
        return None
    start = pos.content(pos.start(value))
    if pos.char(start) == "[":
        if value.value:
            at = pos.end(value.value[-1])
            return Stub((pos.lsp(at), pos.lsp(at)), "flow", json=not key[3], expires=expires)
        end = pos.end(value)
        inside = (end[0], end[1] - 1)
        return Stub((pos.lsp(inside), pos.lsp(inside)), "flow", json=not key[3], first=True, expires=expires)
    last = value.value[-1]
    line = pos.end(last)[0]
    at = pos.lsp((line, len(pos.line(line))))
    dash = " " * start[1]
    first = value.value[0]
    keys = " " * (pos.start(first)[1] if type(first) is Node and first.kind == Node.MAPPING else start[1] + 2)
    inline = type(last) is Node and pos.char(pos.start(last)) == "{"
    return Stub((at, at), "block", dash=dash, keys=keys, inline=inline, json=json_style and inline, expires=expires)


def _top_level_indent(root: Node, pos: Positions) -> str:
    """How far this plan indents the items of a top-level list (2 when it has none to copy)."""
    unit = None
    for _, value in root.value.values():
        if type(value) is not Node or pos.char(pos.content(pos.start(value))) in "[{":
            continue
        column = pos.start(value)[1]
        if value.kind == Node.SEQUENCE:
            return " " * column
        if unit is None and column > 0:
            unit = column
    return " " * (unit if unit is not None else 2)
