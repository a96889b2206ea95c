"""Voila fixtures: one Voila server per test session, ``b4b serve`` per module, and the Dashboard helper.

* ``voila_server`` starts ``python -m voila`` (this venv's interpreter) serving
  ``notebooks/`` on a free loopback port and stops it, and every kernel it
  started, at the end of the session. Its log goes to a file under pytest's
  basetemp; ``voila_server.tail()`` gives the end of it for failure messages.
* ``dashboard`` wraps the shared ``page`` (``tests/browser.py``: one headless
  Chromium per session, only the loopback reachable) with what a dashboard
  test needs: open, wait with fail-fast error checks, read charts, explain failures.
"""

from __future__ import annotations

import contextlib
import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import ERROR_MARKERS, MATH_JS, TYPESET_REGIONS, PageLog, launch, running_server, stop, tail

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
START_TIMEOUT = 60  # seconds for Voila to answer HTTP
PREHEAT_START_TIMEOUT = 300  # the same for `b4b serve`, which runs every lesson ahead at start-up


@dataclasses.dataclass
class VoilaServer:
    url: str  # base URL, no trailing slash
    log_path: Path
    process: subprocess.Popen

    def tail(self, lines: int = 60) -> str:
        return f"--- last lines of {self.log_path} ---\n{tail(self.log_path, lines)}"


def _start_voila(log_path: Path, port: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "voila",
        str(NOTEBOOKS),  # positional: a directory is served as the root (/voila/render/<path>)
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",  # fail rather than silently move to another port
        "--show_tracebacks=True",
    ]
    return launch(cmd, log_path, cwd=REPO)


def _start_kit_serve(log_path: Path, port: int) -> subprocess.Popen:
    """``b4b serve`` as an instructor runs it: the committed notebooks/voila.json, preheated kernels."""
    return launch([str(Path(sys.executable).with_name("b4b")), "serve", f"--port={port}"], log_path, cwd=REPO)


def _running_server(log_path: Path, start,
                    start_timeout: float = START_TIMEOUT) -> tuple[VoilaServer, subprocess.Popen]:
    url, proc = running_server("Voila", log_path, start, start_timeout)
    return VoilaServer(url=url, log_path=log_path, process=proc), proc


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """A Voila server for ``notebooks/`` on a free loopback port; stopped with its kernels at the end."""
    server, proc = _running_server(tmp_path_factory.mktemp("voila") / "voila.log", _start_voila)
    try:
        yield server
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory):
    """``b4b serve`` on a free loopback port, with the kit's committed Voila configuration."""
    # every lesson pre-heats at start-up: on 2 cores the server answers its first request late
    server, proc = _running_server(tmp_path_factory.mktemp("serve") / "serve.log", _start_kit_serve,
                                   start_timeout=PREHEAT_START_TIMEOUT)
    try:
        yield server
    finally:
        stop(proc)


@pytest.fixture
def served_dashboard(page, page_log, kit_server, tmp_path) -> Dashboard:
    return Dashboard(page, page_log, kit_server, tmp_path)


@pytest.fixture(scope="session")
def voila_url(voila_server) -> str:
    """Base URL of the session's Voila server, e.g. ``http://127.0.0.1:40123``."""
    return voila_server.url


