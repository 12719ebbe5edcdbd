"""The project configuration: [tool.readiness] in pyproject.toml or a readiness.toml, found from
nested directories (the nearest wins), flags over it, --config and --isolated, unknown keys and
bad values as positioned errors with a did-you-mean, and `readiness config`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.config import ConfigError, Settings, find_config, project_settings, toml_positions

from .conftest import MINIMAL, NORTHWIND, ROOT, run_cli, run_process


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository: plans/ (one ready plan, one not ready), rubrics/, and a nested directory."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "northwind.yaml").write_text(NORTHWIND.read_text())
    (tmp_path / "plans" / "pilot.yaml").write_text(MINIMAL)
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "gate.yaml").write_text("name: gate\nextends: default\npass_score: 95\n")
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    return tmp_path


PYPROJECT = """\
[project]
name = "programme-office"

[tool.readiness]
rubric = "rubrics/gate.yaml"
plans = ["plans/"]
as-of = 2026-02-02
fail-on = "warning"
"""


def test_the_nearest_configuration_is_found_from_nested_directories(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT)
    assert find_config(project / "docs" / "deep") == project / "pyproject.toml"
    settings = project_settings(project / "docs" / "deep")
    assert settings.fail_on == "warning" and settings.as_of == dt.date(2026, 2, 2)
    # a readiness.toml nearer the start wins, and in one directory it wins over pyproject.toml
    (project / "docs" / "readiness.toml").write_text('rubric = "strict"\n')
    assert find_config(project / "docs" / "deep") == project / "docs" / "readiness.toml"
    (project / "readiness.toml").write_text('rubric = "sales-led"\n')
    assert find_config(project) == project / "readiness.toml"
    # a pyproject.toml without [tool.readiness] is passed over
    (project / "docs" / "readiness.toml").unlink()
    (project / "docs" / "pyproject.toml").write_text('[project]\nname = "docs"\n')
    assert find_config(project / "docs" / "deep") == project / "readiness.toml"
    assert find_config(Path("/")) is None or find_config(Path("/")) != project


def test_paths_in_the_file_are_relative_to_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + 'baseline = "ci/baseline.json"\nformat = ["json=out/r.json"]\n')
    monkeypatch.chdir(project / "docs" / "deep")
    settings = project_settings(Path.cwd())
    assert settings.rubric == "../../rubrics/gate.yaml"
    assert settings.plans == ("../../plans",)
    assert settings.baseline == "../../ci/baseline.json"
    assert settings.format == ("json=../../out/r.json",)
    assert settings.source("rubric") == "../../pyproject.toml:5:1"
    assert settings.source("select") == "default"


def test_check_takes_its_defaults_from_the_configuration(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.chdir(project / "docs" / "deep")
    result = run_cli("check", "--quiet")  # plans, rubric (pass score 95), date and fail-on all configured
    assert result.code == 1, result.stderr
    assert result.stdout.splitlines() == [
        (
            "../../plans/northwind.yaml: not_ready (score 93.5): score 93.5 is below the pass score 95; "
            "2 live warnings block (fail_on: warning)"
        ),
        "../../plans/pilot.yaml: not_ready (score 50.0): score 50.0 is below the pass score 95",
    ]


def test_flags_override_the_configuration(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + 'no-waivers = true\nformat = ["json"]\n')
    monkeypatch.chdir(project)
    plan = "plans/northwind.yaml"
    configured = json.loads(run_cli("check", plan).stdout)
    assert configured["rubric"] == {
        **configured["rubric"],
        "name": "gate",
        "pass_score": 95,
        "fail_on": "warning",
        "waivers": "forbidden",
    }
    result = run_cli(
        "check",
        plan,
        "--rubric",
        "default",
        "--fail-on",
        "error",
        "--waivers",
        "--as-of",
        "2026-03-01",
        "--min-score",
        "90",
    )
    flagged = json.loads(result.stdout)
    assert flagged["rubric"]["name"] == "default" and flagged["rubric"]["fail_on"] == "error"
    assert flagged["rubric"]["waivers"] == "allowed" and flagged["rubric"]["pass_score"] == 90
    assert flagged["as_of"] == "2026-03-01" and [p["path"] for p in flagged["plans"]] == [plan]
    assert run_cli("check", plan, "--format", "rich").stdout.startswith("Northwind CRM")  # format too
    assert (
        run_cli("check", plan, "--isolated", "--quiet").stdout
        == f"{plan}: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n"
    )


def test_config_and_isolated(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT)
    other = project / "docs" / "other.toml"
    other.write_text('rubric = "strict"\nplans = ["../plans/northwind.yaml"]\nas-of = 2026-02-02\n')
    monkeypatch.chdir(project)
    result = run_cli("check", "--config", str(other), "--quiet")
    line = "plans/northwind.yaml: not_ready (score 93.5): 3 live warnings block (fail_on: warning)\n"
    assert (result.code, result.stdout) == (1, line)
    assert project_settings(project, isolated=True) == Settings()
    both = run_cli("check", "--config", str(other), "--isolated")
    assert both.code == 2 and "cannot be combined" in both.stderr
    missing = run_cli("check", "plans", "--config", "nowhere.toml")
    assert (missing.code, missing.stderr) == (2, "readiness: error: --config nowhere.toml: no such file\n")
    bare = project / "docs" / "pyproject.toml"
    bare.write_text('[project]\nname = "x"\n')
    result = run_cli("check", "plans", "--config", str(bare))
    assert result.code == 2 and "no [tool.readiness] table" in result.stderr


def test_unknown_keys_and_bad_values_are_positioned_errors_with_a_hint(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.readiness]\n"
        'fail_on = "error"\n'
        "jobs = -1\n"
        '  rubrik = "strict"\n'
        'format = [\n  "rich",\n  "sarf=x.sarif",\n]\n'
        "min-score = 120\n"
        "as-of = 2026-02-03T10:00:00\n"
    )
    monkeypatch.chdir(project / "docs")
    result = run_cli("check", "--quiet")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "../pyproject.toml:2:1: error: tool.readiness.fail_on: unknown key 'fail_on' (did you mean 'fail-on'?)",
        "../pyproject.toml:3:1: error: tool.readiness.jobs: -1 is below the minimum 0",
        "../pyproject.toml:4:3: error: tool.readiness.rubrik: unknown key 'rubrik' (did you mean 'rubric'?)",
        "../pyproject.toml:9:1: error: tool.readiness.min-score: 120 is above the maximum 100",
        "../pyproject.toml:10:1: error: tool.readiness.as-of: expected a date YYYY-MM-DD, not a date-time",
    ]
    (project / "pyproject.toml").write_text(
        '[tool.readiness]\nformat = [\n  "rich",\n  "sarf=x.sarif",\n]\nrubric = "strikt"\n'
    )
    assert run_cli("config").stderr.splitlines() == [
        (
            "../pyproject.toml:4:3: error: tool.readiness.format[1]: unknown format 'sarf' (did you mean 'sarif'? "
            "available: rich, markdown, html, json, sarif, junit, github, csv, codequality)"
        ),
        (
            "../pyproject.toml:6:1: error: tool.readiness.rubric: unknown rubric 'strikt' (did you mean 'strict'? "
            "a rubric file is a path ending in .yaml)"
        ),
    ]


def test_a_file_that_is_not_toml_is_an_error_at_its_position(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "readiness.toml").write_text('rubric = "strict\n')
    monkeypatch.chdir(project)
    result = run_cli("check", "plans")
    assert (result.code, result.stderr) == (2, "readiness.toml:1:17: error: invalid TOML: Illegal character '\\n'\n")
    (project / "readiness.toml").write_bytes(b'rubric = "\xff"\n')
    assert "not valid UTF-8" in run_cli("check", "plans").stderr


def test_keys_in_readiness_toml_are_top_level(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "readiness.toml").write_text('[tool.readiness]\nrubric = "strict"\n')
    monkeypatch.chdir(project)
    result = run_cli("config")
    assert result.code == 2
    assert "readiness.toml:1:1: error: tool: unknown key 'tool'" in result.stderr


def test_diff_reads_the_configuration(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "readiness.toml").write_text('rubric = "rubrics/gate.yaml"\nas-of = 2026-02-02\nmax-score-drop = 50\n')
    monkeypatch.chdir(project)
    result = run_cli("diff", "plans/northwind.yaml", "plans/pilot.yaml", "--format", "json")
    document = json.loads(result.stdout)
    assert result.code == 0  # a 43.5-point drop is within the configured 50; both not ready under the gate
    assert (document["old"]["verdict"], document["new"]["verdict"]) == ("not_ready", "not_ready")
    assert run_cli("diff", "plans/northwind.yaml", "plans/pilot.yaml", "--max-score-drop", "10").code == 1


def test_readiness_config_shows_each_setting_and_where_it_came_from(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + "min-score = 87.5\n")
    monkeypatch.chdir(project / "docs" / "deep")
    result = run_cli("config")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "configuration: ../../pyproject.toml"
    table = {line.split()[0]: line for line in lines[2:]}
    assert table["rubric"].split() == ["rubric", "../../rubrics/gate.yaml", "../../pyproject.toml:5:1"]
    assert table["min-score"].split() == ["min-score", "87.5", "../../pyproject.toml:9:1"]
    assert table["jobs"].split()[-1] == "default" and "every usable core" in table["jobs"]
    document = json.loads(run_cli("config", "--format", "json").stdout)
    assert document["file"] == "../../pyproject.toml"
    assert document["settings"]["as-of"] == {"value": "2026-02-02", "source": "../../pyproject.toml:7:1"}
    assert document["settings"]["min-score"]["value"] == 87.5
    assert list(document["settings"]) == [
        "rubric", "plans", "format", "fail-on", "min-score", "as-of", "select", "ignore",
        "no-waivers", "jobs", "max-bytes", "baseline", "max-score-drop",
    ]  # fmt: skip
    assert run_cli("config", "--isolated").stdout.startswith("configuration: ignored (--isolated)\n")


def test_no_configuration_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if find_config(tmp_path) is not None:
        pytest.skip("a configuration file above the temporary directory")
    assert run_cli("config").stdout.startswith("configuration: none found, so every setting is its default\n")
    result = run_cli("check")
    assert result.code == 2 and "no plan given" in result.stderr


def test_settings_given_lays_flags_over_and_notes_their_source() -> None:
    settings = Settings(rubric="strict", sources={"rubric": "readiness.toml:1:1"}).given(
        rubric=None, min_score=Decimal(70), no_waivers=False
    )
    assert settings.rubric == "strict" and settings.source("rubric") == "readiness.toml:1:1"
    assert settings.min_score == 70 and settings.source("min-score") == "default"
    assert settings.source("min_score") == "--min-score" and settings.no_waivers is False
    with pytest.raises(TypeError):
        Settings().given(colour="red")


def test_project_settings_needs_no_command_line(project: Path) -> None:
    """The function an editor integration calls: no Typer, no Click, no Rich imported."""
    (project / "pyproject.toml").write_text(PYPROJECT)
    script = (
        "import sys, pathlib\n"
        "from readiness.config import project_settings\n"
        f"s = project_settings(pathlib.Path({str(project / 'docs')!r}))\n"
        "assert s.fail_on == 'warning', s\n"
        "loaded = [m for m in ('typer', 'click', 'rich') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_an_error_raised_to_a_library_caller(project: Path) -> None:
    (project / "readiness.toml").write_text("jobz = 2\n")
    with pytest.raises(ConfigError) as info:
        project_settings(project)
    assert (
        info.value.lines()
        == [f"{project / 'readiness.toml'}:1:1: error: jobz: unknown key 'jobz' (did you mean 'jobs'?)"]
        or info.value.problems[0].line == 1
    )


def test_toml_positions() -> None:
    text = (
        "# a comment = not a key\n"
        "[tool.readiness]\n"
        'rubric = "a = b # not a comment"\n'
        "select = [\n"
        '  "LEAD",  # first\n'
        "  'COMM',\n"
        "]\n"
        'desc = """\n'
        "x = 1\n"
        '"""\n'
        "  inline = {a = 1, 'b.c' = [1, 2]}\n"
        "tool.other.x = 1\n"
        "[[tool.readiness.many]]\n"
    )
    found = toml_positions(text)
    assert found[("tool", "readiness")] == (2, 1)
    assert found[("tool", "readiness", "rubric")] == (3, 1)
    assert found[("tool", "readiness", "select")] == (4, 1)
    assert found[("tool", "readiness", "select", 0)] == (5, 3)
    assert found[("tool", "readiness", "select", 1)] == (6, 3)
    assert ("tool", "readiness", "x") not in found  # inside a multi-line string
    assert found[("tool", "readiness", "inline")] == (11, 3)
    assert found[("tool", "readiness", "inline", "a")] == (11, 13)
    assert found[("tool", "readiness", "inline", "b.c", 1)] == (11, 32)
    assert found[("tool", "readiness", "tool", "other", "x")] == (12, 1)
    assert found[("tool", "readiness", "many")] == (13, 1)


