"""The loader on its own: typing, the source map, path syntax and file kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.errors import PlanError
from readiness.limits import MAX_NODES
from readiness.loader import load, load_text
from readiness.paths import format_path


def test_only_core_booleans_and_nulls_are_typed_outside_extensions() -> None:
    doc = load_text("p.yaml", "a: [true, False, yes, no, on, off, ~, null, '', 012, 1.10, 12:30, 2026-01-01]\nb:\n")
    assert doc.data == {
        "a": [True, False, "yes", "no", "on", "off", None, None, "", "012", "1.10", "12:30", "2026-01-01"],
        "b": None,
    }


def test_extension_values_get_the_yaml_12_core_schema() -> None:
    doc = load_text("p.yaml", "x-a: [0o17, 0x1F, 012, -3, 1.5e2, .5, '7', yes, 2026-02-10, {k: 1}]\n")
    assert doc.data == {"x-a": [15, 31, 12, -3, 150.0, 0.5, "7", "yes", "2026-02-10", {"k": 1}]}


def test_source_map_positions_and_nearest_enclosing_node() -> None:
    text = "rollout:\n  name: A\n  phases:\n    - {id: p1, start: 2026-01-01}\n    - id: p2\n      start: x\n"
    doc = load_text("p.yaml", text)
    assert doc.locate(("rollout", "phases", 0)) == (4, 7)
    assert doc.locate(("rollout", "phases", 1)) == (5, 7)
    assert doc.locate(("rollout", "phases", 1, "start")) == (6, 14)
    assert doc.locate(("rollout", "phases", 1, "end")) == (5, 7)  # absent: its enclosing mapping
    assert doc.locate(("rollout", "phases", 9)) == (4, 5)  # the sequence starts at its first item
    assert doc.locate(("people",)) is None  # an absent top-level key has no location
    assert doc.locate_key(("rollout", "name")) == (2, 3)


def test_aliases_are_copies_with_the_anchors_positions() -> None:
    doc = load_text("p.yaml", "a: &x {k: [1, 2]}\nb: *x\n")
    assert doc.data["a"] == doc.data["b"] and doc.data["a"] is not doc.data["b"]
    assert doc.locate(("b", "k", 1)) == (1, 15)


def test_node_budget_counts_expanded_aliases() -> None:
    width = 1001
    text = "a: &a [" + ", ".join(["x"] * width) + "]\nb: [" + ", ".join(["*a"] * (MAX_NODES // width + 1)) + "]\n"
    with pytest.raises(PlanError, match="nodes after alias expansion"):
        load_text("p.yaml", text)


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), ""),
        (("training", "sessions", 3, "start"), "training.sessions[3].start"),
        (("x-meta", "a.b"), 'x-meta["a.b"]'),
        (("x-q", 'say "hi"'), 'x-q["say \\"hi\\""]'),
    ],
)
def test_path_syntax(path: tuple[object, ...], shown: str) -> None:
    assert format_path(path) == shown  # type: ignore[arg-type]


def test_directory_is_refused_by_the_loader(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as info:
        load(str(tmp_path))
    assert info.value.lines() == [f"{tmp_path}: error: is a directory, not a regular file"]


def test_crlf_and_mixed_line_endings_keep_positions() -> None:
    doc = load_text("p.yaml", "a: 1\r\nb:\r\n  c: 2\nd: 3\n")
    assert doc.data == {"a": "1", "b": {"c": "2"}, "d": "3"}
    assert doc.locate(("b", "c")) == (3, 6) and doc.locate(("d",)) == (4, 4)


def test_libyaml_parser_is_used_when_pyyaml_has_it() -> None:
    import yaml

    from readiness import loader

    assert yaml.__with_libyaml__ == loader.WITH_LIBYAML
