"""`readiness diff OLD NEW`: introduced, resolved, persisting, waived and no longer waived
findings matched by rule and target, never by line; score and verdict change; exit 1 when NEW is
worse by any of its gates (verdict, new blocking findings, score drop)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from readiness.wording import shown_against

from .conftest import MINIMAL, NORTHWIND, lint_markdown, run_cli

BETTER_CHAMPIONS = (
    "{division: customer-care, count: 3, allocation_pct: 10, selected_on: 2026-02-13}",
    "{division: customer-care, count: 5, allocation_pct: 10, selected_on: 2026-02-13}",
)
SHORT_HYPERCARE = ("hypercare: {start: 2026-06-01, end: 2026-08-14,", "hypercare: {start: 2026-06-01, end: 2026-07-10,")


def variant(tmp_path: Path, *edits: tuple[str, str], shift: int = 0, name: str = "new.yaml") -> Path:
    text = NORTHWIND.read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text("# comment line\n" * shift + text)
    return path


def diff_json(*args: str) -> tuple[int, dict[str, object], str]:
    result = run_cli("diff", *args, "--as-of", "2026-02-02", "--format", "json")
    return result.code, (json.loads(result.stdout) if result.stdout else {}), result.stderr


def test_moved_lines_are_not_a_change(tmp_path: Path) -> None:
    code, doc, _ = diff_json(str(NORTHWIND), str(variant(tmp_path, shift=7)))
    assert code == 0
    assert (doc["introduced"], doc["resolved"], doc["score_delta"], doc["worse"]) == ([], [], 0.0, False)
    assert sorted(f["rule"] for f in doc["persisting"]) == ["GOV005", "INV002", "TRAIN002"]
    assert {f["line"] for f in doc["persisting"]} == {37, 52, 153}  # positions in NEW, 7 lines down


def test_introduced_resolved_persisting_and_score_change(tmp_path: Path) -> None:
    new = variant(tmp_path, BETTER_CHAMPIONS, SHORT_HYPERCARE, shift=2)
    code, doc, _ = diff_json(str(NORTHWIND), str(new))
    assert code == 1 and doc["worse"] is True
    assert doc["reasons"] == [
        "the verdict fell from ready to not_ready",
        "1 live finding at a blocking severity (error or above) is new: TRAIN004 (plan)",
        "the score fell by 1.1 points, more than 0",
    ]
    assert doc["gates"] == ["verdict", "blocking", "score"]
    assert [(f["rule"], f["target"]) for f in doc["new_blocking"]] == [("TRAIN004", None)]
    assert [(f["rule"], f["target"]) for f in doc["introduced"]] == [("TRAIN004", None)]
    assert [(f["rule"], f["target"]) for f in doc["resolved"]] == [("INV002", "customer-care")]
    assert sorted(f["rule"] for f in doc["persisting"]) == ["GOV005", "TRAIN002"]
    assert (doc["old"]["score"], doc["new"]["score"], doc["score_delta"]) == (93.5, 92.5, -1.1)
    changes = {c["id"]: c["delta"] for c in doc["categories"] if c["delta"]}
    assert changes == {"TRAIN": -30.0, "INV": 16.7}


def test_improvement_is_exit_0_and_reversed_diff_is_worse(tmp_path: Path) -> None:
    better = variant(tmp_path, BETTER_CHAMPIONS)
    code, doc, _ = diff_json(str(NORTHWIND), str(better))
    assert (code, doc["worse"], doc["score_delta"]) == (0, False, 2.2)
    code, doc, _ = diff_json(str(better), str(NORTHWIND), "--max-score-drop", "2")
    assert (code, doc["reasons"], doc["gates"]) == (1, ["the score fell by 2.2 points, more than 2"], ["score"])
    code, doc, _ = diff_json(str(better), str(NORTHWIND))  # by default any fall is worse
    assert (code, doc["reasons"], doc["max_score_drop"]) == (1, ["the score fell by 2.2 points, more than 0"], 0)
    code, _, _ = diff_json(str(better), str(NORTHWIND), "--max-score-drop", "2.5")
    assert code == 0


def test_duplicate_keys_are_matched_in_order(tmp_path: Path) -> None:
    """Two results with the same key: one persists, the extra one is introduced."""
    old = tmp_path / "old.yaml"
    old.write_text(MINIMAL + "legacy:\n  reports:\n    - {id: r1, name: A, replaced_by: null, keep_reason: null}\n")
    new = tmp_path / "new.yaml"
    new.write_text(
        MINIMAL + "legacy:\n  reports:\n    - {id: r1, name: A, replaced_by: null, keep_reason: null}\n"
        "    - {id: r2, name: B, replaced_by: null, keep_reason: null}\n"
    )
    _, doc, _ = diff_json(str(old), str(new))
    assert [f["target"] for f in doc["introduced"]] == ["r2"]
    assert [f["target"] for f in doc["persisting"] if f["rule"] == "LEG001"] == ["r1"]


def test_invalid_plan_is_exit_2_with_its_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- no\n")
    result = run_cli("diff", str(NORTHWIND), str(bad))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"{bad}:1:1: error: the top level is a list; it must be a mapping\n"


@pytest.mark.parametrize("fmt", ["rich", "markdown"])
def test_human_formats(tmp_path: Path, fmt: str) -> None:
    new = variant(tmp_path, BETTER_CHAMPIONS, SHORT_HYPERCARE)
    result = run_cli("diff", str(NORTHWIND), str(new), "--as-of", "2026-02-02", "--format", fmt)
    assert result.code == 1
    assert "Introduced (1)" in result.stdout and "Resolved (1)" in result.stdout and "Persisting (2)" in result.stdout
    if fmt == "markdown":
        report = tmp_path / "diff.md"
        report.write_text(result.stdout)
        assert lint_markdown(report) == ""


def test_diff_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    result = run_cli("diff", str(NORTHWIND), str(NORTHWIND), "--as-of", "2026-02-02", "--format", f"json={out}")
    assert (result.code, result.stdout) == (0, "")
    assert json.loads(out.read_text())["persisting"]


WAIVERS = "\nwaivers:\n  - rule: LEG001\n"
NO_WAIVERS = ("\nwaivers:\n  - rule: LEG001\n", "\nx-waivers-dropped:\n  - rule: LEG001\n")
UNSIGNED = (
    "commitment: {signed: true, signed_on: 2026-01-09,",
    "commitment: {signed: false, signed_on: null,",
)
NARROW_SPONSOR = ("  authority_over: all\n", "  authority_over: [retail-sales]\n")
DEADLINE = (
    "  hard_deadline: null                       # no external date drives go-live\n",
    "  hard_deadline: {date: 2026-08-31}\n",
)
NO_FALLBACK = ("  contingency:\n    fallback_plan: >-\n", "  contingency:\n    fallback_plan: null\n    x-was: >-\n")


def test_a_finding_waived_in_new_is_waived_not_resolved(tmp_path: Path) -> None:
    old = variant(tmp_path, NO_WAIVERS, name="old.yaml")
    code, doc, _ = diff_json(str(old), str(NORTHWIND), "--max-score-drop", "100")
    assert (doc["resolved"], doc["introduced"], doc["no_longer_waived"]) == ([], [], [])
    assert [(f["rule"], f["target"], f["status"]) for f in doc["waived"]] == [
        ("LEG001", "rpt-commission-statement", "waived")
    ]
    assert doc["waived"][0]["waiver"]["owner"] == "p-cfo"
    assert code == 0  # waiving is not worse: the verdict rose and no finding is newly live


def test_a_dropped_waiver_is_no_longer_waived_and_makes_new_worse(tmp_path: Path) -> None:
    new = variant(tmp_path, NO_WAIVERS)
    code, doc, _ = diff_json(str(NORTHWIND), str(new))
    assert [(f["rule"], f["target"], f["status"]) for f in doc["no_longer_waived"]] == [
        ("LEG001", "rpt-commission-statement", "fail")
    ]
    assert (doc["introduced"], doc["resolved"], doc["waived"]) == ([], [], [])
    assert code == 1 and doc["gates"] == ["verdict", "blocking", "score"]
    assert doc["reasons"][1] == (
        "1 live finding at a blocking severity (error or above) is new: LEG001 rpt-commission-statement"
    )


def test_new_errors_in_a_plan_already_not_ready_make_it_worse(tmp_path: Path) -> None:
    """The verdict cannot fall any further, but three more live errors and a lower score are
    still worse: each gate that holds is named."""
    old = variant(tmp_path, SHORT_HYPERCARE, name="old.yaml")
    new = variant(tmp_path, SHORT_HYPERCARE, UNSIGNED, NARROW_SPONSOR, DEADLINE, NO_FALLBACK)
    code, doc, _ = diff_json(str(old), str(new))
    assert (doc["old"]["verdict"], doc["new"]["verdict"]) == ("not_ready", "not_ready")
    assert code == 1 and doc["worse"] is True and doc["gates"] == ["blocking", "score"]
    assert sorted((f["rule"], f["target"]) for f in doc["new_blocking"]) == [
        ("LEAD001", "wholesale"),
        ("LEAD002", None),
        ("TIME003", None),
    ]
    assert doc["reasons"][0].startswith("3 live findings at a blocking severity (error or above) are new: ")
    assert doc["reasons"][1] == f"the score fell by {-doc['score_delta']} points, more than 0"
    assert doc["score_delta"] < 0
    # the same change, allowed its score drop, is still worse for its new errors
    code, doc, _ = diff_json(str(old), str(new), "--max-score-drop", "50")
    assert (code, doc["gates"]) == (1, ["blocking"])
    # and nothing blocks under --fail-on never: only the score counts then
    code, doc, _ = diff_json(str(old), str(new), "--max-score-drop", "50", "--fail-on", "never")
    assert (code, doc["gates"], doc["new_blocking"], doc["fail_on"]) == (0, [], [], "never")


def test_fail_on_decides_which_new_findings_block(tmp_path: Path) -> None:
    """A new warning is below the default rubric's fail_on; under --fail-on warning it blocks."""
    new = variant(tmp_path, ("{division: wholesale, count: 3,", "{division: wholesale, count: 1,"))
    code, doc, _ = diff_json(str(NORTHWIND), str(new), "--max-score-drop", "100")
    assert [(f["rule"], f["target"], f["severity"]) for f in doc["introduced"]] == [("INV002", "wholesale", "warning")]
    assert (code, doc["new_blocking"]) == (0, [])
    code, doc, _ = diff_json(str(NORTHWIND), str(new), "--max-score-drop", "100", "--fail-on", "warning")
    assert code == 1 and doc["gates"] == ["blocking"]  # both not ready: Northwind has warnings too
    assert [(f["rule"], f["target"]) for f in doc["new_blocking"]] == [("INV002", "wholesale")]


