"""What many tests share: the repository's paths, the rows a chart was given, servers a test starts."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
B4B = Path(sys.executable).with_name("b4b")
DATA = Path(__file__).parent / "data"


def chart_rows(chart, *, every: bool = False) -> list[dict]:
    """The rows of a chart's first inline dataset (of all its datasets with ``every=True``).

    ``chart`` may be an altair chart, its ``to_dict()`` spec, a ``ChartView``, or
    an explorer whose ``chart`` attribute is one: tests read what the chart was
    given, so that a chart that computed something itself would be caught.
    """
    while not isinstance(chart, dict) and not hasattr(chart, "to_dict"):
        chart = chart.chart
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    datasets = list(spec["datasets"].values())
    return [row for data in datasets for row in data] if every else datasets[0]


# ---- servers started by tests (b4b serve, jupyter lab) -------------------------------------------

def free_port() -> int:
    """A loopback port that was free a moment ago."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, dict, str]:
    """Status, headers and body of a GET, without proxies (an http_proxy must not swallow loopback requests).

    An HTTP error status is returned like any other; a refused connection raises ``OSError``.
    """
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def wait_until_answers(url: str, proc, timeout: float, log=None) -> None:
    """Poll ``url`` until any HTTP status comes back; fail with the log's tail if ``proc`` exits or time runs out."""
    import time
    from pathlib import Path

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            http_get(url, timeout=3)
            return
        except OSError:
            time.sleep(0.3)
    tail = Path(log).read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s (exit code {proc.poll()})\n{tail}")


def stop_server(proc, timeout: float = 30) -> None:
    """SIGTERM a server started with ``start_new_session=True``, then make sure nothing of it is left."""
    import contextlib
    import os
    import signal
    import subprocess

    import psutil

    children = []
    with contextlib.suppress(psutil.Error):
        children = psutil.Process(proc.pid).children(recursive=True)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    for child in children:  # kernels run in sessions of their own: killpg misses them
        with contextlib.suppress(psutil.Error):
            child.kill()
