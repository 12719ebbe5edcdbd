"""Many plans in one call: expansion of directories and globs, mixed good and bad plans, the
combined exit code, and a process pool that gives byte-identical output."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from readiness import batch

from .conftest import EXAMPLES, MINIMAL, budget, run_cli


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    (root / "emea" / "wave2").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(EXAMPLES / "northwind.yaml", root / "northwind.yaml")
    shutil.copy(EXAMPLES / "minimal.yaml", root / "emea" / "minimal.yml")
    shutil.copy(EXAMPLES / "s3-silent-until-launch.yaml", root / "emea" / "wave2" / "s3.yaml")
    (root / ".hidden" / "secret.yaml").write_text("- not checked\n")
    (root / ".dotfile.yaml").write_text("- not checked\n")
    (root / "notes.txt").write_text("not a plan")
    return root


def paths_of(stdout: str) -> list[str]:
    return [p["path"] for p in json.loads(stdout)["plans"]]


def test_directory_expands_recursively_skipping_hidden(portfolio: Path) -> None:
    result = run_cli("check", str(portfolio), "--as-of", "2026-02-02", "--format", "json")
    names = [str(Path(p).relative_to(portfolio)) for p in paths_of(result.stdout)]
    assert names == ["emea/minimal.yml", "emea/wave2/s3.yaml", "northwind.yaml"]  # sorted by code point
    assert result.code == 1  # the worst plan is not ready


def test_globs_with_double_star_and_deduplication(portfolio: Path) -> None:
    result = run_cli(
        "check",
        f"{portfolio}/**/*.yaml",
        str(portfolio / "northwind.yaml"),
        "--as-of",
        "2026-02-02",
        "--format",
        "json",
    )
    names = [str(Path(p).relative_to(portfolio)) for p in paths_of(result.stdout)]
    assert names == ["emea/wave2/s3.yaml", "northwind.yaml"]


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    """Plans under directory links that loop: one to its own parent, and two directories that
    link to each other (glob followed them for ever, or checked one plan dozens of times)."""
    root = tmp_path / "plans"
    for folder in ("east", "m1", "m2"):
        (root / folder).mkdir(parents=True)
        (root / folder / f"{folder}.yaml").write_text(MINIMAL)
    (root / "top.yaml").write_text(MINIMAL)
    (root / "east" / "up").symlink_to("..")
    (root / "m1" / "to-m2").symlink_to("../m2")
    (root / "m2" / "to-m1").symlink_to("../m1")
    return root


EACH_ONCE = ["east/east.yaml", "m1/m1.yaml", "m1/to-m2/m2.yaml", "top.yaml"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{root}/**/*.yaml", EACH_ONCE),
        ("{root}", EACH_ONCE),
        ("{root}/**", EACH_ONCE),
        # below east/up lies the whole tree again: every plan still once, under the least name met
        (
            "{root}/*/**/*.yaml",
            ["east/east.yaml", "east/up/m1/m1.yaml", "east/up/m1/to-m2/m2.yaml", "east/up/top.yaml"],
        ),
    ],
)
def test_directory_links_that_loop_are_walked_once(looped: Path, pattern: str, expected: list[str]) -> None:
    argument = pattern.format(root=looped)
    command = [sys.executable, "-m", "readiness", "check", argument, "--as-of", "2026-02-02", "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=budget(10.0), check=False)
    seconds = time.perf_counter() - started
    names = [line.split(": ")[0] for line in done.stdout.splitlines()]
    assert (done.returncode, done.stderr) == (1, "")
    assert names == [str(looped / name) for name in expected]
    assert seconds < budget(5.0)


def test_links_to_one_file_give_one_plan_under_its_first_name(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    (root / "emea").mkdir(parents=True)
    (root / "b.yaml").write_text(MINIMAL)
    os.link(root / "b.yaml", root / "a-hard.yaml")  # a hard link: the same file
    (root / "c-link.yaml").symlink_to("b.yaml")  # a link to a file: the same file again
    (root / "emea" / "e.yaml").write_text(MINIMAL)
    (root / "alias").symlink_to("emea")  # a link to a directory inside: its plans once
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "s.yaml").write_text(MINIMAL)
    (root / "shared").symlink_to(outside)  # a link to a directory outside: followed
    (root / "gone.yaml").symlink_to("nowhere.yaml")  # a dangling link names no plan
    expected = ["a-hard.yaml", "alias/e.yaml", "shared/s.yaml"]
    for arguments in ([str(root)], [f"{root}/**/*.yaml"], [str(root / "c-link.yaml"), str(root), str(root / "b.yaml")]):
        result = run_cli("check", *arguments, "--as-of", "2026-02-02", "--format", "json")
        assert paths_of(result.stdout) == [str(root / name) for name in expected], arguments
        assert result.stderr == ""


def test_mixed_good_and_bad_plans_worst_code_wins(portfolio: Path) -> None:
    (portfolio / "broken.yaml").write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: later"))
    result = run_cli(
        "check", str(portfolio), str(portfolio / "nothing-*.yaml"), "--as-of", "2026-02-02", "--format", "json"
    )
    assert result.code == 2
    plans = {Path(p["path"]).name: p for p in json.loads(result.stdout)["plans"]}
    assert plans["northwind.yaml"]["verdict"] == "ready" and plans["s3.yaml"]["verdict"] == "not_ready"
    assert plans["broken.yaml"]["exit_code"] == 2 and plans["broken.yaml"]["errors"][0]["path"] == "rollout.go_live"
    assert plans["nothing-*.yaml"]["error"]["message"] == "matches no plan file"
    lines = result.stderr.splitlines()
    assert lines == [
        f"{portfolio / 'broken.yaml'}:4:12: error: rollout.go_live: expected a date YYYY-MM-DD, got 'later'",
        f"{portfolio / 'nothing-*.yaml'}: error: matches no plan file",
    ]


def test_combined_summary_in_rich_output(portfolio: Path) -> None:
    result = run_cli("check", str(portfolio), "--as-of", "2026-02-02")
    tail = result.stdout.split("\nSummary\n", 1)[1].splitlines()
    assert tail[0].split() == ["plan", "verdict", "score", "errors", "warnings", "unknown"]
    rows = [row.split() for row in tail[1:] if len(row.split()) > 1]  # not a long path's continuation lines
    assert [row[1:3] for row in rows] == [["not_ready", "50.0"], ["not_ready", "50.0"], ["ready", "93.5"]]


def test_quiet_prints_one_line_per_plan(portfolio: Path) -> None:
    (portfolio / "broken.yaml").write_text("- no\n")
    result = run_cli("check", str(portfolio), "--as-of", "2026-02-02", "--quiet")
    assert result.stdout.splitlines() == [
        f"{portfolio / 'broken.yaml'}: invalid (1 error)",
        f"{portfolio / 'emea/minimal.yml'}: not_ready (score 50.0): score 50.0 is below the pass score 80",
        (
            f"{portfolio / 'emea/wave2/s3.yaml'}: not_ready (score 50.0): score 50.0 is below the pass score 80; "
            "1 live error blocks (fail_on: error)"
        ),
        (
            f"{portfolio / 'northwind.yaml'}: ready (score 93.5): score 93.5 reaches the pass score 80; "
            "no live error (fail_on: error)"
        ),
    ]


@pytest.fixture
def four_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pool tests use a pool even on a one-core machine."""
    monkeypatch.setattr(batch, "usable_cores", lambda: 4)


