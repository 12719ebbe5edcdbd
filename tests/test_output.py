"""Where reports go: every report of a run lands whole or none does, streams are written as
streams, nothing the run reads is overwritten, and a report prints on any terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import time
from collections import Counter
from pathlib import Path

import pytest

from readiness import output
from readiness.errors import UsageError
from tests.conftest import MINIMAL, NORTHWIND, ROOT, options, run_cli, view

PYTHON = sys.executable


def readiness(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "readiness", *args], capture_output=True, text=True, check=False, cwd=ROOT, **kwargs
    )


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# all or nothing ---------------------------------------------------------------------------------


def test_a_report_that_cannot_be_put_in_place_undoes_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = tmp_path / "a.json", tmp_path / "b.md", tmp_path / "c.xml"
    first.write_text("old a\n")
    third.write_text("old c\n")
    real_replace = os.replace
    placed: list[str] = []

    def replace(src: str, dst: str) -> None:
        if dst.endswith("c.xml") and not src.endswith(".old.tmp") and ".old." not in src:
            raise PermissionError(1, "Operation not permitted")
        real_replace(src, dst)
        placed.append(dst)

    monkeypatch.setattr(os, "replace", replace)
    result = run_cli(
        "check", str(NORTHWIND), "--as-of", "2026-02-02",
        "--format", f"json={first}", "--format", f"markdown={second}", "--format", f"junit={third}",
    )  # fmt: skip
    assert result.code == 2 and "c.xml: cannot put the report in place: Operation not permitted" in result.stderr
    assert (first.read_text(), third.read_text()) == ("old a\n", "old c\n")
    assert not second.exists() and files(tmp_path) == ["a.json", "c.xml"]  # no temporary file or backup left
    assert any(p.endswith("a.json") for p in placed)  # the first one had been put in place, then undone


def test_a_file_size_limit_leaves_every_report_as_it_was(tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.sarif"
    small.write_text("old\n")
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', {str(NORTHWIND)!r}, '--as-of', '2026-02-02', "
        f"'--format', 'github={small}', '--format', 'sarif={large}']\n"
        "main()\n"
    )
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "large.sarif: cannot write the report: File too large" in done.stderr and "Traceback" not in done.stderr
    assert small.read_text() == "old\n" and files(tmp_path) == ["small.json"]


def test_a_dangling_symlink_to_a_missing_directory_is_refused_before_anything_is_checked(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("old\n")
    link = tmp_path / "report.sarif"
    link.symlink_to(tmp_path / "gone" / "report.sarif")
    result = run_cli("check", str(NORTHWIND), "--format", f"json={kept}", "--format", f"sarif={link}")
    assert result.code == 2 and "does not exist" in result.stderr
    assert kept.read_text() == "old\n"


def test_a_dangling_symlink_writes_its_target(tmp_path: Path) -> None:
    link = tmp_path / "report.json"
    link.symlink_to(tmp_path / "real.json")
    assert run_cli("check", str(NORTHWIND), "--as-of", "2026-02-02", "--format", f"json={link}").code == 0
    assert link.is_symlink() and json.loads((tmp_path / "real.json").read_text())["plans"][0]["verdict"] == "ready"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_terminated_while_writing_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    """Terminated, or the terminal closed (SIGHUP): the run unwinds like an error."""
    report = tmp_path / "report.json"
    report.write_text("old\n")
    script = (
        "import os, signal, sys\n"
        "import readiness.output as o\n"
        "real = o._copy\n"
        "def copy(report, handle):\n"
        "    handle.write('{')\n"
        f"    os.kill(os.getpid(), {int(signum)})\n"
        "    real(report, handle)\n"
        "o._copy = copy\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', {str(NORTHWIND)!r}, '--format', 'json={report}']\n"
        "main()\n"
    )
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 128 + signum and "Traceback" not in done.stderr
    assert files(tmp_path) == ["report.json"] and report.read_text() == "old\n"


# streams and special paths ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev//stdout", "/proc/self/fd/../fd/1"])
def test_dev_stdout_appends_to_a_redirected_log_instead_of_replacing_it(tmp_path: Path, name: str) -> None:
    log = tmp_path / "ci.log"
    log.write_text("earlier step\n")
    inode = log.stat().st_ino
    with log.open("a") as handle:
        done = subprocess.run(
            [PYTHON, "-m", "readiness", "check", str(NORTHWIND), "--as-of", "2026-02-02", "--format", f"json={name}"],
            stdout=handle, stderr=subprocess.PIPE, check=False, cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert log.stat().st_ino == inode and text.startswith("earlier step\n{\n")
    assert json.loads(text.removeprefix("earlier step\n"))["plans"][0]["verdict"] == "ready"


def test_a_file_descriptor_path_is_a_stream(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    with target.open("w") as handle:
        fd = handle.fileno()
        done = subprocess.run(
            [PYTHON, "-m", "readiness", "check", str(NORTHWIND), "--format", f"sarif=/dev/fd/{fd}", "--quiet"],
            pass_fds=(fd,), capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_a_plan_read_from_standard_input_is_never_overwritten(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    with plan.open("rb") as source:
        done = subprocess.run(
            [PYTHON, "-m", "readiness", "check", "-", "--format", f"json={plan}"],
            stdin=source, capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 2 and "would overwrite the plan read from standard input" in done.stderr
    assert plan.read_text() == MINIMAL


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("newdir/", "is a directory; give a file name"),
        (".", "is a directory; give a file name"),
        ("/proc/self/status", "is under /proc, which holds no reports"),
        ("/sys/kernel/report.json", "is under /sys, which holds no reports"),
        ("/dev/fd/97", "file descriptor 97 is not open"),
    ],
)
def test_a_report_path_that_cannot_hold_a_report_is_a_usage_error(in_tmp: Path, path: str, message: str) -> None:
    result = run_cli("check", str(NORTHWIND), "--format", f"json={path}")
    assert result.code == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert files(in_tmp) == []


def test_destinations_resolve_the_names_of_standard_output(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to("/dev/stdout")
    names = ("-", "/dev/stdout", "/proc/self/fd/1", f"/proc/{os.getpid()}/fd/1", "/dev//stdout", "/dev/./stdout")
    for name in (*names, "/proc/self/fd/../fd/1", "/dev/fd/../fd/1", str(link)):
        dest = output.destination(name)
        assert (dest.kind, dest.fd) == ("fd", 1), name
    with pytest.raises(UsageError):
        output.destination("")


# a report on every terminal -----------------------------------------------------------------------


def _pty_run(args: list[str], rows: int, columns: int, env: dict[str, str]) -> tuple[int, str]:
    main, secondary = pty.openpty()
    fcntl_ioctl = __import__("fcntl").ioctl
    fcntl_ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        [PYTHON, "-m", "readiness", *args], stdin=secondary, stdout=secondary, stderr=secondary, cwd=ROOT, env=env
    )
    os.close(secondary)
    chunks = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.parametrize(("columns_env", "width"), [(None, 80), ("100", 100)])
def test_a_terminal_that_reports_no_size_still_gets_the_report(columns_env: str | None, width: int) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NO_COLOR"] = "1"
    if columns_env is not None:
        env["COLUMNS"] = columns_env
    code, text = _pty_run(["check", "examples/s1-leader-keeps-old-reports.yaml", "--as-of", "2026-02-02"], 0, 0, env)
    assert code == 1
    lines = text.splitlines()
    assert "NOT READY" in text and "Findings" in text
    assert max(len(line) for line in lines) <= width and max(len(line) for line in lines) > width - 10


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "examples/northwind.yaml", "examples/s1-leader-keeps-old-reports.yaml", "--as-of", "2026-02-02"],
        ["rules"],
        ["explain", "LEAD001"],
        ["explain", "TRAIN002"],
    ],
    ids=["diff", "rules", "explain", "explain-options"],
)
@pytest.mark.parametrize("columns", [60, 120])
def test_every_command_fits_the_terminal_as_check_does(args: list[str], columns: int) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NO_COLOR"] = "1"
    code, text = _pty_run(args, 40, columns, env)
    assert code in (0, 1)
    # an example plan in explain is YAML, shown as written
    lines = [line for line in text.splitlines() if not line.startswith("      ")]
    assert max(len(line) for line in lines) <= columns
    assert max(len(line) for line in lines) > columns - 25  # the room is used, not 100 columns whatever it is


ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("plan", ["northwind", "s1-leader-keeps-old-reports", "s4-turf-and-fax", "minimal"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_no_word_or_id_is_split_across_lines(plan: str, width: int) -> None:
    from readiness.pipeline import check_plan
    from readiness.render import render

    run_options = options()
    result = check_plan(f"examples/{plan}.yaml", run_options)
    wide = render("rich", [result], view(run_options, width=400))
    narrow = render("rich", [result], view(run_options, width=width))
    assert max(len(line) for line in narrow.splitlines()) <= width
    # wrapping only turns spaces into line breaks (a table cell wraps within its column): the
    # words are the same, none cut in two or shortened with an ellipsis; the divisions' heat map
    # turns from a table into a line per division when it does not fit, each name whole
    assert Counter(without_heat_map(narrow).split()) == Counter(without_heat_map(wide).split())
    for row in result.heat:
        assert any(line.strip().startswith(row.name) for line in narrow.splitlines()), row.name


def without_heat_map(report: str) -> str:
    head, found, rest = report.partition("Divisions (worst result per category)")
    return head + rest.partition("\n\n")[2] if found else report


def test_the_largest_max_bytes_reads_standard_input_in_chunks() -> None:
    done = readiness("check", "-", "--max-bytes", "9223372036854775807", "--quiet", input=MINIMAL)
    line = "-: not_ready (score 50.0): score 50.0 is below the pass score 80\n"
    assert (done.returncode, done.stdout, done.stderr) == (1, line, "")


# invalid plans are results in every format ------------------------------------------------------


def test_a_single_invalid_plan_is_reported_in_every_requested_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("go_live: 2026-06-01", "go_live: soon"))
    reports = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "sarif", "junit", "markdown")}
    args = [arg for fmt, path in reports.items() for arg in ("--format", f"{fmt}={path}")]
    result = run_cli("check", str(bad), *args, "--format", "github")
    where = f"{bad}:4:12: error: rollout.go_live: expected a date YYYY-MM-DD, got 'soon'"
    assert (result.code, result.stderr) == (2, where + "\n")
    assert result.stdout.startswith(f"::error file={bad},line=4,col=12,title=invalid plan::")
    entry = json.loads(reports["json"].read_text())["plans"][0]
    assert entry["errors"][0]["line"] == 4 and entry["exit_code"] == 2
    sarif = json.loads(reports["sarif"].read_text())["runs"][0]
    (found,) = sarif["results"]
    assert found["ruleId"] == "INVALID" and found["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 12,
    }
    assert '<error type="invalid plan"' in reports["junit"].read_text()
    assert "**Not checked:**" in reports["markdown"].read_text()


def test_many_plan_runs_keep_memory_flat(tmp_path: Path) -> None:
    """Reports are written as the plans are checked, so memory does not grow with their number."""

    def peak(count: int) -> float:
        folder = tmp_path / str(count)
        folder.mkdir()
        for n in range(count):
            (folder / f"p{n:05d}.yaml").write_text(MINIMAL)
        out = tmp_path / f"{count}.json"
        script = (
            "import resource, sys\n"
            "import readiness.output\n"
            "readiness.output.SPOOL_BYTES = 1 << 20  # reports spill to disk early, as large ones would\n"
            "from readiness.cli import main\n"
            f"sys.argv = ['readiness', 'check', {str(folder)!r}, '-j1', '--format', 'json={out}', "
            "'--format', 'sarif=/dev/null', '--format', 'markdown=/dev/null', '--as-of', '2026-02-02']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
        assert len(json.loads(out.read_text())["plans"]) == count
        return int(done.stdout.split()[-1]) / 1024

    small, large = peak(100), peak(1500)  # the large JSON report is about 60 MB
    # keeping each plan's result would cost some 40 KB a plan, 60 MB here; the allocator's own
    # variation between two runs is a few MB
    assert large - small < 20, f"{small:.0f} MB for 100 plans, {large:.0f} MB for 1,500"


# failures while writing ---------------------------------------------------------------------------


def _portfolio_with_an_invalid_plan(folder: Path) -> Path:
    bad = folder / "bad.yaml"
    bad.write_text("- not a plan\n")
    return bad


@pytest.mark.parametrize("how", ["closed", "broken pipe", "full"])
def test_a_standard_error_that_cannot_be_written_loses_its_lines_not_the_run(tmp_path: Path, how: str) -> None:
    """``2>&-``, ``2>&1 | head -c0`` or a full device: the reports are written and the exit code
    is the plans', as if the error lines had been read."""
    bad = _portfolio_with_an_invalid_plan(tmp_path)
    ready = tmp_path / "ready.yaml"  # beside the bad one: plans are reported in their paths' order
    ready.write_text(NORTHWIND.read_text())
    report = tmp_path / "report.json"
    command = [PYTHON, "-m", "readiness", "check", str(bad), str(ready), "--as-of", "2026-02-02",
               "--format", f"json={report}", "--debug"]  # fmt: skip
    if how == "closed":
        done = subprocess.run(
            ["sh", "-c", 'exec "$@" 2>&-', "sh", *command], stdout=subprocess.PIPE, cwd=ROOT, check=False
        )
    elif how == "broken pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=write_end, cwd=ROOT, check=False)
        os.close(write_end)
    else:
        with open("/dev/full", "w") as full:
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=full, cwd=ROOT, check=False)
    assert done.returncode == 2
    assert [p["exit_code"] for p in json.loads(report.read_text())["plans"]] == [2, 0]
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[0] == f"{bad}: invalid (1 error)"
    assert lines[1].startswith(f"{ready}: ready (score ")  # the live catalogue's score


