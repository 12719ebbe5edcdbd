"""What a finding is, whatever line it is on: its rule and its target id, or its path in the plan
when it has no target id. Baselines and the fingerprints of CI reports use this identity, as
``readiness diff`` matches findings, so moving text in a plan changes none of them."""

from __future__ import annotations

from readiness.findings import Result
from readiness.paths import format_path


def finding_key(r: Result) -> tuple[str, str | None, str | None]:
    """``(rule, target, path)``: the target id when there is one (the path is then None), else
    the dotted path of the result (``""`` for the plan root)."""
    if r.target is not None:
        return (r.rule, r.target, None)
    return (r.rule, None, format_path(r.path))
