"""A class opening lesson 01 at the same moment: `b4b serve --class-size 30` against today's `b4b serve`.

For N = 1, 10 and 30 simultaneous requests, the time from each request to its
complete HTML page (server side: no browser work), p50 / p95 / max, and the
memory of the server with all its kernels afterwards (RSS summed, and PSS,
which counts memory shared by forked kernels once). Before each round the
server's pools are full and it has been idle for 2 s; after it, the N pages
are closed the way a browser closes them (Voila's shutdown call), so each
round starts from the same state. Both configurations run in the same
process, one after the other; the last line gives the ratios.

Usage: python bench/bench_class.py [--sizes 1,10,30] [--class-size 30]
"""

import argparse
import concurrent.futures
import contextlib
import http.cookiejar
import json
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
from timing import free_port, wait_idle

B4B = Path(sys.executable).with_name("b4b")
LESSON = "01_supplier_levels.ipynb"
MB = 2**20


class Server:
    """One `b4b serve` under measurement, on a free port, its log in /tmp."""

    def __init__(self, label: str, extra: list[str], log: Path):
        self.label, self.log = label, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([str(B4B), "serve", f"--port={self.port}", *extra], stdout=log.open("w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, timeout: float = 900) -> tuple[int, str]:
        """Status and body of a GET (an error status is returned, not raised)."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # one per request: no shared state
        try:
            with opener.open(self.url + path, timeout=timeout) as reply:
                return reply.status, reply.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def wait_up(self, timeout: float = 300) -> None:
        """Wait until the server answers HTTP."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                self.get("/", timeout=3)
                return
            time.sleep(0.5)
        raise SystemExit(f"{self.label} did not answer; see {self.log}")

    def ready(self, class_size: int | None, timeout: float = 900) -> None:
        """The lesson's pool is full and the server and its kernels have been idle for 2 s."""
        deadline = time.monotonic() + timeout
        if class_size:
            while time.monotonic() < deadline:
                pool = json.loads(self.get("/b4b/class", timeout=30)[1])["pools"].get(LESSON, {})
                if pool and pool["ready"] >= pool["target"]:
                    break
                time.sleep(0.5)
        else:
            filled = rf"Kernel pool of {re.escape(LESSON)} is filled"
            while time.monotonic() < deadline and not re.search(filled, self.log.read_text(errors="replace")):
                time.sleep(0.5)
            time.sleep(4)  # Voila refills a used pool fill_delay (3 s) later: let that start before waiting for idle
        wait_idle(self.proc, deadline)

    def request_all(self, n: int) -> tuple[list[float], list[str]]:
        """The lesson asked for n times at once; seconds to the complete page, and the kernel ids."""
        import threading

        gate = threading.Barrier(n)

        def one(_):
            gate.wait()
            t0 = time.perf_counter()
            status, html = self.get(f"/voila/render/{LESSON}")
            elapsed = time.perf_counter() - t0
            found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
            return elapsed, status, found.group(1) if found else None

        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            results = list(pool.map(one, range(n)))
        bad = [status for _, status, _ in results if status != 200]
        if bad:
            print(f"  ({self.label}: {len(bad)} of {n} requests answered {sorted(set(bad))})", flush=True)
        return [t for t, _, _ in results], [k for _, _, k in results if k]

    def close_pages(self, kernel_ids: list[str]) -> None:
        """What a browser does when a Voila page closes: POST /voila/api/shutdown/<kernel id>."""
        self.opener.open(self.url + "/", timeout=30).read()  # the _xsrf cookie
        xsrf = next((c.value for c in self.jar if c.name == "_xsrf"), "")
        refused = 0
        for kernel_id in kernel_ids:
            request = urllib.request.Request(f"{self.url}/voila/api/shutdown/{kernel_id}", data=b"", method="POST",
                                             headers={"X-XSRFToken": xsrf})
            try:
                self.opener.open(request, timeout=60).read()
            except urllib.error.HTTPError:
                refused += 1
        if refused:
            raise SystemExit(f"{self.label}: {refused} of {len(kernel_ids)} pages could not be closed")

    def memory(self) -> tuple[float, float, int]:
        """RSS summed and PSS summed (MB) of the server and every process under it, and how many processes."""
        procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        rss = pss = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                info = p.memory_full_info()
                rss, pss = rss + info.rss, pss + info.pss
        return rss / MB, pss / MB, len(procs)

    def stop(self) -> None:
        """SIGTERM, and nothing left running."""
        children = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]  # nearest rank


def measure(label: str, extra: list[str], class_size: int | None, sizes: list[int]) -> dict:
    server = Server(label, extra, Path(f"/tmp/b4b-bench-class-{'class' if class_size else 'default'}.log"))
    rows = {}
    try:
        server.wait_up()
        server.ready(class_size)
        rows["idle"] = {"memory": server.memory()}
        for n in sizes:
            server.ready(class_size)
            times, kernels = server.request_all(n)
            rows[n] = {"times": times, "memory": server.memory()}
            server.ready(class_size)  # the N viewers stay; the pool is made full again
            rows[n]["refilled"] = server.memory()
            server.close_pages(kernels)
            print(f"  {label}: N={n} done, median {statistics.median(times):.2f} s", flush=True)
        if class_size:
            rows["status"] = json.loads(server.get("/b4b/class", timeout=30)[1])
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10,30")
    parser.add_argument("--class-size", type=int, default=30)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load = psutil.getloadavg()
    configs = [("b4b serve (today's default)", [], None),
               (f"b4b serve --class-size {args.class_size}", ["--class-size", str(args.class_size), "--lesson", "01"],
                args.class_size)]
    results = {label: measure(label, extra, size, sizes) for label, extra, size in configs}
    print(f"lesson 01: N simultaneous requests -> complete HTML page (server side), seconds; "
          f"load average before: {load[0]:.1f} on {psutil.cpu_count()} cores")
    print("  memory: RSS summed / PSS summed over the server and every process under it, right after the N pages,")
    print("  and once the pool is full again with the N viewers still connected (processes in brackets)")
    print(f"  {'configuration':<28} {'N':>4} {'p50':>6} {'p95':>6} {'max':>6}   {'memory right after':<31}"
          "memory, pool refilled")
    for label, rows in results.items():
        rss, pss, count = rows["idle"]["memory"]
        print(f"  {label:<28} {'idle':>4} {'':>6} {'':>6} {'':>6}   {rss:5.0f} / {pss:5.0f} MB ({count:>3})")
        for n in sizes:
            t = rows[n]["times"]
            rss, pss, count = rows[n]["memory"]
            rss2, pss2, count2 = rows[n]["refilled"]
            print(f"  {label:<28} {n:>4} {statistics.median(t):6.2f} {percentile(t, 0.95):6.2f} {max(t):6.2f}   "
                  f"{rss:5.0f} / {pss:5.0f} MB ({count:>3})       {rss2:5.0f} / {pss2:5.0f} MB ({count2:>3})")
    status = results[configs[1][0]].get("status", {})
    if status.get("memory_per_viewer_mb"):
        print(f"  class server: memory per viewer {status['memory_per_viewer_mb']:.0f} MB (USS), template "
              f"{status['template_mb']} MB shared; holds about {status['holds']} viewers; "
              f"{status['fill_seconds']} s to make a kernel")
    base, new = results[configs[0][0]], results[configs[1][0]]
    ratios = ", ".join(f"N={n}: p95 {percentile(base[n]['times'], .95) / percentile(new[n]['times'], .95):.1f}x"
                       for n in sizes)
    print(f"  ratio default / class server: {ratios}")


if __name__ == "__main__":
    main()
