"""Baselines: report and gate on what is new.

``check --write-baseline FILE`` records, for each plan checked, every result that costs it: its
live findings and the results that could not be evaluated. ``check --baseline FILE`` then holds
back the results the file records, counts them, and judges each plan on the rest: a plan fails
the gate only when what is new would make it not ready on its own, that is when its verdict,
computed as if every recorded result passed, is not ready. The plan's own verdict and score are
still reported as they are.

A result is recorded by its plan, its rule and its target id (or its path in the plan when it
has no target id, :func:`readiness.identity.finding_key`), never by its line, so moving text
changes nothing; a new target of a recorded rule is a new finding. Plans are named relative to
the baseline file's directory, so the file holds wherever the run starts and however a plan was
named on the command line. Entries that match nothing are *stale*: the finding was fixed or went
away, and rewriting the file drops them.

The file is JSON, one entry per line, sorted, with a schema version::

    {
      "schema_version": 1,
      "findings": [
        {"plan": "plans/acme.yaml", "rule": "GOV005", "path": "rollout.go_no_go"},
        {"plan": "plans/acme.yaml", "rule": "INV002", "target": "customer-care"},
        {"plan": "plans/acme.yaml", "rule": "TIME002", "path": "", "status": "unknown"}
      ]
    }

It is read through the plan loader (JSON is YAML), so a broken file is reported by position.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from readiness.errors import PlanError, ReadinessError
from readiness.findings import BaselineStatus, PlanResult, Result
from readiness.identity import finding_key
from readiness.limits import MAX_BYTES
from readiness.loader import load
from readiness.options import RunOptions
from readiness.scoring import score, verdict
from readiness.text import json_safe
from readiness.types import Absent, PositiveInt, Text, enum_checks, int_checks
from readiness.validation import Collector, validate_model

SCHEMA_VERSION = 1
RECORDED = ("fail", "unknown")  # the statuses that cost a plan, and that a baseline records

Key = tuple[str, str | None, str | None, str]  # rule, target, path, status


class BaselineError(ReadinessError):
    """The baseline file cannot be read or is not a baseline."""


class EntryFile(BaseModel):
    """One recorded result."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    plan: Text = Field(description="The plan, relative to the baseline file's directory, with / separators.")
    rule: Text = Field(description="The rule's ID.")
    target: Absent[Text] = Field(None, description="The target id; absent for a result named by its path.")
    path: Absent[str] = Field(None, description="The path in the plan, for a result without a target id.")
    status: Absent[Annotated[str, *enum_checks(RECORDED)]] = Field(
        None, description="unknown for a result that could not be evaluated; absent for a live finding."
    )
    count: Absent[PositiveInt] = Field(None, description="How many results share this entry, when more than one.")


class BaselineFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    schema_version: Annotated[Literal[1], *int_checks(1, 1)] = Field(description="Format version: 1.")
    findings: list[EntryFile] = Field(description="The recorded results, sorted.")


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline: for each plan (named relative to ``folder``), how many results of each
    key it records."""

    file: str  # as given
    folder: str  # the absolute directory plans are named relative to
    plans: dict[str, Counter[Key]]

    def name(self, path: str) -> str:
        return plan_name(path, self.folder)


def plan_name(path: str, folder: str) -> str:
    """A plan as a baseline names it: relative to the baseline's directory, ``/`` separators
    (``-``, standard input, stays ``-``)."""
    if path == "-":
        return "-"
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, folder)
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


def result_key(r: Result) -> Key:
    rule, target, path = finding_key(r)
    return (rule, target, path, r.status)


def empty(file: str) -> Baseline:
    return Baseline(file, os.path.dirname(os.path.abspath(file)), {})


def load_baseline(file: str, max_bytes: int = MAX_BYTES) -> Baseline:
    """Read and validate a baseline file; raises :class:`BaselineError`."""
    try:
        doc = load(file, max_bytes)
    except PlanError as exc:
        raise BaselineError(exc.file, exc.problems, exc.omitted) from None
    found = Collector(doc)
    spec = validate_model(doc, BaselineFile, doc.data, found)
    if spec is not None:
        for index, entry in enumerate(spec.findings):
            if (entry.target is None) == (entry.path is None):
                found.add_at(("findings", index), "give either target or path, not both or neither")
    if spec is None or found.total:
        raise found.error(BaselineError)
    plans: dict[str, Counter[Key]] = {}
    for entry in spec.findings:
        key = (entry.rule, entry.target, entry.path, entry.status or "fail")
        plans.setdefault(entry.plan, Counter())[key] += entry.count or 1
    return Baseline(file, os.path.dirname(os.path.abspath(file)), plans)


def apply(result: PlanResult, baseline: Baseline, options: RunOptions) -> PlanResult:
    """``result`` with the results ``baseline`` records held back and counted, its stale entries
    noted, and its exit code the gate's: 1 when the plan, judged as if every recorded result
    passed, is not ready. A plan that could not be checked is left as it is."""
    if result.verdict is None:
        return result
    recorded = Counter(baseline.plans.get(baseline.name(result.path), Counter()))
    shown: list[Result] = []
    held = 0
    judged: list[Result] = []
    for r in result.results:
        key = result_key(r) if r.status in RECORDED else None
        if key is not None and recorded[key] > 0:
            recorded[key] -= 1
            held += 1
            judged.append(replace(r, status="pass"))
            continue
        shown.append(r)
        judged.append(r)
    stale = tuple(
        (rule, target, path, status, count)
        for (rule, target, path, status), count in sorted(recorded.items(), key=_order)
        if count > 0
    )
    gate = verdict(judged, score(judged, options)[0], options.policy)
    return replace(
        result,
        results=shown,
        exit_code=0 if gate == "ready" else 1,
        baseline=BaselineStatus(baseline.file, held, stale),
    )


def _order(item: tuple[Key, int]) -> tuple[str, str, str, str]:
    (rule, target, path, status), _ = item
    return (rule, target or "", path or "", status)


class Recorder:
    """``--write-baseline``: the baseline of a run, built a plan at a time. Each checked plan's
    recorded results replace its entries in ``previous`` (the file being rewritten, when it
    exists); entries of plans not checked now, or that could not be checked, are kept while the
    plan's file exists, so rewriting the file for some plans keeps the others and drops plans
    that were deleted."""

    def __init__(self, previous: Baseline) -> None:
        self.previous = previous
        self.plans: dict[str, Counter[Key]] = {}

    def add(self, p: PlanResult) -> Baseline:
        """Record one plan; returns the baseline that holds just its entries, to judge it by."""
        name = self.previous.name(p.path)
        counts: Counter[Key] = Counter(result_key(r) for r in p.results if r.status in RECORDED)
        if p.verdict is not None:
            self.plans[name] = counts
        return Baseline(self.previous.file, self.previous.folder, {name: counts})

    def text(self) -> str:
        plans = dict(self.plans)
        for name, counts in self.previous.plans.items():
            if name not in plans and name != "-" and os.path.isfile(os.path.join(self.previous.folder, name)):
                plans[name] = counts
        return baseline_text(plans)


def baseline_text(plans: dict[str, Counter[Key]]) -> str:
    """The file: entries sorted by plan, rule, target or path and status, one per line."""
    lines = []
    for name in sorted(plans):
        for (rule, target, path, status), count in sorted(plans[name].items(), key=_order):
            entry: dict[str, object] = {"plan": name, "rule": rule}
            if target is not None:
                entry["target"] = target
            else:
                entry["path"] = path
            if status != "fail":
                entry["status"] = status
            if count > 1:
                entry["count"] = count
            lines.append("    " + json_safe(json.dumps(entry, ensure_ascii=False)))
    body = ",\n".join(lines)
    findings = f"[\n{body}\n  ]" if lines else "[]"
    return f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "findings": {findings}\n}}\n'