@pytest.mark.parametrize("fmt", ["json", "rich", "sarif", "markdown"])
def test_process_pool_gives_the_same_output_as_one_process(tmp_path: Path, fmt: str, four_cores: None) -> None:
    for n in range(12):
        source = ["northwind", "minimal", "s1-leader-keeps-old-reports", "s5-sales-data-entry"][n % 4]
        shutil.copy(EXAMPLES / f"{source}.yaml", tmp_path / f"plan-{n:02d}.yaml")
    (tmp_path / "plan-99.yaml").write_text("- broken\n")
    one = run_cli("check", str(tmp_path), "--as-of", "2026-02-02", "--format", fmt, "--jobs", "1")
    two = run_cli("check", str(tmp_path), "--as-of", "2026-02-02", "--format", fmt, "--jobs", "2")
    assert (one.code, one.stdout, one.stderr) == (two.code, two.stdout, two.stderr)
    assert one.code == 2 and one.stdout


def test_standard_input_among_files(tmp_path: Path, four_cores: None) -> None:
    shutil.copy(EXAMPLES / "northwind.yaml", tmp_path / "a.yaml")
    shutil.copy(EXAMPLES / "northwind.yaml", tmp_path / "b.yaml")
    result = run_cli(
        "check", str(tmp_path), "-", "--as-of", "2026-02-02", "--format", "json", "--jobs", "2", stdin=MINIMAL.encode()
    )
    assert paths_of(result.stdout)[0] == "-"
    assert result.code == 1


def test_console_process_with_workers_matches_the_in_process_run(tmp_path: Path) -> None:
    """The console entry point owns its process: it freezes the collector's view of the loaded
    rules before the pool forks and again at exit. Neither may change a byte of the output."""
    for n in range(6):
        source = ["northwind", "s1-leader-keeps-old-reports", "s5-sales-data-entry"][n % 3]
        shutil.copy(EXAMPLES / f"{source}.yaml", tmp_path / f"plan-{n:02d}.yaml")
    args = ["check", str(tmp_path), "--as-of", "2026-02-02", "--format", "json"]
    in_process = run_cli(*args, "--jobs", "1", live=True)
    console = subprocess.run(
        [sys.executable, "-m", "readiness", *args, "--jobs", "2"], capture_output=True, text=True, check=False
    )
    assert (console.returncode, console.stdout, console.stderr) == (in_process.code, in_process.stdout, "")
    assert len(json.loads(console.stdout)["plans"]) == 6


