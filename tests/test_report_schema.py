"""schema/report-v1.json, the JSON Schema of ``--format json``, kept in line with the renderer:
every JSON golden file validates against it, as do reports of invalid plans, internal errors and
several plans (the property tests validate theirs too), and it describes every key the nested
objects of a report hold."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .conftest import MINIMAL, NORTHWIND, ROOT, run_cli, run_process

GOLDEN = Path(__file__).parent / "golden"
JSON_GOLDENS = sorted([*GOLDEN.glob("*.json.json"), GOLDEN / "northwind-default.json"])


@cache
def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((ROOT / "schema" / "report-v1.json").read_text())
    return schema


def validate(document: Any) -> None:
    jsonschema.Draft202012Validator(report_schema(), format_checker=jsonschema.FormatChecker()).validate(document)


def test_the_report_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema())
    assert report_schema()["$id"].endswith("/schema/report-v1.json")


def test_schema_report_prints_the_published_file() -> None:
    result = run_cli("schema", "--report")
    assert result.code == 0 and json.loads(result.stdout) == report_schema()
    assert run_cli("schema", "--report", "--rubric").code == 2


@pytest.mark.parametrize("golden", JSON_GOLDENS, ids=lambda p: p.name)
def test_every_json_golden_validates(golden: Path) -> None:
    document = json.loads(golden.read_text())
    for plan in document["plans"]:
        if plan["sha256"] == "ELIDED":  # the contract's worked example leaves it out
            plan["sha256"] = "0" * 64
    validate(document)


def test_reports_of_plans_that_could_not_be_checked_validate(tmp_path: Path) -> None:
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon"))
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    result = run_cli(
        "check", str(NORTHWIND), str(invalid), str(empty), str(tmp_path / "nothing*.yaml"), "--format", "json"
    )
    document = json.loads(result.stdout)
    validate(document)
    assert sorted(p["exit_code"] for p in document["plans"]) == [0, 2, 2, 2]


def test_an_internal_error_validates(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "def boom(*a, **k): raise RuntimeError('bug')\n"
        "import readiness.pipeline as p\n"
        "p.Judge = boom\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', {str(NORTHWIND)!r}, '--format', 'json', '--jobs', '1']\n"
        "main()\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 3
    document = json.loads(done.stdout)
    validate(document)
    assert document["plans"][0]["exit_code"] == 3


def test_the_schema_rejects_what_the_contract_rules_out() -> None:
    document = json.loads((GOLDEN / "northwind.json.json").read_text())
    validate(document)
    plan = document["plans"][0]
    for broken in (
        {**document, "schema_version": 2},
        {**document, "plans": [{**plan, "verdict": "maybe"}]},
        {**document, "plans": [{**plan, "score": None}]},
        {**document, "plans": [{k: v for k, v in plan.items() if k != "findings"}]},
        {**document, "plans": [{**plan, "findings": [{**plan["findings"][0], "status": "pass"}]}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)
    validate({**document, "later_key": {"added": "in 1.x"}, "plans": [{**plan, "later_plan_key": [1, 2]}]})


def _described(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _described(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    for choice in node.get("anyOf", []):
        if choice.get("type") != "null":
            return _described(schema, choice)
    return node


def _unlisted(schema: dict[str, Any], node: dict[str, Any], value: Any, where: str) -> list[str]:
    """Keys of ``value`` (below the plan level) that ``node`` does not describe."""
    node = _described(schema, node)
    missing: list[str] = []
    if isinstance(value, dict) and "properties" in node:
        for key, item in value.items():
            if key not in node["properties"]:
                missing.append(f"{where}.{key}")
            else:
                missing += _unlisted(schema, node["properties"][key], item, f"{where}.{key}")
    elif isinstance(value, list) and "items" in node:
        for item in value:
            missing += _unlisted(schema, node["items"], item, f"{where}[]")
    return missing


def test_the_schema_describes_every_key_of_the_objects_in_a_report(tmp_path: Path) -> None:
    """Document- and plan-level keys added within version 1 validate (the schema is open) but
    must be described there too; the objects inside a plan are checked key by key."""
    schema = report_schema()
    documents = [json.loads(golden.read_text()) for golden in JSON_GOLDENS]  # keys, not values, matter here
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("schema_version: 2\n")
    documents.append(json.loads(run_cli("check", str(invalid), "--format", "json").stdout))
    fixed = tmp_path / "plan.yaml"
    fixed.write_text(NORTHWIND.read_text())
    baseline = str(tmp_path / "baseline.json")
    run_cli("check", str(fixed), "--write-baseline", baseline)
    fixed.write_text(NORTHWIND.read_text().replace("count: 3, allocation_pct: 10, selected_on: 2026-02-13", "count: 9"))
    with_baseline = json.loads(run_cli("check", str(fixed), "--baseline", baseline, "--format", "json").stdout)
    assert with_baseline["plans"][0]["baseline"]["stale"]  # every key of a stale entry is there to check
    documents.append(with_baseline)
    for document in documents:
        assert set(document) <= set(schema["properties"])
        for key in ("tool", "rubric"):
            assert _unlisted(schema, schema["properties"][key], document[key], key) == []
        for plan in document["plans"]:
            kind = "CheckedPlan" if plan["verdict"] is not None else "UncheckedPlan"
            properties = schema["$defs"][kind]["properties"]
            for key, value in plan.items():
                if key in properties:
                    assert _unlisted(schema, properties[key], value, key) == []


def test_report_schema_from_the_console_process() -> None:
    done = run_process("schema", "--report")
    assert done.code == 0 and json.loads(done.stdout)["title"].startswith("readiness report")
