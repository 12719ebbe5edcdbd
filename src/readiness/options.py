"""How plans are judged in one run: the rubric, the command line's overrides, the rules that
run and the evaluation date, decided once and shared by ``check``, ``diff``, worker processes and
the library API.

The rubric itself stays as it was loaded; what the command line changes (``--fail-on``,
``--min-score``, ``--no-waivers``, ``--select``, ``--ignore``) lives here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from readiness.errors import UsageError
from readiness.findings import Policy
from readiness.limits import MAX_BYTES
from readiness.rubric import Rubric
from readiness.validation import closest_rule


@dataclass(frozen=True)
class RunOptions:
    """Everything that decides a plan's result besides the plan itself."""

    rubric: Rubric
    as_of: dt.date
    policy: Policy  # the rubric's top-level settings after the command line's overrides
    enabled: frozenset[str]  # the rules that run
    max_bytes: int = MAX_BYTES

    @classmethod
    def make(
        cls,
        rubric: Rubric,
        as_of: dt.date,
        *,
        fail_on: str | None = None,
        pass_score: Decimal | None = None,
        no_waivers: bool = False,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        max_bytes: int = MAX_BYTES,
    ) -> RunOptions:
        """The options of a run; a ``select`` or ``ignore`` code that matches no rule raises
        :class:`UsageError`."""
        policy = Policy(
            rubric.name,
            rubric.pass_score if pass_score is None else pass_score,
            rubric.fail_on if fail_on is None else fail_on,
            rubric.unknown_credit,
            "forbidden" if no_waivers else rubric.waivers,
            rubric.max_waivers,
            rubric.max_waiver_days,
        )
        return cls(rubric, as_of, policy, frozenset(select_rules(rubric, select, ignore)), max_bytes)


def select_rules(rubric: Rubric, select: list[str] | None, ignore: list[str] | None) -> set[str]:
    """Rule IDs that run: enabled by the rubric, matching ``select`` when given, not matching
    ``ignore``. A code is an ID, a slug, or an ID prefix (``COMM``, ``LEAD00``), in any case
    (``lead001``, ``comm``); a code that matches no rule is a :class:`UsageError`. ``select``
    never disables PLAN rules."""
    names = rubric.names
    folded = {name.casefold(): rule_id for name, rule_id in names.items()}

    def matches(code: str) -> set[str]:
        if code in names:  # exactly as written first
            return {names[code]}
        key = code.casefold()
        if key in folded:
            return {folded[key]}
        found = {rule_id for rule_id in rubric.rules if rule_id.casefold().startswith(key)}
        if not found:
            close = closest_rule(code, names)
            hint = f" (did you mean '{close}'?)" if close else "; `readiness rules` lists the IDs and names"
            raise UsageError(f"'{code}' matches no rule{hint}")
        return found

    enabled = {rule_id for rule_id in rubric.rules if rubric.runs(rule_id)}
    if select:
        chosen = set().union(*(matches(code) for code in select))
        enabled = {r for r in enabled if r in chosen or r.startswith("PLAN")}
    if ignore:
        dropped = set().union(*(matches(code) for code in ignore))
        enabled -= dropped
    return enabled
