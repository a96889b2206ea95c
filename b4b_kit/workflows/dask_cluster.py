"""Sweeps on a Dask cluster, with or without a file system the workers share with you.

Without a shared file system (the default), nothing on a worker needs to see the
sweep folder. Each task carries the case notebook and any data files its
parameters name; the worker runs it in a scratch folder of its own (inside the
Dask worker's ``local_directory``), sends the output notebook and the results
record back through Dask, and deletes the scratch folder. The client writes
both into ``runs/<run_id>/`` exactly as a local sweep does, atomically, and
rewrites the registry: resume and ``b4b report`` work the same.

With ``shared_fs=True`` the workers write into the sweep folder themselves, as
on one machine; this saves sending the output notebooks over the network, which
only pays off when they are large (see ``bench/bench_sweep_dask.py``).

Every worker gets the forked-kernel template through a worker plugin
(:class:`ForkedKernels`), so a run's kernel costs on a worker what it costs
in a local sweep.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import B4BError
from . import cases

PLUGIN_NAME = "b4b-forked-kernels"


class ForkedKernels(WorkerPlugin):
    """Starts the forked-kernel template (:mod:`b4b_kit.workflows.forked_kernels`) in each Dask worker.

    Registered by the sweep on every cluster it uses; a worker that joins later
    gets it too. A worker whose template cannot start runs its kernels the usual way.
    The template ends with its worker (it stops when its input, a pipe from the
    worker, closes), and registering the plugin again keeps the running one, so
    a second sweep on the same cluster does not pay for a new template.
    """

    name = PLUGIN_NAME

    async def setup(self, worker) -> None:
        """Start the template without blocking the worker's event loop (it imports pandas, altair, the kit)."""
        from . import forked_kernels

        await asyncio.to_thread(forked_kernels.start)


# ---- the client: send a run out, take its results in ---------------------------------------------

def pack(task: dict, share: Callable[[bytes], object] | None = None) -> dict:
    """A run as a self-contained message: the notebook's bytes and the bytes of every file parameter.

    No path on the client's machine goes with it, so a worker never needs to see
    the sweep folder. ``share`` turns bytes into what the message carries instead
    (the sweep passes a function that scatters each distinct content to the
    cluster once, so a thousand runs of one notebook do not send it a thousand times).
    """
    share = share or (lambda data: data)
    src = Path(task["notebook"])
    declared = cases.parameters(src)
    params, files = {}, {}
    for name, value in task["params"].items():
        if declared.get(name) is not None and declared[name].is_file and value:
            files[name] = (Path(value).name, share(Path(value).read_bytes()))
            params[name] = None  # filled in by the worker with its own copy's path
        else:
            params[name] = value
    return {"run_id": task["run_id"], "timeout": task["timeout"], "case": src.stem,
            "notebook": share(src.read_bytes()), "params": params, "files": files}


def unpack(task: dict, result: dict) -> dict:
    """Write what a worker sent back into the run's folder (atomically); return the record, paths made local."""
    run_dir = Path(task["dir"])
    src = Path(task["notebook"])
    record = result["record"]
    local = {result["paths"]["notebook"]: str(src.resolve()), result["paths"]["out"]: str(run_dir)}
    for name, worker_path in result["paths"].get("files", {}).items():
        local[worker_path] = str(task["params"][name])
    record = _remap(record, local)
    out_nb = run_dir / f"{src.stem}.ipynb"
    if result.get("output") is not None:
        _write_bytes(out_nb, result["output"])
    record["output_notebook"] = str(out_nb)
    cases.write_json(run_dir / f"{src.stem}.results.json", record)
    return record


def _remap(value, paths: dict[str, str]):
    """Replace the worker's paths by the client's, wherever a string starts with one."""
    if isinstance(value, dict):
        return {k: _remap(v, paths) for k, v in value.items()}
    if isinstance(value, list):
        return [_remap(v, paths) for v in value]
    if isinstance(value, str):
        for theirs, ours in paths.items():
            if value == theirs or value.startswith(theirs.rstrip(os.sep) + os.sep):
                return ours + value[len(theirs):]
    return value


