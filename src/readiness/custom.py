"""Custom declarative rules (docs/rubrics.md, "Custom rules"): JMESPath selections and a fixed set of conditions.

Nothing a rubric says is executed: expressions are JMESPath only, checked when the rubric loads
(length, syntax, built-in functions and their arity, found by walking each syntax tree), and
evaluated by an interpreter that counts every item it builds, so a short query cannot build
billions of them. Plan text reaches messages only through the fixed message placeholders.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from readiness.errors import Problem
from readiness.limits import DATE_MAX, DATE_MIN
from readiness.loader import Document
from readiness.paths import Path, format_path
from readiness.types import CUSTOM_RULE_ID
from readiness.validation import Collector

MAX_EXPRESSION = 256
MAX_ITEMS = 1_000_000
MAX_TARGETS = 100_000
OPERATORS = ("exists", "not_empty", "equals", "in", "min", "max", "min_items", "before", "after")
PLACEHOLDERS = frozenset({"rule", "target", "target_name", "path", "failed"})
SLUG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_IDENT = r'(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")'
PLAIN_CHAIN = re.compile(rf"{_IDENT}(?:\.{_IDENT})*\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")

#: JMESPath's built-in functions: name -> (least arguments, most arguments or None for variadic).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "avg": (1, 1),
    "ceil": (1, 1),
    "contains": (2, 2),
    "ends_with": (2, 2),
    "floor": (1, 1),
    "join": (2, 2),
    "keys": (1, 1),
    "length": (1, 1),
    "map": (2, 2),
    "max": (1, 1),
    "max_by": (2, 2),
    "merge": (1, None),
    "min": (1, 1),
    "min_by": (2, 2),
    "not_null": (1, None),
    "reverse": (1, 1),
    "sort": (1, 1),
    "sort_by": (2, 2),
    "starts_with": (2, 2),
    "sum": (1, 1),
    "to_array": (1, 1),
    "to_number": (1, 1),
    "to_string": (1, 1),
    "type": (1, 1),
    "values": (1, 1),
}
_BUILDERS = frozenset(
    {
        "projection",
        "filter_projection",
        "value_projection",
        "flatten",
        "multi_select_list",
        "multi_select_dict",
        "function_expression",
        "slice",
    }
)


class ItemBudgetExceeded(Exception):
    """More than MAX_ITEMS items built while one rule was evaluated on one plan."""


@functools.cache
def _interpreter_class() -> Any:
    """JMESPath's tree interpreter, counting the items of every list and object it builds. Made on
    first use: JMESPath is imported only by a run whose rubric has custom rules."""
    from jmespath.visitor import Options, TreeInterpreter

    class Metered(TreeInterpreter):  # type: ignore[misc]
        def __init__(self, budget: list[int]) -> None:
            super().__init__(Options())
            self.budget = budget

        def visit(self, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            result = super().visit(node, *args, **kwargs)
            if node["type"] in _BUILDERS and isinstance(result, (list, dict)):
                self.budget[0] -= len(result)
                if self.budget[0] < 0:
                    raise ItemBudgetExceeded
            return result

    return Metered


# compile time ------------------------------------------------------------------------------------


def compile_expression(expression: str) -> tuple[Any, str | None]:
    """The parsed tree of a JMESPath expression, or an error message."""
    if len(expression) > MAX_EXPRESSION:
        return None, f"expression is {len(expression)} characters, over the limit of {MAX_EXPRESSION}"
    from jmespath.exceptions import JMESPathError
    from jmespath.parser import Parser

    try:
        parsed = Parser().parse(expression).parsed
    except JMESPathError as exc:
        return None, f"invalid JMESPath: {' '.join(str(exc).split())}"
    stack = [parsed]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("type") == "function_expression":
            name = node.get("value")
            if name not in FUNCTIONS:
                return None, f"unknown function {name}() (JMESPath built-ins only)"
            low, high = FUNCTIONS[name]
            count = len(node.get("children", []))
            if count < low or (high is not None and count > high):
                expected = str(low) if low == high else f"at least {low}" if high is None else f"{low} to {high}"
                noun = "argument" if expected == "1" or expected == "at least 1" else "arguments"
                return None, f"{name}() takes {expected} {noun}, not {count}"
        stack.extend(node.get("children", []))
    return parsed, None


def placeholder_problem(message: str) -> str | None:
    """Why a message template is not acceptable, or None."""
    try:
        parts = list(string.Formatter().parse(message))
    except ValueError as exc:
        return f"malformed message template ({exc}); write {{{{ and }}}} for literal braces"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            return f"unknown placeholder {{{name}}} (allowed: {', '.join(sorted(PLACEHOLDERS))})"
    return None


def render_message(template: str, values: dict[str, str]) -> str:
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(values[name])
    return "".join(out)


# definitions --------------------------------------------------------------------------------------


@dataclass
class Condition:
    path: str
    operator: str
    operand: Any
    field: str = "require"  # e.g. "require[1].path", for positions of evaluation-time errors
    parsed: Any = None
    plain: tuple[str, ...] | None = None  # the plan path of a plain chain
    date_parsed: Any = None


@dataclass
class CustomRule:
    id: str
    name: str
    title: str
    severity: str
    category: str
    message: str
    remediation: str
    rationale: str
    for_each: str | None
    conditions: list[Condition]
    source: str = ""  # the rubric file, for evaluation-time errors
    positions: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # field -> position
    index: int = 0
    for_each_parsed: Any = None
    question: str = ""
    owner: tuple[str, ...] = ()


def plain_chain(expression: str) -> tuple[str, ...] | None:
    if not PLAIN_CHAIN.match(expression):
        return None
    keys = re.findall(_IDENT, expression)
    return tuple(json.loads(k) if k.startswith('"') else k for k in keys)


# plan data ---------------------------------------------------------------------------------------


def plan_data(raw: Any, dumped: Any) -> Any:
    """The plan as custom rules see it: the validated values (numbers as JSON numbers,
    dates as strings) in the file's own keys and order, ``x-`` values as loaded, absent keys
    absent and no defaults filled in."""
    if isinstance(raw, dict) and isinstance(dumped, dict):
        return {k: (v if k.startswith("x-") or k not in dumped else plan_data(v, dumped[k])) for k, v in raw.items()}
    if isinstance(raw, list) and isinstance(dumped, list) and len(raw) == len(dumped):
        return [plan_data(r, d) for r, d in zip(raw, dumped, strict=True)]
    return _json_value(dumped)


def _json_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return str(value)


def index_objects(data: Any) -> dict[int, Path]:
    """id(object) -> its path, for every mapping in the plan data."""
    index: dict[int, Path] = {}
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            index[id(node)] = path
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return index


# evaluation -------------------------------------------------------------------------------------


class EvaluationError(Exception):
    """An evaluation-time rubric error: the plan cannot be judged by this rule."""

    def __init__(self, rule: CustomRule, field_name: str, message: str) -> None:
        line, column = rule.positions.get(field_name, (None, None))
        self.problem = Problem(message, f"custom_rules[{rule.index}].{field_name}", line, column)
        self.source = rule.source
        super().__init__(message)


_ABSENT = object()


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "non-finite number"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


SHOWN_CHARS = 200  # a string or a list or object in a message: longer ones are cut, marked with …
SHOWN_DIGITS = 40  # a number in a message: longer ones show their first and last digits and a count


def show(value: Any) -> str:
    """A value in a message: strings unquoted, numbers in shortest decimal form,
    ``true``/``false``/``null``, lists and objects as compact JSON. Whatever the plan data or an
    operand holds, the text is bounded: a 4,000-digit integer from an ``x-`` value, say, is shown
    by its first and last digits and its length, and a long string or structure is cut."""
    if isinstance(value, str):
        return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    if isinstance(value, (list, dict)):
        pieces: list[str] = []
        size = 0
        for piece in _json_pieces(value):
            pieces.append(piece)
            size += len(piece)
            if size > SHOWN_CHARS:
                return "".join(pieces)[:SHOWN_CHARS] + "…"
        return "".join(pieces)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return _number_text(value)
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _number_text(value: float | Decimal) -> str:
    """The shortest decimal form of a number, exactly (no rounding to a context precision,
    and no conversion of a huge integer to a string, which Python limits), bounded in length
    (without ever writing out the digits of ``1e-999999999``, which a rubric may hold)."""
    if isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text that reads back as this float
    elif isinstance(value, int):
        number = Decimal(value)  # exact, whatever the size
    else:
        number = value
    if not number.is_finite():
        return str(number)
    sign, digit_tuple, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits:
        return "0"
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    # the plain text as runs of (text, times): only runs of zeros can be long
    if exponent >= 0:
        runs = [(digits, 1), ("0", exponent)]
    elif len(digits) > -exponent:
        runs = [(digits[:exponent], 1), (".", 1), (digits[exponent:], 1)]
    else:
        runs = [("0.", 1), ("0", -exponent - len(digits)), (digits, 1)]
    count = sum(len(text) * times for text, times in runs) - (exponent < 0)
    if count <= SHOWN_DIGITS:
        text = "".join(text * times for text, times in runs)
    else:
        head = "".join(text * min(times, 20) for text, times in runs)[:20]
        tail = "".join(text * min(times, 12) for text, times in runs)[-12:]
        text = f"{head}…{tail} ({count} digits)"
    return ("-" if sign else "") + text


def _json_pieces(value: Any) -> Iterator[str]:
    """Compact JSON, piece by piece (so a long value is cut without being built whole), with
    numbers as :func:`show` prints them."""
    if isinstance(value, dict):
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            yield ("," if n else "") + json.dumps(str(key), ensure_ascii=False) + ":"
            yield from _json_pieces(item)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for n, item in enumerate(value):
            if n:
                yield ","
            yield from _json_pieces(item)
        yield "]"
    elif isinstance(value, str):
        yield json.dumps(value[: SHOWN_CHARS + 1], ensure_ascii=False)  # longer is cut anyway
    else:
        yield _scalar(value)


def _as_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _number(value: Any) -> Decimal | None:
    """A finite number as an exact decimal, else None. Plan data holds finite numbers only, but an
    expression can make others (``to_number('nan')``, ``to_number('1e999')``): they compare with
    nothing, so a check treats them as the wrong type instead of failing on the comparison."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # pragma: no cover - finite floats and ints always convert
        return None


