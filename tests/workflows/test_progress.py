"""Progress of a sweep as a user sees it: a bar in a terminal, a widget in a notebook, lines in a log, or nothing."""

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time

import nbformat
import pytest
from nbclient import NotebookClient

from b4b_kit.errors import B4BError
from b4b_kit.workflows import progress
from tests.helpers import B4B, REPO

PROBE = REPO / "tests" / "data" / "probe_case.ipynb"
GRID = "runs:\n  - {value: 1}\n  - {value: 2}\n  - {mode: fail}\n"


def sweep_command(tmp_path, *extra):
    grid = tmp_path / "grid.yaml"
    grid.write_text(GRID)
    return [str(B4B), "sweep", str(PROBE), "--grid", str(grid), "--out", str(tmp_path / "out"), "--workers", "2",
            *extra]


def run_in_terminal(cmd, timeout=240) -> str:
    """Run a command with a pseudo-terminal as its stdout and stderr, as in an interactive shell; return the output."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # 40 rows, 120 columns
    proc = subprocess.Popen(cmd, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")})
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the pty closes when the process ends
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_in_a_terminal_a_sweep_shows_a_bar_with_counts_failures_and_time_left(tmp_path):
    text = run_in_terminal(sweep_command(tmp_path))
    assert "3 runs: 0 already done, 3 to run" in text
    assert "\r" in text, "a bar redraws its line"
    # tqdm's bar as the kit formats it: done/total runs |bar| failures [elapsed<remaining]
    final = re.findall(r"3/3 runs \|[^|]*\| 1 failed \[\d\d:\d\d<\d\d:\d\d\]", text)
    assert final, text
    assert re.search(r"[12]/3 runs \|", text), "the bar showed progress before the end"
    # the failed run's line is printed above the bar; the ok runs get no line of their own
    assert re.search(r"\w{16} failed in [\d.]+ s \{\"mode\": \"fail\"\} \(ValueError: asked to fail", text)
    assert not re.search(r"\w{16} ok in", text)
    assert re.search(r"done in [\d.]+ s: 2 ok, 1 failed", text)


def test_when_output_is_not_a_terminal_each_finished_run_prints_one_line(tmp_path):
    res = subprocess.run(sweep_command(tmp_path), capture_output=True, text=True, timeout=240)
    assert res.returncode == 1  # a run failed
    lines = res.stdout.splitlines()
    assert "\r" not in res.stdout
    runs = [line for line in lines if re.match(r"  \w{16} (ok|failed) in", line)]
    assert len(runs) == 3
    # each line ends with the count so far, the failures so far and, until the last, the time left
    counts = [re.search(r"\[(\d)/3, (\d) failed(, about \d+ (s|min) left)?\]$", line) for line in runs]
    assert all(counts), runs
    assert [int(m.group(1)) for m in counts] == [1, 2, 3]
    failed_so_far = [int(m.group(2)) for m in counts]
    assert failed_so_far == sorted(failed_so_far) and failed_so_far[-1] == 1
    assert counts[0].group(3) and not counts[-1].group(3)
    assert lines[0] == "3 runs: 0 already done, 3 to run"


def test_quiet_prints_only_the_counts_and_the_registry(tmp_path):
    res = subprocess.run(sweep_command(tmp_path, "--quiet"), capture_output=True, text=True, timeout=240)
    assert res.returncode == 1
    assert res.stdout.splitlines() == ["3 runs: 2 ok, 1 failed",
                                       f"registry: {tmp_path / 'out'}/results.csv and results.parquet"]


def test_in_a_notebook_a_sweep_shows_a_widget_bar(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(
        "from b4b_kit.workflows import sweep\n"
        f"table = sweep.sweep({str(PROBE)!r}, [{{'value': 1.0}}, {{'mode': 'fail'}}], {str(tmp_path / 'out')!r},"
        " workers=2)\n"
        "print(sorted(table['status']))")]
    NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 1, "tqdm.auto shows one widget bar in a kernel"
    # the widgets' final state, as the front end shows it: the bar full, the count and the failures beside it
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
    bar = next(w["state"] for w in state if w["model_name"] == "FloatProgressModel")
    assert (bar["value"], bar["max"]) == (2, 2)
    text = " ".join(w["state"]["value"] for w in state if w["model_name"] == "HTMLModel").replace("\u2007", " ")
    assert re.search(r"2/2 runs", text) and re.search(r"1 failed \[\d\d:\d\d&lt;00:00\]", text), text
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "2 runs: 0 already done, 2 to run" in printed
    assert re.search(r"failed in [\d.]+ s .*asked to fail", printed)
    assert "['failed', 'ok']" in printed


def test_a_bar_written_to_a_stream_ends_with_the_final_count():
    out = io.StringIO()
    with progress.watch(2, mode="bar", stream=out) as shown:
        shown.finished(True, "a ok")
        shown.finished(False, "b failed")
    text = out.getvalue()
    assert "b failed\n" in text and "a ok" not in text
    assert re.search(r"2/2 runs \|.*\| 1 failed \[", text)


def test_quiet_shows_nothing_but_still_counts():
    out = io.StringIO()
    with progress.watch(2, mode="quiet", stream=out) as shown:
        shown.note("plan")
        shown.finished(False, "b failed")
    assert out.getvalue() == ""
    assert (shown.done, shown.failed) == (1, 1)


def test_an_unknown_mode_is_a_clear_error():
    with pytest.raises(B4BError, match="unknown progress mode 'loud'.*Use one of auto, bar"):
        progress.Progress(1, mode="loud")


def unreadable_submissions(root, n=3):
    # files that are not notebooks get their row at once, with no kernel: fast to grade
    for i in range(n):
        (root / f"s{i}").mkdir(parents=True)
        (root / f"s{i}" / "hw.ipynb").write_text("not a notebook")
    return root


def test_grading_in_a_terminal_shows_a_bar_of_submissions(tmp_path):
    subs = unreadable_submissions(tmp_path / "subs")
    text = run_in_terminal([str(B4B), "exercises", "grade", str(subs), "--out", str(tmp_path / "book.csv")])
    assert re.findall(r"3/3 submissions \|[^|]*\| 3 failed \[\d\d:\d\d<\d\d:\d\d\]", text), text
    assert text.count("unreadable") >= 3  # each failed row printed above the bar


def test_grading_to_a_log_prints_a_line_per_submission_and_quiet_prints_none(tmp_path):
    subs = unreadable_submissions(tmp_path / "subs")
    logged = subprocess.run([str(B4B), "exercises", "grade", str(subs), "--out", str(tmp_path / "a.csv")],
                            capture_output=True, text=True, timeout=120)
    lines = [line for line in logged.stdout.splitlines() if line.startswith("s")]
    assert len(lines) == 3 and lines[-1].endswith("[3/3, 3 failed]"), logged.stdout
    quiet = subprocess.run([str(B4B), "exercises", "grade", str(subs), "--out", str(tmp_path / "b.csv"), "--quiet"],
                           capture_output=True, text=True, timeout=120)
    assert quiet.stdout.splitlines() == [f"gradebook: {tmp_path / 'b.csv'} (3 rows)"]
