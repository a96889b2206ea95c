"""Helpers shared by the benchmarks: timing against a baseline in the same run, and waiting for a server."""

import contextlib
import socket
import time


def best_of(fn, repeat: int = 3) -> float:
    """The fastest of ``repeat`` wall-clock timings of ``fn()`` (the least disturbed by a shared machine)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_idle(proc, deadline: float, quiet: float = 2.0) -> None:
    """Wait until ``proc`` and its children (a server and its kernels) use under 5 % of a core for ``quiet`` s.

    A server is measured warm only when nothing else of it is busy: Voila logs "pool is
    filled" when a kernel starts, before the kernel has run the notebook, and a refill
    still running would compete with the browser for the 2 cores. ``deadline`` is a
    ``time.monotonic()`` value.
    """
    import psutil

    def cpu() -> float:
        total = 0.0
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(proc.pid)
            for p in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    total += t.user + t.system
        return total

    last, since = cpu(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu()
        if now - last > 0.05 * 0.5:
            since = time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        last = now
    raise SystemExit("the server did not go idle")
