"""One document's text -> everything the editor is told about it, as plain data (a :class:`Report`).

The text goes through the same stages as ``readiness check`` (the loader with every input limit,
the plan's validation, the rules, the waivers) under the options of
:func:`readiness.lsp.settings.options_for`, and each problem and finding becomes a
:class:`Diagnostic` whose range covers the node it is about, found from the loader's node tree.
Nothing here knows the protocol; :mod:`readiness.lsp.server` turns reports into LSP messages.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from readiness.custom import EvaluationError
from readiness.engine import evaluate
from readiness.errors import MAX_MESSAGE, MAX_PATH, PlanError, Problem, ReadinessError, UsageError
from readiness.findings import Result
from readiness.limits import MAX_BYTES, MAX_SHOWN
from readiness.loader import Document, Node, decode, load_text
from readiness.lsp import settings
from readiness.lsp.outline import outline, stub
from readiness.lsp.positions import Point, Positions
from readiness.lsp.report import Diagnostic, Range, Report, RuleText
from readiness.options import RunOptions
from readiness.paths import Path, PathItem
from readiness.plan_checks import validate_plan
from readiness.project import DOCS_URL
from readiness.rules import registry, rule_names
from readiness.rules.base import RuleSpec
from readiness.text import inert, one_line

MAX_FINDINGS = 1000  # findings shown on one document; the rest are counted in one more diagnostic


OptionsFor = Callable[[str | None], RunOptions]


def analyse(
    path: str | None,
    text: str,
    version: int | None = None,
    encoding: str = "utf-16",
    options_for: OptionsFor | None = None,
) -> Report:
    """Check one document's text as ``readiness check`` would check the file."""
    enabled = gc.isenabled()
    gc.disable()  # as pipeline.check_plan does: the loader's many small objects are acyclic
    try:
        return _analyse(path, text, version, encoding, options_for or settings.options_for)
    finally:
        if enabled:
            gc.enable()


def _analyse(path: str | None, text: str, version: int | None, encoding: str, options_for: OptionsFor) -> Report:
    pos = Positions(text, encoding)
    report = Report(version)
    name = path or "<unsaved plan>"
    options: RunOptions | None = None
    try:
        options = options_for(path)
    except (ReadinessError, UsageError) as exc:
        report.diagnostics.append(_setup_problem(exc, pos))
    max_bytes = options.max_bytes if options is not None else MAX_BYTES
    try:
        raw = text.encode("utf-8", "surrogatepass")
        if len(raw) > max_bytes:
            raise PlanError(name, [Problem(f"{len(raw)} bytes, over the {max_bytes}-byte limit (--max-bytes)")])
        doc = load_text(name, decode(name, raw))
    except PlanError as exc:
        report.diagnostics += _problems(exc, pos, None)
        return report
    report.parsed = True
    shape = outline(doc.root, pos)
    report.slots, report.ids, report.waiver_rules = shape.slots, shape.ids, shape.waiver_rules
    known = options.rubric.rules if options is not None else None
    specs = {rule_id: config.spec for rule_id, config in known.items()} if known is not None else registry()
    report.names = dict(options.rubric.names) if options is not None else rule_names()
    report.titles = {rule_id: spec.title for rule_id, spec in specs.items() if spec.scored}
    for _, written in shape.waiver_rules:
        rule_id = report.names.get(written)
        if rule_id is not None:
            report.rules[rule_id] = _rule_text(specs[rule_id], known)
    try:
        plan = validate_plan(doc, rule_names())
    except PlanError as exc:
        report.diagnostics += _problems(exc, pos, doc)
        return report
    if options is None:
        return report
    try:
        results, states = evaluate(doc, plan, options)
    except EvaluationError as exc:  # a custom rule that cannot judge this plan
        problem = exc.problem
        where = f" ({problem.file}:{problem.line})" if problem.file and problem.line else ""
        report.diagnostics.append(_at_top(pos, _clip(f"{problem.message}{where}", 2 * MAX_MESSAGE), "setup"))
        return report
    policy = options.policy
    applied = sum(1 for s in states if s.state == "applied")
    can_waive = policy.waivers != "forbidden" and (policy.max_waivers is None or applied < policy.max_waivers)
    if can_waive:
        report.stub = stub(doc.root, pos, options.as_of, policy.max_waiver_days)
    entity_ids = {value for ids in shape.ids.values() for value, _ in ids}
    shown = 0
    omitted = 0
    for result in results:
        if result.status == "pass":
            continue
        if shown >= MAX_FINDINGS:
            omitted += 1
            continue
        shown += 1
        spec = specs[result.rule]
        report.rules.setdefault(result.rule, _rule_text(spec, known))
        waiver = None
        if can_waive and report.stub is not None and result.status == "fail" and spec.scored:
            waiver = result.target if result.target in entity_ids else ""
        report.diagnostics.append(_finding(result, spec, doc, pos, waiver))
    if omitted:
        report.diagnostics.append(_at_top(pos, f"{omitted} more finding(s) not shown", "fail", "info"))
    return report


