"""What would change, day by day, if the plan stayed as written: ``readiness forecast`` and the
"next 30 days" of the reports.

The rules' results never read the evaluation date (docs/rules.md); what does is the waiver step:
a waiver expires the day after its ``expires``, a waiver over ``max_waivers`` takes the place of
one that expired, and PLAN003 stops flagging a waiver once it is within ``max_waiver_days``. A
finding's due date passing changes nothing in the result but makes it overdue. So the forecast
visits only the dates on which one of those can happen, and on each it re-judges only the
waivers concerned and the findings they cover: the same answer as checking every single day of
the span (the tests compare the two), at the cost of one check plus the changes.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import replace

from readiness.engine import Judge
from readiness.findings import SEVERITY_RANK, Change, Forecast, ForecastDay, Result, WaiverCheck, WaiverState
from readiness.scoring import STATUS_ORDER, decide, overall_score, scored_rules

HORIZON_DAYS = 90  # the forecast runs this many days past the last go-live (or the evaluation date)


def forecast_end(judge: Judge, as_of: dt.date) -> dt.date:
    """90 days after the last go-live, or after the evaluation date when that is later."""
    return max(judge.ctx.last_go_live, as_of) + dt.timedelta(days=HORIZON_DAYS)


class _State:
    """The judged plan on one date, kept up to date as the waivers change."""

    def __init__(self, judge: Judge, results: list[Result], states: list[WaiverState], as_of: dt.date) -> None:
        options = judge.options
        self.judge = judge
        self.policy = options.policy
        self.waivers = judge.plan.waivers or []
        names = options.rubric.names
        self.rule_of = [names.get(w.rule, w.rule) for w in self.waivers]
        self.state = [s.state for s in states]
        self.results: dict[tuple[str, str], Result] = {(r.rule, r.label): r for r in results}
        self.judged: dict[int, set[tuple[str, str]]] = {}  # waiver index -> the PLAN results about it
        for r in results:
            if r.category == "PLAN":
                self.judged.setdefault(r.path[1], set()).add((r.rule, r.label))
        self.scored = set(scored_rules(options))
        # the failing results each waiver can cover, and whether it covers any (PLAN001)
        self.fail_by_rule: dict[str, list[Result]] = {}
        self.fail_by_target: dict[tuple[str, str], list[Result]] = {}
        for r in judge.base:
            if r.status == "fail":
                self.fail_by_rule.setdefault(r.rule, []).append(r)
                if r.target is not None:
                    self.fail_by_target.setdefault((r.rule, r.target), []).append(r)
        self.rule_wide: dict[str, int] = {}
        self.targeted: dict[tuple[str, str], int] = {}
        self.over_limit: list[int] = []
        for i, state in enumerate(self.state):
            if state == "applied":
                self._count(i, +1)
            elif state == "over_limit":
                self.over_limit.append(i)  # in file order: already a heap
        # the statuses the score and the verdict are made of
        self.live: dict[str, dict[str, int]] = {}
        self.blocking = 0
        for r in results:
            self._tally(r, +1)
        self.overall = overall_score(self._statuses(), options)
        self.verdict = decide(self.blocking > 0, self.overall, self.policy)

    # bookkeeping --------------------------------------------------------------------------------

    def _count(self, i: int, step: int) -> None:
        w = self.waivers[i]
        if w.target is None:
            self.rule_wide[self.rule_of[i]] = self.rule_wide.get(self.rule_of[i], 0) + step
        else:
            key = (self.rule_of[i], w.target)
            self.targeted[key] = self.targeted.get(key, 0) + step

    def _tally(self, r: Result, step: int) -> None:
        counts = self.live.setdefault(r.rule, {})
        counts[r.status] = counts.get(r.status, 0) + step
        fail_on = self.policy.fail_on
        if r.status == "fail" and fail_on != "never" and SEVERITY_RANK[r.severity] >= SEVERITY_RANK[fail_on]:
            self.blocking += step

    def _statuses(self) -> dict[str, str]:
        out = {}
        for rule_id in self.scored:
            counts = self.live.get(rule_id, {})
            out[rule_id] = next((s for s in STATUS_ORDER[:-1] if counts.get(s)), "pass")
        return out

    def _covered(self, r: Result) -> bool:
        if self.rule_wide.get(r.rule, 0) > 0:
            return True
        return r.target is not None and self.targeted.get((r.rule, r.target), 0) > 0

    def _uses(self, i: int) -> bool:
        w = self.waivers[i]
        if w.target is None:
            return bool(self.fail_by_rule.get(self.rule_of[i]))
        return bool(self.fail_by_target.get((self.rule_of[i], w.target)))

    # one date -----------------------------------------------------------------------------------

    def advance(self, day: dt.date, expiring: list[int], nearing: list[int], due: list[Result]) -> ForecastDay | None:
        """The plan on ``day``: ``expiring`` waivers expired the day before, ``nearing`` ones come
        within max_waiver_days, the ``due`` findings' dates passed the day before."""
        changes: list[Change] = []
        touched: set[int] = set()
        freed = 0
        for i in expiring:
            if self.state[i] == "applied":
                self._count(i, -1)
                freed += 1
            changes.append(self._waiver_change(i, self.state[i], "expired"))
            self.state[i] = "expired"
            touched.add(i)
        while freed and self.over_limit:
            i = heapq.heappop(self.over_limit)
            if self.state[i] != "over_limit":
                continue  # it expired meanwhile
            self._count(i, +1)
            freed -= 1
            changes.append(self._waiver_change(i, "over_limit", "applied"))
            self.state[i] = "applied"
            touched.add(i)
        touched.update(i for i in nearing if self.state[i] == "applied")
        changes += self._recover(touched, day)
        for r in due:
            current = self.results.get((r.rule, r.label))
            if current is not None and current.status == "fail":
                changes.append(
                    Change("overdue", r.rule, r.label, r.path, "fail", "fail", current.severity, f"was due {r.due}")
                )
        if not changes:
            return None
        overall = overall_score(self._statuses(), self.judge.options)
        verdict = decide(self.blocking > 0, overall, self.policy)
        moved = ForecastDay(
            day,
            (self.verdict, verdict) if verdict != self.verdict else None,
            (self.overall, overall) if overall != self.overall else None,
            tuple(changes),
        )
        self.overall, self.verdict = overall, verdict
        return moved

    def _waiver_change(self, i: int, before: str, after: str) -> Change:
        w = self.waivers[i]
        label = f"waivers[{i}]"
        what = f"Waiver for {w.rule}" + (f" on {w.target}" if w.target is not None else "")
        word = {"expired": f"expired on {w.expires}", "applied": "applies in place of an expired one"}[after]
        return Change("waiver", w.rule, label, ("waivers", i), before, after, None, f"{what} {word}.")

    def _recover(self, touched: set[int], day: dt.date) -> list[Change]:
        """Re-judge the ``touched`` waivers (their PLAN results) and the findings they cover."""
        changes: list[Change] = []
        covered: dict[tuple[str, str], Result] = {}
        for i in sorted(touched):
            w = self.waivers[i]
            found = (
                self.fail_by_rule.get(self.rule_of[i], [])
                if w.target is None
                else self.fail_by_target.get((self.rule_of[i], w.target), [])
            )
            for r in found:
                covered[(r.rule, r.label)] = r
        for key, base in covered.items():
            # which waiver covers a waived finding is not part of a forecast: its status is
            after = replace(base, status="waived") if self._covered(base) else base
            changes += self._replace(key, self.results[key], after)
        if touched:
            checks = [
                WaiverCheck(
                    i,
                    self.waivers[i].rule,
                    self.waivers[i].target,
                    self.waivers[i].expires,
                    self.state[i],
                    self._uses(i),
                )
                for i in sorted(touched)
            ]
            fresh = {(r.rule, r.label): r for r in self.judge.plan_rules(checks, day)}
            stale = {key for i in touched for key in self.judged.pop(i, set())}
            for r in fresh.values():
                self.judged.setdefault(r.path[1], set()).add((r.rule, r.label))
            for key in sorted(stale | set(fresh), key=lambda k: (k[1], k[0])):
                changes += self._replace(key, self.results.get(key), fresh.get(key))
        return changes

    def _replace(self, key: tuple[str, str], before: Result | None, after: Result | None) -> list[Change]:
        if before is not None:
            self._tally(before, -1)
            del self.results[key]
        if after is not None:
            self._tally(after, +1)
            self.results[key] = after
        was = before.status if before is not None else None
        now = after.status if after is not None else None
        if was == now:
            return []
        shown = after if after is not None else before
        assert shown is not None
        message = shown.message if now == "fail" else ""
        return [Change("result", shown.rule, shown.label, shown.path, was, now, shown.severity, message)]


