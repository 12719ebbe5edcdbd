"""The lexical guard for flow nesting (readiness.nesting), checked against a YAML parser's events.

PyYAML's pure-Python parser has no nesting limit of its own and gives every event with its
offset, so it says where flow nesting really passes the limit; the guard must name the same
opener whenever it names one, and must name it whenever some line is dense enough for libyaml
to read it whole.
"""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from readiness.errors import PlanError
from readiness.limits import MAX_DEPTH
from readiness.loader import compose, decode
from readiness.nesting import deep_flow, dense

TRICKY = st.sampled_from(
    ["[", "]", "{", "}", '"', "'", "#", " #", ": ", ",", "|", ">", "-", "\n", "x", " ", "\r", "\x85", "\u2028", "&a "]
)
TEXT = st.lists(TRICKY, max_size=12).map("".join)


def flow_crossing(text: str, limit: int) -> int | None:
    """The offset of the first flow collection that starts deeper than ``limit`` flow levels."""
    styles: list[bool] = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            styles.append(bool(event.flow_style))
            if sum(styles) > limit:
                return int(event.start_mark.index)
        elif isinstance(event, yaml.CollectionEndEvent):
            styles.pop()
    return None


def nested(value: object, levels: int, mapping: bool) -> object:
    for _ in range(levels):
        value = {"k": value} if mapping else [value]
    return value


@st.composite
def documents(draw: st.DrawFn) -> str:
    leaves = st.one_of(TEXT, st.integers(), st.booleans())
    tree = st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
        max_leaves=12,
    )
    data = draw(st.dictionaries(TEXT, tree, min_size=1, max_size=4))
    if draw(st.booleans()):
        data[draw(TEXT)] = nested(draw(tree), draw(st.integers(55, 75)), draw(st.booleans()))
    style = draw(st.sampled_from([None, True, False]))
    scalar_style = draw(st.sampled_from([None, '"', "'", "|"]))
    line_break = draw(st.sampled_from([None, "\r", "\r\n"]))
    return str(
        yaml.dump(data, default_flow_style=style, default_style=scalar_style, width=10**9, line_break=line_break)
    )


@given(documents())
def test_the_guard_names_the_opener_the_parser_finds(text: str) -> None:
    limit = 60
    found = deep_flow(text, limit)
    if not dense(text, limit):
        assert found is None
    else:
        assert found == flow_crossing(text, limit)


def test_a_dense_line_is_found_at_its_first_opener_past_the_limit() -> None:
    text = "a: " + "[" * 100 + "]" * 100 + "\n"
    assert deep_flow(text, 64) == 3 + 64


def test_brackets_in_text_are_not_counted() -> None:
    quoted = 'a: "' + "[" * 100 + '"\n'
    single = "a: '" + "{" * 100 + "'\n"
    block = "a: |\n  " + "[" * 100 + "\nb: 1\n"
    comment = "a: 1 # " + "[" * 100 + "\n"
    plain = "a: x" + "[" * 100 + "\n"
    continued = "a: some text\n  " + "[" * 100 + "\n"
    for text in (quoted, single, block, comment, plain, continued):
        assert deep_flow(text, 64) is None, text
        compose("t.yaml", text)  # and they are valid YAML


def test_libyaml_never_reports_nesting_in_its_own_words() -> None:
    for text in (
        "a: " + "[" * 1_000_000 + "]" * 1_000_000,
        "a: " + "{a: " * 5_000 + "1" + "}" * 5_000,
        "a: " + '[ "]]",' * 2_000,
        "a: " + "[\n" * 2_000,
    ):
        try:
            compose("deep.yaml", text)
        except PlanError as exc:
            assert [p.message for p in exc.problems] == [
                f"nesting deeper than {MAX_DEPTH} levels, over the input limit"
            ]
        else:
            raise AssertionError("accepted")


