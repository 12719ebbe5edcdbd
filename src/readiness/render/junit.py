"""``--format junit``: JUnit XML for CI test-report viewers.

A test fails exactly when it decides the verdict: every plan has a ``verdict`` test that fails
when the plan is not ready, and a finding's test fails only when the finding blocks the verdict
(live, at or above the rubric's ``fail_on``). A live finding that does not block passes with the
finding in its ``system-out``, so a *ready* plan shows no failed test. Unknown and waived results
are skipped. One ``testsuite`` per plan and category (``PATH:CATEGORY``), one ``testcase`` per rule
and target (``RULE LABEL``); a rule with no results is one passing ``RULE (no targets)``. The
``classname`` is ``PATH.CATEGORY`` with the dots of the path written as ``_``, because viewers such
as Jenkins split a class name at its last dot into package and class. A plan that could not be
loaded is one suite named ``PATH`` with an ``error`` testcase per problem. Characters XML 1.0
cannot carry are removed, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from readiness.findings import CATEGORIES, SEVERITY_RANK, PlanResult, Result
from readiness.paths import format_path
from readiness.render import Run, baseline_note, position, verdict_line, verdict_reasons
from readiness.text import inert
from readiness.wording import ratio

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _XML_INVALID.sub("", inert(text))


def class_name(path: str, group: str) -> str:
    return clean(f"{path.replace('.', '_')}.{group}")


def _case_name(r: Result, duplicated: set[str]) -> str:
    name = f"{r.rule} {r.label}"
    if name in duplicated:
        name += f" ({format_path(r.path) or '(plan)'})"
    return clean(name)


def blocks(run: Run, r: Result) -> bool:
    """Whether a result keeps the plan from being ready on its own (docs/rubrics.md)."""
    fail_on = run.policy.fail_on
    return r.status == "fail" and fail_on != "never" and SEVERITY_RANK[r.severity] >= SEVERITY_RANK[fail_on]


class JunitReport:
    """Suites written as the plans are checked; the totals of the root element at the end."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.totals: Counter[str] = Counter()

    def plan(self, p: PlanResult) -> str:
        root = ET.Element("testsuites")
        if p.verdict is None:
            self._invalid(p, root)
        else:
            self._verdict(p, root)
            self._suites(p, root)
        for suite in root:
            for key in ("tests", "failures", "errors"):
                self.totals[key] += int(suite.get(key, "0"))
        ET.indent(root)
        text = ET.tostring(root, encoding="unicode")
        return text[text.index(">") + 2 : text.rindex("</testsuites>")]

    def finish(self) -> tuple[str, str]:
        t = self.totals
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="readiness" tests="{t["tests"]}" failures="{t["failures"]}" errors="{t["errors"]}">\n'
        )
        return head, "</testsuites>\n"

    def _invalid(self, p: PlanResult, root: ET.Element) -> None:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=clean(p.path),
            tests=str(len(p.errors)),
            failures="0",
            errors=str(len(p.errors)),
            skipped="0",
        )
        for n, problem in enumerate(p.errors, start=1):
            case = ET.SubElement(suite, "testcase", name=clean(f"error {n}"), classname=class_name(p.path, "invalid"))
            error = ET.SubElement(case, "error", type="invalid plan", message=clean(problem.message))
            error.text = clean(problem.render(p.path))

    def _verdict(self, p: PlanResult, root: ET.Element) -> None:
        # under a baseline the test is the gate: it fails only when what is new makes the plan not ready
        ready = p.verdict == "ready" or (p.baseline is not None and p.exit_code == 0)
        suite = ET.SubElement(
            root, "testsuite", name=clean(f"{p.path}:verdict"), tests="1", failures="0" if ready else "1"
        )
        suite.set("errors", "0")
        suite.set("skipped", "0")
        properties = ET.SubElement(suite, "properties")
        for reason in p.reasons:  # every gate of the verdict, stable names (docs/json.md)
            ET.SubElement(properties, "property", name=f"verdict_reason.{reason.gate}", value=clean(reason.detail))
        case = ET.SubElement(suite, "testcase", name="verdict", classname=class_name(p.path, "verdict"))
        if p.baseline is not None:
            ET.SubElement(case, "system-out").text = clean(f"{verdict_line(p)}. {baseline_note(p)}")
        if not ready:
            why = verdict_reasons(p, blocking_only=True) or "not ready"
            failure = ET.SubElement(case, "failure", type="not_ready", message=clean(f"not ready: {why}"))
            failure.text = clean(f"{p.path}: not ready (score {ratio(p.score)}): {why}")  # type: ignore[arg-type]

    def _suites(self, p: PlanResult, root: ET.Element) -> None:
        run = self.run
        by_rule: dict[str, list[Result]] = {}
        for r in p.results:
            by_rule.setdefault(r.rule, []).append(r)
        for category in (*CATEGORIES, "PLAN"):
            rules = [
                rule_id
                for rule_id, rule in run.rules.items()
                if rule.category == category and (rule_id in by_rule or rule.scored)
            ]
            if not rules:
                continue
            name = clean(f"{p.path}:{category}")
            classname = class_name(p.path, category)
            suite = ET.SubElement(root, "testsuite", name=name)
            counts: Counter[str] = Counter()
            for rule_id in rules:
                results = by_rule.get(rule_id, [])
                if not results:
                    ET.SubElement(suite, "testcase", name=f"{rule_id} (no targets)", classname=classname)
                    counts["tests"] += 1
                    continue
                labels = Counter(f"{r.rule} {r.label}" for r in results)
                duplicated = {label for label, n in labels.items() if n > 1}
                for r in results:
                    case = ET.SubElement(suite, "testcase", name=_case_name(r, duplicated), classname=classname)
                    counts["tests"] += 1
                    where = position(p.path, r)
                    text = f"{where}: {r.severity}: {r.message}\nFix: {r.remediation}"
                    if blocks(run, r):
                        counts["failures"] += 1
                        failure = ET.SubElement(case, "failure", type=r.severity, message=clean(r.message))
                        failure.text = clean(text)
                    elif r.status == "fail":
                        out = ET.SubElement(case, "system-out")
                        out.text = clean(f"{text}\n(a {r.severity} does not block under fail_on {run.policy.fail_on})")
                    elif r.status in ("unknown", "waived"):
                        counts["skipped"] += 1
                        why = r.message if r.status == "unknown" else f"waived: {r.waiver.reason if r.waiver else ''}"
                        ET.SubElement(case, "skipped", type=r.status, message=clean(why))
            suite.set("tests", str(counts["tests"]))
            suite.set("failures", str(counts["failures"]))
            suite.set("errors", "0")
            suite.set("skipped", str(counts["skipped"]))
