"""The HTML report: a valid, self-contained document (a strict HTML5 parser, no script, nothing
loaded from anywhere), its sections in order, accessible, and inert whatever the plan says.
tests/test_browser.py opens it in a real browser."""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import re
import subprocess
import sys
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

from readiness.findings import CATEGORIES
from readiness.render.html import visible

from .conftest import MINIMAL, ROOT, run_cli
from .test_reports import HOSTILE, hostile_plan

HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def render(*args: str) -> str:
    """The HTML report of a call, made from the repository's root (plans under examples/ are
    named as examples/NAME.yaml)."""
    with contextlib.chdir(ROOT):
        result = run_cli("check", *args, "--as-of", "2026-02-02", "--format", "html")
    assert "Traceback" not in result.stderr
    return result.stdout


def parse(document: str) -> Element:
    """The document through html5lib in strict mode: any parse error raises."""
    return html5lib.HTMLParser(strict=True).parse(document)


def text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def headings(root: Element) -> list[tuple[str, str]]:
    return [(e.tag.removeprefix(HTML), text(e)) for e in root.iter() if e.tag in {f"{HTML}h{n}" for n in range(1, 7)}]


@pytest.fixture(scope="module")
def northwind() -> str:
    return render("examples/northwind.yaml")


@pytest.mark.parametrize(
    "plans",
    [["northwind"], ["minimal"], ["s1-leader-keeps-old-reports"], ["s4-turf-and-fax"], ["northwind", "minimal"]],
    ids=["northwind", "minimal", "s1", "s4", "several"],
)
def test_the_document_parses_without_error_in_a_strict_html5_parser(plans: list[str]) -> None:
    document = render(*(f"examples/{p}.yaml" for p in plans))
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    root = parse(document)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "every id is unique"
    assert {e.get("href")[1:] for e in root.iter(f"{HTML}a")} <= set(ids)  # type: ignore[index]


def test_nothing_is_loaded_and_nothing_runs(northwind: str) -> None:
    root = parse(northwind)
    tags = {e.tag for e in root.iter() if isinstance(e.tag, str)}
    assert not {f"{HTML}{t}" for t in ("script", "iframe", "object", "embed", "img", "link", "base", "form")} & tags
    assert "<script" not in northwind.lower() and "javascript:" not in northwind.lower()
    for e in root.iter():
        for name, value in e.attrib.items():
            assert not name.startswith("on"), (e.tag, name)
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
                assert value.startswith("#"), (e.tag, name, value)  # only places in the document itself
    style = next(root.iter(f"{HTML}style")).text or ""
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    policy = next(
        e.get("content") for e in root.iter(f"{HTML}meta") if e.get("http-equiv") == "Content-Security-Policy"
    )
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert policy == f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def test_the_sections_come_in_the_order_a_client_reads_them(northwind: str) -> None:
    assert headings(parse(northwind)) == [
        ("h1", 'Northwind CRM ("Compass")'),
        ("h2", "Why the plan is ready"),
        ("h2", "Summary"),
        ("h3", "Top risks"),
        ("h3", "Category scores"),
        ("h2", "Divisions"),
        ("h2", "Action plan"),
        ("h2", "Next 30 days"),
        ("h2", "Timeline"),
        ("h2", "Findings"),
        ("h3", "warning TRAIN002 frontline-training-mistimed"),
        ("h3", "warning INV002 thin-champion-coverage"),
        ("h3", "info GOV005 missing-go-no-go-gate"),
        ("h3", "waived error LEG001 legacy-report-without-retirement"),
        ("h2", "Waivers"),
        ("h2", "Appendix: rubric settings"),
    ]


def test_the_cover_says_the_verdict_in_words_with_its_score_and_reasons(northwind: str) -> None:
    root = parse(northwind)
    cover = next(e for e in root.iter(f"{HTML}section") if e.get("class") == "cover")
    badge = next(e for e in cover.iter(f"{HTML}p") if "badge" in (e.get("class") or ""))
    assert badge.get("class") == "badge rag-amber" and text(badge) == "ready amber: ready, with findings to act on"
    assert "93.5 score out of 100; the pass score is 80" in text(cover)
    assert "Rubric default" in text(cover) and "As of 2026-02-02" in text(cover)
    assert "Go-live 2026-06-01, in 119 days" in text(cover)
    reasons = [text(li) for li in cover.iter(f"{HTML}li")]
    assert reasons == ["score 93.5 reaches the pass score 80", "no live error (fail_on: error)"]
    seed = parse(render("examples/s1-leader-keeps-old-reports.yaml"))
    cover = next(e for e in seed.iter(f"{HTML}section") if e.get("class") == "cover")
    badge = next(e for e in cover.iter(f"{HTML}p") if "badge" in (e.get("class") or ""))
    assert badge.get("class") == "badge rag-red" and text(badge) == "not ready red: not ready"
    blocking = [text(li) for li in cover.iter(f"{HTML}li") if li.get("class") == "blocks"]
    assert blocking == ["Blocks: score 50.0 is below the pass score 80", "Blocks: 4 live errors block (fail_on: error)"]


