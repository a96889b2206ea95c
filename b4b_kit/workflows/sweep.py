"""Parameter sweeps over a case study: many papermill runs, in parallel, that survive failures and interruptions.

Layout of a sweep folder::

    DIR/sweep.json                  the case, the grid and when the sweep was planned
    DIR/runs/<run_id>/<case>.ipynb  each run's output notebook
    DIR/runs/<run_id>/<case>.results.json   its record (status, figures, provenance)
    DIR/results.csv, results.parquet        the registry: one row per run

A run's id is a hash of the notebook's content and its parameters, so rerunning
the same command finds the runs already done and skips them (resume). Every
record and table is written to a temporary file and renamed into place, so a
crash never leaves half a file.

Each run gets a fresh kernel that no other run has used (isolation). Speed comes
from warm worker processes that import papermill once, from running workers in
parallel, and from forking each run's kernel from a template process that has
already imported ipykernel, pandas, altair and the kit
(:mod:`b4b_kit.workflows.forked_kernels`): 20 runs took 15.3 s against 107.6 s for 20
``papermill`` calls (``bench/bench_sweep.py``), where starting every kernel the
usual way took 25 s. On Dask (:mod:`b4b_kit.workflows.dask_cluster`) a worker plugin
gives every worker the same template, and by default the workers need no file
system shared with the client: runs go out and results come back through Dask.

Progress shows as a bar in a terminal or a notebook and as one line per
finished run in logs (:mod:`b4b_kit.workflows.progress`).

Examples
--------
>>> plan = grid({"grid": {"threshold": [0.4, 0.6]}, "runs": [{"seed": 3}]}, "goldilocks_portfolio")
>>> plan
[{'threshold': 0.4}, {'threshold': 0.6}, {'seed': 3}]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..datafiles import read_yaml
from ..errors import B4BError
from . import cases

STATUSES = ("pending", "running", "ok", "failed", "timeout", "died", "error")
_KERNEL_START_RETRIES = 2
# papermill changes the working directory of its process (papermill#473): on a Dask worker with several
# threads, runs in one process must take turns (one thread per worker is the advice; this makes more safe)
_ONE_RUN_AT_A_TIME = threading.Lock()


def grid(spec: dict | str | Path, case: str | Path) -> list[dict]:
    """Expand and check a grid: a cartesian ``grid:`` and/or an explicit ``runs:`` list.

    Every parameter set is checked against the case's declarations before
    anything runs; duplicates are dropped.

    Raises
    ------
    B4BError
        Naming the grid file, the entry and the parameter at fault.
    """
    where = "grid"
    if not isinstance(spec, dict):
        where = str(spec)
        spec = _read_grid_file(Path(spec))
    if not isinstance(spec, dict) or not spec or set(spec) - {"grid", "runs"}:
        extra = sorted(set(spec) - {"grid", "runs"}) if isinstance(spec, dict) else []
        unknown = f"; unknown key(s) {', '.join(extra)}" if extra else ""
        raise B4BError(f"expected a mapping with 'grid' and/or 'runs'{unknown}",
                       where=where, fix="Write e.g. 'grid: {threshold: [0.4, 0.5]}' and/or 'runs: [{seed: 3}]'.")
    sets: list[dict] = []
    cartesian = spec.get("grid") or {}
    if not isinstance(cartesian, dict):
        raise B4BError("'grid' must map parameter names to lists of values", where=where,
                       fix="Write e.g. 'grid: {threshold: [0.4, 0.5]}'.")
    for name, values in cartesian.items():
        if not isinstance(values, list) or not values:
            raise B4BError(f"grid.{name} must be a non-empty list of values", where=where,
                           fix=f"Write e.g. '{name}: [a, b]'.")
    names = list(cartesian)
    sets += [dict(zip(names, combo)) for combo in itertools.product(*cartesian.values())] if names else []
    runs = spec.get("runs") or []
    if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
        raise B4BError("'runs' must be a list of parameter mappings", where=where,
                       fix="Write e.g. 'runs: [{threshold: 0.4}, {threshold: 0.5, seed: 2}]'.")
    sets += runs
    if not sets:
        raise B4BError("the grid defines no runs", where=where,
                       fix="Give at least one value in 'grid' or one entry in 'runs'.")
    checked, seen = [], set()
    for i, params in enumerate(sets):
        try:
            values = cases.check(case, params)
        except B4BError as exc:
            inner = f"{exc.where}: {exc.what}" if exc.where and exc.where.startswith("parameter") else exc.what
            raise B4BError(f"run {i + 1} ({json.dumps(params, default=str)}): {inner}", where=where,
                           fix=exc.fix) from None
        key = json.dumps(values, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            checked.append(values)
    return checked


def _read_grid_file(path: Path) -> dict:
    return read_yaml(path, what="grid file")


def run_id(notebook: Path, params: dict) -> str:
    """The id of a run: a hash of the notebook's content and its parameters."""
    h = hashlib.sha256(Path(notebook).read_bytes())
    h.update(json.dumps(params, sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


# ---- one run, inside a worker process (local pool or Dask) -------------------------------------

def _warm() -> None:
    """Worker start-up: import what every run needs once, not once per run, and start the kernel template."""
    import nbclient  # noqa: F401
    import papermill  # noqa: F401

    from . import forked_kernels

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; a run ends through its timeout
    forked_kernels.start()


def run_task(task: dict) -> dict:
    """Execute one planned run and return its record (used by the local pool and by Dask workers)."""
    from . import forked_kernels

    # a worker of the local pool (see _warm) or of Dask (dask_cluster.ForkedKernels) has a template to fork
    # kernels from; without one, kernels start the usual way
    manager = forked_kernels.ForkedKernelManager if forked_kernels.started() else None
    attempts = 0
    while True:
        with _ONE_RUN_AT_A_TIME:
            result = cases.run(task["notebook"], task["params"], out=task["dir"], timeout=task["timeout"],
                               kernel_manager_class=manager)
        rec = result.record
        attempts += 1
        # parallel kernels can collide on ports (jupyter_client#487): retry a kernel that never ran a cell
        never_started = rec["status"] in ("error", "died") and not _ran_a_cell(result.notebook)
        if never_started and attempts <= _KERNEL_START_RETRIES:
            continue
        rec["attempts"] = attempts
        rec["run_id"] = task["run_id"]
        cases.write_json(result.results, rec)
        return rec


def _ran_a_cell(notebook: Path) -> bool:
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except (OSError, ValueError):
        return False
    return any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


# ---- the sweep ---------------------------------------------------------------------------------

def plan(case: str | Path, param_sets: list[dict], out: str | Path, timeout: int = 600) -> list[dict]:
    """Create the run folders (status ``pending``) and return the tasks, finished runs marked ``done``."""
    src = cases.notebook_path(case).resolve()
    out = Path(out)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    tasks = []
    for params in param_sets:
        rid = run_id(src, params)
        run_dir = out / "runs" / rid
        run_dir.mkdir(exist_ok=True)
        record_path = run_dir / f"{src.stem}.results.json"
        previous = _read_record(record_path)
        done = previous.get("status") == "ok"
        if not previous:
            cases.write_json(record_path, {"case": src.stem, "run_id": rid, "status": "pending", "parameters": params})
        tasks.append({"notebook": str(src), "params": params, "dir": str(run_dir), "run_id": rid,
                      "timeout": timeout, "done": done})
    cases.write_json(out / "sweep.json", {"case": src.stem, "notebook": str(src), "runs": len(tasks),
                                          "planned": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    return tasks


def _read_record(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def default_workers() -> int:
    """Workers that fit this machine: one per core, plus one.

    A run alternates between its worker (papermill saving the notebook after
    each cell) and its kernel, so a core sits idle while they wait on each other;
    one extra worker fills those gaps (20 runs on 2 cores, kernels started the
    usual way: 3 workers took 54 s, 2 took 66 s, 4 took 67 s). With forked
    kernels the count matters less: 2, 3 and 4 workers took 22.8, 21.5 and
    23.4 s, then 23.1, 22.6 and 22.2 s, on a busy machine.
    """
    return (os.cpu_count() or 1) + 1


def sweep(case: str | Path, param_sets: list[dict], out: str | Path, *, workers: int | None = None,
          timeout: int = 600, dask: str | None = None, shared_fs: bool = False,
          progress: str | bool | Callable[[str], None] = "auto"):
    """Run every parameter set of a case study and return the registry (a DataFrame).

    Parameters
    ----------
    case : str or Path
        A case-study name or notebook path.
    param_sets : list of dict
        From :func:`grid`.
    out : str or Path
        The sweep folder; rerunning with the same folder resumes.
    workers : int, optional
        Parallel runs (default: one per core, plus one).
    timeout : int
        Seconds allowed per cell; a run past it is recorded as ``timeout``.
    dask : str, optional
        ``"local"`` for a ``dask.distributed.LocalCluster`` or a scheduler address
        ``"tcp://host:8786"``; the kit must be installed on the workers.
    shared_fs : bool
        With Dask: the workers write into ``out`` themselves (it must be on a file
        system they share). By default they send their results back through Dask.
    progress : str, bool or callable
        ``"auto"`` (a bar in a terminal or notebook, else one line per finished
        run), a mode of :mod:`b4b_kit.workflows.progress`, ``False`` (or ``None``)
        for none, or a function to call with each line.
    """
    from . import progress as progress_

    out = Path(out)
    tasks = plan(case, param_sets, out, timeout)
    todo = [t for t in tasks if not t["done"]]
    workers = workers or default_workers()
    if workers < 1:
        raise B4BError(f"workers must be at least 1, got {workers}", where="--workers", fix="Pass e.g. --workers 2.")
    # The registry needs pandas and DuckDB: import them before a Ctrl-C or kill can arrive, since an
    # interrupt in the middle of a first import leaves the module half made and the final registry
    # write then failed on it (seen once runs got fast enough to finish while pandas was loading).
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    if callable(progress):
        options = {"say": progress}
    else:
        options = {"mode": "quiet" if progress in (False, None) else "auto" if progress is True else progress}
    started = time.perf_counter()
    previous_handler = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # `kill` stops a sweep the way Ctrl-C does
    with progress_.watch(len(todo), what="runs", **options) as shown:
        shown.note(f"{len(tasks)} runs: {len(tasks) - len(todo)} already done, {len(todo)} to run")
        try:
            if todo:
                on_done = lambda rec: _finished(out, rec, shown)  # noqa: E731
                if dask:
                    from . import dask_cluster

                    dask_cluster.run(todo, workers, dask, on_done, shared_fs=shared_fs)
                else:
                    _run_local(todo, workers, on_done)
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
            table = write_registry(out)
        shown.close()  # the summary goes below the finished bar
        shown.note(f"done in {time.perf_counter() - started:.1f} s: " +
                   ", ".join(f"{n} {s}" for s, n in table["status"].value_counts().items()))
    return table


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _finished(out: Path, rec: dict, shown) -> None:
    err = rec.get("error") or {}
    detail = f" ({err.get('name')}: {err.get('message')})" if err else ""
    given = {k: rec["parameters"][k] for k in rec.get("parameters_given", [])}
    shown.finished(rec.get("status") == "ok", f"  {rec['run_id']} {rec['status']} in {rec.get('duration_s')} s "
                                              f"{json.dumps(given, default=str)}{detail}")
    write_registry(out)


def _run_local(tasks: list[dict], workers: int, on_done) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn: a clean interpreter per worker, no inherited zmq sockets or threads
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), initializer=_warm,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(run_task, {k: v for k, v in t.items() if k != "done"}) for t in tasks]
        try:
            for future in as_completed(futures):
                on_done(future.result())
        except BaseException:
            # Ctrl-C or kill: stop now. A run cut off keeps its "running" record and reruns on resume.
            for future in futures:
                future.cancel()
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            raise


# ---- the registry ------------------------------------------------------------------------------

def collect(out: str | Path):
    """One tidy row per run of a sweep folder, read from the run records.

    Columns: ``run_id``, ``status``, ``duration_s``, ``attempts``, ``error_cell`` (index of the
    failing cell in the output notebook), ``error_source`` (its first line), ``error``, one
    ``param.<name>`` and ``figure.<name>`` per parameter and figure, the dataset checksums
    (``dataset.<name>.sha256``) and provenance (``kit_version``, ``git_commit``, ``python``,
    ``package.<name>``, ``notebook_sha256``).
    """
    import pandas as pd

    rows = []
    for path in sorted(Path(out).glob("runs/*/*.results.json")):
        rec = _read_record(path)
        if not rec:
            continue
        err = rec.get("error") or {}
        row = {
            "run_id": rec.get("run_id", path.parent.name),
            "case": rec.get("case"),
            "status": rec.get("status"),
            "duration_s": rec.get("duration_s"),
            "attempts": rec.get("attempts"),
            "error_cell": err.get("cell_index"),
            "error_source": err.get("source"),
            "error": f"{err.get('name')}: {err.get('message')}" if err else None,
            "started": rec.get("started"),
            "output_notebook": rec.get("output_notebook"),
        }
        row.update({f"param.{k}": v for k, v in (rec.get("parameters") or {}).items()})
        row.update({f"figure.{k}": v for k, v in (rec.get("figures") or {}).items()})
        row.update({f"dataset.{k}.sha256": v.get("sha256") for k, v in (rec.get("datasets") or {}).items()})
        row.update({k: rec.get(k) for k in ("kit_version", "git_commit", "git_dirty", "python", "notebook_sha256")})
        row.update({f"package.{k}": v for k, v in (rec.get("packages") or {}).items()})
        rows.append(row)
    return pd.DataFrame(rows)


def write_registry(out: str | Path):
    """Write ``results.csv`` and ``results.parquet`` atomically; return the table."""
    import duckdb

    out = Path(out)
    table = collect(out)
    for name in ("results.csv", "results.parquet"):
        tmp = out / f".{name}.tmp"
        if name.endswith(".csv"):
            table.to_csv(tmp, index=False)
        elif len(table.columns):
            # DuckDB writes Parquet itself: no pyarrow needed
            frame = table.astype({c: "string" for c in table.columns if table[c].dtype == object})  # noqa: F841
            duckdb.sql(f"COPY (SELECT * FROM frame) TO '{tmp}' (FORMAT parquet)")
        else:
            continue
        os.replace(tmp, out / name)
    return table


def results(out: str | Path):
    """The registry of a sweep folder as a DataFrame (from ``results.parquet``, else from the records).

    Examples
    --------
    In a notebook: ``table = sweep.results("build/sweep1")``.
    """
    import duckdb

    path = Path(out) / "results.parquet"
    if not Path(out).is_dir():
        raise B4BError("no such sweep folder", where=str(out), fix="Give the --out folder of a 'b4b sweep' run.")
    if path.is_file():
        return duckdb.read_parquet(str(path)).df()
    return collect(out)
