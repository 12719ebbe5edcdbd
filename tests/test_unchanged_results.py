"""Plans written before the second round of the catalogue keep their results, byte for byte.

tests/golden/v1-results.txt records, for every plan that existed then (the example plans under
each built-in rubric, and every rule example's plan under its own rubric), every result of the
rules of format v1 (CATALOGUE_V1): rule, target, status, severity, path, line and column, due
date, who acts on it, the divisions it belongs to, its waiver and its message. Those plans use
none of the keys added since, so whatever the catalogue gains, they must give the same results,
except where a rule's known blind spot was closed on purpose: each such change is listed in
CHANGED with the reason, and must happen exactly as listed.

The baseline is not rewritten by ``--update-goldens``: it is the record of what these plans gave,
and only an intended change may differ from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from readiness.engine import evaluate
from readiness.findings import Result
from readiness.loader import load_text
from readiness.options import RunOptions
from readiness.paths import format_path
from readiness.plan_checks import validate_plan
from readiness.reference.rules import case_plan_text, examples
from readiness.rubric import load_rubric
from readiness.rules import registry, rule_names

from .conftest import EXAMPLES, ROOT, v1_catalogue

BASELINE = ROOT / "tests" / "golden" / "v1-results.txt"
#: Example plans that have since gained the new keys, to show them: their v1 text is kept here,
#: and stands for them in the baseline.
EARLIER = {"northwind.yaml": ROOT / "tests" / "plans" / "northwind-v1.yaml"}
RUBRICS = ("default", "strict", "sales-led")
AS_OF = dt.date(2026, 2, 2)

#: (plan label, rubric, rule, result label) -> why its line changed on purpose. The label of a
#: plan is its file, or ``<rule>#<case>`` for a rule example; a result that appears or
#: disappears counts as changed.
CHANGED: dict[tuple[str, str, str, str], str] = {
    ("GOV001#1", "default", "GOV001", "v-impl"): "GOV001 now reads due_diligence.similar_implementations, which "
    "this vetting leaves out: a pass becomes unknown until the plan says how many comparable rollouts the "
    "implementor has delivered",
    ("GOV001#3", "default", "GOV001", "v-impl"): "the same: an empty due diligence now also lacks "
    "similar_implementations, so the unknown names it among the missing fields",
    ("GOV001#2", "default", "GOV001", "(plan)"): "a plan that lists vendors but no implementor, and says nothing "
    "of an internal delivery team, names nobody to vet: unknown instead of a pass with nothing checked",
    ("GOV001#2", "default", "GOV002", "(plan)"): "the same for agreeing success: nobody to agree it with is "
    "named, so unknown instead of a pass with nothing checked",
}


def _line(r: Result) -> str:
    owner = r.owner.label if r.owner is not None else None
    waiver = r.waiver.index if r.waiver is not None else None
    due = r.due.isoformat() if r.due is not None else None
    fields = [r.rule, r.label, r.status, r.severity, format_path(r.path), r.line, r.column, due, owner]
    fields += [list(r.divisions), waiver, r.message]
    return json.dumps(fields, ensure_ascii=False)


def _results(name: str, text: str, rubric: str, as_of: dt.date) -> list[str]:
    doc = load_text(name, text)
    plan = validate_plan(doc, rule_names())
    with v1_catalogue():
        options = RunOptions.make(load_rubric(rubric), as_of)
    results, _ = evaluate(doc, plan, options)
    return [_line(r) for r in results]


def _plans() -> Iterator[tuple[str, str, str, dt.date]]:
    """(label, plan text, rubric, as-of date) of every plan the baseline covers."""
    for path in sorted(EXAMPLES.glob("*.yaml")):
        text = EARLIER.get(path.name, path).read_text(encoding="utf-8")
        for rubric in RUBRICS:
            yield f"examples/{path.name}", text, rubric, AS_OF
    for rule_id in registry():
        spec = examples(rule_id)
        as_of = dt.date.fromisoformat(str(spec.get("as_of", "2026-01-01")))
        for index, case in enumerate(spec["cases"]):
            yield f"{rule_id}#{index}", case_plan_text(case), case.get("rubric", spec.get("rubric", "default")), as_of


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _key(line: str) -> tuple[str, str]:
    rule, label = json.loads(line)[:2]
    return rule, label


Block = dict[tuple[str, str], str]  # (rule, result label) -> the result's line


def _render() -> dict[tuple[str, str], tuple[str, Block]]:
    """(plan digest, rubric) -> (the plan's label, its results), each plan once."""
    out: dict[tuple[str, str], tuple[str, Block]] = {}
    for label, text, rubric, as_of in _plans():
        key = (_digest(text), rubric)
        if key not in out:  # a plan written twice is recorded once, under its first label
            lines = _results(label, text, rubric, as_of)
            block = {_key(line): line for line in lines}
            assert len(block) == len(lines), f"{label}: one result per rule and target"
            out[key] = (label, block)
    return out


def _base(rubric: str) -> Block:
    """The results of the plan every rule example is merged onto: most of each example's."""
    text = case_plan_text({"plan": "{}"})
    return {_key(line): line for line in _results("_base.yaml", text, rubric, AS_OF)}


def _reference(blocks: dict[tuple[str, str], tuple[str, Block]], label: str, digest: str, rubric: str) -> Block:
    """What a block is written as a difference from: an example plan under the default rubric is
    written in full, and under another rubric as it differs from the default; a rule example as
    it differs from the base plan every example is merged onto."""
    if not label.startswith("examples/"):
        return _base(rubric)
    return {} if rubric == "default" else blocks[(digest, "default")][1]


def _write(blocks: dict[tuple[str, str], tuple[str, Block]]) -> str:
    """Each block as its differences from its reference: a line of its own, or ``- [rule,
    label]`` for a result of the reference that it does not have."""
    out = []
    for (digest, rubric), (label, block) in blocks.items():
        out.append(f"## {label} {digest} {rubric}")
        reference = _reference(blocks, label, digest, rubric)
        out += [line for key, line in block.items() if reference.get(key) != line]
        out += [f"- {json.dumps(list(key))}" for key in reference if key not in block]
    return "\n".join(out) + "\n"


def _read() -> dict[tuple[str, str], tuple[str, Block]]:
    blocks: dict[tuple[str, str], tuple[str, Block]] = {}
    block: Block = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            _, label, digest, rubric = line.split(" ")
            block = dict(_reference(blocks, label, digest, rubric))
            blocks[(digest, rubric)] = (label, block)
        elif line.startswith("- "):
            rule, result = json.loads(line[2:])
            del block[(rule, result)]
        elif line:
            block[_key(line)] = line
    return blocks


def test_plans_without_the_new_keys_keep_their_results() -> None:
    before = _read()
    now = _render()
    missing = sorted(label for key, (label, _) in before.items() if key not in now)
    assert not missing, f"plans of the baseline were edited or removed: {missing}"
    changed: set[tuple[str, str, str, str]] = set()
    for key, (label, old) in before.items():
        new = now[key][1]
        for result in old.keys() | new.keys():
            if old.get(result) != new.get(result):
                changed.add((label, key[1], *result))
    unexpected = sorted(changed - CHANGED.keys())
    assert not unexpected, f"results changed that no closed blind spot explains: {unexpected}"
    assert not CHANGED.keys() - changed, f"listed changes that did not happen: {sorted(CHANGED.keys() - changed)}"


def test_the_new_keys_added_to_an_example_change_only_its_positions() -> None:
    """Northwind now records an assurance review, unchanged criteria and the reviewer: the v1
    rules give it the same results as before, only further down the file."""
    for name, earlier in EARLIER.items():
        for rubric in RUBRICS:
            before = _results(name, earlier.read_text(encoding="utf-8"), rubric, AS_OF)
            now = _results(name, (EXAMPLES / name).read_text(encoding="utf-8"), rubric, AS_OF)
            assert [_unplaced(line) for line in now] == [_unplaced(line) for line in before]
            assert now != before  # the positions did move


def _unplaced(line: str) -> list[Any]:
    fields = json.loads(line)
    return fields[:5] + fields[7:]  # without line and column


def write_baseline() -> None:
    """Record the current results as the baseline: done once, before the catalogue's second round."""
    Path(BASELINE).write_text(_write(_render()), encoding="utf-8")


if __name__ == "__main__":
    write_baseline()