def test_the_action_plan_names_every_owner_with_their_targets(northwind: str) -> None:
    seed = parse(render("examples/s1-leader-keeps-old-reports.yaml"))
    table = next(e for e in seed.iter(f"{HTML}table") if e.get("class") == "action-plan")
    rows = [[text(c) for c in row] for row in table.iter(f"{HTML}tr")]
    assert rows[0] == ["Due", "Owner and targets", "Action", "Rule", "Points"]
    assert rows[1][:2] == [
        "2026-08-02",
        (
            "Dale Porter (division leader) for sales-amer Viktor Lange (division leader) for sales-emea "
            "Mei Lin Ong (division leader) for sales-apac"
        ),
    ]
    assert rows[1][3:] == ["LEAD001 error", "+3.2"]
    assert [r[0] for r in rows[1:]] == [
        "2026-08-02",
        "2026-08-21",
        "2026-08-21",
        "before go-live",
        "before go-live",
        "before go-live",
        "before go-live",
        "2026-10-31",
    ]


def test_the_findings_give_place_rationale_remediation_and_sources(northwind: str) -> None:
    root = parse(northwind)
    finding = next(e for e in root.iter(f"{HTML}section") if (e.get("class") or "").startswith("finding finding-"))
    words = text(finding)
    assert "t-wholesale-reps examples/northwind.yaml:146:7 Session t-wholesale-reps is mistimed" in words
    assert "Why it matters SAP's learning guidance" in words
    assert "How to fix it Move frontline training into the last six weeks" in words
    assert "Sources SAP Learning, Training is not a one-off event" in words