def _write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def failed_record(task: dict, exc: BaseException) -> dict:
    """The record of a run whose worker failed (died, was lost, could not unpickle the task)."""
    src = Path(task["notebook"])
    params = {n: task["params"].get(n, p.default) for n, p in cases.parameters(src).items()}
    why = str(exc).splitlines()[0] if str(exc) else ""
    record = {"case": src.stem, "run_id": task["run_id"], "notebook": str(src), "parameters": params,
              "parameters_given": sorted(task["params"]), "status": "error", "duration_s": None,
              "error": {"cell": None, "cell_index": None, "name": type(exc).__name__,
                        "message": f"the Dask worker running it failed: {why}"}}
    cases.write_json(Path(task["dir"]) / f"{src.stem}.results.json", record)
    return record


# ---- the worker: run a packed task in a scratch folder ---------------------------------------------

def run_packed(message: dict) -> dict:
    """On a worker: run a packed task in a scratch folder, return the record and the output notebook's bytes."""
    from . import sweep

    scratch = Path(tempfile.mkdtemp(prefix="b4b-run-", dir=_scratch_root()))
    try:
        case_dir = scratch / "case"
        case_dir.mkdir()
        notebook = case_dir / f"{message['case']}.ipynb"
        notebook.write_bytes(message["notebook"])
        params = dict(message["params"])
        files = {}
        for name, (filename, data) in message["files"].items():
            target = scratch / "inputs" / name / filename
            target.parent.mkdir(parents=True)
            target.write_bytes(data)
            params[name] = files[name] = str(target)
        out = scratch / "run"
        record = sweep.run_task({"notebook": str(notebook), "params": params, "dir": str(out),
                                 "run_id": message["run_id"], "timeout": message["timeout"]})
        output = Path(record.get("output_notebook") or out / notebook.name)
        return {"record": record, "output": output.read_bytes() if output.is_file() else None,
                "paths": {"notebook": str(notebook), "out": str(out), "files": files}}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _scratch_root() -> str | None:
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None  # not in a Dask worker (tests): the system's temporary folder


# ---- the sweep's Dask runner -----------------------------------------------------------------------

def run(tasks: list[dict], workers: int, address: str, on_done: Callable[[dict], None], *,
        shared_fs: bool = False) -> None:
    """Run the tasks on a ``LocalCluster`` (``address="local"``, ``workers`` processes) or a scheduler's workers."""
    from distributed import Client, LocalCluster, as_completed

    from . import sweep

    cluster = None
    if address == "local":
        # the scheduler's web server on a free local port: a second cluster on the machine must not clash with it
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0")
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="20s")
        except OSError as exc:
            raise B4BError(f"cannot reach the Dask scheduler ({exc})", where=address,
                           fix="Check the address (tcp://HOST:PORT) and that the scheduler is running.") from None
    futures: dict = {}
    scattered: dict[str, object] = {}

    def share(data: bytes):
        digest = hashlib.sha256(data).hexdigest()
        if digest not in scattered:
            scattered[digest] = client.scatter(data, hash=False)
        return scattered[digest]

    try:
        client.register_plugin(ForkedKernels(), name=PLUGIN_NAME)
        for task in tasks:
            plain = {k: v for k, v in task.items() if k != "done"}
            future = (client.submit(sweep.run_task, plain, pure=False) if shared_fs
                      else client.submit(run_packed, pack(plain, share), pure=False))
            futures[future] = plain
        for future in as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker died or was lost: record it, the sweep goes on
                on_done(failed_record(task, exc))
                continue
            on_done(result if shared_fs else unpack(task, result))
    except BaseException:
        # Ctrl-C or kill: cancel what has not run; the runs cut off rerun on resume
        client.cancel(list(futures))
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
