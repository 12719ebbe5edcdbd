"""The rule catalogue as people read it: ``readiness rules``, ``readiness explain``,
``readiness rubrics`` and the generated ``docs/rules.md``.

Every text here comes from the rule metadata and the example files under
``readiness/rules/examples/``, the same examples the test suite runs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from readiness.errors import UsageError
from readiness.project import BUILT_IN_RUBRICS
from readiness.render import strip_trailing
from readiness.rules import registry, rule_names
from readiness.rules.base import RuleSpec
from readiness.rules.context import DEFAULT_OWNER, OWNERS
from readiness.text import inert, one_line
from readiness.wording import num


@cache
def examples(rule_id: str) -> dict[str, Any]:
    """The example file of one rule: ``{"rule": ID, "cases": [{"expect", "why", "plan"}, ...]}``."""
    text = resources.files("readiness").joinpath("rules", "examples", f"{rule_id}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else {"cases": []}


def example_pair(rule_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The first failing and the first passing case of a rule's examples."""
    cases = examples(rule_id).get("cases", [])
    failing = next((c for c in cases if "fail" in c.get("expect", {}).values()), None)
    passing = next((c for c in cases if set(c.get("expect", {}).values()) <= {"pass"}), None)
    return failing, passing


def find(name: str, rubric: Any = None) -> RuleSpec:
    names = dict(rubric.names) if rubric is not None else rule_names()
    rule_id = names.get(name) or names.get(name.upper())
    if rule_id is None:
        import difflib

        close = difflib.get_close_matches(name, list(names), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else "; `readiness rules` lists them"
        raise UsageError(f"unknown rule '{name}'{hint}")
    return rubric.rules[rule_id].spec if rubric is not None else registry()[rule_id]


def _shown(value: Any) -> str:
    if isinstance(value, (list, bool)):
        return json.dumps(value)
    if isinstance(value, (int, Decimal)):
        return num(value)
    return str(value)


def option_rows(spec: RuleSpec, options: Any = None) -> list[tuple[str, str, str, str]]:
    """(name, value, basis, description) for each option of a rule: its default, or the value
    in ``options`` (a rubric's) marked when it differs."""
    rows = []
    for name, field in spec.options.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        shown = _shown(field.default)
        if options is not None and getattr(options, name) != field.default:
            shown = f"{_shown(getattr(options, name))} (default {shown})"
        rows.append((name, shown, str(extra.get("basis", "")), field.description or ""))
    return rows


def owner_words(spec: RuleSpec) -> str:
    """Who acts on a rule's findings, in words: its kinds of owner in the order they are tried."""
    words = "; else ".join(OWNERS[kind].words for kind in spec.owner or DEFAULT_OWNER)
    return words[:1].upper() + words[1:] + "."


def _indent(text: str, prefix: str = "    ") -> str:
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(keepends=True))


def render_explain(name: str, rubric: Any = None, width: int = 100) -> str:
    """One rule's page, its prose wrapped to ``width`` columns (the terminal's, as for ``check``);
    under a rubric, also its effective severity and options, and custom rules. A rubric's own
    text (its name, a custom rule's words) is made inert for the terminal."""
    return inert(_explain(name, rubric, _prose(width)))


def _prose(width: int) -> int:
    """How wide wrapped prose is on a page ``width`` columns wide (96 of the 100 off a terminal)."""
    return max(36, width - 4)