def test_a_persisting_finding_raised_to_a_blocking_severity_is_new_blocking(tmp_path: Path) -> None:
    """LEG004 escalates when a change that threatens jobs overlaps: the same finding, now an error."""
    two = (
        "    - {id: chg-wms, name: Warehouse management system upgrade, type: system,\n",
        (
            "    - {id: chg-crm, name: Telephony, type: system, divisions: [wholesale], start: 2026-05-04}\n"
            "    - {id: chg-wms, name: Warehouse management system upgrade, type: system,\n"
        ),
    )
    layoff = ("name: Telephony, type: system", "name: Telephony cuts, type: layoff")
    old = variant(tmp_path, two, name="old.yaml")
    new = variant(tmp_path, two, layoff)
    code, doc, _ = diff_json(str(old), str(new), "--max-score-drop", "100")
    assert [(f["rule"], f["target"], f["severity"]) for f in doc["persisting"] if f["rule"] == "LEG004"] == [
        ("LEG004", "wholesale", "error")
    ]
    assert [(f["rule"], f["target"]) for f in doc["new_blocking"]] == [("LEG004", "wholesale")]
    assert code == 1 and "blocking" in doc["gates"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-score-drop", "-1"], "--max-score-drop: expected a number from 0 to 100, got '-1'"),
        (
            ["--max-score-drop", "lots"],
            "--max-score-drop: expected a number from 0 to 100: expected a number written as a decimal literal, got 'lots'",
        ),
        (["--fail-on", "fatal"], "--fail-on: expected error, warning, info or never, got 'fatal'"),
    ],
)
def test_bad_gate_options_are_usage_errors(args: list[str], message: str) -> None:
    result = run_cli("diff", str(NORTHWIND), str(NORTHWIND), *args)
    assert (result.code, result.stdout, result.stderr) == (2, "", f"readiness: error: {message}\n")