def forecast(
    judge: Judge, results: list[Result], states: list[WaiverState], as_of: dt.date, end: dt.date | None = None
) -> Forecast:
    """Every date after ``as_of``, up to ``end`` (default: :func:`forecast_end`), on
    which a result, a waiver, the score or the verdict would change, or a live finding's due date
    passes, if the plan stayed as written; ``results`` and ``states`` are the plan judged on
    ``as_of``."""
    last = end if end is not None else forecast_end(judge, as_of)
    state = _State(judge, results, states, as_of)
    expiring: dict[dt.date, list[int]] = {}
    nearing: dict[dt.date, list[int]] = {}
    limit = state.policy.max_waiver_days
    for i, w in enumerate(state.waivers):
        if state.state[i] in ("applied", "over_limit"):
            expiring.setdefault(w.expires + dt.timedelta(days=1), []).append(i)
            if limit is not None:
                nearing.setdefault(w.expires - dt.timedelta(days=limit), []).append(i)
    overdue: dict[dt.date, list[Result]] = {}
    for r in judge.base:
        if r.status == "fail" and r.due is not None:
            overdue.setdefault(r.due + dt.timedelta(days=1), []).append(r)
    days = []
    for day in sorted({*expiring, *nearing, *overdue}):
        if as_of < day <= last:
            moved = state.advance(day, expiring.get(day, []), nearing.get(day, []), overdue.get(day, []))
            if moved is not None:
                days.append(moved)
    return Forecast(as_of, last, tuple(days))