def _equal(value: Any, operand: Any) -> bool:
    if isinstance(value, (list, dict)):
        return False
    a, b = _number(value), _number(operand)
    if a is not None or b is not None:
        return a is not None and b is not None and a == b
    return type(value) is type(operand) and value == operand


class Evaluator:
    """Evaluates one custom rule on one plan, within the item budget."""

    def __init__(self, rule: CustomRule, data: Any, index: dict[int, Path]) -> None:
        self.rule = rule
        self.data = data
        self.index = index
        self.budget = [MAX_ITEMS]
        self.interpreter = _interpreter_class()(self.budget)
        self.dates: dict[str, Any] = {}
        from jmespath.exceptions import JMESPathError

        self.errors = JMESPathError

    def search(self, parsed: Any, value: Any, field_name: str) -> Any:
        try:
            return self.interpreter.visit(parsed, value)
        except ItemBudgetExceeded:
            raise EvaluationError(self.rule, field_name, f"the expression builds more than {MAX_ITEMS} items") from None
        except self.errors:
            return None  # a type error at run time gives null, as for a missing key
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError, RecursionError):
            return None

    def targets(self) -> Iterator[tuple[dict[str, Any] | None, Path]]:
        rule = self.rule
        if rule.for_each is None:
            yield None, ()
            return
        selected = self.search(rule.for_each_parsed, self.data, "for_each")
        if selected is None:
            return
        items = [selected] if isinstance(selected, dict) else selected
        if not isinstance(items, list):
            raise EvaluationError(rule, "for_each", f"for_each must select objects, not a {_type_name(items)}")
        if len(items) > MAX_TARGETS:
            raise EvaluationError(rule, "for_each", f"for_each selects {len(items)} items, over {MAX_TARGETS}")
        seen: set[int] = set()
        for item in items:
            if item is None:
                continue
            if not isinstance(item, dict):
                raise EvaluationError(rule, "for_each", f"for_each must select objects, not a {_type_name(item)}")
            path = self.index.get(id(item))
            if path is None:
                raise EvaluationError(
                    rule, "for_each", "for_each selects an object that is not part of the plan (built by the query)"
                )
            if id(item) not in seen:
                seen.add(id(item))
                yield item, path

    def value(self, condition: Condition, target: Any) -> Any:
        """The condition's value at the target: _ABSENT, None (null) or a value."""
        base = self.data if target is None else target
        if condition.plain is not None:
            node = base
            for key in condition.plain:
                if not isinstance(node, dict) or key not in node:
                    return _ABSENT
                node = node[key]
                if node is None:
                    return None
            return node
        found = self.search(condition.parsed, base, condition.field)
        return _ABSENT if found is None else found

    def reference(self, condition: Condition) -> Any:
        key = condition.operand["date_of"]
        if key not in self.dates:
            self.dates[key] = self.search(
                condition.date_parsed, self.data, f"{condition.field.rsplit('.', 1)[0]}.{condition.operator}.date_of"
            )
        return self.dates[key]

    def check(self, condition: Condition, target: Any) -> tuple[str, str]:
        """("pass" | "fail" | "unknown", the failure text)."""
        p = condition.path
        op, operand = condition.operator, condition.operand
        value = self.value(condition, target)
        absent, null = value is _ABSENT, value is None
        if op == "exists":
            present = not absent and not null
            if operand:
                return ("pass", "") if present else ("fail", f"{p} is absent" if absent else f"{p} is null")
            return ("fail", f"{p} is {show(value)} (expected absent)") if present else ("pass", "")
        if absent:
            return ("fail", f"{p} is absent") if op == "not_empty" else ("unknown", "")
        if null:
            return "fail", f"{p} is null"
        if op == "not_empty":
            empty = (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, dict)) and not value)
            return ("fail", f"{p} is empty") if empty else ("pass", "")
        if op == "equals":
            return (
                ("pass", "") if _equal(value, operand) else ("fail", f"{p} is {show(value)} (expected {show(operand)})")
            )
        if op == "in":
            if any(_equal(value, o) for o in operand):
                return "pass", ""
            return "fail", f"{p} is {show(value)} (expected one of {', '.join(show(o) for o in operand)})"
        if op in ("min", "max"):
            number = _number(value)
            if number is None:
                return "fail", f"{p} has the wrong type: {_type_name(value)} (expected number)"
            limit = Decimal(str(operand))
            ok = number >= limit if op == "min" else number <= limit
            word = "at least" if op == "min" else "at most"
            return ("pass", "") if ok else ("fail", f"{p} is {show(value)} ({word} {show(operand)})")
        if op == "min_items":
            if not isinstance(value, list):
                return "fail", f"{p} has the wrong type: {_type_name(value)} (expected array)"
            count = len(value)
            noun = "item" if count == 1 else "items"
            return ("pass", "") if count >= operand else ("fail", f"{p} has {count} {noun} (at least {operand})")
        # before / after
        reference = self.reference(condition)
        if reference is None:
            return "unknown", ""
        ref_day = _as_date(reference)
        if ref_day is None:
            return "fail", f"{p}: the reference {operand['date_of']} is not a date"
        day = _as_date(value)
        if day is None:
            return "fail", f"{p} has the wrong type: {_type_name(value)} (expected date)"
        shift = dt.timedelta(days=operand.get("days", 0))
        if op == "before":
            limit_day = ref_day - shift
            ok = day <= limit_day
            return ("pass", "") if ok else ("fail", f"{p} {value} is not on or before {limit_day.isoformat()}")
        limit_day = ref_day + shift
        ok = day >= limit_day
        return ("pass", "") if ok else ("fail", f"{p} {value} is not on or after {limit_day.isoformat()}")


