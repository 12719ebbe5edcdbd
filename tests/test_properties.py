"""Property tests (Hypothesis): whatever the input, the loader and the checker end cleanly, and
the same input always gives the same bytes out."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from typing import Any

import html5lib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.errors import PlanError
from readiness.loader import load_text
from readiness.model import plan_schema
from readiness.pipeline import check_plan
from readiness.plan_checks import validate_plan
from readiness.render import render
from readiness.rules import rule_names
from tests.conftest import options, view

AS_OF = dt.date(2026, 2, 2)
# how many examples, and the deadline, come from the profile (tests/conftest.py)
FAST = settings(suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates().map(str),
    st.sampled_from(["no", "off", "yes", "~", "012", "1_000", "12:30", ".inf", "2026-13-45", "all", "x-a"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12) | st.sampled_from(["rollout", "x-k", "id"]), children, max_size=5),
    ),
    max_leaves=30,
)


def _load_and_validate(text: str) -> None:
    try:
        validate_plan(load_text("p.yaml", text), rule_names())
    except PlanError as exc:
        assert exc.problems
        for line in exc.lines():
            assert line.startswith("p.yaml") and ": error: " in line and "\n" not in line


@FAST
@given(documents, st.sampled_from([None, True, False]))
def test_any_yaml_document_is_a_plan_or_a_clean_error(document: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    _load_and_validate(text)


@FAST
@given(st.text(max_size=300))
def test_any_text_is_a_plan_or_a_clean_error(text: str) -> None:
    _load_and_validate(text)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_are_a_plan_or_a_clean_error(data: bytes) -> None:
    from readiness.loader import decode

    try:
        text = decode("p.yaml", data)
    except PlanError:
        return
    _load_and_validate(text)


def from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> st.SearchStrategy[Any]:
    """Instances of the JSON Schema subset that `readiness schema` uses (objects, arrays, anyOf,
    enum, const, patterns, ranges, $ref), drawn so that optional keys come and go."""
    root = root or schema
    if "$ref" in schema:
        return st.deferred(lambda: from_schema(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root))
    if "anyOf" in schema:
        return st.one_of([from_schema(s, root) for s in schema["anyOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = {k: from_schema(v, root) for k, v in properties.items() if k in required}
        optional = {k: from_schema(v, root) for k, v in properties.items() if k not in required}
        return st.fixed_dictionaries(fixed, optional=optional)
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), root), min_size=schema.get("minItems", 0), max_size=3)
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)).map(str)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"].replace("{0,63}", "{0,5}"), fullmatch=True).filter(
                lambda v: v != "all"
            )
        return st.text(max_size=12)
    if kind == "integer":
        return st.integers(schema.get("minimum", -10), schema.get("maximum", 500))
    if kind == "number":
        return st.decimals(schema.get("minimum", -10), schema.get("maximum", 500), places=2).map(str)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.none()


@cache
def _schema() -> dict[str, Any]:
    return plan_schema()


@cache
def report_validator() -> Any:
    """The JSON report's published schema (schema/report-v1.json), which every report drawn here
    must satisfy."""
    import jsonschema

    from tests.conftest import ROOT

    schema = json.loads((ROOT / "schema" / "report-v1.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@settings(suppress_health_check=list(HealthCheck))
@given(st.deferred(lambda: from_schema(_schema())))
def test_any_schema_valid_plan_is_checked_never_an_internal_error(tmp_path_factory: Any, data: dict) -> None:
    folder = tmp_path_factory.mktemp("plans")
    plan = folder / "plan.yaml"
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    run_options = options(as_of=AS_OF)
    first = check_plan(str(plan), run_options)
    assert first.exit_code in (0, 1, 2)
    run = view(run_options)
    report_validator().validate(json.loads(render("json", [first], run)))  # schema/report-v1.json holds
    if first.verdict is not None:
        again = check_plan(str(plan), run_options)
        assert render("json", [first], run) == render("json", [again], run)


# output safety with generated hostile strings ------------------------------------------------

TOKENS = [
    *"ab |`*_[]()#<>!-~:\\\n\r\t\x1b\x07\x00\x9b\u202e\u2066\u200b",
    "[bold]",
    "[/]",
    "](x)",
    "<script>",
    "javascript:",
    "::error::",
    "%0A",
    "\n# ",
    "1. ",
    "- ",
]
hostile = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=20).map("".join)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@given(hostile, hostile)
def test_generated_hostile_text_is_inert_in_every_format(tmp_path_factory: Any, name: str, reason: str) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    plan = folder / "plan.yaml"
    plan.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "rollout": {"name": name, "go_live": "2026-06-01"},
                "organisation": {"divisions": [{"id": "sales", "name": name}]},
                "legacy": {"reports": [{"id": "r1", "name": name, "replaced_by": name, "retire_by": None}]},
                "waivers": [
                    {
                        "rule": "LEG001",
                        "target": "r1",
                        "reason": reason + "x",
                        "owner": name + "x",
                        "expires": "2026-12-31",
                    }
                ],
            }
        )
    )
    run_options = options(as_of=AS_OF)
    result = check_plan(str(plan), run_options)
    if result.verdict is None:  # a blank required name is an error, not a report
        return
    run = view(run_options)
    data = json.loads(render("json", [result], run))
    report_validator().validate(data)
    assert data["plans"][0]["name"] == name  # the data itself is exact
    json.loads(render("sarif", [result], run))
    for fmt in ("rich", "markdown", "html", "junit", "github"):
        text = render(fmt, [result], run)
        assert not _UNSAFE.search(text), fmt
        assert not any(line.lstrip().startswith("::") for line in text.splitlines() if fmt != "github"), fmt
    html5lib.HTMLParser(strict=True).parse(render("html", [result], run))  # any parse error raises
    md = render("markdown", [result], run)
    assert "\n# " not in md.split("\n", 1)[1]  # no forged heading after the title
    for line in md.splitlines():
        if line.startswith("|"):
            assert re.search(r"(?<!\\)\|.*(?<!\\)\|", line)