@pytest.mark.parametrize("fmt", ["rich", "markdown"])
def test_human_formats_show_waived_and_no_longer_waived(tmp_path: Path, fmt: str) -> None:
    unwaived = variant(tmp_path, NO_WAIVERS)
    result = run_cli("diff", str(unwaived), str(NORTHWIND), "--as-of", "2026-02-02", "--format", fmt)
    text = " ".join(result.stdout.replace("\\", "").split())
    assert "Waived (1)" in text and "No longer waived (0)" in text and "Resolved (0)" in text
    assert "waived by p-cfo until 2026-12-31" in text
    back = run_cli("diff", str(NORTHWIND), str(unwaived), "--as-of", "2026-02-02", "--format", fmt)
    text = " ".join(back.stdout.replace("\\", "").split())
    assert back.code == 1 and "No longer waived (1)" in text and "Introduced (0)" in text
    assert "1 live finding at a blocking severity (error or above) is new: LEG001 rpt-commission-statement" in text
    if fmt == "markdown":
        report = tmp_path / "diff.md"
        report.write_text(back.stdout)
        assert lint_markdown(report) == ""


@pytest.mark.parametrize(
    ("allowed", "reason"),
    [
        ("0", "the score fell by 3.2 points, more than 0"),
        ("3.2", "the score fell by 3.23 points, more than 3.2"),  # the fall is 100/31 = 3.2258...
        ("3.22", "the score fell by 3.23 points, more than 3.22"),
        ("3.225", "the score fell by 3.23 points, more than 3.225"),
    ],
)
def test_a_score_fall_is_shown_precisely_enough_to_be_more_than_the_allowance(
    tmp_path: Path, allowed: str, reason: str
) -> None:
    new = variant(tmp_path, NARROW_SPONSOR)
    code, doc, _ = diff_json(str(NORTHWIND), str(new), "--max-score-drop", allowed, "--fail-on", "never")
    assert (code, doc["gates"], doc["reasons"]) == (1, ["score"], [reason])


def test_a_fall_shown_against_its_allowance_reads_as_more_than_it() -> None:
    assert shown_against(Fraction(1, 30), Decimal(0)) == "0.03"  # not "0.0", which reads as no fall at all
    assert shown_against(Fraction(21, 10), Decimal(2)) == "2.1"
    assert shown_against(Fraction(32249, 10000), Decimal("3.22")) == "3.225"  # 3.22 would read as no more
    assert shown_against(Fraction(2, 1) + Fraction(1, 10**12), Decimal(2)) == "2.000000000001"
