"""Fuzz the whole in-process path with atheris: bytes -> decode -> compose -> validate -> rules ->
score -> every renderer. Anything but a PlanError (a clean, positioned user error) is a finding.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_loader.py -max_total_time=300 fuzz/corpus
"""

from __future__ import annotations

import datetime as dt
import sys

import atheris

with atheris.instrument_imports(include=["readiness"]):
    from readiness.errors import PlanError
    from readiness.loader import decode, load_text
    from readiness.render import Report, github, json_, junit, markdown, sarif, terminal
    from readiness.rubric import load_rubric
    from readiness.rules import rule_names
    from readiness.validate import validate_plan

RUBRIC = load_rubric("sales-led")  # built-in rules and a custom rule
AS_OF = dt.date(2026, 2, 2)


def one(data: bytes) -> None:
    try:
        doc = load_text("fuzz.yaml", decode("fuzz.yaml", data))
        plan = validate_plan(doc, rule_names())
    except PlanError as exc:
        for line in exc.lines():
            assert line.startswith("fuzz.yaml") and ": error: " in line and "\n" not in line, line
        return
    from readiness.engine import evaluate
    from readiness.findings import PlanResult
    from readiness.scoring import score, verdict
    from readiness.timeline import events

    enabled = {r for r in RUBRIC.rules if RUBRIC.runs(r)}
    results, waivers = evaluate(doc, plan, RUBRIC, AS_OF, enabled)
    overall, categories = score(results, RUBRIC, enabled)
    result = PlanResult(
        "fuzz.yaml",
        doc.sha256,
        plan.rollout.name,
        plan.rollout.go_live.isoformat(),
        verdict(results, overall, RUBRIC),
        overall,
        0,
        results,
        categories,
        waivers,
        timeline=events(plan),
    )
    report = Report([result], RUBRIC, AS_OF, "fuzz")
    for renderer in (terminal, markdown, json_, sarif, junit, github):
        assert isinstance(renderer.render(report), str)


def main() -> None:
    atheris.Setup(sys.argv, lambda data: one(bytes(data)))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
