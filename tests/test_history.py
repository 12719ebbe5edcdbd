"""`readiness history`: a plan's revisions in a scratch git repository built here, five commits that
improve and worsen it, checked in one process with the scores asserted per commit."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest

from readiness.findings import CATEGORIES
from readiness.render.html import stylesheet, visible

from .conftest import MINIMAL, NORTHWIND, lint_markdown, run_cli, run_process
from .test_html import HTML as XHTML
from .test_html import SVG, headings, loaded_modules, parse, text

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="history needs git")

GOOD = NORTHWIND.read_text()
NO_WAIVER = GOOD[: GOOD.index("waivers:")]  # the waived LEG001 is live: an error, not ready
BROKEN = GOOD + "oops: [\n"  # not YAML
BETTER = GOOD.replace("{division: customer-care, count: 3,", "{division: customer-care, count: 5,")  # INV002 fixed


def git(repo: Path, *args: str, date: str = "2026-01-05T10:00:00+00:00", author: str = "Ann Example") -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "ann@example.invalid",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "ann@example.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    done = subprocess.run(["git", *args], cwd=repo, env=environment, capture_output=True, text=True, check=True)
    return done.stdout


def commit(repo: Path, path: str, text: str, message: str, date: str, author: str = "Ann Example") -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message, date=date, author=author)


def build_repo(folder: Path) -> Path:
    """Five commits of plans/acme.yaml: a bare start, the full plan, a waiver dropped (worse), a
    broken file, and a fix (better); plus an unrelated commit that history leaves out."""
    git(folder, "init", "-q", "-b", "main")
    commit(folder, "plans/acme.yaml", MINIMAL, "Start the plan", "2026-01-05T10:00:00+00:00")
    commit(folder, "plans/acme.yaml", GOOD, "Fill in the plan", "2026-01-19T10:00:00+00:00", "Bo Li")
    commit(folder, "plans/acme.yaml", NO_WAIVER, "Drop the waiver", "2026-02-02T10:00:00+00:00")
    commit(folder, "README.md", "notes\n", "Unrelated", "2026-02-03T10:00:00+00:00")
    commit(folder, "plans/acme.yaml", BROKEN, "Half an edit", "2026-02-09T10:00:00+00:00", "Bo Li")
    commit(folder, "plans/acme.yaml", BETTER, "Restore, with more champions", "2026-02-16T23:30:00-05:00")
    return folder


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    return build_repo(in_tmp)


def history(*args: str) -> dict[str, Any]:
    result = run_cli("history", *args, "--format", "json")
    assert result.code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_every_revision_is_checked_with_its_score(repo: Path) -> None:
    document = history("plans/acme.yaml")
    rows = [(r["date"], r["author"], r["verdict"], r["score"], r["errors"]) for r in document["revisions"]]
    assert rows == [
        ("2026-01-05", "Ann Example", "not_ready", 50.0, 0),
        ("2026-01-19", "Bo Li", "ready", 93.5, 0),
        ("2026-02-02", "Ann Example", "not_ready", 90.3, 0),
        ("2026-02-09", "Bo Li", None, None, 1),
        ("2026-02-16", "Ann Example", "ready", 95.7, 0),  # the committer's own date, not UTC's
    ]
    assert [r["subject"] for r in document["revisions"]][-1] == "Restore, with more champions"
    assert document["as_of"] is None and [r["as_of"] for r in document["revisions"]] == [r[0] for r in rows]
    assert document["plan"] == "plans/acme.yaml" and document["rubric"]["name"] == "default"
    inv = [next((c["score"] for c in r["categories"] if c["id"] == "INV"), None) for r in document["revisions"]]
    assert inv == [50.0, 83.3, 83.3, None, 100.0]
    broken = document["revisions"][3]
    assert broken["exit_code"] == 2 and broken["categories"] == [] and "invalid YAML" in broken["error"]
    commits = git(repo, "log", "--format=%H", "--", "plans/acme.yaml").split()
    assert [r["commit"] for r in document["revisions"]] == commits[::-1]


def test_one_date_for_every_revision(repo: Path) -> None:
    """The waiver expires on 2026-12-31: judged later, the full plan's LEG001 is live again."""
    document = history("plans/acme.yaml", "--as-of", "2027-01-15")
    assert document["as_of"] == "2027-01-15"
    assert [r["score"] for r in document["revisions"]] == [50.0, 90.3, 90.3, None, 92.5]
    assert document["revisions"][1]["verdict"] == "not_ready"


