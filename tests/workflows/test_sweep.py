"""Sweeps through real papermill and real kernels, with a test-only case (tests/data/probe_case.ipynb)."""

import json
import os
import signal
import subprocess
import time

import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import sweep
from tests.helpers import B4B, REPO

PROBE = REPO / "tests" / "data" / "probe_case.ipynb"


def test_grid_expands_the_cartesian_product_and_adds_explicit_runs():
    plan = sweep.grid({"grid": {"mode": ["ok", "fail"], "value": [1, 2]}, "runs": [{"value": 9}]}, PROBE)
    assert plan == [{"mode": "ok", "value": 1.0}, {"mode": "ok", "value": 2.0},
                    {"mode": "fail", "value": 1.0}, {"mode": "fail", "value": 2.0}, {"value": 9.0}]


def test_grid_drops_duplicates():
    assert sweep.grid({"runs": [{"value": 1}, {"value": 1.0}]}, PROBE) == [{"value": 1.0}]


@pytest.mark.parametrize("spec, match", [
    ({"grids": {"value": [1]}}, "unknown key.*grids"),
    ({"grid": {"value": 1}}, r"grid.value must be a non-empty list"),
    ({"grid": {"value": []}}, r"grid.value must be a non-empty list"),
    ({"runs": {"value": 1}}, "'runs' must be a list"),
    ({"runs": [{"value": 1}, {"value": 1}, {"valu": 2}]}, r"run 3 \(\{\"valu\": 2\}\): unknown parameter 'valu'"),
    ({"runs": [{"value": 500}]}, "run 1.*parameter 'value' of probe_case: 500.0 is out of range"),
    ({"runs": [{"mode": "explode"}]}, "run 1.*'explode' is not allowed; it takes one of ok, fail"),
    ({"grid": {}}, "defines no runs"),
])
def test_a_malformed_grid_is_refused_before_anything_runs(spec, match):
    with pytest.raises(B4BError, match=match):
        sweep.grid(spec, PROBE)