# problems ---------------------------------------------------------------------------------------


def _setup_problem(exc: Exception, pos: Positions) -> Diagnostic:
    """The one diagnostic of options that cannot be made: the first problem, and how many more."""
    if isinstance(exc, ReadinessError) and exc.problems:
        problem = exc.problems[0]
        where = problem.file or exc.file
        if problem.line is not None:
            where += f":{problem.line}" + (f":{problem.column}" if problem.column is not None else "")
        message = f"the rubric cannot be used: {where}: {_problem_message(replace(problem, file=None))}"
        if exc.count > 1:
            message += f" (and {exc.count - 1} more problem(s))"
    else:
        message = f"the settings cannot be used: {exc}"
    return _at_top(pos, _clip(message, 2 * MAX_MESSAGE), "setup")


def _at_top(pos: Positions, message: str, status: str, severity: str = "error") -> Diagnostic:
    """A diagnostic about the document as a whole, on its first line that says something."""
    line = next((n for n, text in enumerate(pos.lines) if text.strip() and not text.lstrip().startswith("#")), 0)
    end = pos.line_end(line)
    return Diagnostic((pos.lsp((line, 0)), pos.lsp(end)), severity, message, status=status)


def _problems(exc: PlanError, pos: Positions, doc: Document | None) -> list[Diagnostic]:
    out = []
    for problem in exc.problems[:MAX_SHOWN]:
        out.append(Diagnostic(_problem_range(problem, pos, doc), "error", _problem_message(problem)))
    rest = exc.count - MAX_SHOWN
    if rest > 0:
        last = out[-1].range if out else _at_top(pos, "", "invalid").range
        out.append(Diagnostic(last, "error", f"{rest} more error(s) not shown"))
    return out


def _problem_message(problem: Problem) -> str:
    """``path: message (file)``, clipped as the command line clips its error lines."""
    where = f"{_clip(problem.path, MAX_PATH)}: " if problem.path else ""
    source = f" ({_clip(problem.file, MAX_PATH)})" if problem.file else ""
    return f"{where}{_clip(problem.message, MAX_MESSAGE)}{source}"


