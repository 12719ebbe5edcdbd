"""The HTML reports in a real browser: headless Chromium takes a screenshot at 1280 px and prints
the report (and the history of a plan) to PDF, poppler's pdftotext and pdfinfo read the PDF back,
and Chromium's own network log shows that the page requests nothing.

Under CI=true these tests run or fail, never skip: .ci/run installs Chromium (Debian's chromium
package) and poppler-utils when they are missing, and requires git. Elsewhere they are skipped
when one of them is not installed. The page bound is documented in docs/reports.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from readiness.pipeline import check_plan

from .conftest import ROOT, options, run_cli

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: the most A4 pages a report of one plan may print on, and per plan in a portfolio, plus the
#: portfolio table and the appendix (docs/reports.md)
PAGES_ONE_PLAN = 14
PAGES_PER_PLAN = 9
PAGES_AROUND = 2


def _tool(*names: str) -> str:
    found = next((path for name in names if (path := shutil.which(name))), None)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and none of {', '.join(names)} is installed: .ci/run installs them")
        pytest.skip(f"none of {', '.join(names)} is installed")
    return found


@pytest.fixture(scope="module")
def chromium() -> str:
    return _tool(*BROWSERS)


@pytest.fixture(scope="module")
def poppler() -> tuple[str, str]:
    return _tool("pdftotext"), _tool("pdfinfo")


def browse(chromium: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on a file, with a fresh profile; no sandbox, since CI runs as root (the
    page is our own file, and it runs nothing)."""
    profile = page.parent / f"profile-{page.stem}"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def report(tmp_path: Path, *plans: str, name: str = "report") -> Path:
    with contextlib.chdir(ROOT):
        result = run_cli("check", *plans, "--as-of", "2026-02-02", "--format", "html")
    assert "Traceback" not in result.stderr
    page = tmp_path / f"{name}.html"
    page.write_text(result.stdout, encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 plans: the example plans over and over, each under its own name."""
    folder = tmp_path_factory.mktemp("portfolio")
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    for n in range(20):
        (folder / f"plan-{n:02d}.yaml").write_bytes(examples[n % len(examples)].read_bytes())
    return folder


# screenshots -------------------------------------------------------------------------------------


@dataclass
class Image:
    width: int
    height: int
    pixels: list[bytes]  # one row of RGB triplets each

    def count(self, colour: tuple[int, int, int], rows: range, tolerance: int = 12) -> int:
        found = 0
        for y in rows:
            row = self.pixels[y]
            for x in range(0, len(row), 3):
                if all(abs(row[x + i] - colour[i]) <= tolerance for i in range(3)):
                    found += 1
        return found

    def share_not_white(self) -> float:
        """The share of the pixels read that are not white or nearly."""
        total = sum(1 for row in self.pixels for x in range(0, len(row), 3) if min(row[x : x + 3]) < 240)
        return total / (self.width * len(self.pixels))


def read_png(path: Path, rows: int) -> Image:
    """The first ``rows`` rows of a PNG of 8-bit RGB or RGBA, not interlaced (what Chromium
    writes), as rows of RGB."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, [], b""
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        at += 12 + size
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "an RGB or RGBA PNG, 8 bits, not interlaced"
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    out: list[bytes] = []
    previous = bytearray(stride)
    for y in range(min(rows, height)):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[x] = (line[x] + near[2]) & 0xFF
        previous = line
        out.append(bytes(line) if step == 3 else bytes(b for n, b in enumerate(line) if n % 4 != 3))
    return Image(width, height, out)


RED, AMBER = (0xB4, 0x23, 0x18), (0xF2, 0xC7, 0x44)  # the badges' colours in report.css


@pytest.mark.parametrize(
    ("plans", "badge"),
    [(["examples/northwind.yaml"], AMBER), (["examples/s1-leader-keeps-old-reports.yaml"], RED), (None, RED)],
    ids=["northwind", "seed", "portfolio"],
)
def test_a_screenshot_at_1280_px_shows_the_verdict(
    chromium: str, tmp_path: Path, portfolio: Path, plans: list[str] | None, badge: tuple[int, int, int]
) -> None:
    page = report(tmp_path, *(plans or [str(portfolio)]))
    shot = tmp_path / "shot.png"
    browse(chromium, page, "--window-size=1280,1000", f"--screenshot={shot}")
    image = read_png(shot, 700)
    assert (image.width, image.height) == (1280, 1000)
    assert image.share_not_white() > 0.04, "not blank"
    # the verdict's badge (the first plan's verdict in a portfolio) is in colour in the first screen:
    # the stylesheet was applied, so its hash in the Content-Security-Policy is right
    assert image.count(badge, range(700)) > 1500


# printing ----------------------------------------------------------------------------------------


def print_pdf(chromium: str, poppler: tuple[str, str], page: Path) -> tuple[int, str]:
    pdf = page.with_suffix(".pdf")
    browse(chromium, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    pdftotext, pdfinfo = poppler
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info, re.MULTILINE), info
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])  # type: ignore[index]
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pages, " ".join(text.split())


