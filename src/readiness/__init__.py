"""readiness: judge a CRM rollout plan on its people risks before launch.

The small public API, for tools that embed the checks::

    from readiness import load_plan, check
    result = check("plan.yaml", rubric="strict", as_of=datetime.date(2026, 2, 2))
    print(result.verdict, result.exit_code)
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

__version__ = "1.0.0"

#: Where the documentation is published; SARIF ``helpUri`` is ``{DOCS_URL}/rules/{ID}``.
DOCS_URL = "https://readiness-cli.github.io/readiness"
#: The plan format's JSON Schema, as referenced by ``readiness init``'s editor modeline.
SCHEMA_URL = f"{DOCS_URL}/schema/plan-v1.json"
#: The rubric files' JSON Schema.
RUBRIC_SCHEMA_URL = f"{DOCS_URL}/schema/rubric-v1.json"

if TYPE_CHECKING:
    from readiness.findings import PlanResult
    from readiness.loader import Document
    from readiness.model import Plan

__all__ = ["DOCS_URL", "RUBRIC_SCHEMA_URL", "SCHEMA_URL", "__version__", "check", "load_plan"]


def load_plan(path: str, max_bytes: int = 8 * 1024 * 1024) -> tuple[Document, Plan]:
    """Load and validate one plan file. Returns the loaded document (data and source map) and
    the validated :class:`~readiness.model.Plan`; raises :class:`~readiness.errors.PlanError`
    with every problem and its position when the file is not a valid plan."""
    from readiness.pipeline import load_plan as _load

    return _load(path, max_bytes)


def check(path: str, rubric: str = "default", as_of: _dt.date | None = None, **options: Any) -> PlanResult:
    """Check one plan under a rubric (a built-in name or a file path) as of a date (default:
    today). Returns a :class:`~readiness.findings.PlanResult`: verdict, exact score, results and
    waiver states, or the plan's errors with ``exit_code`` 2. Raises
    :class:`~readiness.errors.RubricError` for an invalid rubric."""
    from readiness.pipeline import check_plan
    from readiness.rubric import load_rubric

    return check_plan(path, load_rubric(rubric), as_of or _dt.date.today(), **options)