def _clip(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _problem_range(problem: Problem, pos: Positions, doc: Document | None) -> Range:
    if problem.line is None:
        return _at_top(pos, "", "invalid").range
    point = pos.clamp((problem.line - 1, (problem.column or 1) - 1))
    if doc is not None and problem.path is not None:
        path = parse_path(problem.path)
        if path is not None:
            found = _located(doc, pos, path, point)
            if found is not None:
                return pos.lsp(found[0]), pos.lsp(found[1])
    return pos.lsp(point), pos.lsp(_token_end(pos, point))


def _located(doc: Document, pos: Positions, path: Path, point: Point) -> tuple[Point, Point] | None:
    """The span of the node (or key) at ``path`` when the problem lies there; for a problem at an
    enclosing node (a missing field), the first line of that node."""
    (steps, key), node = walk_path(doc.root, path)
    if len(steps) == len(path):
        if key is not None and pos.start(key) == point:  # at the key: an unknown or duplicate key
            return pos.start(key), pos.scalar_end(key)
        return _span(pos, node, key)
    if pos.start(node) == point:
        return point, min(pos.end(node), pos.line_end(point[0]))
    return None


def _token_end(pos: Positions, point: Point) -> Point:
    """The end of the word at ``point``, or of the line when there is none."""
    text = pos.line(point[0])
    column = point[1]
    while column < len(text) and not text[column].isspace():
        column += 1
    if column == point[1]:
        end = pos.line_end(point[0])
        return end if end[1] > point[1] else (point[0], min(point[1] + 1, len(text)))
    return point[0], column


# findings ---------------------------------------------------------------------------------------

_SEVERITY = {"fail": None, "unknown": "hint", "waived": "hint"}


def _finding(result: Result, spec: RuleSpec, doc: Document, pos: Positions, waiver: str | None) -> Diagnostic:
    start, end = _result_span(doc, pos, result.path)
    message = result.message
    if result.status == "waived" and result.waiver is not None:
        w = result.waiver
        message += f" (waived by waivers[{w.index}]: owner {w.owner}, expires {w.expires})"
    href = f"{DOCS_URL}/rules/{result.rule}" if spec.custom is None else None
    return Diagnostic(
        (pos.lsp(start), pos.lsp(end)),
        _SEVERITY[result.status] or result.severity,
        inert(message),
        result.rule,
        href,
        result.status,
        result.target,
        waiver,
    )


def _result_span(doc: Document, pos: Positions, path: Path) -> tuple[Point, Point]:
    """The node a result is about; for an absent node, the key of its nearest enclosing node (the
    plan's first key for an absent section)."""
    (steps, key), node = walk_path(doc.root, path)
    if node is not None and len(steps) == len(path):
        return _span(pos, node, key)
    if key is not None:
        return pos.start(key), pos.scalar_end(key)
    if node is not None and node is not doc.root:
        start = pos.start(node)
        return start, min(pos.end(node), pos.line_end(start[0]))
    first = next(iter(doc.root.value.values()), None)
    if first is not None:
        return pos.start(first[0]), pos.scalar_end(first[0])
    start = pos.start(doc.root)
    return start, pos.line_end(start[0])


def walk_path(root: Node, path: Path) -> tuple[tuple[Path, Any], Any]:
    """The deepest node along ``path``: ((the steps taken, the key scalar that led to it, if
    any), the node)."""
    node: Any = root
    key: Any = None
    steps: list[PathItem] = []
    for item in path:
        if type(node) is Node and node.kind == Node.MAPPING and isinstance(item, str):
            pair = node.value.get(item)
            if pair is None:
                break
            key, node = pair
        elif (
            type(node) is Node and node.kind == Node.SEQUENCE and isinstance(item, int) and 0 <= item < len(node.value)
        ):
            key, node = None, node.value[item]
        else:
            break
        steps.append(item)
    return (tuple(steps), key), node


def _span(pos: Positions, node: Any, key: Any) -> tuple[Point, Point]:
    """A node's span; for an empty value (``key:`` with nothing after it), its key's."""
    if type(node) is tuple and not node[0] and node[3] and key is not None:
        return pos.start(key), pos.scalar_end(key)
    start = pos.start(node)
    if key is not None and start < pos.start(key):  # an alias: its node lies elsewhere
        return pos.start(key), pos.line_end(key[1])
    return start, pos.end(node)


def _rule_text(spec: RuleSpec, rules: Any) -> RuleText:
    severity = str(rules[spec.id].severity) if rules is not None and spec.id in rules else spec.severity
    return RuleText(
        spec.id,
        spec.slug,
        spec.title,
        spec.rationale,
        spec.remediation,
        spec.question or None,
        severity,
        spec.custom is not None,
    )


# paths as errors write them -----------------------------------------------------------------------

_STEP = re.compile(r'\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.\[\]"]+)')


def parse_path(text: str) -> Path | None:
    """``training.sessions[3].start`` -> ``('training', 'sessions', 3, 'start')`` (the inverse
    of :func:`readiness.paths.format_path`); None for a text that is not such a path."""
    steps: list[PathItem] = []
    at = 0
    while at < len(text):
        match = _STEP.match(text, at)
        if match is None or match.end() == at:
            return None
        index, quoted, plain = match.groups()
        if index is not None:
            steps.append(int(index))
        elif quoted is not None:
            try:
                steps.append(json.loads(quoted))
            except ValueError:
                return None
        else:
            steps.append(plain)
        at = match.end()
    return tuple(steps)
