"""A sweep of 20 small case-study runs against 20 sequential `papermill` CLI calls.

Both run the same notebook (goldilocks_portfolio) with the same 20 thresholds,
each in a fresh kernel. Prints both wall times and the ratio.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from b4b_kit.workflows import cases, sweep

N = 20
THRESHOLDS = [round(0.30 + 0.02 * i, 2) for i in range(N)]


def sequential_papermill(out: Path) -> float:
    src = cases.notebook_path("goldilocks_portfolio")
    papermill = Path(sys.executable).with_name("papermill")
    t0 = time.perf_counter()
    for i, t in enumerate(THRESHOLDS):
        subprocess.run([str(papermill), str(src), str(out / f"run{i}.ipynb"), "-p", "threshold", str(t),
                        "--cwd", str(src.parent), "-k", "python3", "--no-progress-bar"],
                       check=True, capture_output=True)
    return time.perf_counter() - t0


def kit_sweep(out: Path) -> float:
    plan = sweep.grid({"grid": {"threshold": THRESHOLDS}}, "goldilocks_portfolio")
    t0 = time.perf_counter()
    table = sweep.sweep("goldilocks_portfolio", plan, out)
    elapsed = time.perf_counter() - t0
    assert (table["status"] == "ok").all(), table[["status", "error"]]
    return elapsed


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "pm").mkdir()
        ours = kit_sweep(tmp / "sweep")
        base = sequential_papermill(tmp / "pm")
    print(f"{N} runs, b4b sweep ({sweep.default_workers()} workers): {ours:7.1f} s")
    print(f"{N} runs, sequential papermill CLI:      {base:7.1f} s")
    print(f"ratio (papermill CLI / sweep):          {base / ours:7.1f}x")


if __name__ == "__main__":
    main()
