"""The key dates of a plan, for the terminal timeline, the Markdown gantt chart and the HTML one:
kickoff and project phases, communications, training, gates, pilot, go-live and its waves,
hypercare, and what constrains them (peak periods, the hard deadline, concurrent changes).

Every event keeps the plan path it was read from, so that a report can mark the items a live
finding points at (a finding about ``training.sessions[3]`` marks that session's bar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from readiness.findings import Result
from readiness.model import Plan

MAX_ITEMS = 12  # more sessions, messages, peaks or changes than this are shown as one bar

#: The sections of a timeline, in the order reports show them.
SECTIONS = ("Preparation", "Communication", "Training", "Gates", "Go-live", "Constraints")


@dataclass(frozen=True, slots=True)
class Event:
    section: str  # one of SECTIONS
    label: str  # built from fixed words, numbers and ids only (ids match the id pattern)
    start: dt.date
    end: dt.date | None = None  # the last day, inclusive; None for a milestone
    kind: str = ""  # kickoff, phase, message, training, review, decision, pilot, go-live, wave,
    # hypercare, peak, deadline, change
    path: tuple[Any, ...] = ()  # where the plan writes it
    open_ended: bool = False  # a change with no end: ``end`` is the last date of the timeline

    @property
    def milestone(self) -> bool:
        return self.end is None

    @property
    def last(self) -> dt.date:
        return self.end if self.end is not None else self.start


def events(plan: Plan, last_go_live: dt.date) -> list[Event]:
    """The plan's dates; ``last_go_live`` (that of the impacted divisions, as the rules read it)
    ends a series of messages that names no ``until``."""
    r = plan.rollout
    out: list[Event] = []
    path: tuple[Any, ...]
    if r.kickoff is not None:
        out.append(Event("Preparation", "kickoff", r.kickoff, kind="kickoff", path=("rollout", "kickoff")))
    phases = list(enumerate(r.phases or []))
    for i, phase in phases:
        if phase.type in ("discovery", "design", "build", "test"):
            path = ("rollout", "phases", i)
            out.append(Event("Preparation", f"{phase.type} {phase.id}", phase.start, phase.end, "phase", path))
    out += _messages(plan, last_go_live)
    out += _sessions(plan)
    if plan.governance is not None and plan.governance.readiness_review is not None:
        review = plan.governance.readiness_review.date
        out.append(Event("Gates", "readiness review", review, kind="review", path=("governance", "readiness_review")))
    if r.go_no_go is not None:
        path = ("rollout", "go_no_go")
        out.append(Event("Gates", "go/no-go decision", r.go_no_go.date, kind="decision", path=path))
    for i, phase in phases:
        if phase.type == "pilot":
            path = ("rollout", "phases", i)
            out.append(Event("Go-live", f"pilot {phase.id}", phase.start, phase.end, "pilot", path))
    waves = [(i, p) for i, p in phases if p.type == "wave"]
    if not any(w.start == r.go_live for _, w in waves):
        out.append(Event("Go-live", "go-live", r.go_live, kind="go-live", path=("rollout", "go_live")))
    # a wave runs from its go-live (its start) to its end
    out += [
        Event("Go-live", f"go-live wave {w.id}", w.start, w.end, "wave", ("rollout", "phases", i)) for i, w in waves
    ]
    for i, phase in phases:
        if phase.type == "hypercare":
            path = ("rollout", "phases", i)
            out.append(Event("Go-live", f"hypercare {phase.id}", phase.start, phase.end, "hypercare", path))
    if plan.support is not None and plan.support.hypercare is not None:
        h = plan.support.hypercare
        label = "hypercare" if h.end is not None else "hypercare (end not set)"
        out.append(Event("Go-live", label, h.start, h.end, "hypercare", ("support", "hypercare")))
    out += _constraints(plan)
    horizon = max(e.last for e in out)
    out = [replace(e, end=max(horizon, e.start)) if e.open_ended else e for e in out]
    return sorted(out, key=lambda e: (e.start, e.last, e.label))


def _grouped(events: Sequence[Event], section: str, label: str, kind: str, path: tuple[Any, ...]) -> list[Event]:
    """The events themselves, or past MAX_ITEMS one bar over all of them."""
    if len(events) <= MAX_ITEMS:
        return list(events)
    start, end = min(e.start for e in events), max(e.last for e in events)
    return [Event(section, label, start, end, kind, path, open_ended=any(e.open_ended for e in events))]


def _messages(plan: Plan, last_go_live: dt.date) -> list[Event]:
    """Each communication: a milestone for a single message, a bar from the first to the last
    possible occurrence for a series (to the last go-live when it names no ``until``)."""
    found = []
    for i, c in enumerate(plan.communications or []):
        who = "customer notice" if c.audience.is_external else "message"
        path = ("communications", i)
        if c.cadence_days:
            until = c.until if c.until is not None else last_go_live
            label = f"{who}s {c.id}, every {c.cadence_days} days"
            found.append(Event("Communication", label, c.first_date, max(until, c.first_date), "message", path))
        else:
            found.append(Event("Communication", f"{who} {c.id}", c.first_date, kind="message", path=path))
    label = f"communications ({len(found)} messages)"
    return _grouped(found, "Communication", label, "message", ("communications",))


def _sessions(plan: Plan) -> list[Event]:
    sessions = (plan.training.sessions if plan.training else None) or []
    found = [
        Event("Training", f"training {s.id}", s.start, s.last_day, "training", ("training", "sessions", i))
        for i, s in enumerate(sessions)
    ]
    return _grouped(found, "Training", f"training ({len(found)} sessions)", "training", ("training", "sessions"))


def _constraints(plan: Plan) -> list[Event]:
    """What the dates must respect: peak periods, the hard deadline, the other changes."""
    r = plan.rollout
    out: list[Event] = []
    peaks = [
        Event("Constraints", f"peak period {p.id}", p.start, p.end, "peak", ("rollout", "peak_periods", i))
        for i, p in enumerate(r.peak_periods or [])
    ]
    label = f"peak periods ({len(peaks)})"
    out += _grouped(peaks, "Constraints", label, "peak", ("rollout", "peak_periods"))
    if r.hard_deadline is not None:
        out.append(
            Event(
                "Constraints", "hard deadline", r.hard_deadline.date, kind="deadline", path=("rollout", "hard_deadline")
            )
        )
    changes = []
    for i, c in enumerate(plan.organisation.concurrent_changes or []):
        path = ("organisation", "concurrent_changes", i)
        if c.end is None:
            label = f"{c.type} change {c.id} (open-ended)"
            changes.append(Event("Constraints", label, c.start, c.start, "change", path, open_ended=True))
        else:
            changes.append(Event("Constraints", f"{c.type} change {c.id}", c.start, c.end, "change", path))
    label = f"concurrent changes ({len(changes)})"
    out += _grouped(changes, "Constraints", label, "change", ("organisation", "concurrent_changes"))
    return out


def in_sections(events: Iterable[Event]) -> list[Event]:
    """The events in the order of SECTIONS, by date within each (the order a chart shows them)."""
    order = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(events, key=lambda e: order.get(e.section, len(order)))


def failing(results: Iterable[Result]) -> list[tuple[tuple[Any, ...], str]]:
    """The path and rule of each live finding, in order: what :func:`flagged` looks in."""
    return [(r.path, r.rule) for r in results if r.status == "fail"]


def flagged(event: Event, live: Sequence[tuple[tuple[Any, ...], str]]) -> list[str]:
    """The rules of the live findings (``(path, rule)`` pairs) that point at ``event``: at its
    path or inside it, in first-seen order."""
    size = len(event.path)
    rules: list[str] = []
    if not size:
        return rules
    for path, rule in live:
        if path[:size] == event.path and rule not in rules:
            rules.append(rule)
    return rules


def span(found: Sequence[Event], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last dates a chart of ``found`` and the evaluation date covers."""
    start = min([as_of, *(e.start for e in found)])
    end = max([as_of, *(e.last for e in found)])
    return start, end
