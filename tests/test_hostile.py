"""Hostile and broken input: every case exits 2 with one clean ``file[:line:col]: error:`` line,
no traceback, no output, well within a second (input-safety.md)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from .conftest import MINIMAL, budget, run_cli


def bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def schema_bomb(n: int = 1000) -> str:
    """An alias bomb shaped like the plan, which would make pydantic panic if it got through."""
    items = ", ".join(["*p"] * n)
    return MINIMAL + (
        "x-anchor: &p {id: p-a, name: Ann, level: frontline, function: sales}\n"
        f"people: &l1 [{items}]\n"
        "x-more: &l2 [" + ", ".join(["*l1"] * n) + "]\n"
    )


CASES: dict[str, tuple[bytes, str]] = {
    "alias-bomb": (bomb().encode(), "nodes after alias expansion, over the input limit"),
    "schema-shaped-bomb": (schema_bomb().encode(), "nodes after alias expansion, over the input limit"),
    "deep-sequences": (("a: " + "[" * 30000 + "]" * 30000 + "\n").encode(), "nesting deeper than 64 levels"),
    "deep-mappings": ("".join(f"{' ' * i}k{i}:\n" for i in range(200)).encode(), "nesting deeper than 64 levels"),
    "deep-after-aliases": (
        ("a: &a " + "[" * 40 + "1" + "]" * 40 + "\nb: " + "[" * 40 + "*a" + "]" * 40 + "\n").encode(),
        "nesting deeper than 64 levels after alias expansion",
    ),
    "recursive-alias": (b"a: &a [*a]\n", "recursive alias '*a'"),
    "recursive-alias-mapping": (b"a: &a {b: *a}\n", "recursive alias '*a'"),
    "undefined-alias": (b"a: *nope\n", "alias '*nope' refers to no anchor"),
    "binary-garbage": (bytes(range(128, 256)) * 4, "not valid UTF-8"),
    "latin-1": ("name: Müller\n".encode("latin-1"), "not valid UTF-8 (byte 0xFC)"),
    "utf-16": ("a: 1\n".encode("utf-16"), "UTF-16"),
    "nul": (b"a: 1\nb: \x00\n", "NUL character"),
    "raw-escape": (b"a: \x1b[2J\n", "invalid YAML"),
    "empty": (b"", "the file is empty"),
    "comment-only": (b"# nothing here\n", "the file is empty"),
    "two-documents": (MINIMAL.encode() + b"---\na: 1\n", "a second YAML document starts here"),
    "top-level-list": (b"- a\n- b\n", "the top level is a list"),
    "top-level-scalar": (b"just words\n", "the top level is a single value"),
    "duplicate-key": (MINIMAL.encode() + b"rollout: {}\n", "duplicate key 'rollout' (first defined on line 2)"),
    "python-tag": (
        b"a: !!python/object/apply:os.system [echo pwned]\n",
        "explicit tag '!!python/object/apply:os.system'",
    ),
    "binary-tag": (b"a: !!binary aGVsbG8=\n", "explicit tag '!!binary'"),
    "complex-key": (b"? [a, b]\n: c\n", "a mapping key must be a plain string"),
    "unclosed-flow": (b"a: [1, 2\n", "invalid YAML"),
    "bad-indent": (b"a:\n  b: 1\n c: 2\n", "invalid YAML"),
    "huge-x-int": (MINIMAL.encode() + b"x-big: " + b"9" * 5000 + b"\n", "cannot be represented"),
    "x-non-finite": (MINIMAL.encode() + b"x-rate: .inf\n", "non-finite number .inf"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(tmp_path: Path, name: str) -> None:
    data, expected = CASES[name]
    plan = tmp_path / f"{name}.yaml"
    plan.write_bytes(data)
    report = tmp_path / "report.json"
    started = time.perf_counter()
    result = run_cli("check", str(plan), "--format", f"json={report}")
    elapsed = time.perf_counter() - started
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{plan}") and ": error: " in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    entry = json.loads(report.read_text())["plans"][0]  # the report carries the error (cli.md)
    assert entry["exit_code"] == 2 and len(entry["errors"]) == 1 and lines[0].endswith(entry["errors"][0]["message"])
    assert elapsed < budget(1.0), f"{name} took {elapsed:.2f}s"


def test_bom_is_accepted(tmp_path: Path) -> None:
    plan = tmp_path / "bom.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert run_cli("check", str(plan), "--format", "json").code == 1  # valid, all unknown: not ready


def test_oversize_file_names_the_limit(tmp_path: Path) -> None:
    plan = tmp_path / "big.yaml"
    plan.write_text(MINIMAL + "x-pad: '" + "x" * 5000 + "'\n")
    size = plan.stat().st_size
    result = run_cli("check", str(plan), "--max-bytes", "4096")
    assert result.code == 2
    assert result.stderr == f"{plan}: error: {size} bytes, over the 4096-byte limit (--max-bytes)\n"


def test_directory_missing_and_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    (folder / "inner.txt").write_text("not a plan")
    result = run_cli("check", str(folder))  # a directory holding no *.yaml is no plan at all
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"readiness: error: no plan found: '{folder}' matches no file\n"
    result = run_cli("check", str(tmp_path / "missing.yaml"))
    assert (result.code, result.stderr) == (2, f"{tmp_path / 'missing.yaml'}: error: no such file\n")
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.yaml"
        locked.write_text(MINIMAL)
        locked.chmod(0)
        assert run_cli("check", str(locked)).stderr == f"{locked}: error: permission denied\n"


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    result = run_cli("check", str(fifo))
    assert (result.code, result.stderr) == (2, f"{fifo}: error: is a FIFO, not a regular file\n")
    assert time.perf_counter() - started < budget(1.0)


def test_device_is_refused() -> None:
    result = run_cli("check", "/dev/zero")
    assert (result.code, result.stderr) == (2, "/dev/zero: error: is a device, not a regular file\n")


def test_standard_input_has_the_same_limits() -> None:
    assert run_cli("check", "-", "--format", "json", stdin=MINIMAL.encode()).code == 1
    result = run_cli("check", "-", "--max-bytes", "50", stdin=MINIMAL.encode())
    assert (result.code, result.stderr) == (2, "-: error: more than 50 bytes, over the 50-byte limit (--max-bytes)\n")
    result = run_cli("check", "-", stdin=b"a: &a [*a]\n")
    assert result.code == 2 and result.stderr.startswith("-:1:8: error: a[0]: recursive alias")


@pytest.mark.parametrize(
    ("value", "plain"), [("no", "'no'"), ("off", "'off'"), ("12:30", "'12:30'"), ("012", "'012'"), ("1_000", "'1_000'")]
)
def test_yaml11_scalars_stay_strings(tmp_path: Path, value: str, plain: str) -> None:
    """`name: no` is the string 'no' (a valid name), never false; a number field says what it got."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("name: Sales}", f"name: {value}, headcount: {value}}}"))
    result = run_cli("check", str(plan))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert f"organisation.divisions[0].headcount: expected an integer, got {plain}" in result.stderr
