"""The forecast (readiness.forecast) says exactly what checking every single day would show: each
change on the day it happens, and nothing on the days nothing changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.engine import Judge
from readiness.findings import Forecast
from readiness.forecast import forecast
from readiness.loader import load_text
from readiness.options import RunOptions
from readiness.plan_checks import validate_plan
from readiness.rubric import load_rubric
from readiness.rules import rule_names
from readiness.scoring import score, verdict
from tests.conftest import EXAMPLES

AS_OF = dt.date(2026, 2, 2)
RUBRIC = """\
name: tight
extends: default
max_waivers: {max_waivers}
max_waiver_days: {max_days}
fail_on: {fail_on}
"""


def snapshot(judge: Judge, day: dt.date) -> dict[str, Any]:
    """The plan as a check on ``day`` judges it, through the same path as ``readiness check``."""
    results, states, _ = judge.on(day)
    overall, _ = score(results, judge.options)
    return {
        "verdict": verdict(results, overall, judge.options.policy),
        "score": overall,
        "results": {(r.rule, r.label): r.status for r in results},
        "waivers": {s.index: s.state for s in states},
        "overdue": {(r.rule, r.label) for r in results if r.status == "fail" and r.due is not None and r.due < day},
    }


def replay(judge: Judge, start: dt.date, end: dt.date, told: Forecast) -> None:
    """Check every day from ``start`` to ``end`` and compare with what the forecast said."""
    assert told.start == start and told.end == end
    by_day = {d.date: d for d in told.days}
    assert len(by_day) == len(told.days) and all(start < d <= end for d in by_day)
    state = snapshot(judge, start)
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        truth = snapshot(judge, day)
        moved = by_day.get(day)
        if moved is None:
            assert truth == state, f"{day}: a change the forecast does not tell"
            continue
        assert moved.changes, day
        was_live = {k for k, status in state["results"].items() if status == "fail"}
        for change in moved.changes:
            if change.kind == "result":
                assert state["results"].get((change.rule, change.label)) == change.before, (day, change)
                if change.after is None:
                    del state["results"][(change.rule, change.label)]
                else:
                    state["results"][(change.rule, change.label)] = change.after
            elif change.kind == "waiver":
                index = change.path[1]
                assert state["waivers"][index] == change.before, (day, change)
                state["waivers"][index] = change.after
            else:
                assert change.kind == "overdue" and state["results"][(change.rule, change.label)] == "fail"
        if moved.verdict is not None:
            assert moved.verdict[0] == state["verdict"]
            state["verdict"] = moved.verdict[1]
        if moved.score is not None:
            assert moved.score[0] == state["score"]
            state["score"] = moved.score[1]
        # a finding whose due date passed the day before is told overdue; one that comes back
        # live after its due date (its waiver expired) is told by its change of status
        overdue = {(c.rule, c.label) for c in moved.changes if c.kind == "overdue"}
        assert overdue == (truth["overdue"] - state["overdue"]) & was_live, day
        state["overdue"] = truth["overdue"]
        assert state == truth, day


def judge_of(text: str, options: RunOptions) -> Judge:
    doc = load_text("plan.yaml", text)
    return Judge(doc, validate_plan(doc, rule_names()), options)


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
@pytest.mark.parametrize("rubric", ["default", "strict"])
def test_the_forecast_of_each_example_equals_checking_every_day(example: str, rubric: str) -> None:
    options = RunOptions.make(load_rubric(rubric), AS_OF)
    judge = judge_of((EXAMPLES / example).read_text(), options)
    results, states, _ = judge.on(AS_OF)
    told = forecast(judge, results, states, AS_OF)
    replay(judge, AS_OF, told.end, told)


def test_northwinds_waiver_expires_on_the_day_after_its_date() -> None:
    options = RunOptions.make(load_rubric("default"), dt.date(2026, 12, 1))
    text = (EXAMPLES / "northwind.yaml").read_text()
    judge = judge_of(text, options)
    results, states, _ = judge.on(options.as_of)
    told = forecast(judge, results, states, options.as_of, dt.date(2027, 2, 1))
    (day,) = told.days
    assert day.date == dt.date(2027, 1, 1)
    kinds = {(c.kind, c.rule, c.before, c.after) for c in day.changes}
    assert ("waiver", "LEG001", "applied", "expired") in kinds
    assert ("result", "LEG001", "waived", "fail") in kinds
    assert ("result", "PLAN002", "pass", "fail") in kinds
    assert day.verdict == ("ready", "not_ready")


FAILING = ["LEAD001", "LEAD004", "COMM003", "LEG001", "LEG003", "TIME001", "GOV005", "VAL001"]
TARGETS = [None, "sales-amer", "sales-emea", "sales-apac", "rpt-emea-pipeline", "sales-rep"]

waivers = st.lists(
    st.fixed_dictionaries(
        {
            "rule": st.sampled_from(FAILING),
            "target": st.sampled_from(TARGETS),
            "expires": st.integers(-5, 70).map(lambda n: (AS_OF + dt.timedelta(days=n)).isoformat()),
        }
    ),
    max_size=8,
)


@settings(suppress_health_check=list(HealthCheck), max_examples=40, deadline=None)
@given(
    waivers,
    st.sampled_from(["null", "0", "1", "3"]),
    st.sampled_from(["null", "1", "20", "45"]),
    st.sampled_from(["error", "warning", "never"]),
)
def test_the_forecast_of_generated_waivers_equals_checking_every_day(
    tmp_path_factory: Any, drawn: list[dict[str, Any]], max_waivers: str, max_days: str, fail_on: str
) -> None:
    folder: Path = tmp_path_factory.mktemp("rubric")
    (folder / "tight.yaml").write_text(RUBRIC.format(max_waivers=max_waivers, max_days=max_days, fail_on=fail_on))
    options = RunOptions.make(load_rubric(str(folder / "tight.yaml")), AS_OF)
    plan = yaml.safe_load((EXAMPLES / "s1-leader-keeps-old-reports.yaml").read_text())
    plan["waivers"] = [
        {
            "rule": w["rule"],
            **({"target": w["target"]} if w["target"] else {}),
            "reason": "r",
            "owner": "o",
            "expires": w["expires"],
        }
        for w in drawn
    ]
    judge = judge_of(yaml.safe_dump(plan), options)
    results, states, _ = judge.on(AS_OF)
    end = AS_OF + dt.timedelta(days=75)
    replay(judge, AS_OF, end, forecast(judge, results, states, AS_OF, end))


# the command and the reports ------------------------------------------------------------------------


def test_the_forecast_command_lists_each_date_in_every_format(tmp_path: Path) -> None:
    from tests.conftest import NORTHWIND, run_cli

    args = ("forecast", str(NORTHWIND), "--as-of", "2026-12-01", "--until", "2027-02-01")
    rich = run_cli(*args)
    assert rich.code == 0, rich.stderr
    flat = " ".join(rich.stdout.split())
    assert "If the plan stays as written, from 2026-12-01 to 2027-02-01: 4 changes on 1 date" in flat
    assert "2027-01-01 Waiver for LEG001 on rpt-commission-statement expired on 2026-12-31." in flat
    assert "LEG001 [rpt-commission-statement] waived -> fail error" in flat
    assert "verdict ready -> not ready; score 93.5 -> 90.3" in flat
    markdown = run_cli(*args, "--format", "markdown").stdout
    assert "- **2027-01-01**: " in markdown and "the verdict turns not ready" in markdown
    out = tmp_path / "f.json"
    assert run_cli(*args, "--format", f"json={out}").code == 0
    (plan,) = yaml.safe_load(out.read_text())["plans"]
    assert plan["forecast"]["from"] == "2026-12-01" and plan["forecast"]["to"] == "2027-02-01"
    (day,) = plan["forecast"]["dates"]
    assert day["date"] == "2027-01-01" and day["verdict"] == {"from": "ready", "to": "not_ready"}
    quiet = run_cli("forecast", str(NORTHWIND), "--as-of", "2026-02-02", "--until", "2026-03-01")
    assert "Nothing changes from 2026-02-02 to 2026-03-01 if the plan stays as written." in quiet.stdout


def test_the_forecast_command_exits_like_check_and_refuses_bad_input(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL, NORTHWIND, run_cli

    strict = run_cli("forecast", str(NORTHWIND), "--as-of", "2026-02-02", "--rubric", "strict")
    assert strict.code == 1
    assert run_cli("forecast", str(NORTHWIND), "--as-of", "2026-02-02", "--rubric", "strict", "--exit-zero").code == 0
    backwards = run_cli("forecast", str(NORTHWIND), "--as-of", "2026-02-02", "--until", "2026-01-01")
    assert backwards.code == 2 and "--until 2026-01-01 is before --as-of 2026-02-02" in backwards.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon"))
    out = tmp_path / "f.json"
    result = run_cli("forecast", str(bad), "--format", f"json={out}")
    assert result.code == 2 and "rollout.go_live" in result.stderr
    assert yaml.safe_load(out.read_text())["plans"][0]["errors"][0]["path"] == "rollout.go_live"


def test_reports_show_the_next_30_days() -> None:
    from tests.conftest import NORTHWIND, run_cli

    rich = " ".join(run_cli("check", str(NORTHWIND), "--as-of", "2026-12-10").stdout.split())
    assert "Next 30 days (if the plan stays as written) 2027-01-01 Waiver for LEG001" in rich
    calm = " ".join(run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02").stdout.split())
    assert "Next 30 days Nothing changes until 2026-03-04 if the plan stays as written; the next change" in calm
    markdown = run_cli("check", str(NORTHWIND), "--as-of", "2026-12-10", "--format", "markdown").stdout
    assert "## Next 30 days" in markdown and "- 2027-01-01: Waiver for LEG001" in markdown