def _explain(name: str, rubric: Any, width: int) -> str:
    spec = find(name, rubric)
    config = rubric.rules[spec.id] if rubric is not None else None
    head = f"category {spec.category} · default severity {spec.severity}"
    if config is not None:
        head += f" · under rubric {rubric.name}: {config.severity}" + ("" if rubric.runs(spec.id) else ", disabled")
    if spec.seeds:
        head += f" · seeds {', '.join(spec.seeds)}"
    lines = [_wrap(f"{spec.id} {spec.slug}: {spec.title}", "  ", width, ""), _wrap(head, "  ", width, ""), ""]
    if spec.custom is not None:
        return _explain_custom(spec, lines, width)
    lines += ["Why it matters", _wrap(spec.rationale, width=width), "", "Sources"]
    lines += [_wrap(s, "    ", width, first="  - ") for s in spec.sources]
    lines += ["", "How to fix it", _wrap(spec.remediation, width=width), ""]
    lines += ["Who acts on a finding", _wrap(owner_words(spec), width=width), ""]
    lines += ["What to ask when the plan does not say", _wrap(spec.question, width=width), ""]
    rows = option_rows(spec, config.options if config is not None else None)
    if rows:
        lines.append(
            _wrap(
                "Options (set per rule in a rubric; heuristic defaults are configurable judgement calls, "
                "not research findings)",
                "  ",
                width,
                "",
            )
        )
        for opt, value, basis, text in rows:
            lines.append(f"  {opt} = {value}  ({basis})")
            if text:
                lines.append(_wrap(text, "      ", width))
        lines.append("")
    failing, passing = example_pair(spec.id)
    for label, case in (("Fails", failing), ("Passes", passing)):
        if case is not None:
            lines.append(_wrap(f"{label}: {case.get('why', '')}", "  ", width, ""))
            lines.append(_indent(case["plan"].rstrip("\n")))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _explain_custom(spec: RuleSpec, lines: list[str], width: int) -> str:
    rule = spec.custom
    lines.append(f"A custom rule of rubric file {rule.source}.")
    if rule.rationale:
        lines += ["", "Why it matters", _wrap(rule.rationale, width=width)]
    lines += ["", "Checks", f"  for each: {rule.for_each}" if rule.for_each else "  the plan as a whole"]
    for condition in rule.conditions:
        operand = condition.operand
        shown = json.dumps(operand) if not isinstance(operand, str) else operand
        lines.append(f"  require {condition.path} {condition.operator} {shown}")
    lines += ["", "How to fix it", _wrap(spec.remediation, width=width), ""]
    lines += ["Who acts on a finding", _wrap(owner_words(spec), width=width), ""]
    if spec.question:
        lines += ["What to ask when the plan does not say", _wrap(spec.question, width=width), ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """A rubric's text in a Markdown table cell: inert, and unable to open a cell or a link."""
    from readiness.render.markdown import cell

    return str(cell(text))


def _wrap(text: str, prefix: str = "  ", width: int = 96, first: str | None = None) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=prefix if first is None else first, subsequent_indent=prefix)


def render_list(fmt: str, color: bool = False, rubric: Any = None, width: int = 120) -> str:
    """Every rule; with a rubric, also its custom rules, and each rule's effective severity. The
    table for the terminal is ``width`` columns wide: titles wrap, the other columns never do."""
    specs = list(registry().values()) if rubric is None else [c.spec for c in rubric.rules.values()]

    def severity(s: RuleSpec) -> str:
        return s.severity if rubric is None else str(rubric.rules[s.id].severity)

    def enabled(s: RuleSpec) -> bool:
        return rubric is None or bool(rubric.runs(s.id))

    if fmt == "json":
        entries = []
        for s in specs:
            entry: dict[str, Any] = {
                "id": s.id,
                "slug": s.slug,
                "category": s.category,
                "severity": s.severity,
                "title": s.title,
            }
            if rubric is not None:
                entry.update(effective_severity=severity(s), enabled=enabled(s), custom=s.custom is not None)
            entries.append(entry)
        return json.dumps(entries, indent=2) + "\n"
    if fmt == "markdown":
        if rubric is None:
            rows = ["| ID | Slug | Category | Default severity | Title |", "|---|---|---|---|---|"]
            rows += [f"| {s.id} | `{s.slug}` | {s.category} | {s.severity} | {s.title} |" for s in specs]
        else:
            rows = [
                f"| ID | Slug | Category | Severity ({rubric.name}) | Enabled | Title |",
                "|---|---|---|---|---|---|",
            ]
            rows[0] = rows[0].replace(rubric.name, _cell(rubric.name))
            rows += [
                f"| {s.id} | `{s.slug}` | {s.category} | {severity(s)} | {'yes' if enabled(s) else 'no'} | "
                f"{_cell(s.title) if s.custom is not None else s.title} |"
                for s in specs
            ]
        return "\n".join(rows) + "\n"
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("ID", "slug", "category", "severity", "title"):
        table.add_column(column, no_wrap=column != "title")
    for s in specs:
        shown = severity(s) if enabled(s) else f"{severity(s)} (off)"
        table.add_row(s.id, s.slug, s.category, shown, one_line(s.title))
    buffer = StringIO()
    Console(file=buffer, force_terminal=color, no_color=not color, width=width, markup=False).print(table)
    return strip_trailing(buffer.getvalue())


