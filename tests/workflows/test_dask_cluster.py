"""Sweeps on Dask workers that share no file system with the client: a real LocalCluster of worker processes."""

import json
import os
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from b4b_kit.workflows import dask_cluster, forked_kernels, sweep
from tests.helpers import REPO

PROBE = REPO / "tests" / "data" / "probe_case.ipynb"
_FILE_EVENTS = {"open", "os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.listdir", "os.scandir", "os.chdir",
                "os.truncate", "os.utime", "os.chmod", "shutil.copyfile", "shutil.rmtree"}


class ClientFolderOutOfReach(WorkerPlugin):
    """Gives each worker a folder of its own and makes the client's folder unreachable from it.

    An audit hook in the worker process refuses every file operation under the
    client's folder: a worker that tried to read the case, write a notebook or
    a record into --out, or read an input file by the client's path would fail
    the run. Kernels are processes of their own; they run in the worker's folder.
    """

    name = "client-folder-out-of-reach"

    def __init__(self, client_folder: str, workers_root: str):
        self.client_folder = client_folder
        self.workers_root = workers_root

    def setup(self, worker):
        import sys
        import tempfile

        own = tempfile.mkdtemp(prefix="worker-", dir=self.workers_root)
        os.environ["TMPDIR"] = own
        tempfile.tempdir = None
        worker.b4b_test_folder = own
        forbidden = os.path.realpath(self.client_folder)

        def refuse(event, args):
            if event in _FILE_EVENTS and args:
                for arg in args[:2]:
                    if isinstance(arg, (str, bytes, os.PathLike)):
                        path = os.fsdecode(arg)
                        if path.startswith(forbidden) or os.path.realpath(path).startswith(forbidden):
                            raise PermissionError(f"worker touched the client's folder: {event} {path}")

        sys.addaudithook(refuse)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    client_folder, workers_root = root / "client", root / "workers"
    client_folder.mkdir()
    workers_root.mkdir()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                      local_directory=str(workers_root)) as local, Client(local) as client:
        client.register_plugin(ClientFolderOutOfReach(str(client_folder), str(workers_root)))
        yield local.scheduler_address, client, client_folder, workers_root


def test_a_sweep_runs_on_workers_that_cannot_see_the_sweep_folder(cluster):
    address, client, client_folder, workers_root = cluster
    out = client_folder / "sweep"
    data = client_folder / "input.txt"
    data.write_text("read on the worker\nsecond line\n")
    plan = sweep.grid({"runs": [{"value": 5, "data": str(data)}, {"value": 6}, {"mode": "fail"}]}, PROBE)
    table = sweep.sweep(PROBE, plan, out, dask=address, progress=False).sort_values("param.value")

    assert table["status"].tolist() == ["failed", "ok", "ok"]
    assert table["figure.double"].tolist()[1:] == [10.0, 12.0]
    # the input file travelled with its run; the record names the client's path, not the worker's copy
    assert table["figure.first_line"].tolist()[1:] == ["read on the worker", ""]
    assert table["param.data"].tolist()[1] == str(data.resolve())
    # output notebooks and records are in --out, written by the client; the failed run keeps its partial notebook
    for row in table.itertuples():
        notebook = Path(row.output_notebook)
        assert notebook.parent == out / "runs" / row.run_id and notebook.is_file()
    failed = table[table["status"] == "failed"].iloc[0]
    assert failed["error"] == "ValueError: asked to fail with value 1.0"
    assert failed["error_source"] == "import os"
    assert "asked to fail" in Path(failed["output_notebook"]).read_text()
    # nothing the client keeps points into a worker's folder, and the workers kept nothing
    kept = "".join(p.read_text() for p in out.rglob("*") if p.is_file() and p.suffix in (".json", ".csv"))
    assert str(workers_root) not in kept
    assert not list(workers_root.rglob("b4b-run-*")), "a worker left its scratch folder behind"
    assert not list(out.rglob(".*.tmp")), "no temporary file left behind"
    # the workers really ran in their own folders: each made one
    folders = client.run(lambda dask_worker: dask_worker.b4b_test_folder)
    assert len(set(folders.values())) == 2 and all(Path(f).parent == workers_root for f in folders.values())


def test_dask_workers_fork_their_kernels_from_the_template(cluster):
    address, client, client_folder, _ = cluster
    out = client_folder / "forked"
    table = sweep.sweep(PROBE, sweep.grid({"grid": {"value": [1, 2, 3, 4]}}, PROBE), out, dask=address,
                        progress=False)
    assert (table["status"] == "ok").all()
    templates = client.run(lambda: forked_kernels._template.process.pid if forked_kernels.started() else None)
    assert None not in templates.values()
    # a forked kernel's parent is its worker's template process, not the worker
    assert set(table["figure.ppid"].astype(int)) <= set(templates.values())


def test_a_dask_sweep_resumes_from_the_client_folder_alone(cluster):
    address, _, client_folder, _ = cluster
    out = client_folder / "resume"
    first = sweep.grid({"runs": [{"value": 1}, {"value": 2}]}, PROBE)
    sweep.sweep(PROBE, first, out, dask=address, progress=False)
    started = {p: json.loads(p.read_text())["started"] for p in out.glob("runs/*/*.results.json")}
    lines = []
    table = sweep.sweep(PROBE, first + [{"value": 3.0}], out, dask=address, progress=lines.append)
    assert lines[0] == "3 runs: 2 already done, 1 to run"
    assert len(table) == 3 and (table["status"] == "ok").all()
    assert sorted(sweep.results(out)["figure.double"]) == [2.0, 4.0, 6.0]
    for path, when in started.items():
        assert json.loads(path.read_text())["started"] == when, "a finished run was run again"


def test_the_shared_file_system_mode_writes_from_the_workers(tmp_path):
    # no guard here: in this mode the workers must see --out
    plan = sweep.grid({"runs": [{"value": 5}, {"mode": "fail"}]}, PROBE)
    table = sweep.sweep(PROBE, plan, tmp_path, workers=2, dask="local", shared_fs=True, progress=False)
    assert sorted(table["status"]) == ["failed", "ok"]
    assert table.set_index("status").loc["ok", "figure.double"] == 10.0


def test_a_run_whose_worker_fails_is_recorded_and_the_sweep_goes_on(tmp_path):
    task = {"notebook": str(PROBE), "params": {"value": 2.0}, "dir": str(tmp_path), "run_id": "abc", "timeout": 5}
    record = dask_cluster.failed_record(task, RuntimeError("worker lost\ndetails"))
    assert record["status"] == "error"
    assert record["error"]["message"] == "the Dask worker running it failed: worker lost"
    assert json.loads((tmp_path / "probe_case.results.json").read_text())["parameters"]["value"] == 2.0


def test_the_guard_catches_workers_that_write_into_the_sweep_folder(cluster):
    # the test above means something only if a worker that did use the sweep folder would fail there
    address, _, client_folder, _ = cluster
    table = sweep.sweep(PROBE, [{"value": 1.0}], client_folder / "guarded", dask=address, shared_fs=True,
                        progress=False)
    assert table["status"].tolist() == ["error"]
    assert "worker touched the client's folder" in table["error"].iloc[0]