def test_the_position_is_that_of_the_opener_that_passes_the_limit() -> None:
    # the top-level mapping is level 1, so the 64th bracket opens level 65
    try:
        compose("deep.yaml", "a: " + "[" * 5_000)
    except PlanError as exc:
        assert (exc.problems[0].line, exc.problems[0].column) == (1, 3 + 64)
    else:
        raise AssertionError("accepted")


def level_crossing(text: str, limit: int) -> tuple[int, int]:
    """Where the parser places the first collection deeper than ``limit`` levels of any style."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    raise AssertionError("no crossing")


OPEN, CLOSE = "[" * 100, "]" * 100
BREAKS = {"CR": "\r", "CRLF": "\r\n", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}
AS_THE_PARSER_READS = {
    "a quoted value after a key's colon with no blank": 'a: {"k":"' + OPEN + '"}\n',
    "a single-quoted value after a key's colon": "a: {'k':'" + OPEN + "'}\n",
    "an anchor before a quoted scalar": 'a: [&x "' + OPEN + '"]\n',
    "a tag before a quoted scalar": 'a: [!!str "' + OPEN + '"]\n',
    "a comment right after a comma": "a: [x,#" + OPEN + "\n]\n",
    **{
        f"a folded scalar, lines ended by {name}": f"a: >{nl}  x{nl}b: {OPEN}{CLOSE}{nl}" for name, nl in BREAKS.items()
    },
    **{f"a plain scalar, lines ended by {name}": f"a: x{nl}  y{nl}b: {OPEN}{CLOSE}{nl}" for name, nl in BREAKS.items()},
}


@pytest.mark.parametrize("text", AS_THE_PARSER_READS.values(), ids=AS_THE_PARSER_READS.keys())
def test_the_guard_reads_quotes_comments_and_line_breaks_as_the_parser_does(text: str) -> None:
    assert dense(text, 60)
    assert deep_flow(text, 60) == flow_crossing(text, 60)


@pytest.mark.parametrize("name", BREAKS)
def test_errors_are_placed_on_the_lines_the_parser_counts(name: str) -> None:
    nl = BREAKS[name]
    deep = f"a: >{nl}  é{nl}b: {OPEN}{CLOSE}{nl}"
    with pytest.raises(PlanError) as caught:
        compose("t.yaml", deep)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == level_crossing(deep, MAX_DEPTH)
    for text, message in (
        (f"a: é{nl}b: 2{nl}c: \x07{nl}", "control characters are not allowed"),  # libyaml counts bytes here
        (f"a: 1{nl}b:{nl}\tc{nl}", "indent with spaces"),  # the hint reads the character at the mark
    ):
        with pytest.raises(PlanError) as caught:
            compose("t.yaml", text)
        problem = caught.value.problems[0]
        assert (problem.line, problem.column) == ((3, 4) if "\x07" in text else (3, 1)), text
        assert message in problem.message
    with pytest.raises(PlanError) as caught:
        decode("t.yaml", f"a: é{nl}b: ".encode() + b"\xff")
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (2, 4)


@pytest.mark.parametrize("unit", ["- ", "a: ", '"k": ', "&a "])
def test_a_long_line_is_scanned_in_time_linear_in_its_length(unit: str) -> None:
    """Each node of a line once cost a search back to the line's start: 8 times the entries took
    35 to 48 times as long. Linear is 8; the bound leaves room for a busy machine."""

    def seconds(entries: int) -> float:
        text = unit * entries + OPEN + CLOSE + "\n"
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            assert deep_flow(text, MAX_DEPTH) is not None
            best = min(best, time.perf_counter() - started)
        return best

    assert seconds(320_000) / seconds(40_000) < 20


def test_a_line_of_many_keys_needs_no_deeper_stack_than_one_key() -> None:
    text = "a: " + '"k": ' * 5_000 + OPEN
    assert deep_flow(text, MAX_DEPTH) == len(text) - 100 + MAX_DEPTH
    with pytest.raises(PlanError):  # invalid YAML as libyaml says, not an internal error
        compose("keys.yaml", text)
