"""Monthly consumption metrics from ten million events: DuckDB (the kit's engine) against pandas.

The parent generates at least 10,000,000 events (timed), writes the six
telemetry tables as Parquet, then runs each way of computing the same monthly
metrics table in its own fresh process, so that each peak memory is its own:

* ``duckdb, from Parquet``  — ``monthly_metrics(folder)``: DuckDB scans the files, events never enter pandas;
* ``duckdb, in memory``     — ``monthly_metrics(tables)``: DuckDB over the pandas DataFrames;
* ``pandas engine``         — ``monthly_metrics(tables, engine="pandas")``: the kit's tuned pandas reference;
* ``pandas groupby``        — the baseline: the straightforward pandas a student would write
  (``dt.to_period`` and ``groupby(...).nunique``, a merge for deployed seats).

Each prints the best of two wall-clock times, the CPU time of that run (all
threads), the resident memory before aggregating (the tables loaded; reading
ten million events into pandas peaks higher, at about 0.9 GB, which is not
counted) and the peak while aggregating, tables included. The ratio is
baseline time / DuckDB time. Every way is checked to give the same table as
the kit's DuckDB engine before its time counts.
"""

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.consumption_analytics import telemetry

TARGET = 10_000_000
MODES = ("duckdb-files", "duckdb", "pandas", "baseline")
LABELS = {"duckdb-files": "duckdb, from Parquet", "duckdb": "duckdb, in memory",
          "pandas": "pandas engine (kit)", "baseline": "pandas groupby baseline"}


def pandas_groupby_baseline(t):
    """Straightforward pandas: period months, groupby-nunique, a merge for deployment."""
    ev = t.events.assign(month=t.events["date"].dt.to_period("M").dt.to_timestamp())
    usage = (ev.groupby(["customer_id", "month"])
             .agg(events=("user_id", "size"), active_users=("user_id", "nunique"),
                  features_used=("feature", "nunique"))
             .reset_index())
    c = t.contracts.assign(month=t.contracts["month"].dt.to_period("M").dt.to_timestamp())
    c["months_since_land"] = ((c["month"].dt.year - c.groupby("customer_id")["month"].transform("min").dt.year) * 12
                              + c["month"].dt.month - c.groupby("customer_id")["month"].transform("min").dt.month)
    users = t.users.assign(act=t.users["activated"].dt.to_period("M").dt.to_timestamp())
    pairs = c[["customer_id", "month"]].merge(users[["customer_id", "act"]], on="customer_id")
    deployed = pairs[pairs["act"] <= pairs["month"]].groupby(["customer_id", "month"]).size().rename("seats_deployed")
    out = c.merge(deployed.reset_index(), on=["customer_id", "month"], how="left").merge(
        usage, on=["customer_id", "month"], how="left")
    out = out.fillna({"seats_deployed": 0, "events": 0, "active_users": 0, "features_used": 0})
    o = t.outcomes.assign(month=t.outcomes["month"].dt.to_period("M").dt.to_timestamp())
    out = out.merge(o.groupby(["customer_id", "month"], as_index=False)["kpi_attainment"].mean(),
                    on=["customer_id", "month"], how="left")
    out = out.merge(t.customers[["customer_id", "customer"]], on="customer_id", how="left")
    out["deployment_rate"] = out["seats_deployed"] / out["seats_licensed"]
    out["adoption_rate"] = out["active_users"] / out["seats_licensed"]
    out["feature_breadth"] = out["features_used"] / len(t.features)
    out["usage_depth"] = (out["events"] / out["active_users"]).fillna(0.0)
    return analytics._finish(out.sort_values(["customer_id", "month"]))


def rss_now_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def reset_peak() -> None:
    """Restart the peak-memory count (Linux: write 5 to /proc/self/clear_refs); a no-op where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    """Peak resident memory of this process since exec (VmHWM).

    Not ``ru_maxrss``: Linux carries that over from the forked parent, so a child
    of a parent holding ten million events would report the parent's memory.
    """
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, folder: str) -> None:
    if mode == "duckdb-files":
        run = lambda: analytics.monthly_metrics(folder)  # noqa: E731
    else:
        tables = telemetry.read_telemetry(folder)
        run = {"duckdb": lambda: analytics.monthly_metrics(tables),
               "pandas": lambda: analytics.monthly_metrics(tables, engine="pandas"),
               "baseline": lambda: pandas_groupby_baseline(tables)}[mode]
    loaded = rss_now_mb()
    reset_peak()  # from here on the peak is the aggregation's (plus the tables already loaded)
    best = (math.inf, 0.0)
    result = None
    for _ in range(2):
        c0, t0 = time.process_time(), time.perf_counter()
        result = run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        best = min(best, (wall, cpu))
        del result
    peak = peak_rss_mb()
    result = run()
    reference = analytics.monthly_metrics(folder)
    pd.testing.assert_frame_equal(result, reference)  # same table, or the time would not count
    print(json.dumps({"wall": best[0], "cpu": best[1], "loaded_mb": loaded, "peak_mb": peak, "rows": len(result)}))


def main() -> None:
    pilot = telemetry.generate(customers=200, seed=1)
    customers = math.ceil(TARGET * 1.03 / (len(pilot.events) / 200))
    while True:
        t0 = time.perf_counter()
        t = telemetry.generate(customers=customers, seed=1)
        generated = time.perf_counter() - t0
        if len(t.events) >= TARGET:
            break
        customers = math.ceil(customers * 1.03)
    n_events = len(t.events)
    with tempfile.TemporaryDirectory(prefix="b4b-bench-") as folder:
        t0 = time.perf_counter()
        telemetry.write_telemetry(t, folder)
        written = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
        del t, pilot
        print(f"generate {n_events:,} events ({customers:,} customers, 12 months): {generated:6.2f} s")
        print(f"write six tables as Parquet through DuckDB:          {written:6.2f} s  ({size:.0f} MB)")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings are shared-machine)")
        print()
        results = {}
        for mode in MODES:
            out = subprocess.run([sys.executable, __file__, "--child", mode, folder], capture_output=True, text=True,
                                 check=True)
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'monthly metrics, ' + format(n_events, ',') + ' events':42s} {'wall':>7s} {'cpu':>7s} "
          f"{'loaded':>9s} {'peak RSS':>9s}")
    for mode in MODES:
        r = results[mode]
        print(f"{LABELS[mode]:42s} {r['wall']:6.2f}s {r['cpu']:6.2f}s {r['loaded_mb']:7.0f}MB {r['peak_mb']:7.0f}MB")
    base = results["baseline"]["wall"]
    print()
    print(f"ratio (pandas groupby baseline / duckdb in memory):   {base / results['duckdb']['wall']:5.1f}x")
    print(f"ratio (pandas groupby baseline / duckdb from Parquet): {base / results['duckdb-files']['wall']:5.1f}x")
    kit_pandas = results["pandas"]["wall"] / results["duckdb"]["wall"]
    print(f"ratio (kit pandas engine / duckdb in memory):         {kit_pandas:5.1f}x")
    print(f"peak memory while aggregating: duckdb from Parquet {results['duckdb-files']['peak_mb']:.0f} MB, "
          f"in memory {results['duckdb']['peak_mb']:.0f} MB (limit 2048 MB); rows out: {results['duckdb']['rows']:,}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
