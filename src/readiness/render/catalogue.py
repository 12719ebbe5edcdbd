"""The rule catalogue as people read it: ``readiness rules``, ``readiness explain``,
``readiness rubrics`` and the generated ``docs/rules.md``.

Every text here comes from the rule metadata and the example files under
``readiness/rules/examples/``, the same examples the test suite runs.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

from readiness.errors import UsageError
from readiness.rules import RuleSpec, registry, rule_names


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


def find(name: str) -> RuleSpec:
    names = rule_names()
    rule_id = names.get(name) or names.get(name.upper())
    if rule_id is None:
        import difflib

        close = difflib.get_close_matches(name, list(names), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else "; `readiness rules` lists them"
        raise UsageError(f"unknown rule '{name}'{hint}")
    return registry()[rule_id]


def option_rows(spec: RuleSpec) -> list[tuple[str, str, str, str]]:
    """(name, default, basis, description) for each option of a rule."""
    rows = []
    for name, field in spec.options.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        default = field.default
        shown = json.dumps(default) if isinstance(default, (list, bool)) else str(default)
        rows.append((name, shown, str(extra.get("basis", "")), field.description or ""))
    return rows


def _indent(text: str, prefix: str = "    ") -> str:
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(keepends=True))


def render_explain(name: str) -> str:
    spec = find(name)
    lines = [
        f"{spec.id} {spec.slug}: {spec.title}",
        f"category {spec.category} · default severity {spec.severity}"
        + (f" · seeds {', '.join(spec.seeds)}" if spec.seeds else ""),
        "",
    ]
    lines += ["Why it matters", _wrap(spec.rationale), "", "Sources"]
    lines += [f"  - {s}" for s in spec.sources]
    lines += ["", "How to fix it", _wrap(spec.remediation), ""]
    rows = option_rows(spec)
    if rows:
        lines.append(
            "Options (set per rule in a rubric; heuristic defaults are configurable judgement calls, "
            "not research findings)"
        )
        for opt, default, basis, text in rows:
            lines.append(f"  {opt} = {default}  ({basis})")
            if text:
                lines.append(_wrap(text, "      "))
        lines.append("")
    failing, passing = example_pair(spec.id)
    for label, case in (("Fails", failing), ("Passes", passing)):
        if case is not None:
            lines.append(f"{label}: {case.get('why', '')}")
            lines.append(_indent(case["plan"].rstrip("\n")))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _wrap(text: str, prefix: str = "  ", width: int = 96) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=prefix, subsequent_indent=prefix)


def render_list(fmt: str, color: bool = False) -> str:
    specs = list(registry().values())
    if fmt == "json":
        return (
            json.dumps(
                [
                    {"id": s.id, "slug": s.slug, "category": s.category, "severity": s.severity, "title": s.title}
                    for s in specs
                ],
                indent=2,
            )
            + "\n"
        )
    if fmt == "markdown":
        rows = ["| ID | Slug | Category | Default severity | Title |", "|---|---|---|---|---|"]
        rows += [f"| {s.id} | `{s.slug}` | {s.category} | {s.severity} | {s.title} |" for s in specs]
        return "\n".join(rows) + "\n"
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("ID", "slug", "category", "severity", "title"):
        table.add_column(column, no_wrap=column != "title")
    for s in specs:
        table.add_row(s.id, s.slug, s.category, s.severity, s.title)
    buffer = StringIO()
    Console(file=buffer, force_terminal=color, no_color=not color, width=120, markup=False).print(table)
    return buffer.getvalue()


def render_rubrics() -> str:
    from readiness.rubric import BUILT_IN, load_rubric

    lines = []
    for name in BUILT_IN:
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
        "Generated from the rule metadata by `python -m readiness.render.catalogue`; do not edit by hand.",
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
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


if __name__ == "__main__":  # pragma: no cover - regenerates docs/rules.md
    import sys

    sys.stdout.write(render_docs())