def evaluate_rule(rule: CustomRule, data: Any, index: dict[int, Path], outcome: Callable[..., Any]) -> Iterator[Any]:
    """One result per selected object (or one for the plan): ``outcome(target, path, status,
    message, by_path)`` builds each. Raises :class:`EvaluationError`."""
    ev = Evaluator(rule, data, index)
    if rule.for_each is not None:
        selected = ev.search(rule.for_each_parsed, data, "for_each")
        if selected is None:
            yield outcome(None, (), "unknown", f"cannot evaluate: {rule.for_each} is absent", False)
            return
    for target, path in ev.targets():
        ident = None
        if target is not None:
            candidate = target.get("id", target.get("person"))
            ident = candidate if isinstance(candidate, str) else None
        label = ident if ident is not None else (format_path(path) if target is not None else "(plan)")
        failed: list[str] = []
        first_fail: Condition | None = None
        first_unknown: Condition | None = None
        for condition in rule.conditions:
            status, text = ev.check(condition, target)
            if status == "fail":
                failed.append(text)
                first_fail = first_fail or condition
            elif status == "unknown":
                first_unknown = first_unknown or condition
        by_path = target is not None and ident is None
        if failed:
            where = _extend(path, first_fail)
            name = target.get("name") if isinstance(target, dict) else None
            message = render_message(
                rule.message,
                {
                    "rule": rule.id,
                    "target": label,
                    "target_name": name if isinstance(name, str) else "",
                    "path": format_path(where),
                    "failed": "; ".join(failed),
                },
            )
            yield outcome(ident, where, "fail", message, by_path)
        elif first_unknown is not None:
            where = _extend(path, first_unknown)
            missing = format_path(where) if first_unknown.plain is not None else first_unknown.path
            if first_unknown.operator in ("before", "after") and first_unknown.plain is not None:
                value = ev.value(first_unknown, target)
                if value is not _ABSENT:
                    missing = first_unknown.operand["date_of"]
            yield outcome(ident, where, "unknown", f"cannot evaluate: {missing} is absent", by_path)
        else:
            yield outcome(ident, path, "pass", "", by_path)


