"""The key dates of a plan, for the terminal timeline and the Markdown gantt chart: kickoff,
communication, training windows, pilot, gates, go-live and waves, hypercare."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from readiness.model import Plan

MAX_SESSIONS = 12  # more sessions than this are shown as one training window


@dataclass(frozen=True, slots=True)
class Event:
    section: str  # Preparation, Training, Gates, Go-live
    label: str  # built from fixed words and ids only (ids match the id pattern)
    start: dt.date
    end: dt.date | None = None  # None for a milestone

    @property
    def milestone(self) -> bool:
        return self.end is None


def events(plan: Plan) -> list[Event]:
    r = plan.rollout
    out: list[Event] = []
    if r.kickoff is not None:
        out.append(Event("Preparation", "kickoff", r.kickoff))
    internal = [c for c in plan.communications or [] if not c.audience.is_external]
    if internal:
        first = min(internal, key=lambda c: c.first_date)
        out.append(Event("Preparation", f"first message to staff ({first.id})", first.first_date))
    for phase in r.phases or []:
        if phase.type in ("design", "build", "test"):
            out.append(Event("Preparation", f"{phase.type} {phase.id}", phase.start, phase.end))
    sessions = (plan.training.sessions if plan.training else None) or []
    if len(sessions) > MAX_SESSIONS:
        out.append(
            Event(
                "Training",
                f"training ({len(sessions)} sessions)",
                min(s.start for s in sessions),
                max(s.last_day for s in sessions),
            )
        )
    else:
        out += [Event("Training", f"training {s.id}", s.start, s.last_day) for s in sessions]
    if plan.governance is not None and plan.governance.readiness_review is not None:
        out.append(Event("Gates", "readiness review", plan.governance.readiness_review.date))
    if r.go_no_go is not None:
        out.append(Event("Gates", "go/no-go decision", r.go_no_go.date))
    for phase in r.phases or []:
        if phase.type == "pilot":
            out.append(Event("Go-live", f"pilot {phase.id}", phase.start, phase.end))
    waves = [p for p in r.phases or [] if p.type == "wave"]
    if not any(w.start == r.go_live for w in waves):
        out.append(Event("Go-live", "go-live", r.go_live))
    out += [Event("Go-live", f"go-live wave {w.id}", w.start) for w in waves]
    if plan.support is not None and plan.support.hypercare is not None:
        h = plan.support.hypercare
        out.append(Event("Go-live", "hypercare" if h.end is not None else "hypercare (end not set)", h.start, h.end))
    return sorted(out, key=lambda e: (e.start, e.end or e.start, e.label))