# the real console process --------------------------------------------------------------------


def test_configuration_through_the_console_process(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT)
    deep = project / "docs" / "deep"
    done = run_process("check", "--quiet", cwd=deep)
    assert done.code == 1 and done.stdout.splitlines()[0] == (
        "../../plans/northwind.yaml: not_ready (score 93.5): score 93.5 is below the pass score 95; "
        "2 live warnings block (fail_on: warning)"
    )
    done = run_process(
        "check", "--quiet", "--rubric", "default", "--fail-on", "error", "../../plans/northwind.yaml", cwd=deep
    )
    assert (done.code, done.stdout) == (
        0,
        "../../plans/northwind.yaml: ready (score 93.5): score 93.5 reaches the pass score 80; no live error (fail_on: error)\n",
    )
    (project / "pyproject.toml").write_text(PYPROJECT + "fial-on = 1\n")
    done = run_process("check", cwd=deep)
    assert (done.code, done.stdout) == (2, "")
    assert (
        done.stderr
        == "../../pyproject.toml:9:1: error: tool.readiness.fial-on: unknown key 'fial-on' (did you mean 'fail-on'?)\n"
    )
    done = run_process("config", cwd=deep)
    assert done.code == 2 and done.stderr.count("\n") == 1
    done = run_process("config", "--isolated", cwd=deep)
    assert done.code == 0 and "rubric          default" in done.stdout