def test_a_grid_file_with_bad_yaml_names_the_line(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("grid:\n  value: [1, 2\n")
    with pytest.raises(B4BError, match=r"grid.yaml, line \d+"):
        sweep.grid(path, PROBE)


def test_failed_hung_and_dead_runs_are_recorded_and_the_sweep_goes_on(tmp_path):
    plan = sweep.grid({"runs": [{"mode": "ok", "value": 21}, {"mode": "fail"}, {"mode": "hang"}, {"mode": "die"}]},
                      PROBE)
    table = sweep.sweep(PROBE, plan, tmp_path, workers=2, timeout=4).set_index("param.mode")
    assert table.loc["ok", "status"] == "ok"
    assert table.loc["ok", "figure.double"] == 42
    assert table.loc["fail", "status"] == "failed"
    assert table.loc["fail", "error"] == "ValueError: asked to fail with value 1.0"
    assert table.loc["fail", "error_cell"] >= 1
    assert table.loc["hang", "status"] == "timeout"
    assert "CellTimeoutError" in table.loc["hang", "error"]
    assert table.loc["die", "status"] == "died"
    # each failing run keeps its partial notebook
    for mode in ("fail", "hang", "die"):
        assert os.path.isfile(table.loc[mode, "output_notebook"])


def test_runs_do_not_leak_state_into_each_other(tmp_path):
    # one worker runs both, in order: the probe would see the leak if a kernel or process state were reused
    plan = sweep.grid({"runs": [{"mode": "leak"}, {"mode": "probe"}]}, PROBE)
    table = sweep.sweep(PROBE, plan, tmp_path, workers=1).set_index("param.mode")
    assert (table["status"] == "ok").all()
    assert table.loc["leak", "figure.saw_leak"] is True or table.loc["leak", "figure.saw_leak"] == True  # noqa: E712
    assert not table.loc["probe", "figure.saw_leak"]
    assert table.loc["leak", "figure.pid"] != table.loc["probe", "figure.pid"]  # a fresh kernel each run


def test_rerunning_resumes_and_skips_completed_runs(tmp_path):
    first = sweep.grid({"runs": [{"value": 1}, {"value": 2}]}, PROBE)
    sweep.sweep(PROBE, first, tmp_path, workers=2)
    records = {p: json.loads(p.read_text())["started"] for p in tmp_path.glob("runs/*/*.results.json")}
    messages = []
    table = sweep.sweep(PROBE, first + [{"value": 3.0}], tmp_path, workers=2, progress=messages.append)
    assert messages[0] == "3 runs: 2 already done, 1 to run"
    assert len(table) == 3 and (table["status"] == "ok").all()
    for path, started in records.items():
        assert json.loads(path.read_text())["started"] == started, "a finished run was run again"


def test_registry_is_written_as_csv_and_parquet_with_provenance(tmp_path):
    import pandas as pd

    sweep.sweep(PROBE, sweep.grid({"grid": {"value": [1, 2]}}, PROBE), tmp_path, workers=2)
    table = sweep.results(tmp_path)
    assert sorted(table["figure.double"]) == [2.0, 4.0]
    for column in ("run_id", "status", "duration_s", "kit_version", "git_commit", "python", "notebook_sha256",
                   "package.pandas", "param.value", "param.mode"):
        assert column in table.columns
    assert len(pd.read_csv(tmp_path / "results.csv")) == 2
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_killing_a_sweep_then_rerunning_the_same_command_finishes_it(tmp_path):
    grid_file = tmp_path / "grid.yaml"
    grid_file.write_text("grid:\n  value: [1, 2, 3, 4]\n  pause: [1.5]\n")
    out = tmp_path / "sweep"
    cmd = [str(B4B), "sweep", str(PROBE), "--grid", str(grid_file), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    done = []
    while time.monotonic() < deadline and not done:
        done = [p for p in out.glob("runs/*/*.results.json") if json.loads(p.read_text()).get("status") == "ok"]
        time.sleep(0.2)
    assert done, "no run finished before the deadline"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command again to resume" in err
    before = sweep.results(out)
    assert 1 <= (before["status"] == "ok").sum() < 4
    finished = {p: json.loads(p.read_text())["started"] for p in done}

    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"4 runs: {len(before[before['status'] == 'ok'])} already done" in res.stdout
    after = sweep.results(out)
    assert len(after) == 4 and (after["status"] == "ok").all()
    assert sorted(after["figure.double"]) == [2.0, 4.0, 6.0, 8.0]
    for path, started in finished.items():
        assert json.loads(path.read_text())["started"] == started


def test_the_same_sweep_runs_on_a_dask_local_cluster(tmp_path):
    plan = sweep.grid({"runs": [{"value": 5}, {"value": 6}, {"mode": "fail"}]}, PROBE)
    table = sweep.sweep(PROBE, plan, tmp_path, workers=2, dask="local").sort_values("param.value")
    assert table["status"].tolist() == ["failed", "ok", "ok"]
    assert table["figure.double"].tolist()[1:] == [10.0, 12.0]


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path):
    with pytest.raises(B4BError, match="cannot reach the Dask scheduler"):
        sweep.sweep(PROBE, [{"value": 1.0}], tmp_path, dask="tcp://127.0.0.1:9")


def test_cli_results_prints_the_registry(b4b, tmp_path):
    sweep.sweep(PROBE, [{"value": 7.0}], tmp_path, workers=1)
    res = b4b("results", tmp_path)
    assert res.returncode == 0
    assert "figure.double" in res.stdout and "14.0" in res.stdout
    res = b4b("results", tmp_path / "nope")
    assert res.returncode == 2 and "no such sweep folder" in res.stderr


def test_cli_sweep_with_a_malformed_grid_exits_2_and_runs_nothing(b4b, tmp_path):
    grid_file = tmp_path / "grid.yaml"
    grid_file.write_text("grid:\n  valeu: [1]\n")
    res = b4b("sweep", PROBE, "--grid", grid_file, "--out", tmp_path / "out")
    assert res.returncode == 2
    assert "unknown parameter 'valeu'" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()
