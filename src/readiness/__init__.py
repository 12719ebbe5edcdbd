"""readiness: judge a CRM rollout plan on its people risks before launch.

The small public API, for tools that embed the checks::

    from readiness import load_plan, check
    result = check("plan.yaml", rubric="strict", as_of=datetime.date(2026, 2, 2))
    print(result.verdict, result.exit_code)
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING

from readiness.limits import MAX_BYTES
from readiness.project import DOCS_URL, RUBRIC_SCHEMA_URL, SCHEMA_URL

__version__ = "1.0.0"

if TYPE_CHECKING:
    from readiness.findings import PlanResult
    from readiness.loader import Document
    from readiness.model import Plan

__all__ = ["DOCS_URL", "RUBRIC_SCHEMA_URL", "SCHEMA_URL", "__version__", "check", "load_plan"]


def load_plan(path: str, max_bytes: int = MAX_BYTES) -> tuple[Document, Plan]:
    """Load and validate one plan file. Returns the loaded document (data and source map) and
    the validated :class:`~readiness.model.Plan`; raises :class:`~readiness.errors.PlanError`
    with every problem and its position when the file is not a valid plan."""
    from readiness.pipeline import load_plan as _load

    return _load(path, max_bytes)


def check(
    path: str,
    rubric: str = "default",
    as_of: _dt.date | None = None,
    *,
    fail_on: str | None = None,
    min_score: Decimal | None = None,
    no_waivers: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    max_bytes: int = MAX_BYTES,
) -> PlanResult:
    """Check one plan under a rubric (a built-in name or a file path) as of a date (default:
    today), with the command line's overrides as keyword arguments. Returns a
    :class:`~readiness.findings.PlanResult`: verdict, exact score, results and waiver states, or
    the plan's errors with ``exit_code`` 2. Raises :class:`~readiness.errors.RubricError` for an
    invalid rubric and :class:`~readiness.errors.UsageError` for a code that matches no rule."""
    from readiness.options import RunOptions
    from readiness.pipeline import check_plan
    from readiness.rubric import load_rubric

    options = RunOptions.make(
        load_rubric(rubric, max_bytes),
        as_of or _dt.date.today(),
        fail_on=fail_on,
        pass_score=min_score,
        no_waivers=no_waivers,
        select=select,
        ignore=ignore,
        max_bytes=max_bytes,
    )
    return check_plan(path, options)