def test_the_terminal_table_and_sparkline(repo: Path) -> None:
    result = run_cli("history", "plans/acme.yaml")
    assert result.code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "History of plans/acme.yaml"
    assert lines[1] == "rubric default, pass score 80; each revision as of its commit date"
    assert lines[3].split() == ["commit", "date", "author", "verdict", "score", "LEAD", "COMM", "TRAIN", "INV",
                                "LEG", "GOV", "VAL", "ADOPT", "CUST", "TIME"]  # fmt: skip
    body = lines[4:9]
    assert [line.split()[1] for line in body] == ["2026-01-05", "2026-01-19", "2026-02-02", "2026-02-09", "2026-02-16"]
    assert "not ready" in body[0] and " 50.0 " in body[0]
    assert "invalid (1 error)" in body[3]
    assert all(len(line) <= 100 for line in lines)
    # from the lowest score to the highest in eight heights: 50.0, 93.5, 90.3, none, 95.7
    assert lines[-1] == "score  ▁█▇·█  5 revisions, score 50.0 -> 95.7 (lowest 50.0, highest 95.7)"


def test_markdown_has_an_svg_chart_and_the_table(repo: Path, tmp_path: Path) -> None:
    result = run_cli("history", "plans/acme.yaml", "--format", "markdown")
    assert result.code == 0
    text = result.stdout
    assert text.startswith("# Readiness history: plans/acme.yaml\n")
    svg = text[text.index("<svg") : text.index("</svg>") + len("</svg>")]
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}circle")) == 4 and len(root.findall(f"{ns}path")) == 1  # the broken one
    polylines = root.findall(f"{ns}polyline")  # the line stops at the broken revision
    assert len(polylines) == 1 and len(polylines[0].get("points", "").split()) == 3
    fills = [c.get("fill") for c in root.findall(f"{ns}circle")]
    assert fills == ["#cf222e", "#2da44e", "#cf222e", "#2da44e"]
    assert "\n\n" not in svg  # one HTML block
    assert "| `" in text and text.count("\n| `") == 5
    report = tmp_path / "history.md"
    report.write_text(text)
    assert lint_markdown(report, "md033", "md013") == ""  # the chart is inline HTML, in long lines, on purpose


def test_hostile_author_and_path_stay_inert(in_tmp: Path) -> None:
    git(in_tmp, "init", "-q")
    name = "plans/<b>&amp.yaml"
    commit(in_tmp, name, GOOD, "x", "2026-01-05T10:00:00+00:00", author="Eve\u202e|<s>")
    rich = run_cli("history", name).stdout
    assert "\u202e" not in rich and "\\u202e" in rich
    markdown = run_cli("history", name, "--format", "markdown").stdout
    assert "<s>" not in markdown and "<b>" not in markdown
    assert "| Eve\\u202e\\|s |" in markdown  # git drops < and > from names; the rest is escaped
    import xml.etree.ElementTree as ET

    svg = markdown[markdown.index("<svg") : markdown.index("</svg>") + 6]
    assert ET.fromstring(svg).get("aria-label") == "Readiness score by revision of plans/<b>&amp.yaml"


def test_renames_are_followed_and_max_count(repo: Path) -> None:
    git(repo, "mv", "plans/acme.yaml", "plans/compass.yaml")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Rename", date="2026-03-02T10:00:00+00:00")
    document = history("plans/compass.yaml")
    assert [r["path"] for r in document["revisions"]] == ["plans/acme.yaml"] * 5 + ["plans/compass.yaml"]
    assert document["revisions"][-1]["score"] == 95.7
    recent = history("plans/compass.yaml", "-n", "2")
    assert [r["date"] for r in recent["revisions"]] == ["2026-02-16", "2026-03-02"]


def test_runs_from_a_subdirectory_and_reads_the_configuration(repo: Path) -> None:
    (repo / "readiness.toml").write_text('rubric = "strict"\nas-of = 2020-01-01\n')
    os.chdir(repo / "plans")
    document = history("acme.yaml")
    assert document["rubric"]["name"] == "strict"
    assert document["revisions"][0]["as_of"] == "2026-01-05"  # its as-of is not the trend's