class Dashboard:
    """A Voila page under test: open it, wait for it with fail-fast error checks, explain failures."""

    def __init__(self, page, page_log: PageLog, server: VoilaServer, out_dir: Path):
        self.page = page
        self.log = page_log
        self.server = server
        self.out_dir = out_dir

    def open(self, notebook: str) -> float:
        """Navigate to ``/voila/render/<notebook>``; returns ``time.perf_counter()`` at navigation start.

        Waits only for the response to start: Voila streams the page while the
        kernel runs the cells, and ``wait_rendered`` polls from then on.
        """
        start = time.perf_counter()
        self.page.goto(f"{self.server.url}/voila/render/{notebook}", wait_until="commit", timeout=60_000)
        return start

    def show(self, notebook: str, ready_js: str, what: str, *, only_one: tuple[str, ...] = ()) -> float:
        """Open ``notebook``, wait until ``ready_js`` holds, print and return the cold time to first render.

        Fails unless each selector in ``only_one`` matches exactly one element (the widget
        the test drives must not be drawn twice or missing).
        """
        start = self.open(notebook)
        self.wait_rendered(ready_js, what)
        cold = time.perf_counter() - start
        print(f"\ncold time to first render ({what}): {cold:.1f} s")
        for selector in only_one:
            if (found := self.page.locator(selector).count()) != 1:
                self.fail(f"expected one {selector}, found {found}")
        return cold

    def assert_read_right(self) -> None:
        """What a student would notice on the finished page: nothing fetched from outside the machine,
        no text typeset as math, no error in the page's scripts."""
        self.assert_nothing_needed_from_outside()
        self.assert_no_text_typeset_as_math()
        assert not self.log.page_errors, self.log.report()

    def screenshot(self, name: str) -> Path:
        path = self.out_dir / name
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(path), full_page=True)
        return path

    def context(self) -> str:
        """What to read when a dashboard test fails: browser log, screenshot, Voila log tail."""
        shot = self.screenshot("failure.png")
        return f"\nurl: {self.page.url}\nscreenshot: {shot}\n{self.log.report()}{self.server.tail()}"

    def fail(self, message: str):
        pytest.fail(message + self.context(), pytrace=False)

    def assert_nothing_needed_from_outside(self) -> None:
        """Fail if the page asked for anything off the machine other than icon fonts (which it does not need)."""
        needed = self.log.needed_from_outside()
        if needed:
            self.fail(f"the page tried to fetch from outside the machine: {needed}")

    def assert_no_text_typeset_as_math(self) -> None:
        """Fail if text the page shows is typeset as math (or about to be): two ``$`` in one run of text.

        Voila typesets markdown cells, HTML outputs and widget labels with MathJax, as
        JupyterLab does; "$30M from ... $12M" becomes one italic formula.
        """
        found = self.page.evaluate(MATH_JS, ", ".join(TYPESET_REGIONS))
        if found:
            listed = "".join(f"\n  {math!r} in: {region[:120]!r}" for region, math in found)
            self.fail(f"{len(found)} piece(s) of text typeset as math (write amounts as USD 30M):{listed}")

    def chart_svg(self, selector: str, index: int = 0) -> str:
        """The SVG markup of the ``index``-th chart matching ``selector`` (a ``ChartView``, drawn in the kernel)."""
        svg = self.page.locator(selector).nth(index).locator("svg.marks")
        if not svg.count():
            self.fail(f"no SVG chart (svg.marks) in {selector} #{index}")
        return svg.first.evaluate("el => el.outerHTML")

    def wait_chart_changed(self, selector: str, before: str, what: str, index: int = 0,
                           timeout: float = 60) -> str:
        """Poll until the chart differs from ``before`` (the kernel redrew it); return the new SVG."""
        deadline = time.monotonic() + timeout
        after = before
        while after == before and time.monotonic() < deadline:
            self.page.wait_for_timeout(250)
            if self.page.locator(selector).nth(index).locator("svg.marks").count():
                after = self.chart_svg(selector, index)
        if after == before:
            self.fail(f"the {what} chart did not change")
        return after

    def wait_rendered(self, ready_js: str, what: str, timeout: float = 120) -> None:
        """Poll until the JS expression ``ready_js`` is truthy; fail at once if the page shows an error."""
        script = """(markers) => {
            const page_error = document.querySelector('.voila-error');
            if (page_error) return 'Voila error page: ' + page_error.innerText.slice(0, 1500);
            const text = document.body ? document.body.innerText : '';
            for (const marker of markers) {
                const at = text.indexOf(marker);
                if (at >= 0) return 'page shows "' + marker + '":\\n' + text.slice(Math.max(0, at - 500), at + 1500);
            }
            return (READY) ? 'ready' : false;
        }""".replace("READY", ready_js)
        try:
            state = self.page.wait_for_function(script, arg=ERROR_MARKERS, polling=250,
                                                timeout=timeout * 1000).json_value()
        except Exception as exc:  # playwright TimeoutError, or the page crashed
            state = None
            problem = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        if state is None:  # failed outside the except block: no chained traceback in the report
            self.fail(f"timed out after {timeout:.0f} s waiting for {what}: {problem}")
        if state != "ready":
            self.fail(f"while waiting for {what}, the dashboard failed: {state}")


@pytest.fixture
def dashboard(page, page_log, voila_server, tmp_path) -> Dashboard:
    return Dashboard(page, page_log, voila_server, tmp_path)