def test_the_timeline_is_drawn_from_the_plans_dates(northwind: str) -> None:
    root = parse(northwind)
    chart = next(e for e in root.iter(f"{HTML}figure") if e.get("class") == "gantt")
    svg = next(chart.iter(f"{SVG}svg"))
    labels = [text(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert "training t-wholesale-reps TRAIN002" in labels  # marked: a live finding points at it
    assert "go/no-go decision GOV005" in labels
    for label in ("peak period peak-holiday", "system change chg-wms", "go-live wave ph-wave-2", "hypercare"):
        assert label in labels
    flagged = [text(g.find(f"{SVG}title")) for g in svg.iter(f"{SVG}g") if "flagged" in (g.get("class") or "")]  # type: ignore[arg-type]
    assert flagged == [
        "training t-wholesale-reps: 2026-04-13 to 2026-04-17; live finding of TRAIN002",
        "go/no-go decision: 2026-05-20; live finding of GOV005",
    ]
    marks = {t.get("class"): text(t) for t in svg.iter(f"{SVG}text") if "mark-label" in (t.get("class") or "")}
    assert marks == {"mark-label mark-asof": "as of 2026-02-02"}
    # the as-of line sits between the month ticks of 2026-02 and 2026-03
    ticks = {text(t): float(t.get("x", 0)) - 3 for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"}
    line = next(e for e in svg.iter(f"{SVG}line") if e.get("class") == "mark mark-asof")
    assert ticks["2026-02"] < float(line.get("x1", 0)) < ticks["2026-02"] + (ticks["2026-04"] - ticks["2026-02"]) / 2


def test_the_hard_deadline_is_a_line_across_the_timeline(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: 2026-06-01\n  hard_deadline: {date: 2026-07-01}"))
    root = parse(render(str(plan)))
    marks = [text(t) for t in root.iter(f"{SVG}text") if "mark-label" in (t.get("class") or "")]
    assert marks == ["as of 2026-02-02", "hard deadline"]


def test_several_plans_open_with_a_portfolio_table(tmp_path: Path) -> None:
    for n, name in enumerate(["northwind", "minimal", "s1-leader-keeps-old-reports"]):
        (tmp_path / f"{n}.yaml").write_bytes((ROOT / "examples" / f"{name}.yaml").read_bytes())
    (tmp_path / "9-bad.yaml").write_text("- not a plan\n")
    root = parse(render(str(tmp_path)))
    found = headings(root)
    assert found[:3] == [("h1", "Portfolio of 4 plans"), ("h2", "Portfolio"), ("h2", '1. Northwind CRM ("Compass")')]
    assert ("h2", f"4. {tmp_path}/9-bad.yaml") in found  # named by its path: it has no name
    table = next(e for e in root.iter(f"{HTML}table") if e.get("class") == "portfolio-table")
    rows = [[text(c) for c in row] for row in table.iter(f"{HTML}tr")]
    assert rows[0] == ["Plan", "Verdict", "Score", *CATEGORIES, "Live findings"]
    northwind = ["100.0", "100.0", "80.0", "83.3", "100.0", "81.8", "100.0", "100.0", "100.0", "100.0"]
    assert rows[1][1:] == ["ready", "93.5", *northwind, "3"]
    assert rows[4][1] == "invalid (1 error)" and rows[4][2:] == [""] * 12
    assert [h for h in found if h[0] == "h2"][-1] == ("h2", "Appendix: rubric settings")


# hostile plan text ---------------------------------------------------------------------------------

HTML_TAGS = """html head meta title style body header main footer article section h1 h2 h3 h4 p ul ol li dl dt
dd div span strong code abbr a table caption thead tbody tr th td figure figcaption details summary"""
SVG_TAGS = ("svg", "title", "g", "text", "tspan", "line", "rect", "path")
ALLOWED = {f"{HTML}{t}" for t in HTML_TAGS.split()} | {f"{SVG}{t}" for t in SVG_TAGS}


def quoted(value: str) -> str:
    """A YAML double-quoted scalar that writes every character outside printable ASCII as an escape."""
    return (
        '"'
        + "".join(
            c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" if ord(c) > 0xFFFF else f"\\u{ord(c):04x}"
            for c in value
        )
        + '"'
    )


@pytest.mark.parametrize(
    "extra",
    [
        "\u202eevil\u2066 \x1b]8;;https://evil.example\x1b\\ \x00\x07\x7f\x9b",
        "\ufdd0\ufdef \U0001fffe \U0010ffff noncharacters",
        "</style><script>alert(1)</script><!--",
        '"><img src=x onerror=alert(1)>',
        "]]><svg onload=alert(1)>",
        "{{ 7*7 }} {% raw %}",
    ],
    ids=["controls", "noncharacters", "tags", "attributes", "svg", "template"],
)
def test_hostile_plan_text_stays_text(tmp_path: Path, extra: str) -> None:
    plan = hostile_plan(tmp_path)
    plan.write_text(
        plan.read_text().replace('{id: sales, name: "Ann | Admin"}', f"{{id: sales, name: {quoted(extra)}}}")
    )
    document = render(str(plan))
    root = parse(document)  # strict: a control or noncharacter in the document would fail here
    assert {e.tag for e in root.iter() if isinstance(e.tag, str)} <= ALLOWED
    for e in root.iter():
        assert not [name for name in e.attrib if name.startswith("on")]
    assert not re.search(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\U0010ffff]", document
    )
    words = text(root)
    for hostile in [*HOSTILE, extra]:
        shown = " ".join(str(visible(hostile)).split())
        assert shown in words, shown  # every value is shown, as visible text


def test_the_report_says_every_colour_in_words_and_its_text_has_contrast(northwind: str) -> None:
    root = parse(northwind)
    assert root.get("lang") == "en"
    heat = next(e for e in root.iter(f"{HTML}table") if e.get("class") == "heatmap")
    assert {text(td) for td in heat.iter(f"{HTML}td")} <= {"error", "warning", "info", "unknown", "waived", "ok", "-"}
    for svg in root.iter(f"{SVG}svg"):
        assert svg.get("role") == "img" and any(
            t.get("id") == svg.get("aria-labelledby") for t in svg.iter(f"{SVG}title")
        )
    for table in root.iter(f"{HTML}table"):
        assert table.find(f"{HTML}thead") is not None and all(th.get("scope") for th in table.iter(f"{HTML}th"))
    css = (ROOT / "src" / "readiness" / "render" / "templates" / "report.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", css))
    pairs = [
        ("ink", "#ffffff"),
        ("muted", "#ffffff"),
        ("muted", colours["wash"]),
        ("#ffffff", "red"),
        ("ink", "amber"),
        ("#ffffff", "green"),
        ("red-ink", "red-wash"),
        ("amber-ink", "amber-wash"),
        ("blue-ink", "blue-wash"),
        ("green-ink", "green-wash"),
        ("purple-ink", "purple-wash"),
        ("blue", "#ffffff"),
    ]
    for fore, back in pairs:
        ratio = contrast(colours.get(fore, fore), colours.get(back, back))
        assert ratio >= 4.5, (fore, back, round(ratio, 2))


def contrast(one: str, two: str) -> float:
    """The WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_same_call_gives_the_same_bytes(northwind: str) -> None:
    assert render("examples/northwind.yaml") == northwind


# what a run imports ------------------------------------------------------------------------------


def loaded_modules(*argv: str, cwd: Path = ROOT) -> list[str]:
    """The modules of the HTML and Markdown reports (and of what they use) that a run of
    ``readiness ARGV`` in its own interpreter has imported when it ends."""
    script = (
        "import sys\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe', 'html5lib')"
        " or m in ('readiness.render.html', 'readiness.render.markdown')]\n"
        "print(sorted(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    return list(ast.literal_eval(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("fmt", ["json", "rich"])
def test_a_terminal_or_json_run_imports_nothing_of_the_html_or_markdown_reports(fmt: str) -> None:
    check = ("check", "examples/northwind.yaml", "--as-of", "2026-02-02", "--format")
    assert loaded_modules(*check, fmt) == []
    html = loaded_modules(*check, "html")
    assert "jinja2" in html and "readiness.render.html" in html  # the check above can see them
