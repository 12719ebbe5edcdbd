"""`readiness diff OLD NEW`: introduced, resolved and persisting findings matched by rule and
target, never by line; score and verdict change; exit 1 when NEW is worse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
    assert {f["line"] for f in doc["persisting"]} == {37, 48, 149}  # positions in NEW, 7 lines down


def test_introduced_resolved_persisting_and_score_change(tmp_path: Path) -> None:
    new = variant(tmp_path, BETTER_CHAMPIONS, SHORT_HYPERCARE, shift=2)
    code, doc, _ = diff_json(str(NORTHWIND), str(new))
    assert code == 1 and doc["worse"] is True
    assert doc["reasons"] == ["the verdict fell from ready to not_ready"]
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
    assert (code, doc["reasons"]) == (1, ["the score fell by 2.2 points, more than 2"])
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
