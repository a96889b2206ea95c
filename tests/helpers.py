"""What many tests share: repository paths, the rows a chart was given, servers a test starts, text checks."""

import ast
import contextlib
import json
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

import psutil
import pytest

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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, dict, str]:
    """Status, headers and body of a GET, without proxies (an http_proxy must not swallow loopback requests).

    An HTTP error status is returned like any other; a refused connection raises ``OSError``.
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def wait_until_answers(url: str, proc, timeout: float, log=None) -> None:
    """Poll ``url`` until any HTTP status comes back; fail with the log's tail if ``proc`` exits or time runs out."""
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


class ClassServer:
    """``b4b serve`` with class options, started by a test; its state read from ``/b4b/class``."""

    LESSON = "01_supplier_levels.ipynb"

    def __init__(self, log, extra=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen([str(B4B), "serve", f"--port={self.port}", *extra], stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.stopped = False

    def status(self) -> dict:
        code, _, body = http_get(f"{self.url}/b4b/class", timeout=30)
        assert code == 200, body
        return json.loads(body)

    def wait(self, what, predicate, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.status()
            if predicate(state):
                return state
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}: {self.status()}\n{self.tail()}")

    def pool_full(self, state) -> bool:
        pool = state["pools"].get(self.LESSON)
        return pool is not None and pool["ready"] >= pool["target"]

    def no_viewers(self):
        """Kill every viewer's kernel; wait until the watcher dropped them and the pool is full again."""
        for pid in self.status()["viewer_kernels"].values():
            with contextlib.suppress(ProcessLookupError, TypeError):
                os.kill(pid, signal.SIGKILL)
        return self.wait("no viewers and a full pool", lambda s: s["viewers"] == 0 and self.pool_full(s))

    def page(self, timeout=120):
        return http_get(f"{self.url}/voila/render/{self.LESSON}", timeout=timeout)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self):
        if not self.stopped:
            self.stopped = True
            stop_server(self.proc)

    @classmethod
    @contextlib.contextmanager
    def ready(cls, log, extra=()):
        """A class server that answers and has filled its class pool; stopped on leaving."""
        srv = cls(log, extra)
        try:
            wait_until_answers(srv.url + "/", srv.proc, timeout=180, log=srv.log)
            srv.wait("the class pool", srv.pool_full)
            yield srv
        finally:
            srv.stop()


def student_version(bank: str | Path, answers: dict | None = None, *, cells: list[str] = (), at: int | None = None):
    """The released notebook of an exercise set with answers typed in, as a student would hand it in.

    ``bank`` names one of the kit's sets (its student version in ``exercises/``) or is the path of a
    source notebook, released here as ``b4b exercises release`` does. ``answers`` maps a question to the
    source text of its answer (``{"q1": "2", "q3": "'matched'"}``); ``cells`` are code cells added at
    position ``at`` (default: the end).
    """
    import nbformat

    if isinstance(bank, Path):
        from b4b_kit.workflows import grading

        nb = nbformat.from_dict(grading.release_notebook(nbformat.read(bank, as_version=4)))
    else:
        nb = nbformat.read(REPO / "exercises" / f"{bank}.ipynb", as_version=4)
    for qid, text in (answers or {}).items():
        (cell,) = [c for c in nb.cells if f"answer_{qid} = None" in c.source]
        cell.source = cell.source.replace(f"answer_{qid} = None", f"answer_{qid} = {text}")
    new = [nbformat.v4.new_code_cell(source) for source in cells]
    position = len(nb.cells) if at is None else at
    nb.cells[position:position] = new
    return nb


def cell_index(nb, text: str) -> int:
    """The position of the one cell of ``nb`` whose source holds ``text`` (where a question sits in a set)."""
    (index,) = [i for i, c in enumerate(nb["cells"]) if text in c["source"]]
    return index


def hand_in(root: Path, student: str, nb, name: str = "01_supplier_levels.ipynb") -> Path:
    """Write a submission where graders look for it: ``root/student/name``."""
    import nbformat

    (root / student).mkdir(parents=True, exist_ok=True)
    path = root / student / name
    if isinstance(nb, bytes | str):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        nbformat.write(nb, path)
    return path


def grading_limits():
    """The limits the grading tests run with: the defaults, with times and sizes small enough for a test suite."""
    from b4b_kit.workflows.sandbox import KIB, MIB, Limits

    return Limits(cell_time=5, wall=90, processes=128, file_size=16 * MIB, output=256 * KIB, cells=1000)


# The grading tests' own exercise set: a source with four questions and its bank, beside it in
# tests/data/grading/. Hostile submissions are built from it, so their expected rows stay put
# when the kit's exercise sets are rewritten.
PROBE = DATA / "grading" / "90_grading_probe.ipynb"


@contextlib.contextmanager
def probe_banks():
    """While it lasts, the grader's question banks are those beside ``PROBE`` instead of the kit's.

    The grader then loads the probe set's bank exactly as it loads the kit's; give it
    ``source=PROBE.parent`` for the probe's locked cells. The sandboxed kernel still sees
    only the kit's banks, which is why the probe's notebook has no ``ex.check`` cells.
    """
    from b4b_kit.workflows import exercises

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exercises, "DATA_DIR", PROBE.parent)
        exercises.load.cache_clear()
        try:
            yield
        finally:
            exercises.load.cache_clear()  # no probe set left in the cache for tests that follow


