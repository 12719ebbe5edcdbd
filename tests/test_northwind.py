"""The worked example of plan-format.md §6.1, rubrics.md §6.1 and cli.md, asserted from the CLI's
JSON: the whole document must equal the one the contract shows (only sha256 is elided there)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .conftest import ROOT, run_cli

GOLDEN = Path(__file__).parent / "golden" / "northwind-default.json"
NORTHWIND_V1 = Path(__file__).parent / "plans" / "northwind-v1.yaml"
# what version 1 of the document gained after the contract's example was written (docs/json.md)
ADDED_TO_PLANS = ["verdict_reasons", "actions", "top_risks", "divisions", "forecast"]
ADDED_TO_FINDINGS = ["owner", "due", "divisions"]  # and "question" on an unknown result


def as_first_published(doc: dict) -> dict:
    """The document without the additions: what the contract's example shows."""
    for plan in doc["plans"]:
        for key in ADDED_TO_PLANS:
            del plan[key]
        for finding in plan["findings"]:
            for key in ADDED_TO_FINDINGS:
                del finding[key]
            finding.pop("question", None)
    return doc


def northwind_json(*extra: str) -> tuple[int, str]:
    result = run_cli("check", "examples/northwind.yaml", "--format", "json", *extra)
    return result.code, result.stdout


def test_json_matches_the_contract(monkeypatch: object, tmp_path: Path) -> None:
    """The contract shows Northwind as the specification prints it (tests/plans/northwind-v1.yaml),
    under its usual name; examples/northwind.yaml has since gained the keys of the assurance
    rules, which moved its lines."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "northwind.yaml").write_bytes(NORTHWIND_V1.read_bytes())
    monkeypatch.chdir(tmp_path)  # type: ignore[attr-defined]
    code, out = northwind_json("--as-of", "2026-02-02")
    assert code == 0
    doc = json.loads(out)
    assert doc["plans"][0]["sha256"] == hashlib.sha256(NORTHWIND_V1.read_bytes()).hexdigest()
    doc["plans"][0]["sha256"] = "ELIDED"
    assert list(doc) == ["schema_version", "tool", "as_of", "rubric", "plans"]
    assert list(doc["plans"][0]) == [
        "path",
        "sha256",
        "name",
        "go_live",
        "verdict",
        "score",
        "exit_code",
        "categories",
        "findings",
        "waivers",
        "summary",
        *ADDED_TO_PLANS,
    ]
    assert list(doc["plans"][0]["findings"][0])[-5:] == ["remediation", *ADDED_TO_FINDINGS, "waiver"]
    assert as_first_published(doc) == json.loads(GOLDEN.read_text())


def test_json_is_byte_identical_across_runs(monkeypatch: object) -> None:
    monkeypatch.chdir(ROOT)  # type: ignore[attr-defined]
    assert northwind_json("--as-of", "2026-02-02") == northwind_json("--as-of", "2026-02-02")


def test_strict_blocks_on_warnings_and_flags_the_long_waiver(monkeypatch: object) -> None:
    monkeypatch.chdir(ROOT)  # type: ignore[attr-defined]
    code, out = northwind_json("--as-of", "2026-02-02", "--rubric", "strict")
    plan = json.loads(out)["plans"][0]
    assert (code, plan["verdict"], plan["score"]) == (1, "not_ready", 93.5)
    plan003 = [f for f in plan["findings"] if f["rule"] == "PLAN003"]
    assert plan003 == [
        {
            "rule": "PLAN003",
            "slug": "waiver-too-long",
            "category": "PLAN",
            "severity": "warning",
            "status": "fail",
            "target": None,
            "path": "waivers[0]",
            "line": 223,
            "column": 5,
            "message": "Waiver for LEG001 on rpt-commission-statement runs until 2026-12-31, 332 days ahead (limit 90).",
            "remediation": "Shorten the waiver and renew it if the reason still holds.",
            "owner": {"id": "p-cfo", "name": "Priya Raman", "role": "waiver owner"},
            "due": None,
            "divisions": [],
            "waiver": None,
        }
    ]


def test_expired_waiver_makes_the_finding_live_again(monkeypatch: object) -> None:
    monkeypatch.chdir(ROOT)  # type: ignore[attr-defined]
    code, out = northwind_json("--as-of", "2027-01-01")
    plan = json.loads(out)["plans"][0]
    assert (code, plan["verdict"]) == (1, "not_ready")
    live = {(f["rule"], f["status"], f["severity"]) for f in plan["findings"]}
    assert ("LEG001", "fail", "error") in live and ("PLAN002", "fail", "info") in live
    assert plan["waivers"][0]["state"] == "expired"


def test_no_waivers_flag_forbids_them(monkeypatch: object) -> None:
    monkeypatch.chdir(ROOT)  # type: ignore[attr-defined]
    code, out = northwind_json("--as-of", "2026-02-02", "--no-waivers")
    doc = json.loads(out)
    assert doc["rubric"]["waivers"] == "forbidden"
    plan = doc["plans"][0]
    assert code == 1 and plan["waivers"][0]["state"] == "forbidden"
    assert not [f for f in plan["findings"] if f["rule"].startswith("PLAN")]
