"""What the reports for people (Markdown and HTML) say, section by section, as plain text.

Every function here returns text that may hold plan text: each format escapes it for itself
(Markdown with its own escaping, HTML by Jinja's autoescape). Nothing here is markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

from readiness.findings import REPORT_ORDER, Action, Change, ForecastDay, PlanResult, Policy, Result
from readiness.wording import countdown, join, join_and, plural, ratio

FORECAST_DAYS = 30  # the window of "the next 30 days"

#: A word for each heat-map cell: colour is never the only sign.
HEAT_WORDS = {
    "fail error": "error",
    "fail warning": "warning",
    "fail info": "info",
    "unknown": "unknown",
    "waived": "waived",
    "pass": "ok",
}


def verdict_words(verdict: str | None, exit_code: int = 0) -> str:
    """``ready``, ``not ready``, ``invalid`` or ``internal error``."""
    if verdict is None:
        return "internal error" if exit_code == 3 else "invalid"
    return verdict.replace("_", " ")


def rag(p: PlanResult) -> tuple[str, str]:
    """The plan's status as a red, amber or green rating and the words that say it: red for a
    plan that is not ready (or could not be checked), amber for a ready plan that still has live
    errors or warnings or open questions, green for a ready plan with none (docs/decisions.md)."""
    if p.verdict != "ready":
        return "red", "red: not ready" if p.verdict is not None else "red: not checked"
    counts = p.summary()
    open_items = counts["error"] + counts["warning"] + counts["unknown"]
    if open_items:
        return "amber", "amber: ready, with findings to act on"
    return "green", "green: ready"


def counts_sentence(p: PlanResult) -> str:
    """``14 live findings (4 errors, 9 warnings and 1 info), 26 unknown results and 1 waived finding``."""
    counts = p.summary()
    live = counts["error"] + counts["warning"] + counts["info"]
    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning"), f"{counts['info']} info"]
    head = plural(live, "live finding") + (f" ({join_and(parts)})" if live else "")
    unknown = plural(counts["unknown"], "unknown result")
    waived = plural(counts["waived"], "waived finding")
    return f"{head}, {unknown} and {waived}"


def owners(findings: Iterable[Result]) -> dict[str, list[str]]:
    """Who acts on each target of an action: owner label -> the targets' labels, in order."""
    found: dict[str, list[str]] = {}
    for r in findings:
        found.setdefault(r.owner.label if r.owner is not None else "unassigned", []).append(r.label)
    return found


def owner_lines(a: Action) -> list[str]:
    """``Dale Porter (division leader) for sales-amer``, one per owner; ``for (plan)`` is left out."""
    return [who if labels == ["(plan)"] else f"{who} for {join(labels)}" for who, labels in owners(a.findings).items()]


def due_words(due: dt.date | None, as_of: dt.date) -> str:
    """``2026-08-02``, ``2026-01-15 (overdue)`` or ``before go-live``."""
    if due is None:
        return "before go-live"
    return due.isoformat() + (" (overdue)" if due < as_of else "")


def missing(message: str) -> str:
    """What an unknown result says the plan leaves out: ``sponsor.history``."""
    return message.removeprefix("cannot evaluate: ").removesuffix(" is absent").removesuffix(" are absent")


def change_words(c: Change) -> str:
    """One change of a forecast day, in a sentence."""
    if c.kind == "waiver":
        return c.message
    where = f"{c.rule} ({c.label})"
    if c.kind == "overdue":
        return f"{where} becomes overdue: it {c.message}"
    text = f"{where}: {c.before or 'no result'} to {c.after or 'no result'}"
    return text + (f" {c.severity}" if c.after == "fail" else "") + (f": {c.message}" if c.message else "")


def moves(day: ForecastDay) -> str:
    """How the verdict and the score move on a forecast day (empty when neither does)."""
    parts = []
    if day.verdict is not None:
        parts.append(f"verdict {verdict_words(day.verdict[0])} to {verdict_words(day.verdict[1])}")
    if day.score is not None:
        parts.append(f"score {ratio(day.score[0])} to {ratio(day.score[1])}")
    return "; ".join(parts)


def coming(p: PlanResult) -> tuple[ForecastDay, ...]:
    """The forecast days of the next 30 days."""
    return p.forecast.within(FORECAST_DAYS) if p.forecast is not None else ()


def quiet_words(p: PlanResult, as_of: dt.date) -> str:
    """What to say when nothing changes in the next 30 days: until when, and when the next
    change comes, if one does before the forecast ends."""
    until = (as_of + dt.timedelta(days=FORECAST_DAYS)).isoformat()
    text = f"Nothing changes until {until} if the plan stays as written"
    later = p.forecast.days if p.forecast is not None else ()
    if later:
        first = later[0].date
        text += f"; the next change comes on {first.isoformat()} ({countdown((first - as_of).days)})"
    return text + "."


def first_sentence(question: str) -> str:
    """A question without the ``Record it in ...`` that follows it."""
    end = question.find("? ")
    return question if end < 0 else question[: end + 1]


def waiver_policy(policy: Policy) -> str:
    """``allowed, at most 3, each for at most 90 days``, ``allowed, with no limit`` or ``forbidden``."""
    if policy.waivers != "allowed":
        return policy.waivers
    limits = []
    if policy.max_waivers is not None:
        limits.append(f"at most {policy.max_waivers}")
    if policy.max_waiver_days is not None:
        limits.append(f"each for at most {plural(policy.max_waiver_days, 'day')}")
    return "allowed, " + (", ".join(limits) if limits else "with no limit")


def heat_categories(p: PlanResult) -> list[str]:
    """The categories of the heat map's columns: those any division has a cell in, in report order."""
    return [c for c in REPORT_ORDER if any(c in row.cells for row in p.heat)]


def divided(p: PlanResult) -> bool:
    """Whether the heat map has a row per division (a plan with no divisions has only its own)."""
    return any(row.id is not None for row in p.heat)


def template_source(name: str) -> str:
    """A file under ``render/templates/``."""
    return resources.files("readiness").joinpath("render", "templates", name).read_text("utf-8")


def template(name: str, *, autoescape: bool, finalize: Callable[[Any], Any], filters: dict[str, Any]) -> Any:
    """The macros of a template under ``render/templates/``, in the environment every report is
    written with: each value through ``finalize`` first, an undefined name an error, block tags
    taking no line of their own. Jinja2 is imported here, when a document is made."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    env = Environment(
        loader=FunctionLoader(template_source),
        autoescape=autoescape,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters)
    return env.get_template(name).module
