"""Real-browser fixtures: one Voila server and one headless Chromium per test session.

* ``voila_server`` starts ``python -m voila`` (this venv's interpreter) serving
  ``notebooks/`` on a free loopback port and stops it, and every kernel it
  started, at the end of the session. Its log goes to a file under pytest's
  basetemp; ``voila_server.tail()`` gives the end of it for failure messages.
* ``browser`` is Debian's ``/usr/bin/chromium`` driven by Playwright. A missing
  Chromium is a failure, never a skip: a dashboard test that silently does not
  run proves nothing.
* ``page`` is a fresh browser context whose requests to any host other than
  the loopback are aborted; ``page_log`` records what was blocked and what the
  browser reported as errors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Outside requests that may fail without harming a dashboard: the lab template's icon fonts and their CSS.
COSMETIC = re.compile(r"fontawesome|\.(woff2?|ttf|otf|eot)(\?|$)|fonts\.(googleapis|gstatic)\.com")
START_TIMEOUT = 60  # seconds for Voila to answer HTTP
PREHEAT_START_TIMEOUT = 300  # the same for `b4b serve`, which runs every lesson ahead at start-up
STOP_TIMEOUT = 20  # seconds for Voila to shut its kernels down after SIGTERM


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no Voila log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


@dataclasses.dataclass
class VoilaServer:
    url: str  # base URL, no trailing slash
    log_path: Path
    process: subprocess.Popen

    def tail(self, lines: int = 60) -> str:
        return f"--- last lines of {self.log_path} ---\n{_tail(self.log_path, lines)}"


def _answers(url: str) -> bool:
    # No proxies: an http_proxy in the environment must not swallow loopback requests.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is up
    except (urllib.error.URLError, OSError):
        return False


def _descendants(pid: int) -> list:
    """Voila's child processes (its kernels run in their own sessions, so killpg misses them)."""
    try:
        import psutil  # a dependency of ipykernel
    except ImportError:
        return []
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def _stop(proc: subprocess.Popen) -> None:
    children = _descendants(proc.pid)
    if proc.poll() is None:
        # SIGTERM makes Voila stop its loop and shut down all kernels it started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers in Voila's own process group
    if children:
        import psutil

        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        psutil.wait_procs(children, timeout=10)


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
    return _launch(cmd, log_path, cwd=REPO)


def _start_kit_serve(log_path: Path, port: int) -> subprocess.Popen:
    """``b4b serve`` as an instructor runs it: the committed notebooks/voila.json, preheated kernels."""
    return _launch([str(Path(sys.executable).with_name("b4b")), "serve", f"--port={port}"], log_path, cwd=REPO)


def _launch(cmd: list[str], log_path: Path, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as log:
        log.write(f"$ {' '.join(cmd)}\n".encode())
        log.flush()
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def _running_server(log_path: Path, start,
                    start_timeout: float = START_TIMEOUT) -> tuple[VoilaServer, subprocess.Popen]:
    proc = None
    for _attempt in range(3):  # the free port can be taken between probe and bind; retry then
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start(log_path, port)
        deadline = time.monotonic() + start_timeout
        answered = False
        # Ask once per turn and keep the answer: a server busy pre-heating seven lessons can answer
        # one request and let the next one time out, and a second check then stopped a good server.
        while proc.poll() is None and time.monotonic() < deadline and not answered:
            answered = _answers(url + "/")
            if not answered:
                time.sleep(0.25)
        if answered and proc.poll() is None:
            return VoilaServer(url=url, log_path=log_path, process=proc), proc
        exited = proc.poll() is not None
        _stop(proc)
        if exited and "already in use" in _tail(log_path, 20):
            continue
        pytest.fail(f"Voila did not answer on {url} within {start_timeout:.0f} s "
                    f"(exit code {proc.returncode}).\n{_tail(log_path)}", pytrace=False)
    pytest.fail(f"Voila could not bind a free port in 3 attempts.\n{_tail(log_path)}", pytrace=False)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """A Voila server for ``notebooks/`` on a free loopback port; stopped with its kernels at the end."""
    server, proc = _running_server(tmp_path_factory.mktemp("voila") / "voila.log", _start_voila)
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def kit_server(tmp_path_factory):
    """``b4b serve`` on a free loopback port, with the kit's committed Voila configuration."""
    # every lesson pre-heats at start-up: on 2 cores the server answers its first request late
    server, proc = _running_server(tmp_path_factory.mktemp("serve") / "serve.log", _start_kit_serve,
                                   start_timeout=PREHEAT_START_TIMEOUT)
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture
def served_dashboard(page, page_log, kit_server, tmp_path) -> Dashboard:
    return Dashboard(page, page_log, kit_server, tmp_path)


@pytest.fixture(scope="session")
def voila_url(voila_server) -> str:
    """Base URL of the session's Voila server, e.g. ``http://127.0.0.1:40123``."""
    return voila_server.url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium via Playwright, shared by the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the dashboard tests need a real browser. "
                    "Install it with `apt-get install chromium`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    try:
        yield browser
    finally:
        with contextlib.suppress(Exception):
            browser.close()
        pw.stop()


@dataclasses.dataclass
class PageLog:
    blocked: list = dataclasses.field(default_factory=list)  # URLs of aborted non-loopback requests
    console_errors: list = dataclasses.field(default_factory=list)  # console.error messages
    page_errors: list = dataclasses.field(default_factory=list)  # uncaught exceptions in the page

    def report(self) -> str:
        def block(title, items):
            return f"{title} ({len(items)}):\n" + "".join(f"  {it}\n" for it in items)

        return (block("blocked outside requests", self.blocked)
                + block("console errors", self.console_errors)
                + block("uncaught page errors", self.page_errors))


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, page_log):
    """A page in a fresh context that can reach only the loopback; see ``page_log``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()

    def only_loopback(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        elif route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            page_log.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.on("console", lambda msg: msg.type == "error" and page_log.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    try:
        yield page
    finally:
        with contextlib.suppress(Exception):
            context.close()


# Signs that the page shows a failure instead of the dashboard. innerText only: the
# strings must be *visible*, not merely present in a script.
ERROR_MARKERS = ["Error displaying widget", "Traceback (most recent call last)",
                 "There was an error when executing cell"]


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
        needed = [url for url in self.log.blocked if not COSMETIC.search(url)]
        if needed:
            self.fail(f"the page tried to fetch from outside the machine: {needed}")

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