def render_rubrics() -> str:
    from readiness.rubric import load_rubric

    lines = []
    for name in BUILT_IN_RUBRICS:
        rubric = load_rubric(name)
        lines.append(
            f"{name}: pass_score {rubric.pass_score}, fail_on {rubric.fail_on}, "
            f"unknown_credit {rubric.unknown_credit}, waivers {rubric.waivers}"
            + (f", max_waiver_days {rubric.max_waiver_days}" if rubric.max_waiver_days else "")
        )
        lines.append(_wrap(rubric.description))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_docs() -> str:
    """docs/rules.md: the whole catalogue, generated from the metadata and examples."""
    out = [
        "# Rule reference",
        "",
        "Generated from the rule metadata (`python -m pytest --update-goldens` rewrites it); do not edit by hand.",
        "Option defaults marked *heuristic* are configurable judgement calls, not research findings.",
        "",
        render_list("markdown"),
    ]
    for spec in registry().values():
        out += [
            f"## {spec.id} `{spec.slug}`",
            "",
            f"**{spec.title}.** Category {spec.category}, default severity "
            f"**{spec.severity}**" + (f", seeds {', '.join(spec.seeds)}" if spec.seeds else "") + ".",
            "",
            spec.rationale,
            "",
            "Sources:",
            "",
        ]
        out += [f"- {s}" for s in spec.sources]
        out += ["", f"**How to fix it.** {spec.remediation}", ""]
        out += [f"**Who acts on a finding.** {owner_words(spec)}", ""]
        out += [f"**What to ask when the plan does not say.** {spec.question}", ""]
        rows = option_rows(spec)
        if rows:
            out += ["| Option | Default | Basis | Meaning |", "|---|---|---|---|"]
            out += [f"| `{n}` | `{d}` | {b} | {t} |" for n, d, b, t in rows]
            out.append("")
        failing, passing = example_pair(spec.id)
        for label, case in (("Fails", failing), ("Passes", passing)):
            if case is not None:
                out += [f"{label}: {case.get('why', '')}", "", "```yaml", case["plan"].rstrip("\n"), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _merge(base: Any, fragment: Any) -> Any:
    if isinstance(base, dict) and isinstance(fragment, dict):
        merged = dict(base)
        for key, value in fragment.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    return fragment


def case_plan_text(case: dict[str, Any]) -> str:
    """A full plan: the example base with the case's fragment merged on top, as YAML text."""
    from readiness.loader import load_text

    base = resources.files("readiness").joinpath("rules", "examples", "_base.yaml").read_text(encoding="utf-8")
    data = _merge(load_text("_base.yaml", base).data, load_text("fragment", case["plan"]).data)
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def rubric_line(path: str, rubric: Any) -> str:
    """``readiness rubrics FILE``'s line for a valid rubric file."""
    custom = sum(1 for config in rubric.rules.values() if config.spec.custom is not None)
    noun = "custom rule" if custom == 1 else "custom rules"
    return f"{one_line(path)}: valid rubric '{one_line(rubric.name)}' ({custom} {noun})\n"
