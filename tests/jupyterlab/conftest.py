"""JupyterLab as a student meets it: one ``jupyter lab`` server and one JupyterLab page for the session.

* ``lab_server`` makes a course folder with ``b4b init`` (lessons, released
  exercise sets, case studies, datasets, and the folder's own JupyterLab
  settings: no news pop-up, no update check) in a temporary folder, so runs
  write nothing next to the repository's files, and starts JupyterLab on it
  the way ``b4b lab`` does (``lab_settings.command`` with
  ``lab_settings.environment``), on a free loopback port with a token. The
  user's own Jupyter config, data, runtime, settings, workspaces and IPython
  folders are replaced by temporary ones: they are neither read nor changed.
  Every HTTP(S) request the server or a kernel makes through the standard
  proxy variables goes to a recorder that refuses it (``lab_server.outside``).
* ``lab_app`` loads JupyterLab once in the session's Chromium (shared with the
  Voila tests; only the loopback reachable), as a student keeps one tab open.
* ``lab`` gives a ``LabNotebook`` in that page, with the steps a student takes
  (open, Run All, edit a cell, run it) and what a student would notice
  afterwards (``problems()``). The notebook is closed and its kernel shut down
  when the test ends.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socketserver
import subprocess
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser import ERROR_MARKERS, MATH_JS, TYPESET_REGIONS, PageLog, launch, only_loopback, running_server
from tests.browser import stop as stop_server
from tests.browser import tail as log_tail
from tests.helpers import REPO

START_TIMEOUT = 120  # seconds for JupyterLab to answer HTTP (it builds nothing: the assets are prebuilt)
OPEN_TIMEOUT = 90  # seconds from navigation to a notebook whose kernel is idle
RUN_TIMEOUT = 240  # seconds for Run All of one notebook (lesson 07 makes 10 million events)
SETTLE_TIMEOUT = 30  # seconds for widgets, charts and MathJax to finish drawing after the kernel is idle
SCREENSHOTS = REPO / "build" / "jupyterlab"
MAX_SCREENSHOT_HEIGHT = 16000  # px: a long notebook is cut there rather than making a huge image

# What a student opens, by its path in a course folder (``b4b init``: lessons/, exercises/, cases/).
LESSONS = sorted(f"lessons/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb"))
CASES = sorted(f"cases/{p.name}" for p in (REPO / "notebooks" / "cases").glob("*.ipynb"))
EXERCISES = sorted(f"exercises/{p.name}" for p in (REPO / "exercises").glob("*.ipynb"))


# ---- the recorder of outside requests ----------------------------------------------------------------

class _Refuse(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline(4096).decode("latin-1").strip()
        if line:
            self.server.requests.append(line)
        with contextlib.suppress(OSError):
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class OutsideRecorder(socketserver.ThreadingTCPServer):
    """An HTTP proxy on the loopback that refuses every request and keeps its first line."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Refuse)
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self):
        self.shutdown()
        self.server_close()


# ---- the server ---------------------------------------------------------------------------------------

