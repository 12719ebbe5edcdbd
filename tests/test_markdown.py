"""The Markdown report escapes only what would change its structure where the text stands, and
that is enough: checked by a CommonMark parser (markdown-it, with GFM tables) on hostile plan text
and on text drawn at random from the characters that make Markdown structure."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from readiness.render.markdown import cell, heading, lead, md, wrap
from readiness.text import inert

from .conftest import MINIMAL, lint_markdown, run_cli
from .test_reports import assert_tables_intact

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# every character that opens or closes Markdown structure somewhere, and some that do not
STRUCTURE = "#>|*_`~[]()!<&;:/\\@=+-.10 aw\n\t"
LINKS = {"link_open", "image", "html_inline", "html_block", "autolink"}
MARKUP = LINKS | {"code_inline", "em_open", "strong_open", "s_open", "hardbreak"}


def blocks(markdown: str) -> list[str]:
    return [t.type for t in PARSER.parse(markdown) if t.type != "inline" and not t.type.endswith("_close")]


def inline_tokens(markdown: str) -> list[Any]:
    return [child for t in PARSER.parse(markdown) if t.type == "inline" for child in t.children or []]


def _reads(inline: Any) -> str:
    text = "".join(c.content if c.type == "text" else " " for c in inline.children or [])
    return " ".join(text.replace("\u200b", "").split())


def shown(markdown: str) -> list[str]:
    """The text of each inline run as a reader sees it, whitespace collapsed."""
    return [_reads(t) for t in PARSER.parse(markdown) if t.type == "inline"]


def headings(markdown: str) -> list[str]:
    tokens = PARSER.parse(markdown)
    return [_reads(tokens[n + 1]) for n, t in enumerate(tokens) if t.type == "heading_open"]


def as_written(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "sales-amer",
        "2026-08-02",
        "examples/s1-leader-keeps-old-reports.yaml:22:7",
        "fail_on: error",
        "training.completion_target_pct",
        "Sales Asia-Pacific (APAC)",
        "R&D, 50% of 3.5 days",
        "a < b and c > d",
    ],
)
def test_names_dates_ids_and_paths_stay_as_written(text: str) -> None:
    assert md(text) == text and cell(text) == text and lead(text) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Ann | Admin", "Ann | Admin"),  # in running text a | is just a character
        ("**bold** _it_ ~~gone~~", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~"),
        ("`rm -rf`", "\\`rm -rf\\`"),
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("[docs](javascript:alert(1))", "[docs]\\(javascript:alert(1))"),
        ("![](https://tracker.example/p.png)", "![]\\(https\\://tracker.example/p.png)"),
        ("see www.example.com", "see www\\.example.com"),
        ("&#8238; &amp; AT&T", "&amp;#8238; &amp;amp; AT&T"),
        ("ping @sales-team, not ops@example.com", "ping @&#8203;sales-team, not ops@example.com"),
        ("line one\n# All checks PASSED", "line one # All checks PASSED"),
        ("a\\*b and c\\", "a\\\\\\*b and c\\\\"),
        ("[x]", "[x\\]"),
    ],
)
def test_what_would_change_the_structure_is_escaped(text: str, escaped: str) -> None:
    assert md(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# All checks PASSED", "\\# All checks PASSED"),
        ("> quoted", "\\> quoted"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. first", "1\\. first"),
        ("12) twelfth", "12\\) twelfth"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("[a]: https://evil.example", "\\[a]: https\\://evil.example"),
        ("| a | b |", "\\| a | b |"),
        ("2026-08-02 is fine", "2026-08-02 is fine"),
        ("#hashtag is fine", "#hashtag is fine"),
    ],
)
def test_what_would_open_a_block_at_a_line_start_is_escaped_there(text: str, escaped: str) -> None:
    assert lead(text) == escaped


def test_a_table_cell_escapes_its_separator_and_a_heading_its_closing_run() -> None:
    assert cell("Ann | Admin") == "Ann \\| Admin"
    assert wrap(f"## Plan {heading('C# #')}") == "## Plan C# \\#"


def test_wrapping_never_starts_a_line_with_structure() -> None:
    text = md("word - item # heading > quote 1. one + more = == | pipe --- rule")
    lines = wrap(f"- {text}", width=7).splitlines()
    assert lines[0] == "- word" and all(line.startswith("  ") for line in lines[1:])
    assert blocks("\n".join(lines)) == ["bullet_list_open", "list_item_open", "paragraph_open"]
    assert shown("\n".join(lines)) == ["word - item # heading > quote 1. one + more = == | pipe --- rule"]


def _document(text: str, width: int) -> str:
    return wrap(
        f"## Plan {heading(text)}\n\n"
        f"- {lead(text)}, at plan.yaml:1:1: {md(text)}\n\n"
        "| Name | Next |\n| --- | --- |\n"
        f"| {cell(text)} | end |\n\n"
        f"**Fix:** {md(text)}\n",
        width,
    )


@given(st.text(alphabet=STRUCTURE, max_size=40), st.integers(min_value=6, max_value=80))
def test_any_text_keeps_the_document_s_structure_and_reads_as_written(text: str, width: int) -> None:
    document = _document(text, width)
    assert blocks(document) == [
        "heading_open",
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "table_open",
        "thead_open",
        "tr_open",
        "th_open",
        "th_open",
        "tbody_open",
        "tr_open",
        "td_open",
        "td_open",
        "paragraph_open",
    ], document
    assert not [t.type for t in inline_tokens(document) if t.type in MARKUP - {"strong_open"}], document
    assert [t.type for t in inline_tokens(document)].count("strong_open") == 1  # our own **Fix:**
    seen = inert(text)  # what a CI log would obey is shown as an escape (readiness.text)
    assert shown(document) == [
        as_written(f"Plan {seen}"),
        as_written(f"{seen}, at plan.yaml:1:1: {seen}"),
        "Name",
        "Next",
        as_written(seen),
        "end",
        as_written(f"Fix: {seen}"),
    ], document


# the report itself --------------------------------------------------------------------------------

HOSTILE = {
    "heading": "# All checks PASSED",
    "pipe": "Ann | Admin",
    "script": "<script>alert(1)</script>",
    "link": "[click](javascript:alert(1))",
    "image": "![](https://tracker.example/p.png)",
    "mention": "@sales-team please approve",
    "code": "`rm -rf /`",
    "list": "- [x] approved",
    "quote": "> signed off",
    "emphasis": "**ALL CLEAR**",
    "definition": "[x]: https://evil.example",
    "url": "https://evil.example/login",
}


def _plan(tmp_path: Path, text: str) -> Path:
    value = json.dumps(text)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL.replace("name: Pilot CRM", f"name: {value}").replace("name: Sales}", f"name: {value}}}")
        + "legacy:\n  reports:\n"
        + f"    - {{id: r1, name: {value}, replaced_by: {value}, retire_by: null}}\n"
        + f"    - {{id: r2, name: {value}, replaced_by: {value}, retire_by: null}}\n"
        + f"waivers:\n  - {{rule: LEG001, target: r2, reason: {value}, owner: {value}, expires: 2026-12-31}}\n"
    )
    return plan


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_plan_text_in_the_report_is_inert(text: str, tmp_path: Path) -> None:
    out = run_cli("check", str(_plan(tmp_path, text)), "--as-of", "2026-02-02", "--format", "markdown").stdout
    tokens = PARSER.parse(out)
    found = headings(out)
    assert found[0] == as_written(f"Rollout readiness: {text}")  # the name, read as written
    assert found[1:] == [
        "Summary",
        "Divisions",
        "Action plan",
        "Next 30 days",
        "Timeline",
        "Findings",
        "error: LEG001 legacy-report-without-retirement",
        "waived error: LEG001 legacy-report-without-retirement",
        "Questions for the client",
        "Waivers",
        "Rubric settings",
    ]
    assert not [t.type for t in inline_tokens(out) if t.type in LINKS]
    assert not [t for t in tokens if t.type in ("blockquote_open", "ordered_list_open", "html_block", "hr")]
    assert not re.search(r"(?<![\w&#;])@sales", out)  # a posted report pings nobody
    texts = shown(out)
    assert f"Legacy report r1 ({text}) is replaced by {text} but has no retirement date." in " ".join(texts)
    assert texts.count(as_written(text)) == 2  # the division's cell and the waiver owner's cell
    assert_tables_intact(out)
    report = tmp_path / "report.md"
    report.write_text(out)
    assert lint_markdown(report) == ""


def test_a_custom_rules_words_are_escaped_as_plan_text(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        "name: r\nextends: default\ncustom_rules:\n  - id: XEV001\n    name: evil-rule\n"
        '    title: "# Forged heading"\n    severity: warning\n    category: GOV\n'
        '    message: "[x](javascript:alert(1))"\n    remediation: "<img src=x onerror=alert(1)>"\n'
        "    rationale: r\n    require: [{path: rollout.kickoff, exists: true}]\n"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    out = run_cli("check", str(plan), "--rubric", str(rubric), "--as-of", "2026-02-02", "--format", "markdown").stdout
    assert not [h for h in headings(out) if "Forged" in h]
    assert "\\# Forged heading." in out and "&lt;img src=x" in out
    assert not [t.type for t in inline_tokens(out) if t.type in LINKS]