def _expected(path: str) -> list[str]:
    """What the printed report must say of a plan: its verdict, reasons, top risks and owners."""
    from readiness.analysis import top_risks

    result = check_plan(str(ROOT / path), options())
    words = ["NOT READY" if result.verdict == "not_ready" else "READY"]
    words += [r.detail for r in result.reasons]
    words += [a.rule for a in top_risks(result.actions)]
    words += sorted({r.owner.label for a in result.actions for r in a.findings if r.owner})
    return [w for w in words if w]


@pytest.mark.parametrize(
    ("plan", "pages"),
    [("examples/northwind.yaml", PAGES_ONE_PLAN), ("examples/s1-leader-keeps-old-reports.yaml", PAGES_ONE_PLAN)],
    ids=["northwind", "seed"],
)
def test_printing_to_pdf_gives_a4_pages_that_say_what_matters(
    chromium: str, poppler: tuple[str, str], tmp_path: Path, plan: str, pages: int
) -> None:
    count, text = print_pdf(chromium, poppler, report(tmp_path, plan))
    assert 2 <= count <= pages
    for words in _expected(plan):
        assert words in text, words
    assert f"Page 1 of {count}" in text and f"Page {count} of {count}" in text  # page numbers
    assert "Appendix: rubric settings" in text


def test_a_portfolio_of_20_plans_prints_within_its_bound(
    chromium: str, poppler: tuple[str, str], tmp_path: Path, portfolio: Path
) -> None:
    count, text = print_pdf(chromium, poppler, report(tmp_path, str(portfolio)))
    assert 20 < count <= PAGES_AROUND + 20 * PAGES_PER_PLAN
    assert text.startswith("ROLLOUT READINESS REPORT Portfolio of 20 plans")
    for n in range(20):
        assert f"{n + 1}. " in text
    for plan in sorted((ROOT / "examples").glob("*.yaml"))[:7]:
        for words in _expected(f"examples/{plan.name}"):
            assert words in text, (plan.name, words)


# nothing leaves the page -------------------------------------------------------------------------


def page_requests(chromium: str, page: Path) -> list[str]:
    """The URLs the page itself asked for, from Chromium's network log: the requests whose network
    isolation key is the file's (the browser's own background requests have another)."""
    log = page.with_suffix(".netlog.json")
    browse(
        chromium,
        page,
        "--disable-background-networking",
        "--disable-component-update",
        f"--log-net-log={log}",
        "--dump-dom",
    )
    events = json.loads(log.read_text())
    start = events["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in events["events"]
        if e["type"] == start and str(e.get("params", {}).get("network_isolation_key", "")).startswith("file://")
    ]


def test_the_report_requests_nothing_and_its_policy_would_stop_it(chromium: str, tmp_path: Path) -> None:
    page = report(tmp_path, "examples/northwind.yaml")
    document = page.read_text(encoding="utf-8")
    pixel = '<img src="http://127.0.0.1:9/pixel.png" alt="">'
    # the check can see a request: the same report with an image from elsewhere, without its policy
    bare = tmp_path / "bare.html"
    bare.write_text(
        re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", document).replace("</main>", pixel + "</main>")
    )
    assert page_requests(chromium, bare) == ["http://127.0.0.1:9/pixel.png"]
    # with its policy, the same image is never requested
    guarded = tmp_path / "guarded.html"
    guarded.write_text(document.replace("</main>", pixel + "</main>"))
    assert page_requests(chromium, guarded) == []
    assert page_requests(chromium, page) == []


# the history of a plan -----------------------------------------------------------------------------

BLUE = (0x09, 0x69, 0xDA)  # the chart's line (readiness.render.history)


def test_a_history_shows_its_chart_and_table_prints_on_one_page_and_requests_nothing(
    chromium: str, poppler: tuple[str, str], tmp_path: Path
) -> None:
    from .test_history import build_repo

    _tool("git")  # history reads the revisions with it
    repo = tmp_path / "repo"
    repo.mkdir()
    build_repo(repo)
    with contextlib.chdir(repo):
        result = run_cli("history", "plans/acme.yaml", "--format", "html")
    assert result.code == 0, result.stderr
    page = tmp_path / "history.html"
    page.write_text(result.stdout, encoding="utf-8")
    shot = tmp_path / "history.png"
    browse(chromium, page, "--window-size=1280,1200", f"--screenshot={shot}")
    image = read_png(shot, 1200)
    assert image.share_not_white() > 0.04, "not blank"
    assert image.count(BLUE, range(200, 600)) > 250  # the line between the scores, in the chart
    # the verdicts of the table in the stylesheet's red: two not ready and one invalid revision
    assert image.count(RED, range(700, 1200)) > 2000
    pages, text = print_pdf(chromium, poppler, page)
    assert pages == 1 and "Page 1 of 1" in text
    assert "History of plans/acme.yaml" in text and "Score by revision" in text
    # every revision's row (pdftotext reads a table's cells in an order of its own)
    for words in ("2026-01-05", "2026-02-09 Bo Li invalid (1 error)", "Restore, with more champions"):
        assert words in text, words
    for score in ("50.0", "93.5", "90.3", "95.7", "66.7"):  # the scores, and LEG's fall without the waiver
        assert f" {score} " in text, score
    assert page_requests(chromium, page) == []