def test_a_file_name_with_a_line_break_stays_on_its_line(tmp_path: Path) -> None:
    """File names are not ours: one with a line break or a tab must not split or shift a line."""
    (tmp_path / "bad\nname.yaml").write_text("x: [\n")
    (tmp_path / "ok\ttab.yaml").write_text(MINIMAL)
    result = run_cli("check", str(tmp_path), "--as-of", "2026-02-02", "--quiet")
    assert result.stdout.splitlines() == [
        f"{tmp_path}/bad\\u000aname.yaml: invalid (1 error)",
        f"{tmp_path}/ok\\u0009tab.yaml: not_ready (score 50.0): score 50.0 is below the pass score 80",
    ]
    full = run_cli("check", str(tmp_path), "--as-of", "2026-02-02").stdout
    assert "bad\n" not in full and "ok\t" not in full and "bad\\u000aname.yaml" in full


@pytest.mark.parametrize(
    ("plans", "jobs", "cores", "workers"),
    [
        (1000, 0, 2, 2),  # every usable core
        (1000, 64, 2, 2),  # never more processes than cores: more only cost start-up and memory
        (1000, 3, 8, 3),
        (1000, 1, 8, 1),
        (3, 0, 8, 1),  # too few plans to share
        (9, 8, 8, 4),
    ],
)
def test_workers_never_outnumber_cores_or_plans(
    monkeypatch: pytest.MonkeyPatch, plans: int, jobs: int, cores: int, workers: int
) -> None:
    monkeypatch.setattr(batch, "usable_cores", lambda: cores)
    assert batch.workers_for(plans, jobs) == workers


def test_usable_cores_follow_the_cpu_affinity() -> None:
    """taskset (or a container's cpuset) pins a process to fewer cores than the machine has."""
    script = (
        "import os\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "from readiness.batch import usable_cores, workers_for\n"
        "print(usable_cores(), workers_for(1000, 0))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "1 1\n"


# A worker's parent killed outright ---------------------------------------------------------------

CONSOLE = """\
import sys
import readiness.batch as batch
batch.usable_cores = lambda: 2  # a pool of two even on a one-core machine
if sys.argv[1] == "--without-prctl":
    batch._parent_death_signal = lambda: False  # the portable fallback: a thread watching the parent
from readiness.cli import main
sys.argv = ["readiness", *sys.argv[2:]]
main()
"""


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (from /proc: the pool's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            state = process_state(int(entry))
            if state is not None and state[1] == pid and state[0] != "Z":
                found.append(int(entry))
    return found


def process_state(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent id, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


@pytest.mark.parametrize("mode", ["--with-prctl", "--without-prctl"])
def test_workers_end_when_their_parent_is_killed(tmp_path: Path, mode: str) -> None:
    for n in range(200):
        shutil.copy(EXAMPLES / "northwind.yaml", tmp_path / f"plan-{n:03d}.yaml")
    command = [sys.executable, "-c", CONSOLE, mode, "check", str(tmp_path), "-j2", "--as-of", "2026-02-02", "-q"]
    parent = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + budget(30.0)
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.02)
            workers = children_of(parent.pid)
        assert len(workers) == 2 and parent.poll() is None, "the pool did not start"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        # every holder of the parent's standard error is gone, or this would wait for ever
        parent.communicate(timeout=budget(5.0))
        deadline = time.monotonic() + budget(5.0)
        while time.monotonic() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.02)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        for pid in [parent.pid, *workers]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    state = process_state(pid)
    return state is not None and state[0] != "Z"


# A worker killed under the run ---------------------------------------------------------------------


def test_a_killed_worker_costs_no_plan_but_the_one_that_kills_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, four_cores: None
) -> None:
    """The OOM killer or a SIGKILL ends a worker: its chunk's plans are checked again, one at a
    time, and only a plan whose worker dies again is reported, as an internal error of its own."""
    for n in range(40):
        shutil.copy(EXAMPLES / "minimal.yaml", tmp_path / f"plan-{n:02d}.yaml")
    once, always = tmp_path / "plan-07-kill-once.yaml", tmp_path / "plan-23-kill-always.yaml"
    shutil.copy(EXAMPLES / "northwind.yaml", once)
    shutil.copy(EXAMPLES / "northwind.yaml", always)
    marker = tmp_path / "killed-once"
    parent = os.getpid()
    real = batch.check_plan

    def check_plan(path: str, *args: Any, **kwargs: Any) -> object:
        if os.getpid() != parent and ("kill-always" in path or ("kill-once" in path and not marker.exists())):
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "check_plan", check_plan)
    result = run_cli("check", str(tmp_path), "--as-of", "2026-02-02", "--jobs", "2", "--quiet")
    assert marker.exists()
    verdicts = [line.split(": ", 1) for line in result.stdout.splitlines()]  # path, verdict (and its reasons)
    assert [path for path, _ in verdicts] == sorted(str(p) for p in tmp_path.glob("plan-*.yaml"))
    shown = dict(verdicts)
    assert shown[str(once)].startswith("ready (score 93.5)") and shown[str(always)] == "internal error"
    assert sum(verdict.startswith("not_ready (score 50.0)") for verdict in shown.values()) == 40
    assert result.code == 3
    assert result.stderr == f"{always}: {batch.WORKER_LOST}\n"
    assert batch.WORKER_LOST.startswith("internal error: the process checking this plan ended abruptly, twice")