def test_a_stream_that_fails_leaves_no_report_file(tmp_path: Path) -> None:
    """Streams are written before files are put in place: a report that cannot reach its device
    stops the run with every file as it was."""
    kept = tmp_path / "report.json"
    kept.write_text("old\n")
    result = run_cli("check", str(NORTHWIND), "--format", f"json={kept}", "--format", "sarif=/dev/full")
    assert (result.code, result.stderr) == (2, "readiness: error: /dev/full: cannot write: No space left on device\n")
    assert files(tmp_path) == ["report.json"] and kept.read_text() == "old\n"


@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_a_standard_output_that_cannot_be_written_is_one_error_line_and_no_file(tmp_path: Path, stdout: str) -> None:
    command = [PYTHON, "-m", "readiness", "check", str(NORTHWIND), "--format", f"json={tmp_path / 'r.json'}"]
    for args in ([], ["--format", "sarif"]):  # the verdict lines, or a report, to standard output
        if stdout == "closed":
            done = subprocess.run(
                ["sh", "-c", 'exec "$@" >&-', "sh", *command, *args], capture_output=True, cwd=ROOT, check=False
            )
        else:
            with open("/dev/full", "w") as full:
                done = subprocess.run([*command, *args], stdout=full, stderr=subprocess.PIPE, cwd=ROOT, check=False)
        reason = "No space left on device" if stdout == "full" else "Bad file descriptor"
        assert (done.returncode, done.stderr.decode()) == (
            2,
            f"readiness: error: standard output: cannot write: {reason}\n",
        )
        assert files(tmp_path) == []