def _extend(path: Path, condition: Condition | None) -> Path:
    if condition is None or condition.plain is None:
        return path
    return (*path, *condition.plain)


# compile time: a rubric's custom rules -----------------------------------------------------------


def compile_rules(doc: Document, items: list[Any], taken: dict[str, str], found: Collector) -> list[CustomRule]:
    """A rubric file's custom rules (its ``custom_rules`` entries, validated), checked and compiled:
    ids, names, message placeholders, every JMESPath expression and operand. Problems go to
    ``found``; ``taken`` maps the names already in use to their rules' IDs, and gains this file's."""
    out: list[CustomRule] = []

    def where(*path: Any) -> tuple[int | None, int | None]:
        return doc.locate(("custom_rules", *path)) or (None, None)

    def problem(path: tuple[Any, ...], message: str) -> None:
        found.add_at(("custom_rules", *path), message)

    ids: set[str] = set()
    for i, item in enumerate(items):
        ok = True
        if not CUSTOM_RULE_ID.match(item.id):
            problem(
                (i, "id"),
                f"malformed custom rule id '{item.id}' (expected X, 1-6 capital letters, 3 digits, such as XSAL001)",
            )
            ok = False
        elif item.id in ids:
            problem((i, "id"), f"duplicate custom rule id '{item.id}'")
            ok = False
        ids.add(item.id)
        owner = taken.get(item.name)
        if not SLUG_PATTERN.match(item.name):
            problem(
                (i, "name"),
                f"malformed name '{item.name}' (expected kebab-case, such as sales-role-without-automation)",
            )
            ok = False
        elif owner is not None and owner != item.id:
            problem((i, "name"), f"name '{item.name}' is already used by rule {owner}")
            ok = False
        if (reason := placeholder_problem(item.message)) is not None:
            problem((i, "message"), reason)
            ok = False
        positions: dict[str, tuple[int | None, int | None]] = {"for_each": where(i, "for_each")}
        for_each_parsed = None
        if item.for_each is not None:
            for_each_parsed, error = compile_expression(item.for_each)
            if error:
                problem((i, "for_each"), error)
                ok = False
        conditions: list[Condition] = []
        for j, cond in enumerate(item.require):
            field = f"require[{j}]"
            operators = [op for op in OPERATORS if _attr(op) in cond.model_fields_set]
            if len(operators) != 1:
                given = ", ".join(operators) if operators else "none"
                problem(
                    (i, "require", j),
                    f"a condition needs exactly one operator of: {', '.join(OPERATORS)} (found {given})",
                )
                ok = False
                continue
            op = operators[0]
            operand = getattr(cond, _attr(op))
            reason = _operand_problem(op, operand)
            if reason is not None:
                problem((i, "require", j, op), reason)
                ok = False
            parsed, error = compile_expression(cond.path)
            if error:
                problem((i, "require", j, "path"), error)
                ok = False
            condition = Condition(cond.path, op, operand, f"{field}.path", parsed, plain_chain(cond.path))
            positions[f"{field}.path"] = where(i, "require", j, "path")
            if op in ("before", "after"):
                condition.operand = {"date_of": operand.date_of, "days": operand.days}
                condition.date_parsed, error = compile_expression(operand.date_of)
                positions[f"{field}.{op}.date_of"] = where(i, "require", j, op, "date_of")
                if error:
                    problem((i, "require", j, op, "date_of"), error)
                    ok = False
            conditions.append(condition)
        if not ok:
            continue
        rule = CustomRule(
            item.id,
            item.name,
            item.title or item.name,
            item.severity,
            item.category,
            item.message,
            item.remediation,
            item.rationale or "",
            item.for_each,
            conditions,
            doc.file,
            positions,
            i,
            for_each_parsed,
            " ".join((item.question or "").split()),
            tuple(item.owner or ()),
        )
        out.append(rule)
        for name, owner in list(taken.items()):  # a rule that replaces a base rule frees its name
            if owner == item.id:
                del taken[name]
        taken[item.name] = item.id
    return out


def _attr(operator: str) -> str:
    """The model attribute of an operator (``in`` is a keyword in Python)."""
    return "in_" if operator == "in" else operator


def _operand_problem(op: str, operand: Any) -> str | None:
    if op == "exists" and not isinstance(operand, bool):
        return "exists takes true or false"
    if op == "not_empty" and operand is not True:
        return "not_empty takes true"
    if op == "equals" and (operand is None or isinstance(operand, (list, dict))):
        return "equals takes a string, number or boolean (use exists: false for an absent or null value)"
    if op == "in" and (not isinstance(operand, list) or any(o is None or isinstance(o, (list, dict)) for o in operand)):
        return "in takes a list of strings, numbers or booleans"
    return None


class CustomCheck:
    """A custom rule as the engine runs it: one result per selected object, built by the rule
    context. A class rather than a closure, so that a rubric can travel to worker processes."""

    def __init__(self, rule: CustomRule) -> None:
        self.rule = rule

    def __call__(self, ctx: Any, options: Any) -> Iterator[Any]:
        def result(target: str | None, path: Path, status: str, message: str, by_path: bool) -> Any:
            return ctx.result(target, path, status, message, 0, by_path)

        return evaluate_rule(self.rule, ctx.data, ctx.data_index, result)
