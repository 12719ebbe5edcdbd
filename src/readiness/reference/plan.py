"""docs/plan-format.md: the plan format for people, generated from the models' own declarations
(field types, descriptions, defaults, references and enumerations) and the limits, so that it
cannot drift from what the tool accepts. ``python -m pytest --update-goldens`` writes the file."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from readiness import limits
from readiness.model import Plan, field_layout, tidy_schema
from readiness.types import kind_words

INTRO = """\
# Plan format, version 1

Generated from the plan models (`python -m pytest --update-goldens` rewrites it); do not edit by
hand. `readiness schema` prints the same format as a JSON Schema for editors, and
`examples/northwind.yaml` is a complete plan. `docs/decisions.md` records where readiness
refines the specification.

A plan is one YAML document whose top level is a mapping. It states facts and intentions about a
rollout: dates, divisions, people, commitments, communications, training, support, legacy
systems, vendors, metrics and customers. It holds no checker settings: thresholds, severities
and which rules run belong to a rubric.

## Conventions

- **Absent, null, empty.** A key left out means "not said": a rule that needs it reports
  `unknown`. `null`, `[]`, `""` or `false` state that the thing does not exist or is not the
  case: a rule that requires it fails. A field with a stated default (below) never causes
  `unknown`.
- **Ids and references.** Every entity that others refer to has an `id` of letters, digits, `_`,
  `.` and `-` (at most 64 characters, starting with a letter or digit); `all` is reserved. All
  ids share one namespace. A reference names an entity of one kind (a person id, a division id,
  ...) and must resolve to one. Where a field takes `all` or a list of division ids, `all` means
  every division.
- **Dates** are `YYYY-MM-DD`, from {date_min} to {date_max}; a range includes both ends and may
  not be reversed.
- **Numbers** are decimal literals (`12`, `0.8`, `1e3`), read exactly; an integer field takes no
  fraction. `*_pct` fields run from 0 to 100, `*_days` fields from 1 to {max_days}.
- **Booleans** are `true` and `false` (`yes`, `no`, `on` and `off` are text). Anchors and aliases
  are allowed; explicit tags and duplicate keys are not. Keys starting with `x-` are kept for
  custom rubric rules and ignored by built-in rules.
- **Errors come in two rounds.** The first round checks the file's structure: YAML, known keys,
  required fields, types and enumerations. Only a plan that passes it gets the second round:
  duplicate ids, references, reversed ranges, fields that exclude each other, go-live dates and
  waivers. Every error of the round that fails is listed; a plan with a structural error lists
  no errors of the second round until the first round's are fixed.

## Limits

| Limit | Bound |
|---|---|
| file size | {max_bytes} bytes by default (`--max-bytes` changes it) |
| nesting depth | {max_depth} levels, in the file and after alias expansion |
| YAML events | {max_events} |
| nodes, counted after alias expansion | {max_nodes} |
| an integer in an `x-` value | {max_int_digits} digits, decimal, octal or hexadecimal |
"""


def _type(schema: dict[str, Any], refers: str | None, names: dict[str, str]) -> str:
    """A field's type in words, from its JSON Schema."""
    if "anyOf" in schema:
        members = [m for m in schema["anyOf"] if m != {"type": "null"}]
        text = " or ".join(_type(m, refers, names) for m in members)
        return text + (" or null" if len(members) < len(schema["anyOf"]) else "")
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"mapping ([{names.get(name, name)}](#{names.get(name, name).strip('`').replace('.', '').replace('[', '').replace(']', '').lower()}))"
    if "const" in schema:
        return f"`{schema['const']}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        item = _type(schema.get("items", {}), refers, names)
        if item.startswith("mapping"):
            return "list of mappings" + item.removeprefix("mapping")
        if item.endswith(" id"):
            return f"list of {item}s"
        return "list, each " + item if item.startswith("one of") else "list of " + item
    if kind == "string":
        if refers is not None:
            return f"{kind_words(refers)} id"
        if schema.get("format") == "date":
            return "date"
        if "pattern" in schema and "0,63" in schema["pattern"]:
            return "id"
        return "text"
    if kind in ("integer", "number"):
        word = "integer" if kind == "integer" else "number"
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"{word} {low:,} to {high:,}"
        if low is not None:
            return f"{word} ≥ {low}"
        return word
    if kind == "boolean":
        return "true or false"
    return "any YAML"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _models() -> list[tuple[str, type[BaseModel]]]:
    """Every model of the plan with the path under which it appears, in the order of the file."""
    found: list[tuple[str, type[BaseModel]]] = []
    seen: set[type[BaseModel]] = set()

    def visit(path: str, model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        found.append((path, model))
        for _, key, holds, inner in field_layout(model):
            if holds == "model":
                visit(f"{path}.{key}" if path else key, inner)
            elif holds == "models":
                visit(f"{path}.{key}[]" if path else f"{key}[]", inner)

    visit("", Plan)
    return found


def render() -> str:
    """The whole of docs/plan-format.md."""
    schema = tidy_schema(Plan.model_json_schema(mode="validation"))
    definitions = schema.get("$defs", {})
    models = _models()
    names = {model.__name__: f"`{path}`" for path, model in models if path}
    out = [
        INTRO.format(
            date_min=limits.DATE_MIN.isoformat(),
            date_max=limits.DATE_MAX.isoformat(),
            max_days=f"{limits.MAX_DAYS:,}",
            max_bytes=f"{limits.MAX_BYTES:,}",
            max_depth=limits.MAX_DEPTH,
            max_events=f"{limits.MAX_EVENTS:,}",
            max_nodes=f"{limits.MAX_NODES:,}",
            max_int_digits=f"{limits.MAX_INT_DIGITS:,}",
        )
    ]
    for path, model in models:
        own = schema if model is Plan else definitions[model.__name__]
        refers = {key: kind for _, key, holds, kind in field_layout(model) if holds == "ref"}
        required = set(own.get("required", []))
        title = "The plan (top level)" if model is Plan else f"`{path}`"
        out += ["", f"## {title}", ""]
        description = (model.__doc__ or "").strip().split("\n\n")[0]
        if description and ":mod:" not in description:
            out += [" ".join(description.split()), ""]
        entity = getattr(model, "entity", None)
        if entity is not None:
            out += [f"Each entry is a **{entity}**, which other fields refer to by its `id`.", ""]
        out += ["| Key | Type | Required | Meaning |", "|---|---|---|---|"]
        for key, field in own.get("properties", {}).items():
            kind = _type(field, refers.get(key), names)
            needed = (
                "yes"
                if key in required
                else "no" + (f", default `{_shown(field['default'])}`" if "default" in field else "")
            )
            out.append(f"| `{key}` | {_cell(kind)} | {needed} | {_cell(field.get('description', ''))} |")
    return "\n".join(out).rstrip("\n") + "\n"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
