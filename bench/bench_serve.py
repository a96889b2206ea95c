"""Time from request to an interactive dashboard (slider + chart) in headless Chromium.

`b4b serve` with pre-heated kernels (warm) against `b4b serve --no-preheat` (cold).

Prints the median of a few page views of lesson 01 for each, and the ratio.
"""

import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from timing import free_port, wait_idle

B4B = Path(sys.executable).with_name("b4b")
LESSON = "01_supplier_levels.ipynb"
READY = "document.querySelector('.widget-slider') && document.querySelector('.b4b-chart svg.marks')"
VIEWS = 5
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
        # offline as a student's machine is: every host but this one fails to resolve. Not page.route:
        # Playwright then pauses each of the page's ~90 requests for a round trip through this Python
        # process, which added about 0.5 s per view here (median of 6 interleaved views, 2.35 s vs 1.86 s).
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def start(preheat: bool, log: Path):
    port = free_port()
    cmd = [str(B4B), "serve", f"--port={port}"] + ([] if preheat else ["--no-preheat"])
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def wait_for(log: Path, pattern: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, log.read_text(errors="replace")):
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {pattern!r} in {log}")


def view(browser, url: str, context=None) -> float:
    page = (context or browser).new_page()
    t0 = time.perf_counter()
    page.goto(f"{url}/voila/render/{LESSON}", wait_until="commit")
    page.wait_for_function(READY, polling=50, timeout=180_000)
    elapsed = time.perf_counter() - t0
    page.close()
    return elapsed


def measure(browser, preheat: bool, returning: bool = False) -> list[float]:
    """Page views of lesson 01; ``returning``: one browser context, so its HTTP cache is warm after view 1."""
    log = Path(f"/tmp/b4b-bench-serve-{'warm' if preheat else 'cold'}.log")
    proc, url = start(preheat, log)
    context = browser.new_context() if returning else None
    try:
        wait_for(log, r"Voil. is running at")
        times = []
        for _ in range(VIEWS + (1 if returning else 0)):
            if preheat:
                # the pool refills after each view; measure only once a kernel has run the lesson ahead
                n = len(re.findall(rf"Kernel pool of {re.escape(LESSON)} is filled", log.read_text()))
                filled = rf"(Kernel pool of {re.escape(LESSON)} is filled.*){{{max(n, 1)}}}"
                wait_for(log, filled.replace(".*){", ".*\\n?[\\s\\S]*){"))
            # warm: the kernel has run the lesson ahead; cold: the last view's kernel is idle
            wait_idle(proc, time.monotonic() + 240)
            times.append(view(browser, url, context))
        return times[1:] if returning else times
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        warm = measure(browser, preheat=True)
        warm_cached = measure(browser, preheat=True, returning=True)
        cold = measure(browser, preheat=False)
        browser.close()
    w, wc, c = statistics.median(warm), statistics.median(warm_cached), statistics.median(cold)
    print(f"lesson 01, request -> slider + chart rendered, median of {VIEWS} views")
    print(f"  warm, new browser (pre-heated kernel, empty cache): {w:5.2f} s   {[f'{t:.2f}' for t in warm]}")
    print(f"  warm, returning browser (HTTP cache filled):        {wc:5.2f} s   {[f'{t:.2f}' for t in warm_cached]}")
    print(f"  cold (b4b serve --no-preheat, empty cache):         {c:5.2f} s   {[f'{t:.2f}' for t in cold]}")
    print(f"  ratio cold / warm: {c / w:4.1f}x;  cold / warm returning: {c / wc:4.1f}x")


if __name__ == "__main__":
    main()
