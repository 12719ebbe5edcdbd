"""The seed table of rules.md §14, asserted from the CLI's JSON: on each seed plan the must-fire
rules fail (on at least the targets given) and the must-not-fire rules pass."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import EXAMPLES, run_cli

ALL = None  # a plan-level rule: the finding has no target

SEEDS: dict[str, dict[str, Any]] = {
    "s1-leader-keeps-old-reports.yaml": {
        "fire": {
            "LEAD001": ["sales-amer", "sales-emea", "sales-apac"],
            "LEAD004": ["sales-amer", "sales-emea", "sales-apac"],
            "COMM003": ["sales-amer", "sales-emea", "sales-apac"],
            "LEG001": ["rpt-emea-pipeline"],
            "LEG002": ["sales-rep"],
            "LEG003": ["sales-rep"],
            "TIME004": [ALL],
        },
        "quiet": ["LEAD002", "LEAD003", "COMM001", "COMM002", "COMM005", "TRAIN001", "TRAIN002"],
    },
    "s2-unvetted-implementor.yaml": {
        "fire": {
            "GOV001": ["v-integrator"],
            "GOV002": ["v-integrator"],
            "GOV003": [ALL],
            "TRAIN001": ["ops-na", "ops-eu"],
            "LEAD004": ["ops-na", "ops-eu"],
            "INV005": [ALL],
        },
        "quiet": ["LEAD001", "LEAD002"],
    },
    "s3-silent-until-launch.yaml": {
        "fire": {
            "COMM001": [ALL],
            "COMM002": [ALL],
            "COMM003": ["sales", "marketing", "service", "ebusiness"],
            "LEAD003": [ALL],
            "TRAIN003": [ALL],
        },
        "quiet": ["INV001", "INV005", "COMM005", "TRAIN001"],
    },
    "s4-turf-and-fax.yaml": {
        "fire": {
            "INV001": ["customer-service", "order-desk"],
            "INV003": [ALL],
            "INV004": ["order-entry"],
            "CUST002": ["small-business"],
        },
        "quiet": ["CUST001"],
    },
    "s5-sales-data-entry.yaml": {
        "fire": {
            "ADOPT001": ["field-rep"],
            "ADOPT002": ["field-rep"],
            "ADOPT003": ["field-rep"],
            "LEG003": ["field-rep"],
            "VAL001": [ALL],
            "VAL003": [ALL],
            "GOV004": [ALL],
        },
        "quiet": [],
        "quiet_targets": {"ADOPT001": "sales-manager", "ADOPT002": "sales-manager", "ADOPT003": "sales-manager"},
    },
}


def findings(name: str) -> list[dict[str, Any]]:
    result = run_cli("check", str(EXAMPLES / name), "--as-of", "2026-02-02", "--format", "json")
    assert result.code in (0, 1), result.stderr
    plan = json.loads(result.stdout)["plans"][0]
    return plan["findings"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_must_fire(name: str) -> None:
    failing = {(f["rule"], f["target"]) for f in findings(name) if f["status"] == "fail"}
    for rule, targets in SEEDS[name]["fire"].items():
        for target in targets:
            assert (rule, target) in failing, f"{rule} must fail on {target or '(plan)'}"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_must_not_fire(name: str) -> None:
    found = findings(name)
    for rule in SEEDS[name]["quiet"]:
        assert not [f for f in found if f["rule"] == rule], f"{rule} must pass"
    for rule, target in SEEDS[name].get("quiet_targets", {}).items():
        assert not [f for f in found if f["rule"] == rule and f["target"] == target], f"{rule} on {target}"


#: The seed stories say nothing of assurance reviews, changed go/no-go criteria, the share of a
#: first wave or hours of training per role, so the rules added after format v1 ask about them on
#: every seed instead of passing or failing; S1 goes live all at once, which TIME004 judges and
#: TIME005 leaves alone.
ASKED = {"GOV006", "GOV007", "TIME005", "TRAIN005"}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_rules_added_after_v1_ask_rather_than_judge_the_seeds(name: str) -> None:
    result = run_cli("check", str(EXAMPLES / name), "--as-of", "2026-02-02", "--format", "json", live=True)
    found = json.loads(result.stdout)["plans"][0]["findings"]
    statuses = {f["status"] for f in found if f["rule"] in ASKED}
    asked = {f["rule"] for f in found if f["rule"] in ASKED}
    assert statuses == {"unknown"}
    assert asked == (ASKED - {"TIME005"} if name.startswith("s1-") else ASKED)