def test_errors(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    (repo / "plans" / "new.yaml").write_text(GOOD)
    never = run_cli("history", "plans/new.yaml")
    assert (never.code, never.stdout) == (2, "")
    assert never.stderr == f"readiness: error: plans/new.yaml has no commit in the history of {repo}\n"
    outside = tmp_path_factory.mktemp("outside")
    (outside / "plan.yaml").write_text(GOOD)
    result = run_cli("history", str(outside / "plan.yaml"))
    assert (result.code, result.stderr) == (
        2,
        f"readiness: error: {outside / 'plan.yaml'} is not in a git repository\n",
    )
    assert run_cli("history", "plans/acme.yaml", "--format", "sarif").code == 2


def test_a_revision_over_the_size_limit_is_an_invalid_row(repo: Path) -> None:
    document = history("plans/acme.yaml", "--max-bytes", "2000")
    rows = [(r["verdict"], r["errors"]) for r in document["revisions"]]
    assert rows[0] == ("not_ready", 0)  # the bare plan is small
    assert all(row == (None, 1) for row in rows[1:])
    assert "over the 2000-byte limit" in document["revisions"][1]["error"]


def test_history_through_the_console_process(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    done = run_process("history", "plans/acme.yaml", "--format", "json", cwd=repo)
    assert done.code == 0, done.stderr
    assert [r["score"] for r in json.loads(done.stdout)["revisions"]] == [50.0, 93.5, 90.3, None, 95.7]
    done = run_process("history", "plans/acme.yaml", "--format", "html=trend.html", cwd=repo)
    assert (done.code, done.stdout, done.stderr) == (0, "", "")
    rows = html_rows(parse((repo / "trend.html").read_text(encoding="utf-8")))
    assert [row[4] for row in rows[1:]] == ["50.0", "93.5", "90.3", "", "95.7"]
    done = run_process("history", "plans/acme.yaml", cwd=repo)
    assert done.code == 0 and re.search(r"^score  ▁█▇·█  5 revisions", done.stdout, re.MULTILINE)
    outside = tmp_path_factory.mktemp("outside")
    (outside / "plan.yaml").write_text(GOOD)
    done = run_process("history", "plan.yaml", cwd=outside)
    assert (done.code, done.stdout, done.stderr) == (2, "", "readiness: error: plan.yaml is not in a git repository\n")


@pytest.mark.parametrize("fmt", ["json", "rich"])
def test_a_terminal_or_json_history_imports_nothing_of_the_html_or_markdown_reports(repo: Path, fmt: str) -> None:
    assert loaded_modules("history", "plans/acme.yaml", "--format", fmt, cwd=repo) == []
    assert "readiness.render.markdown" in loaded_modules("history", "plans/acme.yaml", "--format", "markdown", cwd=repo)
    html = loaded_modules("history", "plans/acme.yaml", "--format", "html", cwd=repo)
    assert "jinja2" in html and "readiness.render.html" in html  # the check above can see them


# the HTML document -------------------------------------------------------------------------------


def html_rows(root: Element) -> list[list[str]]:
    """The revisions table, a list of cells' text per row (the header row first)."""
    table = next(e for e in root.iter(f"{XHTML}table") if e.get("class") == "history-table")
    return [[text(c) for c in row] for row in table.iter(f"{XHTML}tr")]


def test_html_is_one_self_contained_document_with_the_chart_and_a_row_per_revision(repo: Path) -> None:
    result = run_cli("history", "plans/acme.yaml", "--format", "html")
    assert result.code == 0 and result.stderr == ""
    document = result.stdout
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    root = parse(document)  # strict: any parse error raises
    assert "<script" not in document.lower()
    assert not {e.tag for e in root.iter()} & {f"{XHTML}{t}" for t in ("script", "img", "link", "iframe", "object")}
    # the check report's head: the same stylesheet, allowed by its hash and nothing else
    css, policy = stylesheet()
    assert next(root.iter(f"{XHTML}style")).text == css
    meta = [e for e in root.iter(f"{XHTML}meta") if e.get("http-equiv") == "Content-Security-Policy"]
    assert [e.get("content") for e in meta] == [policy]
    assert text(next(root.iter(f"{XHTML}title"))) == "Readiness history: plans/acme.yaml"
    assert headings(root) == [("h1", "History of plans/acme.yaml"), ("h2", "Score by revision"), ("h2", "Revisions")]
    cover = text(next(e for e in root.iter(f"{XHTML}section") if e.get("class") == "cover"))
    assert "Rubric default, pass score 80" in cover and "Revisions 5, 2026-01-05 to 2026-02-16" in cover
    assert "Score 50.0 → 95.7 (lowest 50.0, highest 95.7)" in cover
    # the table: commit and subject, date, author, verdict in words, score, the category scores
    rows = html_rows(root)
    assert rows[0] == ["Commit", "Date", "Author", "Verdict", "Score", *CATEGORIES]
    commits = git(repo, "log", "--format=%h %s", "--abbrev=7", "--", "plans/acme.yaml").splitlines()[::-1]
    assert [row[0] for row in rows[1:]] == commits
    assert [row[1:5] for row in rows[1:]] == [
        ["2026-01-05", "Ann Example", "not ready", "50.0"],
        ["2026-01-19", "Bo Li", "ready", "93.5"],
        ["2026-02-02", "Ann Example", "not ready", "90.3"],
        ["2026-02-09", "Bo Li", "invalid (1 error)", ""],
        ["2026-02-16", "Ann Example", "ready", "95.7"],
    ]
    inv = CATEGORIES.index("INV") + 5
    assert [row[inv] for row in rows[1:]] == ["50.0", "83.3", "83.3", "", "100.0"]  # as the JSON gives them
    assert rows[4][5:] == [""] * len(CATEGORIES)
    # the chart the Markdown report draws, named and described, the table being its text
    (svg,) = root.iter(f"{SVG}svg")
    assert svg.get("role") == "img" and svg.get("aria-label") == "Readiness score by revision of plans/acme.yaml"
    assert text(svg.find(f"{SVG}title")) == svg.get("aria-label")  # type: ignore[arg-type]
    assert text(svg.find(f"{SVG}desc")).startswith("5 revisions, score 50.0 to 95.7")  # type: ignore[arg-type]
    markdown = run_cli("history", "plans/acme.yaml", "--format", "markdown").stdout
    assert markdown[markdown.index("<svg") : markdown.index("</svg>")] in document
    assert len(svg.findall(f"{SVG}circle")) == 4 and len(svg.findall(f"{SVG}path")) == 1
    assert run_cli("history", "plans/acme.yaml", "--format", "html").stdout == document  # the same bytes


def test_html_shows_a_rename_and_a_fixed_date(repo: Path) -> None:
    git(repo, "mv", "plans/acme.yaml", "plans/compass.yaml")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Rename", date="2026-03-02T10:00:00+00:00")
    root = parse(run_cli("history", "plans/compass.yaml", "--format", "html", "--as-of", "2027-01-15").stdout)
    rows = html_rows(root)
    assert rows[1][0].endswith("Start the plan as plans/acme.yaml") and rows[6][0].endswith("Rename")
    assert [row[4] for row in rows[1:]] == ["50.0", "90.3", "90.3", "", "92.5", "92.5"]
    assert "Judged every revision as of 2027-01-15" in text(root)


def test_html_keeps_hostile_names_and_subjects_inert(in_tmp: Path) -> None:
    git(in_tmp, "init", "-q")
    name = "plans/<b>&amp.yaml"
    author = "Eve\u202e|<s>{{ 7*7 }} \ufdd0&amp"
    subject = "</th><script>alert(1)</script><img src=x onerror=alert(1)> {% raw %} \u2066\x1b]8;;x\x1b\\"
    commit(in_tmp, name, GOOD, subject, "2026-01-05T10:00:00+00:00", author=author)
    result = run_cli("history", name, "--format", "html")
    assert result.code == 0, result.stderr
    document = result.stdout
    root = parse(document)  # strict: a control character or a noncharacter would fail here
    allowed = {"html", "head", "meta", "title", "style", "body", "main", "section", "p", "h1", "h2", "dl", "div",
               "dt", "dd", "figure", "figcaption", "table", "caption", "thead", "tbody", "tr", "th", "td", "abbr",
               "span", "code", "footer"}  # fmt: skip
    svg = {"svg", "title", "desc", "rect", "line", "text", "polyline", "circle", "path"}
    tags = {e.tag for e in root.iter() if isinstance(e.tag, str)}
    assert tags <= {f"{XHTML}{t}" for t in allowed} | {f"{SVG}{t}" for t in svg}
    assert not [name for e in root.iter() for name in e.attrib if name.startswith("on")]
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef]", document)
    row = html_rows(root)[1]
    shown = git(in_tmp, "log", "-1", "--format=%an")[:-1]  # git drops < and > from names
    assert row[2] == " ".join(str(visible(shown)).split()) and "\\u202e" in row[2] and "{{ 7*7 }}" in row[2]
    assert row[0].endswith(" ".join(str(visible(subject)).split()))
    assert text(next(root.iter(f"{XHTML}h1"))) == "History of plans/<b>&amp.yaml"
    (chart,) = root.iter(f"{SVG}svg")
    assert chart.get("aria-label") == "Readiness score by revision of plans/<b>&amp.yaml"