def test_the_repository_itself_has_no_readiness_settings() -> None:
    """The suite runs from the repository root: a [tool.readiness] here would change every test."""
    assert find_config(ROOT) is None or find_config(ROOT) != ROOT / "pyproject.toml"


# the position scan, on generated TOML ------------------------------------------------------------


_bare = st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True)
_text = st.text(alphabet=st.sampled_from([*"ab #=[]{},.'\"\\\n\t", "é"]), max_size=12)
_scalar = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.booleans().map(lambda b: "true" if b else "false"),
    _text.map(
        lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
    ),
    _text.filter(lambda t: "'" not in t and "\n" not in t).map(lambda t: f"'{t}'"),
    _text.filter(lambda t: '"""' not in t and not t.endswith('"') and "\\" not in t).map(lambda t: f'"""{t}"""'),
    st.just("2026-02-02"),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(inner, max_size=3).map(lambda items: "[\n  " + ",\n  ".join(items) + ",\n]" if items else "[]"),
    ),
    max_leaves=6,
)


@settings(max_examples=200)
@given(st.lists(st.tuples(_bare, _value, st.sampled_from(["", "  ", "\t"]), st.booleans()), min_size=1, max_size=6))
def test_every_key_is_placed_where_it_is_written(pairs: list[tuple[str, str, str, bool]]) -> None:
    import tomllib

    lines = ["# settings", "[tool.readiness]"]
    for key, value, indent, comment in pairs:
        lines.append(f"{indent}{key} = {value}" + ("  # a = [comment" if comment else ""))
    text = "\n".join(lines) + "\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a repeated key: not TOML, so never scanned
    found = toml_positions(text)
    rows = text.split("\n")
    for key, _, _, _ in pairs:
        line, column = found[("tool", "readiness", key)]
        assert rows[line - 1][column - 1 :].startswith(f"{key} = ")