# A class's honest answers to exercise set 01, typed by hand (computed where a student would compute).
BY_HAND = {"q1": "2", "q2": "'Level 4'", "q3": "'under_served'", "q4": "'automated_platform'",
           "q5": "round(0.9 * (1 - 0.3), 2)", "q6": "400 + 7 * 400", "q7": "'high_volume_and_no_friction'",
           "q8": "'control_of_service_quality'", "q9": "'important_but_not_enough'", "q10": "'pricing_walls'",
           "q11": "'the_remote_tuning'", "q12": "'industrialised_domain_expertise'", "q13": "'n_of_many'",
           "q14": "'one_level_per_market'", "q15": "5.1"}
# A student who answers q1 right, q5 one whole unit off (wrong), and leaves the rest.
BOB = {"q1": BY_HAND["q1"], "q5": f"({BY_HAND['q5']}) + 1"}


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[^\S\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def dollar_math(markdown: str) -> list[str]:
    """The pieces of a markdown text that JupyterLab, Voila and MathJax would typeset as inline math.

    Two ``$`` in one block (paragraph, or list running on without a blank line) open and
    close math, escaped or not: JupyterLab 4.6 pairs them in the source before markdown
    runs, and MathJax pairs what markdown left. Code spans and fenced code are left alone.
    """
    text = _CODE_SPAN.sub("", _FENCE.sub("", markdown))
    found = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        dollars = [m.start() for m in re.finditer(r"\$", block)]
        found += [block[a:b + 1] for a, b in zip(dollars[::2], dollars[1::2])]
    return found


def solutions(bank: str) -> dict[str, object]:
    """The right answers written in ``exercises/source/<bank>.ipynb``, by question id (``answer_q1`` -> q1)."""
    nb = json.loads((REPO / "exercises" / "source" / f"{bank}.ipynb").read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        for block in re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", source, re.S):
            for node in ast.parse(block).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    name = node.targets[0].id
                    if name.startswith("answer_"):
                        found[name.removeprefix("answer_")] = ast.literal_eval(node.value)
    return found


def readable_in_student_files(bank: str, texts) -> list[str]:
    """Those of ``texts`` a student can read in the released notebook's cells or in the installed bank.

    A text that starts or ends with a letter or digit counts only as a whole token: "0.3" is not
    found in "0.35" or "10.3".
    """
    nb = json.loads((REPO / "exercises" / f"{bank}.ipynb").read_text(encoding="utf-8"))
    cells = "\n".join("".join(c["source"]) for c in nb["cells"])
    bank_text = (REPO / "b4b_kit" / "exercise_data" / f"{bank}.yaml").read_text(encoding="utf-8")

    def pattern(t):
        return (r"(?<![\w.])" if t[:1].isalnum() else "") + re.escape(t) + (r"(?!\w)" if t[-1:].isalnum() else "")

    return [t for t in texts if re.search(pattern(t), cells) or re.search(pattern(t), bank_text)]
