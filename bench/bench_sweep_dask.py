"""A sweep on a Dask LocalCluster of two worker processes against the local sweep with two workers, same grid.

Part 1: 12 runs of goldilocks_portfolio, each way: the local pool, Dask sending results back through
Dask (the default: no shared file system), and Dask with the workers writing into the shared folder.
Each time includes starting the workers and their kernel templates, as a user's command pays it; each
way runs twice, in mirrored order (a b c c b a), and the faster time counts (the least disturbed by a
shared machine).
Part 2: the two Dask modes on a LocalCluster started once beforehand (so only the runs are timed), on
runs whose output notebooks are large (the probe case printing OUTPUT_MB each), to see what sending
results back costs against writing them into a shared folder.
Prints the wall times and the ratios against the local sweep (part 1) and the shared mode (part 2).
"""

import tempfile
import time
from pathlib import Path

from b4b_kit.workflows import sweep

N = 10
THRESHOLDS = [round(0.30 + 0.03 * i, 2) for i in range(N)]
PROBE = Path(__file__).resolve().parents[1] / "tests" / "data" / "probe_case.ipynb"
BIG_RUNS = 4
OUTPUT_MB = 5


def timed(case, plan, out: Path, **options) -> float:
    t0 = time.perf_counter()
    table = sweep.sweep(case, plan, out, workers=2, progress=False, **options)
    elapsed = time.perf_counter() - t0
    assert (table["status"] == "ok").all(), table[["status", "error"]]
    return elapsed


def mirrored(ways: dict, tmp: Path) -> dict[str, float]:
    """Run each way twice in the order a b c c b a; the best time of each."""
    order = list(ways) + list(reversed(ways))
    best = {}
    for i, name in enumerate(order):
        case, plan, options = ways[name]
        elapsed = timed(case, plan, tmp / f"{Path(str(case)).stem}-{name}-{i}", **options)
        best[name] = min(best.get(name, elapsed), elapsed)
    return best


def main():
    plan = sweep.grid({"grid": {"threshold": THRESHOLDS}}, "goldilocks_portfolio")
    big = sweep.grid({"grid": {"value": list(range(1, BIG_RUNS + 1)), "output_kb": [OUTPUT_MB * 1024]}}, PROBE)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small = mirrored({"local": ("goldilocks_portfolio", plan, {}),
                          "shipped": ("goldilocks_portfolio", plan, {"dask": "local"}),
                          "shared": ("goldilocks_portfolio", plan, {"dask": "local", "shared_fs": True})}, tmp)
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address="127.0.0.1:0") as cluster, Client(cluster):
            address = cluster.scheduler_address
            timed(PROBE, sweep.grid({"runs": [{"value": 99}]}, PROBE), tmp / "warm-up", dask=address)  # templates
            large = mirrored({"shipped": (PROBE, big, {"dask": address}),
                              "shared": (PROBE, big, {"dask": address, "shared_fs": True})}, tmp)
        size = sum(p.stat().st_size for p in (tmp / "probe_case-shipped-0").glob("runs/*/*.ipynb")) / BIG_RUNS / 1e6
    print(f"{N} runs of goldilocks_portfolio, 2 workers each way (best of 2):")
    print(f"  local sweep (process pool):                 {small['local']:7.1f} s")
    print(f"  Dask LocalCluster, results sent back:       {small['shipped']:7.1f} s")
    print(f"  Dask LocalCluster, shared file system:      {small['shared']:7.1f} s")
    print(f"  ratio Dask (sent back) / local:             {small['shipped'] / small['local']:7.2f}x")
    print(f"  ratio Dask (shared FS) / local:             {small['shared'] / small['local']:7.2f}x")
    print(f"{BIG_RUNS} probe runs with {size:.1f} MB output notebooks, a running LocalCluster, 2 workers (best of 2):")
    print(f"  results sent back:                          {large['shipped']:7.1f} s")
    print(f"  shared file system:                         {large['shared']:7.1f} s")
    print(f"  ratio sent back / shared:                   {large['shipped'] / large['shared']:7.2f}x")


if __name__ == "__main__":
    main()
