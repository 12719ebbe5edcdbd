"""``--format junit``: JUnit XML for CI test-report viewers.

One ``testsuite`` per plan and category (``PATH:CATEGORY``), one ``testcase`` per rule and
target (``RULE LABEL``): a failure for ``fail``, skipped for ``unknown`` and ``waived``. A rule
with no results is one passing ``RULE (no targets)``. A plan that could not be loaded is one
suite named ``PATH`` with an ``error`` testcase per problem. Characters XML 1.0 cannot carry are
removed, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from readiness.findings import CATEGORIES, PlanResult, Result
from readiness.render import Report, sanitize

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _XML_INVALID.sub("", sanitize(text))


def _case_name(r: Result, duplicated: set[str]) -> str:
    name = f"{r.rule} {r.label}"
    if name in duplicated:
        from readiness.loader import format_path

        name += f" ({format_path(r.path) or '(plan)'})"
    return clean(name)


def _plan_suites(report: Report, p: PlanResult, root: ET.Element) -> None:
    if p.verdict is None:
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
            case = ET.SubElement(suite, "testcase", name=clean(f"error {n}"), classname=clean(p.path))
            error = ET.SubElement(case, "error", type="invalid plan", message=clean(problem.message))
            error.text = clean(problem.render(p.path))
        return
    by_rule: dict[str, list[Result]] = {}
    for r in p.results:
        by_rule.setdefault(r.rule, []).append(r)
    for category in (*CATEGORIES, "PLAN"):
        rules = [
            rule_id
            for rule_id, config in report.rubric.rules.items()
            if config.spec.category == category
            and (rule_id in by_rule or (config.spec.scored and report.rubric.runs(rule_id)))
        ]
        if not rules:
            continue
        name = clean(f"{p.path}:{category}")
        suite = ET.SubElement(root, "testsuite", name=name)
        counts: Counter[str] = Counter()
        for rule_id in rules:
            results = by_rule.get(rule_id, [])
            if not results:
                ET.SubElement(suite, "testcase", name=f"{rule_id} (no targets)", classname=name)
                counts["tests"] += 1
                continue
            labels = Counter(f"{r.rule} {r.label}" for r in results)
            duplicated = {label for label, n in labels.items() if n > 1}
            for r in results:
                case = ET.SubElement(suite, "testcase", name=_case_name(r, duplicated), classname=name)
                counts["tests"] += 1
                where = f"{p.path}:{r.line}:{r.column}" if r.line is not None else p.path
                if r.status == "fail":
                    counts["failures"] += 1
                    failure = ET.SubElement(case, "failure", type=r.severity, message=clean(r.message))
                    failure.text = clean(f"{where}: {r.severity}: {r.message}\nFix: {report.remediation(r.rule)}")
                elif r.status in ("unknown", "waived"):
                    counts["skipped"] += 1
                    why = r.message if r.status == "unknown" else f"waived: {r.waiver.reason if r.waiver else ''}"
                    ET.SubElement(case, "skipped", type=r.status, message=clean(why))
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="readiness")
    for p in report.plans:
        _plan_suites(report, p, root)
    suites = root.findall("testsuite")
    root.set("tests", str(sum(int(s.get("tests", "0")) for s in suites)))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in suites)))
    root.set("errors", str(sum(int(s.get("errors", "0")) for s in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
