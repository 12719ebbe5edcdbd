"""`readiness schema` is a valid JSON Schema that accepts every example plan, checked with an
independent validator (jsonschema) on data read by an independent YAML loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from .conftest import EXAMPLES, ROOT, check_generated, run_cli


def _plain(node: Any) -> Any:
    """PyYAML's YAML 1.1 reading, with dates back as the strings they were written as."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = run_cli("schema")
    assert result.code == 0
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_schema_is_a_valid_json_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("plan", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_validates(schema: dict[str, Any], plan: Path) -> None:
    data = _plain(yaml.safe_load(plan.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_rejects_what_the_model_rejects(schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    base = {
        "schema_version": 1,
        "rollout": {"name": "A", "go_live": "2026-06-01"},
        "organisation": {"divisions": [{"id": "sales", "name": "Sales"}]},
    }
    assert validator.is_valid(base)
    assert validator.is_valid({**base, "x-anything": {"a": [1]}})
    assert not validator.is_valid({**base, "colour": "red"})
    assert not validator.is_valid({**base, "schema_version": 2})
    assert not validator.is_valid({**base, "rollout": {"name": "A", "go_live": "2026-06-01", "approach": "bigbang"}})


@pytest.mark.parametrize(
    ("name", "args"), [("plan-v1.json", []), ("rubric-v1.json", ["--rubric"]), ("report-v1.json", ["--report"])]
)
def test_published_schemas_are_in_sync(name: str, args: list[str], update_goldens: bool) -> None:
    check_generated(ROOT / "schema" / name, run_cli("schema", *args).stdout, update_goldens)


def test_rubric_schema_accepts_every_built_in_rubric() -> None:
    schema = json.loads(run_cli("schema", "--rubric").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for rubric in sorted((ROOT / "rubrics").glob("*.yaml")):
        jsonschema.Draft202012Validator(schema).validate(_plain(yaml.safe_load(rubric.read_text())))
    assert not jsonschema.Draft202012Validator(schema).is_valid({"name": "x", "fail_on": "sometimes"})


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every property of every object in ``schema``, as (model.field, its schema)."""
    found = [(f"(top).{k}", v) for k, v in schema.get("properties", {}).items()]
    for name, definition in schema.get("$defs", {}).items():
        found += [(f"{name}.{k}", v) for k, v in definition.get("properties", {}).items()]
    return found


@pytest.mark.parametrize("args", [[], ["--rubric"]], ids=["plan", "rubric"])
def test_every_field_has_a_description_for_editors(args: list[str]) -> None:
    """The YAML language server shows a field's description on hover; without one, only its title."""
    schema = json.loads(run_cli("schema", *args).stdout)
    fields = _properties(schema)
    assert len(fields) > (150 if not args else 35)
    missing = [name for name, field in fields if not field.get("description")]
    assert missing == []
    long = [name for name, field in fields if "\n" in field["description"] or len(field["description"]) > 160]
    assert long == []


def test_the_reserved_id_has_a_readable_schema_message(schema: dict[str, Any]) -> None:
    """A `not` schema makes the YAML language server say only "Matches a schema that is not allowed"."""
    assert '"not"' not in json.dumps(schema)
    person = schema["$defs"]["Person"]["properties"]["id"]
    assert "'all' is reserved" in person["patternErrorMessage"]
    validator = jsonschema.Draft202012Validator(schema)
    base = {
        "schema_version": 1,
        "rollout": {"name": "A", "go_live": "2026-06-01"},
        "organisation": {"divisions": [{"id": "sales", "name": "Sales"}]},
    }
    for ident, ok in [("all", False), ("all-stores", True), ("tall", True), ("-x", False), ("a" * 65, False)]:
        plan = {**base, "organisation": {"divisions": [{"id": ident, "name": "Sales"}]}}
        assert validator.is_valid(plan) is ok, ident
    refs = {**base, "sponsor": {"primary": "all"}}
    assert validator.is_valid(refs), "a reference may hold any well-formed id; only definitions reserve 'all'"


def test_the_plan_format_reference_is_generated_from_the_models(update_goldens: bool) -> None:
    from readiness.reference import plan

    check_generated(ROOT / "docs" / "plan-format.md", plan.render(), update_goldens)
