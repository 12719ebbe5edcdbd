"""The starter plan of ``readiness init``: a commented plan, valid as written, whose dates start
from a chosen kickoff and keep their distances to it."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources

from readiness.errors import UsageError
from readiness.limits import DATE_MAX
from readiness.project import SCHEMA_URL

KICKOFF = dt.date(2026, 1, 12)  # the kickoff written in starter.yaml, a Monday
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


def starter_plan(kickoff: dt.date) -> str:
    """The starter plan with its kickoff on ``kickoff``; raises :class:`UsageError` when its last
    date would fall past the valid range."""
    text = resources.files("readiness").joinpath("starter.yaml").read_text(encoding="utf-8")
    span = max(dt.date.fromisoformat(found) for found in _DATE.findall(text)) - KICKOFF
    if kickoff + span > DATE_MAX:
        raise UsageError(
            f"--kickoff: the starter plan runs {span.days} days from kickoff, past {DATE_MAX}; choose an earlier date"
        )
    shift = kickoff - KICKOFF
    text = _DATE.sub(lambda m: (dt.date.fromisoformat(m[0]) + shift).isoformat(), text)
    return text.replace("{SCHEMA_URL}", SCHEMA_URL)
