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
    from readiness.options import RunOptions
    from readiness.plan_checks import validate_plan
    from readiness.render import FORMATS, render
    from readiness.reporting import run_view
    from readiness.rubric import load_rubric
    from readiness.rules import rule_names

OPTIONS = RunOptions.make(load_rubric("sales-led"), dt.date(2026, 2, 2))  # built-in rules and a custom rule


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

    results, waivers = evaluate(doc, plan, OPTIONS)
    overall, categories = score(results, OPTIONS)
    result = PlanResult(
        "fuzz.yaml",
        doc.sha256,
        plan.rollout.name,
        plan.rollout.go_live.isoformat(),
        verdict(results, overall, OPTIONS.policy),
        overall,
        0,
        results,
        categories,
        waivers,
        timeline=events(plan),
    )
    view = run_view(OPTIONS, "fuzz")
    for name in FORMATS:
        assert isinstance(render(name, [result], view), str)


def main() -> None:
    atheris.Setup(sys.argv, lambda data: one(bytes(data)))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
