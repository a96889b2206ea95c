"""What every real-browser test shares: Chromium, loopback-only pages, servers started and stopped.

The fixtures ``browser``, ``page_log`` and ``page`` are defined here and made
visible to every test by ``tests/conftest.py``, so the Voila dashboards and the
JupyterLab notebooks run in ONE headless Chromium per test session.

* ``browser`` is Debian's ``/usr/bin/chromium`` driven by Playwright. A missing
  Chromium is a failure, never a skip: a browser test that silently does not
  run proves nothing.
* ``page`` is a fresh browser context whose requests to any host other than
  the loopback are aborted; ``page_log`` records what was blocked and what the
  browser reported as errors.
* ``launch``, ``stop`` and ``running_server`` start a server process (Voila,
  ``b4b serve``, ``jupyter lab``) on a free loopback port, wait for it to
  answer, and stop it with every kernel it started.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Outside requests that may fail without harming a page: the lab template's icon fonts and their CSS.
COSMETIC = re.compile(r"fontawesome|\.(woff2?|ttf|otf|eot)(\?|$)|fonts\.(googleapis|gstatic)\.com")
STOP_TIMEOUT = 20  # seconds for a server to shut its kernels down after SIGTERM

# Signs that a page shows a failure instead of its content. innerText only: the
# strings must be *visible*, not merely present in a script.
ERROR_MARKERS = ["Error displaying widget", "Traceback (most recent call last)",
                 "There was an error when executing cell"]

# Where MathJax typesets in JupyterLab and Voila: markdown cells, HTML/markdown/LaTeX outputs, and the
# widgets that typeset their text (Label, HTMLMath, every control's description). ipywidgets' HTML never does.
TYPESET_REGIONS = [
    ".jp-RenderedMarkdown",
    ".jp-OutputArea-output[data-mime-type='text/html']",
    ".jp-OutputArea-output[data-mime-type='text/markdown']",
    ".jp-OutputArea-output[data-mime-type='text/latex']",
    ".widget-label", ".widget-label-basic", ".widget-htmlmath",
]

# What a reader sees typeset as math in the regions matching the selector (the argument): formulas MathJax
# has drawn (mjx-container), and text it is about to draw. MathJax 3 joins adjacent text nodes (and <br>,
# <wbr>, comments) into one string and starts a new string at every other element; inside a string an
# unescaped `$` opens math and the next one closes it; code and scripts are never read. Reading the text
# too makes the check independent of when MathJax gets round to a cell. Returns [region text, math] pairs.
MATH_JS = r"""(selector) => {
    const skip = new Set(['SCRIPT', 'NOSCRIPT', 'STYLE', 'TEXTAREA', 'PRE', 'CODE', 'ANNOTATION',
                          'ANNOTATION-XML', 'MJX-CONTAINER', 'SVG']);
    const found = [];
    const scan = (text, region) => {
        const dollars = [];
        for (let i = 0; i < text.length; i++) {
            if (text[i] === '\\') { i++; continue; }  // processEscapes: \$ is a dollar, not a delimiter
            if (text[i] === '$') dollars.push(i);
        }
        for (let k = 0; k + 1 < dollars.length; k += 2) {
            found.push([region.textContent.slice(0, 300), text.slice(dollars[k], dollars[k + 1] + 1)]);
        }
    };
    const walk = (node, region) => {
        let run = '';
        for (const child of node.childNodes) {
            if (child.nodeType === Node.TEXT_NODE) { run += child.nodeValue; continue; }
            if (child.nodeType !== Node.ELEMENT_NODE) continue;
            const tag = child.tagName.toUpperCase();
            if (tag === 'BR') { run += '\n'; continue; }
            if (tag === 'WBR') continue;
            scan(run, region);
            run = '';
            if (!skip.has(tag)) walk(child, region);
        }
        scan(run, region);
    };
    const regions = [...document.querySelectorAll(selector)];
    for (const region of regions) {
        if (regions.some(outer => outer !== region && outer.contains(region))) continue;  // read once
        for (const math of region.querySelectorAll('mjx-container')) {
            const mml = math.querySelector('mjx-assistive-mml');
            found.push([region.textContent.slice(0, 300), 'typeset: ' + (mml || math).textContent.slice(0, 80)]);
        }
        walk(region, region);
    }
    return found;
}"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no server log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def answers(url: str) -> bool:
    """Whether anything answers HTTP at ``url`` (any status counts)."""
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
    """A server's child processes (kernels run in their own sessions, so killpg misses them)."""
    try:
        import psutil  # a dependency of ipykernel
    except ImportError:
        return []
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started by :func:`launch`, and every process it started."""
    children = _descendants(proc.pid)
    if proc.poll() is None:
        # SIGTERM makes Voila and Jupyter Server stop their loop and shut down all kernels they started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the server's own process group
    if children:
        import psutil

        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        psutil.wait_procs(children, timeout=10)


def launch(cmd: list[str], log_path: Path, cwd: Path, env: dict | None = None) -> subprocess.Popen:
    """Start ``cmd`` in its own process group, its output appended to ``log_path``."""
    env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as log:
        log.write(f"$ {' '.join(cmd)}\n".encode())
        log.flush()
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def running_server(name: str, log_path: Path, start, start_timeout: float,
                   probe: str = "/") -> tuple[str, subprocess.Popen]:
    """Start a server with ``start(log_path, port)`` until one answers; returns its base URL and process.

    Fails the test (never skips) with the end of the server's log if it does not answer in time.
    """
    proc = None
    for _attempt in range(3):  # the free port can be taken between probe and bind; retry then
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start(log_path, port)
        deadline = time.monotonic() + start_timeout
        answered = False
        # Ask once per turn and keep the answer: a server busy pre-heating seven lessons can answer
        # one request and let the next one time out, and a second check then stopped a good server.
        while proc.poll() is None and time.monotonic() < deadline and not answered:
            answered = answers(url + probe)
            if not answered:
                time.sleep(0.25)
        if answered and proc.poll() is None:
            return url, proc
        exited = proc.poll() is not None
        stop(proc)
        if exited and "already in use" in tail(log_path, 20):
            continue
        pytest.fail(f"{name} did not answer on {url} within {start_timeout:.0f} s "
                    f"(exit code {proc.returncode}).\n{tail(log_path)}", pytrace=False)
    pytest.fail(f"{name} could not bind a free port in 3 attempts.\n{tail(log_path)}", pytrace=False)


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

    def needed_from_outside(self) -> list[str]:
        """Blocked requests other than icon fonts (which no page here needs)."""
        return [url for url in self.blocked if not COSMETIC.search(url)]


def only_loopback(context, log: PageLog) -> None:
    """Abort every request of a browser context that would leave the machine, and log it."""
    def route(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    context.route("**/*", route)


def watch(page, log: PageLog) -> None:
    """Record the page's console errors and uncaught exceptions in ``log``."""
    page.on("console", lambda msg: msg.type == "error" and log.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium via Playwright, shared by the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need a real browser. "
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


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, page_log):
    """A page in a fresh context that can reach only the loopback; see ``page_log``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    only_loopback(context, page_log)
    page = context.new_page()
    watch(page, page_log)
    try:
        yield page
    finally:
        with contextlib.suppress(Exception):
            context.close()