def test_a_temporary_directory_that_cannot_hold_a_report_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: output.Spool, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.Spool, "write", full)
    report = tmp_path / "report.json"
    result = run_cli("check", str(NORTHWIND), "--format", f"json={report}")
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"readiness: error: {report}: cannot hold the report in the temporary directory ")
    assert result.stderr.endswith(": No space left on device\n") and files(tmp_path) == []


def test_a_temporary_directory_that_cannot_hold_a_new_baseline_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The baseline --write-baseline records is held like a report: a full temporary directory is
    exit 2 with one line, and neither it nor the report is put in place."""
    write = output.Spool.write

    def full_for_the_baseline(self: output.Spool, text: str) -> None:
        if text.startswith('{\n  "schema_version"') and '"findings"' in text:
            raise OSError(28, "No space left on device")
        write(self, text)

    monkeypatch.setattr(output.Spool, "write", full_for_the_baseline)
    recorded, report = tmp_path / "baseline.yaml", tmp_path / "report.json"
    result = run_cli("check", str(NORTHWIND), "--format", f"json={report}", "--write-baseline", str(recorded))
    assert (result.code, result.stderr.count("\n")) == (2, 1), result.stderr
    assert result.stderr.startswith(f"readiness: error: {recorded}: cannot hold the report in the temporary directory ")
    assert files(tmp_path) == []


def test_a_report_over_a_file_size_limit_in_the_temporary_directory_is_one_error_line(tmp_path: Path) -> None:
    """The report spills to the temporary directory, where the limit stops it: one line, exit 2,
    and nothing left there or beside the report."""
    spill, plans = tmp_path / "tmp", tmp_path / "plans"
    spill.mkdir()
    plans.mkdir()
    for n in range(30):  # a JSON report of about 150 KB
        (plans / f"plan-{n:02d}.yaml").write_bytes(NORTHWIND.read_bytes())
    report = tmp_path / "report.json"
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))\n"
        "import readiness.output\n"
        "readiness.output.SPOOL_BYTES = 10_000\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', {str(plans)!r}, '-j1', '--format', 'json={report}']\n"
        "main()\n"
    )
    env = {**os.environ, "TMPDIR": str(spill)}
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    assert (done.returncode, done.stderr) == (
        2,
        f"readiness: error: {report}: cannot hold the report in the temporary directory {spill}: File too large\n",
    )
    assert files(tmp_path) == ["plans", "tmp"] and files(spill) == []


@pytest.mark.parametrize("command", [["diff", str(NORTHWIND)], ["forecast"]])
def test_a_reader_of_a_diff_that_goes_away_does_not_change_its_exit_code(command: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run(
        [PYTHON, "-m", "readiness", *command, str(NORTHWIND), "--as-of", "2026-02-02"],
        stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT, check=False,
    )  # fmt: skip
    os.close(write_end)
    assert (done.returncode, done.stderr) == (0, b"")


def test_an_internal_error_in_a_diff_is_one_line() -> None:
    script = (
        "import sys\n"
        "import readiness.diff\n"
        "def compare(*args, **kwargs):\n"
        "    raise RuntimeError('comparison broke')\n"
        "readiness.diff.compare = compare\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'diff', {str(NORTHWIND)!r}, {str(NORTHWIND)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == (
        "readiness: internal error: RuntimeError: comparison broke; please report it (rerun with --debug for details)\n"
    )


def test_init_over_a_file_size_limit_is_one_error_line(in_tmp: Path) -> None:
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
        "from readiness.cli import main\n"
        "sys.argv = ['readiness', 'init', 'plan.yaml']\n"
        "main()\n"
    )
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (
        2,
        "readiness: error: plan.yaml: cannot write the report: File too large\n",
    )
    assert files(in_tmp) == []


def test_the_step_summary_is_never_a_file_the_run_reads_and_a_failed_run_leaves_it_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(plan))
    result = run_cli("check", str(plan), "--format", "github")
    assert (result.code, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"readiness: error: {plan}: the step summary would be appended to the plan {plan}, which the run reads\n"
    )
    assert plan.read_text() == MINIMAL
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("check", str(plan), "--format", "github", "--format", "json=/dev/full")
    assert result.code == 2 and summary.read_text() == "earlier step\n"


@pytest.mark.parametrize("command", ["diff", "forecast"])
def test_a_diff_or_forecast_that_cannot_be_written_is_one_error_line(command: str) -> None:
    plans = [str(NORTHWIND)] * (2 if command == "diff" else 1)
    result = run_cli(command, *plans, "--format", "json=/dev/full")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "readiness: error: /dev/full: cannot write: No space left on device\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--force", "/dev/full"], "readiness: error: /dev/full: cannot write: No space left on device"),
        (["--force", "/dev/stdin"], "readiness: error: /dev/stdin: file descriptor 0 is open for reading only"),
        (["plan.yaml/x.yaml"], "readiness: error: plan.yaml/x.yaml: cannot be used: Not a directory"),
        (["a\nb/x.yaml"], "readiness: error: a\\u000ab/x.yaml: directory "),
    ],
)
def test_a_bad_path_for_init_is_one_error_line(in_tmp: Path, args: list[str], message: str) -> None:
    (in_tmp / "plan.yaml").write_text(MINIMAL)
    with (in_tmp / "plan.yaml").open() as stdin:
        done = subprocess.run(
            [PYTHON, "-m", "readiness", "init", *args], stdin=stdin, capture_output=True, text=True, check=False
        )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1
    assert files(in_tmp) == ["plan.yaml"] and (in_tmp / "plan.yaml").read_text() == MINIMAL


def test_a_report_to_standard_input_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL)
    report = tmp_path / "report.sarif"
    with plan.open() as stdin:
        done = subprocess.run(
            [PYTHON, "-m", "readiness", "check", str(plan), "--format", "json=/dev/stdin", "--format", f"sarif={report}"],
            stdin=stdin, capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "readiness: error: /dev/stdin: file descriptor 0 is open for reading only\n"
    assert files(tmp_path) == ["plan.yaml"] and plan.read_text() == MINIMAL