@dataclasses.dataclass
class LabServer:
    url: str  # base URL, no trailing slash
    token: str
    root: Path  # the course folder the server shows
    log_path: Path
    process: subprocess.Popen
    recorder: OutsideRecorder
    closing: list = dataclasses.field(default_factory=list)  # sessions being shut down in the background
    _shutter: ThreadPoolExecutor = dataclasses.field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))

    @property
    def outside(self) -> list[str]:
        """Requests the server or a kernel tried to send off the machine (through the proxy variables)."""
        return list(self.recorder.requests)

    def tail(self, lines: int = 40) -> str:
        return f"--- last lines of {self.log_path} ---\n{log_tail(self.log_path, lines)}"

    def api(self, method: str, path: str):
        """Call the server's REST API (``path`` after /api/, or from the root if it starts with /); parsed JSON."""
        url = f"{self.url}{path}" if path.startswith("/") else f"{self.url}/api/{path}"
        request = urllib.request.Request(url, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def session(self, path: str) -> dict | None:
        """The server's session of the notebook at ``path`` (with its kernel), if it has one."""
        return next((s for s in self.api("GET", "sessions") if s["path"] == path), None)

    def shut_down_later(self, session: dict) -> None:
        """End a session and its kernel in the background: a kernel takes a second or two to exit."""
        self.closing.append(self._shutter.submit(self.api, "DELETE", f"sessions/{session['id']}"))

    def shut_down_kernels(self) -> None:
        """End every session and kernel (waiting for those already ending)."""
        for future in self.closing:
            with contextlib.suppress(Exception):
                future.result(timeout=60)
        for session in self.api("GET", "sessions"):
            with contextlib.suppress(Exception):
                self.api("DELETE", f"sessions/{session['id']}")
        for kernel in self.api("GET", "kernels"):
            with contextlib.suppress(Exception):
                self.api("DELETE", f"kernels/{kernel['id']}")


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """One JupyterLab server over a ``b4b init`` course folder; stopped with its kernels at the end."""
    from b4b_kit.workflows import course, lab_settings

    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "course"
    course.init(root)  # what `b4b init` writes for a student
    dirs = {name: base / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for folder in dirs.values():
        folder.mkdir()
    recorder = OutsideRecorder()
    token = uuid.uuid4().hex
    env = {**lab_settings.environment(root),  # as `b4b lab`: the course's own .jupyter comes first
           "JUPYTER_CONFIG_DIR": str(dirs["config"]), "JUPYTER_DATA_DIR": str(dirs["data"]),
           "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]), "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
           "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]), "IPYTHONDIR": str(dirs["ipython"]),
           "JUPYTER_PLATFORM_DIRS": "1"}
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env[var] = recorder.url
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"

    def start(log_path: Path, port: int) -> subprocess.Popen:
        cmd = lab_settings.command(root, "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
                                   f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                                   f"--IdentityProvider.token={token}")
        return launch(cmd, log_path, cwd=root, env=env)

    log_path = base / "jupyterlab.log"
    url, proc = running_server("JupyterLab", log_path, start, START_TIMEOUT, probe="/api/status")
    server = LabServer(url=url, token=token, root=root, log_path=log_path, process=proc, recorder=recorder)
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.shut_down_kernels()
        server._shutter.shutdown(wait=False, cancel_futures=True)
        stop_server(proc)
        recorder.close()


class LabApp:
    """The session's one JupyterLab page: loaded once, every notebook opened in it in turn.

    Loading JupyterLab's front end costs seconds of CPU; a student loads it once and
    opens notebook after notebook, and so do the tests. ``log`` is the ``PageLog`` of
    the notebook open at the time (``LabNotebook`` swaps in a fresh one).
    """

    def __init__(self, server: LabServer, browser):
        self.server = server
        self.log = PageLog()
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        only_loopback(self.context, self)  # reads self.log.blocked at each request
        self.page = self.context.new_page()
        self.page.on("console", lambda msg: msg.type == "error" and self.log.console_errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.log.page_errors.append(str(exc)))
        start = time.perf_counter()
        # ?reset: a clean workspace, nothing left open; the token logs the browser in
        self.page.goto(f"{server.url}/lab/workspaces/b4b-tests?reset&token={server.token}",
                       wait_until="domcontentloaded", timeout=OPEN_TIMEOUT * 1000)
        self.page.wait_for_selector(".jp-LauncherCard", timeout=OPEN_TIMEOUT * 1000)
        self.load_time = time.perf_counter() - start

    @property
    def blocked(self) -> list:
        return self.log.blocked

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()


@pytest.fixture(scope="session")
def lab_app(lab_server, browser):
    """JupyterLab loaded once in the session's browser (only the loopback reachable)."""
    app = LabApp(lab_server, browser)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def lab(lab_app):
    """A ``LabNotebook`` in the session's JupyterLab; closed and its kernel shut down at the end of the test."""
    notebook = LabNotebook(lab_app)
    try:
        yield notebook
    finally:
        notebook.close()


# ---- a notebook in JupyterLab -------------------------------------------------------------------------

# JupyterLab's DOM: the cells of the open notebook in order, a code cell's prompt ("[3]:" once run),
# the kernel's state as the notebook toolbar shows it.
CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"
KERNEL_STATE = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator"
# JupyterLab shows an exception and a stderr stream alike, as this output type: a student sees both.
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
# Chart elements and when each counts as drawn: the kit's ChartView (SVG drawn in the kernel), a static
# SVG output (an <img> with an SVG data URL, or inline <svg>), a vega-embed view (JupyterChart).
CHARTS_JS = """() => {
    const svgDrawn = svg => !!svg && svg.querySelectorAll('path, rect, line, text, circle').length > 0;
    const charts = [];
    for (const el of document.querySelectorAll('.b4b-chart')) {
        charts.push(['b4b-chart', svgDrawn(el.querySelector('svg'))]);
    }
    for (const el of document.querySelectorAll('.jp-OutputArea-output.jp-RenderedSVG')) {
        const img = el.querySelector('img');
        charts.push(['svg output', img ? img.complete && img.naturalWidth > 0 : svgDrawn(el.querySelector('svg'))]);
    }
    for (const el of document.querySelectorAll('.vega-embed')) {
        charts.push(['vega-embed', svgDrawn(el.querySelector('svg')) || !!el.querySelector('canvas')]);
    }
    return charts;
}"""
# Every widget view output and whether it shows a widget (not a placeholder or an error).
WIDGETS_JS = """() => [...document.querySelectorAll(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']")].map(out => {
    const text = out.textContent;
    const shown = !!out.querySelector('.jupyter-widgets') && !/Error displaying widget|Loading widget/.test(text);
    return [shown, text.slice(0, 300)];
})"""


class LabNotebook:
    """One notebook in JupyterLab, driven through its UI as a student would."""

    def __init__(self, app: LabApp):
        self.app = app
        self.server = app.server
        self.page = app.page
        self.log = app.log = PageLog()  # what the page does from now on is this notebook's doing
        self.path: str | None = None
        self.cells: list[dict] = []
        self.timings: dict[str, float] = {}
        self._outside_before = len(self.server.outside)

    # -- what a student does --

    def open(self, path: str) -> None:
        """File > Open from Path… ``path`` (relative to the course folder); wait for its kernel to be idle."""
        self.path = path
        self.cells = json.loads((self.server.root / path).read_text(encoding="utf-8"))["cells"]
        start = time.perf_counter()
        self._menu("File", "filebrowser:open-path")
        field = self.page.locator(".jp-Dialog input")
        field.fill(path)
        field.press("Enter")
        self._wait(f"""() => document.querySelectorAll({CELLS!r}).length === {len(self.cells)}
            && (document.querySelector({KERNEL_STATE!r}) || {{dataset: {{}}}}).dataset.status === 'idle'
            && [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /\\| Idle$/.test(e.textContent))""",
                   f"{path} to open with its kernel idle", OPEN_TIMEOUT)
        self.timings["open"] = time.perf_counter() - start

    def run_all(self) -> None:
        """Run > Run All Cells, then wait until nothing is queued and the kernel is idle again.

        Done means every code cell has its execution count, or a cell failed (JupyterLab then
        un-queues the cells below it, and ``problems`` lists the error and the cells that never ran).
        """
        start = time.perf_counter()
        self._menu("Run", "runmenu:run-all")
        self._wait(f"""() => {{
            const prompts = [...document.querySelectorAll({CELLS!r} + '.jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent.trim());
            const failed = document.querySelector({STDERR!r});
            return prompts.length === {sum(c['cell_type'] == 'code' for c in self.cells)}
                && !prompts.includes('[*]:')
                && (prompts.every(p => /^\\[\\d+\\]:$/.test(p)) || failed)
                && document.querySelector({KERNEL_STATE!r}).dataset.status === 'idle';
        }}""", f"every cell of {self.path} to run", RUN_TIMEOUT)
        self.timings["run"] = time.perf_counter() - start
        self.settle()

    def settle(self) -> None:
        """Wait (at most ``SETTLE_TIMEOUT``) for widget views, charts and typesetting to finish drawing."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            widgets = self.page.evaluate(WIDGETS_JS)
            charts = self.page.evaluate(CHARTS_JS)
            if all(shown for shown, _ in widgets) and all(drawn for _, drawn in charts):
                break
            self.page.wait_for_timeout(100)
        # no wait for MathJax: ``problems`` reads text about to be typeset as well as what was typeset

    def cell(self, index: int):
        return self.page.locator(CELLS).nth(index)

    def code_cell_index(self, needle: str) -> int:
        """Index of the only code cell whose source contains ``needle``."""
        found = [i for i, c in enumerate(self.cells) if c["cell_type"] == "code" and needle in "".join(c["source"])]
        assert len(found) == 1, f"{needle!r} is in {len(found)} code cells of {self.path}"
        return found[0]

    def type_and_run(self, index: int, code: str, timeout: float = 60) -> None:
        """Replace the source of cell ``index`` with ``code`` by typing, run it with Shift+Enter, wait for it."""
        start = time.perf_counter()
        cell = self.cell(index)
        prompt = cell.locator(".jp-InputPrompt")
        before = prompt.text_content().strip()
        editor = cell.locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(code)
        typed = editor.inner_text()
        assert typed.strip() == code.strip(), f"the cell reads {typed!r} after typing {code!r}"
        self.page.keyboard.press("Shift+Enter")
        self._wait(f"""() => {{
            const p = document.querySelectorAll({CELLS!r})[{index}].querySelector('.jp-InputPrompt').textContent.trim();
            return /^\\[\\d+\\]:$/.test(p) && p !== {before!r}
                && document.querySelector({KERNEL_STATE!r}).dataset.status === 'idle';
        }}""", f"cell {index} of {self.path} to run again", timeout)
        self.settle()
        self.timings["typing and running"] = self.timings.get("typing and running", 0) + time.perf_counter() - start

    # -- what a student notices --

    def problems(self, need_chart: bool = False) -> list[str]:
        """Everything wrong that a student would see, one line each (empty when the notebook is fine).

        A markdown cell tagged ``math`` means its formulas; anywhere else typeset math is a fault.
        """
        found = []
        for index, text in self.page.evaluate(f"""() => [...document.querySelectorAll({CELLS!r})].flatMap((c, i) =>
                [...c.querySelectorAll({STDERR!r})].map(o => [i, o.textContent.slice(0, 600)]))"""):
            found.append(f"cell {index} shows an error or warning: {text!r}")
        not_run = self.page.evaluate(f"""() => [...document.querySelectorAll({CELLS!r})].flatMap((c, i) =>
            c.classList.contains('jp-CodeCell')
            && !/^\\[\\d+\\]:$/.test(c.querySelector('.jp-InputPrompt').textContent.trim()) ? [i] : [])""")
        if not_run:
            found.append(f"cells that never ran: {not_run}")
        # the other outputs must not show a failure either (a traceback printed, a widget that failed)
        text = "\n".join(self.page.locator(f"{CELLS} .jp-OutputArea-output:not([data-mime-type="
                                            "'application/vnd.jupyter.stderr'])").all_text_contents())
        for marker in ERROR_MARKERS:
            if marker in text:
                at = text.index(marker)
                found.append(f"the notebook shows {marker!r}: {text[max(0, at - 200):at + 400]!r}")
        for shown, widget_text in self.page.evaluate(WIDGETS_JS):
            if not shown:
                found.append(f"a widget view did not render: {widget_text!r}")
        charts = self.page.evaluate(CHARTS_JS)
        for kind, drawn in charts:
            if not drawn:
                found.append(f"a chart ({kind}) is empty")
        if need_chart and not charts:
            found.append("no chart at all")
        # mark the cells that mean math, so that their formulas are not counted
        math_cells = [i for i, c in enumerate(self.cells) if "math" in c.get("metadata", {}).get("tags", [])]
        self.page.evaluate(f"""() => document.querySelectorAll({CELLS!r}).forEach((c, i) => {{
            if ({math_cells!r}.includes(i)) c.dataset.b4bMath = 'yes'; }})""")
        regions = ", ".join(f"{CELLS}:not([data-b4b-math]) {region}" for region in TYPESET_REGIONS)
        for region, math in self.page.evaluate(MATH_JS, regions):
            found.append(f"text typeset as math: {math!r} in {region[:160]!r}")
        if self.log.blocked:
            found.append(f"the page asked for things outside the machine: {self.log.blocked}")
        outside = self.server.outside[self._outside_before:]
        if outside:
            found.append(f"the server or a kernel tried to reach outside the machine: {outside}")
        if self.log.page_errors:
            found.append(f"uncaught errors in the page: {self.log.page_errors}")
        toasts = self.page.locator(".Toastify__toast").all_inner_texts()
        if toasts:
            found.append(f"pop-up notifications: {toasts}")
        state = self.page.locator(KERNEL_STATE).get_attribute("data-status")
        session = self.server.session(self.path)
        server_state = session["kernel"]["execution_state"] if session and session.get("kernel") else None
        if state != "idle" or server_state != "idle":
            found.append(f"the kernel is not idle at the end: notebook shows {state!r}, server says {server_state!r}")
        return found

    def assert_nothing_wrong(self, need_chart: bool = False, screenshot: bool = True) -> None:
        """Keep a screenshot (unless told not to), print the timings, and fail listing ``problems()`` if any.

        A failure always keeps its screenshot (``fail``).
        """
        start = time.perf_counter()
        problems = self.problems(need_chart=need_chart)
        self.timings["reading"] = time.perf_counter() - start
        shot = None
        if screenshot:
            start = time.perf_counter()
            shot = self.screenshot()
            self.timings["screenshot"] = time.perf_counter() - start
        times = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in self.timings.items())
        print(f"\n{self.path}: {times}; screenshot {shot}")
        if problems:
            self.fail(f"{len(problems)} thing(s) a student would notice:\n- " + "\n- ".join(problems))

    def screenshot(self) -> Path:
        """The whole notebook as one picture, in build/jupyterlab/<folder>/<name>.png.

        JupyterLab scrolls inside its own panel, so the page is made as tall as the
        notebook, scrolled to its top, and cut below the last cell.
        """
        path = SCREENSHOTS / Path(self.path).with_suffix(".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        viewport = self.page.viewport_size
        scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"  # the notebook's scrolling box
        height, inner = self.page.evaluate(f"""() => {{
            const scroller = document.querySelector({scroller!r});
            return [scroller.scrollHeight + (window.innerHeight - scroller.clientHeight), scroller.clientHeight];
        }}""")
        height = min(height, MAX_SCREENSHOT_HEIGHT)
        try:
            if height > viewport["height"]:
                self.page.set_viewport_size({"width": viewport["width"], "height": height})
                # JupyterLab lays its panels out again a frame or two after the window grows
                with contextlib.suppress(Exception):  # a picture cut short is better than none
                    self.page.wait_for_function(
                        f"() => document.querySelector({scroller!r}).clientHeight > {inner}", timeout=5_000)
            bottom = self.page.evaluate(f"""async () => {{
                document.querySelector({scroller!r}).scrollTop = 0;
                await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
                const cells = document.querySelectorAll({CELLS!r});
                return cells[cells.length - 1].getBoundingClientRect().bottom;
            }}""")
            size = self.page.viewport_size
            self.page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": size["width"],
                                                       "height": max(200, min(bottom + 40, size["height"]))})
        finally:
            self.page.set_viewport_size(viewport)
        return path

    def fail(self, message: str):
        shot = self.screenshot()  # the notebook as it was when the test failed
        console = "".join(f"\n  {line[:300]}" for line in self.log.console_errors[:10])
        pytest.fail(f"{message}\nnotebook: {self.path}\nscreenshot: {shot}\nconsole errors:{console}\n"
                    f"{self.server.tail()}", pytrace=False)

    def close(self) -> None:
        """File > Close Tab, "Discard" the run's outputs; its kernel is shut down in the background.

        Fails the test if the notebook stays open: the next one would be read in its company.
        """
        if self.path is None:
            return
        start = time.perf_counter()
        session = self.server.session(self.path)
        try:
            self._menu("File", "application:close")
            # a notebook that ran has unsaved outputs: JupyterLab asks "Save your work?" first
            closed_or_asked = self.page.wait_for_selector(".jp-Dialog, body:not(:has(.jp-NotebookPanel))",
                                                          timeout=10_000)
            if closed_or_asked.evaluate("el => el.classList.contains('jp-Dialog')"):
                self.page.locator(".jp-Dialog .jp-Dialog-button", has_text="Discard").click()
            self.page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=30_000)
        finally:
            if session:
                self.server.shut_down_later(session)
        self.timings["close"] = time.perf_counter() - start

    def _menu(self, menu: str, command: str) -> None:
        self.page.click(f"div.lm-MenuBar-itemLabel:text-is({menu!r})")
        self.page.click(f"li.lm-Menu-item[data-command={command!r}]")

    def _wait(self, predicate: str, what: str, timeout: float) -> None:
        try:
            self.page.wait_for_function(predicate, polling=100, timeout=timeout * 1000)
        except Exception as exc:  # playwright TimeoutError, or the page crashed
            problem = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        else:
            return
        self.fail(f"timed out after {timeout:.0f} s waiting for {what} ({problem})")
