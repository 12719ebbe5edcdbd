"""Every plan in examples/ gives the outcome recorded in examples/outcomes.json."""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLES, run_cli

EXPECTED = json.loads((EXAMPLES / "outcomes.json").read_text())


def test_every_example_has_an_expectation() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(EXPECTED["plans"])


@pytest.mark.parametrize("name", sorted(EXPECTED["plans"]))
def test_example_outcome(name: str) -> None:
    want = EXPECTED["plans"][name]
    result = run_cli("check", str(EXAMPLES / name), "--as-of", str(EXPECTED["as_of"]), "--format", "json")
    plan = json.loads(result.stdout)["plans"][0]
    assert (result.code, plan["verdict"], plan["score"]) == (want["exit_code"], want["verdict"], want["score"])
    assert result.stderr == ""
