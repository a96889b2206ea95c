"""A fresh, limited place to run one student's code: bubblewrap where it works, resource limits always.

Each submission gets its own sandbox, made for it and gone after it:

* **bubblewrap** (Debian's ``bwrap``, ``apt-get install bubblewrap``): a new
  mount, process, network, IPC and host-name namespace. The sandbox sees the
  system and Python read-only, the kit's package and datasets read-only, and
  two small empty writable folders of its own (``/home/student``, where the
  copy of the submission sits, and ``/tmp``). Nothing else: no other
  submission, no gradebook, no instructor file, no network. When the sandbox
  ends, every process in it ends too.
* **resource limits** (:class:`Limits`), set inside the sandbox on the
  submission's processes: address space (memory), CPU seconds, number of
  processes and threads, size of a file written; the grader adds the time per
  cell, the time per submission and the output it keeps.

Run as root, the code inside runs as the unprivileged user 65534 in a user
namespace of its own: root is exempt from the process limit, and the
namespace makes the count this sandbox's alone, so one submission's process
flood does not eat another's allowance.

Without a working ``bwrap`` the submission runs in a temporary folder on the
host, with the same limits, and the grader says so once (:func:`mode`).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path

from ..errors import B4BError

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30
NOBODY = 65534  # the unprivileged user the code runs as when the grader is root
HOME = "/home/student"


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Sizes in bytes, times in seconds.

    Examples
    --------
    >>> Limits().label("memory"), Limits().label("cell_time")
    ('memory 2 GiB', 'cell time 60 s')
    >>> Limits.parse(["memory=512MiB", "processes=64"]).memory // MIB
    512
    """

    cell_time: float = 60.0  # one cell, then it is interrupted
    wall: float = 600.0  # one submission, start to end, then the sandbox is killed
    memory: int = 2 * GIB  # address space of each process (RLIMIT_AS)
    cpu: int = 300  # CPU seconds of each process (RLIMIT_CPU)
    processes: int = 256  # processes and threads in the sandbox (RLIMIT_NPROC)
    file_size: int = 64 * MIB  # largest file written (RLIMIT_FSIZE); also each writable folder's size
    output: int = 1 * MIB  # output kept per submission; the rest is dropped
    notebook: int = 32 * MIB  # largest submitted file read
    cells: int = 2000  # code cells run per submission; the rest are not

    _SIZES = ("memory", "file_size", "output", "notebook")

    def label(self, name: str) -> str:
        """How a gradebook row names a limit: ``'memory 2 GiB'``."""
        value = getattr(self, name)
        text = _size(value) if name in self._SIZES else str(value) if name in ("processes", "cells") else f"{value:g} s"
        return f"{name.replace('_', ' ')} {text}"

    @classmethod
    def parse(cls, specs: list[str], base: Limits | None = None) -> Limits:
        """Limits from ``NAME=VALUE`` texts (``memory=4GiB``, ``cell_time=30``)."""
        base = base or cls()
        names = [f.name for f in fields(cls)]
        changes = {}
        for spec in specs:
            name, _, value = spec.partition("=")
            name = name.strip().replace("-", "_")
            if name not in names or not value.strip():
                raise B4BError(f"unknown limit {spec!r}", where="--limit",
                               fix=f"Write NAME=VALUE with NAME one of {', '.join(names)}.")
            try:
                number = float(value) if name in ("cell_time", "wall") else int(value) if name not in cls._SIZES else 0
                changes[name] = _parse_size(value) if name in cls._SIZES else number
            except ValueError:
                raise B4BError(f"cannot read the value of {spec!r}", where="--limit",
                               fix="Sizes like 512MiB or 2GiB, times in seconds, processes as a count.") from None
            if changes[name] <= 0:
                raise B4BError(f"limit {name} must be positive", where="--limit", fix="Give a value above 0.")
        return replace(base, **changes)


def _size(n: int) -> str:
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMG]i?B?|B?)\s*", text, re.IGNORECASE)
    if not m:
        raise ValueError(text)
    unit = m.group(2).upper()[:1]
    return int(float(m.group(1)) * {"K": KIB, "M": MIB, "G": GIB}.get(unit, 1))


# ---- which sandbox -------------------------------------------------------------------------------

@cache
def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can make namespaces here."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    probe = [bwrap, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--unshare-ipc", "true"]
    if os.geteuid() != 0:
        probe.insert(1, "--unshare-user")
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def mode(requested: str = "auto") -> str:
    """``'bwrap'`` or ``'none'``: the sandbox a grading run uses (``requested``: auto, bwrap or none)."""
    if requested not in ("auto", "bwrap", "none"):
        raise B4BError(f"unknown sandbox {requested!r}", fix="Use auto, bwrap or none.")
    if requested == "none":
        return "none"
    if bwrap_works():
        return "bwrap"
    if requested == "bwrap":
        raise B4BError("bubblewrap (bwrap) is not installed or cannot create namespaces here",
                       fix="Install it (Debian/Ubuntu: apt-get install bubblewrap), or grade with sandbox='auto'.")
    return "none"


WITHOUT_BWRAP = ("bubblewrap (bwrap) is not available: each submission runs in a temporary folder on this "
                 "machine, where it can read your files and use the network. CPU, memory, process and file "
                 "limits still apply. Install it for a real sandbox: apt-get install bubblewrap")


# ---- what runs inside ----------------------------------------------------------------------------

# Runs first in the sandbox (a bare interpreter, nothing imported): become unprivileged, limit, then exec.
_ENTER = r"""
import ctypes, json, os, resource, sys
plan = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
unlimited = []
if os.getuid() == 0 and plan["uid"] is not None:
    os.setgroups([]); os.setgid(plan["uid"]); os.setuid(plan["uid"])
if plan["userns"]:
    # a user namespace of its own: the process limit then counts this sandbox's processes alone
    uid, gid = os.getuid(), os.getgid()
    libc.prctl(4, 1, 0, 0, 0)  # dumpable again after setuid, or /proc/self/uid_map stays root's
    if libc.unshare(0x10000000) != 0:
        unlimited.append("processes")  # the count would include the user's other processes
    else:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
if os.getuid() == 0 and not unlimited:
    unlimited.append("processes")  # root is exempt from the process limit
for name, (soft, hard) in plan["rlimits"].items():
    if not (name == "RLIMIT_NPROC" and unlimited):
        resource.setrlimit(getattr(resource, name), (soft, hard))
os.environ["B4B_UNLIMITED"] = ",".join(unlimited)
os.execv(sys.argv[2], sys.argv[2:])
"""


def _rlimits(limits: Limits) -> dict:
    return {"RLIMIT_AS": (limits.memory, limits.memory),
            "RLIMIT_CPU": (int(limits.cpu), int(limits.cpu) + 5),  # SIGXCPU first, SIGKILL 5 s later
            "RLIMIT_NPROC": (limits.processes, limits.processes),
            "RLIMIT_FSIZE": (limits.file_size, limits.file_size),
            "RLIMIT_CORE": (0, 0)}


def _environment(home: str, tmp: str) -> dict:
    venv_bin = str(Path(sys.executable).parent)
    from .. import resources

    kit_parent = str(Path(resources.exercise_banks()).resolve().parent.parent)
    return {
        "PYTHONPATH": kit_parent,  # the kit the grader runs, however it was installed
        "HOME": home, "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8", "TMPDIR": tmp,
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        # one thread per numeric library and two malloc arenas: the address-space limit then means memory
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "IPYTHONDIR": f"{tmp}/.ipython", "JUPYTER_RUNTIME_DIR": f"{tmp}/.jupyter", "MPLCONFIGDIR": f"{tmp}/.mpl",
        "B4B_CACHE": f"{tmp}/.cache",
    }


@cache
def _python_paths() -> tuple[str, ...]:
    """The folders a fresh interpreter of this Python reads: prefixes, import paths, the kit itself."""
    probe = subprocess.run([sys.executable, "-I", "-c", "import json, sys; print(json.dumps(sys.path))"],
                           capture_output=True, text=True, timeout=60)
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parent.parent)}
    if probe.returncode == 0:
        paths.update(p for p in json.loads(probe.stdout) if p.startswith("/"))
    from .. import resources

    paths.add(str(Path(resources.exercise_banks()).resolve().parent))  # the kit's package (editable or not)
    paths.add(str(Path(resources.datasets()).resolve()))  # data a notebook may load
    found = sorted(p for p in (str(Path(p).resolve()) for p in paths) if Path(p).exists())
    return tuple(p for p in found if not any(p != q and p.startswith(q + "/") for q in found))


def _installed_under_tmp() -> bool:
    """Whether this Python or the kit lives under ``/tmp`` (a clone or a virtual environment there)."""
    return any(p == "/tmp" or p.startswith("/tmp/") for p in _python_paths())


def _hidden_inside(bound: tuple[str, ...], hide: list[Path]) -> list[str]:
    """Of the paths to hide, those a bound folder would show: they get an empty folder laid over them."""
    from .. import resources

    candidates = [Path(resources.exercises()), *hide]  # the exercise sources hold the solutions
    found = set()
    for path in candidates:
        try:
            real = str(path.resolve())
        except OSError:
            continue
        if Path(real).is_dir() and any(real == q or real.startswith(q + "/") for q in bound):
            found.add(real)
    # a folder inside another hidden one is hidden already (and could not be mounted on in a read-only one)
    return sorted(p for p in found if not any(p != q and p.startswith(q + "/") for q in found))


def _bwrap_command(inner: list[str], limits: Limits, hide: list[Path]) -> list[str]:
    root = os.geteuid() == 0
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    # as root: keep only what it takes to become user 65534 (the first thing _ENTER does)
    argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"] if root else ["--unshare-user"]
    made: set[str] = {"/"}

    def parents(path: str) -> list[str]:
        out = []
        parts = Path(path).parts[1:-1]
        for i in range(len(parts)):
            folder = "/" + "/".join(parts[:i + 1])
            if folder not in made:
                made.add(folder)
                out += ["--perms", "0755", "--dir", folder]
        return out

    # the sandbox's own /tmp first, so that a Python or kit installed under /tmp (a clone or a venv
    # there) is bound on top of it below, instead of being covered by it
    argv += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(limits.file_size), "--perms", "1777", "--tmpfs", "/tmp"]
    made.update({"/proc", "/dev", "/tmp"})
    argv += ["--ro-bind", "/usr", "/usr"]
    made.add("/usr")
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            argv += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            argv += ["--ro-bind", top, top]
        made.add(top)
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "mime.types"):
        argv += parents(f"/etc/{name}") + ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    bound = _python_paths()
    for path in bound:
        if not path.startswith(("/usr/", "/bin/", "/lib")):
            argv += parents(path) + ["--ro-bind", path, path]
            made.add(path)
    for path in _hidden_inside(bound, hide):
        argv += ["--tmpfs", path, "--remount-ro", path]
    argv += parents(HOME) + ["--size", str(limits.file_size), "--perms", "0777", "--tmpfs", HOME]
    argv += ["--chdir", HOME, "--clearenv"]
    for key, value in _environment(HOME, "/tmp").items():
        argv += ["--setenv", key, value]
    return argv + inner


def _can_drop_to_nobody() -> bool:
    """Without bwrap, as root: whether user 65534 can read this Python and the kit (every folder on the way)."""
    for path in (*_python_paths(), str(Path(sys.executable).resolve())):
        p = Path(path)
        for folder in [*reversed(p.parents), p]:
            try:
                st = folder.stat()
            except OSError:
                return False
            need = 0o005 if folder.is_dir() else 0o004
            if st.st_mode & need != need:
                return False
    return True


# ---- running jobs --------------------------------------------------------------------------------

@dataclass
class Report:
    """What came back from one job: the runner's lines, and what the grader itself saw."""

    records: list
    timed_out: bool = False  # the wall time ran out: everything was killed
    overflow: bool = False  # the runner said more than the grader reads: everything was killed
    stderr: str = ""


_live: set[_Process] = set()
_live_lock = threading.Lock()


class _Process:
    """A started sandbox process whose standard output is read as JSON lines, with a deadline and a byte budget."""

    def __init__(self, command: list[str], cwd: str | None, env: dict | None, cleanup: str | None = None) -> None:
        self.cleanup = cleanup
        self.pending = b""
        self.stderr = b""
        self.popen = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, cwd=cwd, env=env, start_new_session=True)
        with _live_lock:
            _live.add(self)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def send(self, data: bytes) -> bool:
        try:
            self.popen.stdin.write(data)
            self.popen.stdin.flush()
            return True
        except (OSError, ValueError):
            return False  # it died; its report (or its absence) says why

    def read(self, report: Report, deadline: float, max_bytes: int, until=None) -> bool:
        """Add lines to ``report.records`` until end of output, ``until(record)``, the deadline or the budget.

        Returns True if ``until`` matched (the process goes on), False otherwise.
        """
        selector = selectors.DefaultSelector()
        selector.register(self.popen.stdout, selectors.EVENT_READ, "out")
        selector.register(self.popen.stderr, selectors.EVENT_READ, "err")
        received = 0
        try:
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    report.timed_out = True
                    return False
                for key, _ in selector.select(min(remaining, 1.0)):
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        selector.unregister(key.fileobj)
                        continue
                    if key.data == "err":
                        self.stderr = (self.stderr + chunk)[-4096:]
                        continue
                    received += len(chunk)
                    if received > max_bytes:
                        report.overflow = True
                        return False
                    self.pending += chunk
                    *lines, self.pending = self.pending.split(b"\n")
                    for line in lines:
                        try:
                            record = json.loads(line.decode("utf-8", errors="replace"))
                        except (ValueError, RecursionError):
                            continue
                        if not isinstance(record, dict):
                            continue
                        if until and until(record):
                            return True
                        report.records.append(record)
            return False
        finally:
            selector.close()
            report.stderr = self.stderr.decode("utf-8", errors="replace")

    def kill(self) -> None:
        """End everything inside; a thread reading the output then sees its end (safe from any thread)."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)  # bwrap: every process of its namespaces goes with it
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        """End everything inside (idempotent) and remove what it wrote on the host; by the thread that reads."""
        self.kill()
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            try:
                stream.close()
            except OSError:
                pass
        with _live_lock:
            _live.discard(self)
        if self.cleanup:
            shutil.rmtree(self.cleanup, ignore_errors=True)
            self.cleanup = None


class Worker:
    """Runs jobs one after the other, each in a sandbox of its own.

    With bubblewrap the worker keeps one bwrap sandbox holding a *template*
    (``grade_runner --serve``) that has imported the kernel's modules; each job
    is a child of it in fresh namespaces of its own (see
    :mod:`b4b_kit.workflows.grade_runner`), so a submission costs a fork rather
    than an interpreter start. Where nested namespaces are not allowed, and
    without bubblewrap, each job gets a process (and a bwrap sandbox) of its own.

    Parameters
    ----------
    limits
        The limits applied to everything a job runs.
    kind
        ``'bwrap'`` or ``'none'`` (see :func:`mode`).
    hide
        Paths (the submissions, the gradebook, the keys) to lay an empty folder over, should a
        bound folder contain them.
    """

    def __init__(self, limits: Limits, kind: str, hide: list[Path] = ()) -> None:
        self.limits = limits
        self.kind = kind
        self.hide = list(hide)
        self.template: _Process | None = None
        # a template's jobs lay a fresh /tmp over the template's, which would cover a Python or kit
        # installed under /tmp: then each job gets a sandbox of its own (slower, as safe)
        self.nested = kind == "bwrap" and not _installed_under_tmp()  # until the template says it cannot nest
        self.closed = False
        self._busy = False
        self._current: _Process | None = None
        self._lock = threading.Lock()

    def _start(self, command: list[str], cwd: str | None, env: dict | None, cleanup: str | None = None):
        """A new sandbox process, unless the worker was closed meanwhile (then None)."""
        with self._lock:
            if self.closed:
                if cleanup:
                    shutil.rmtree(cleanup, ignore_errors=True)
                return None
            self._current = _Process(command, cwd, env, cleanup)
            return self._current

    def execute(self, job: dict, max_bytes: int) -> Report:
        """Run one job (see :mod:`b4b_kit.workflows.grade_runner`) within the wall time; what came back."""
        deadline = time.monotonic() + self.limits.wall
        self._busy = True
        try:
            if self.closed:
                return Report([], stderr="the grading run was stopped")
            if self.nested and self._template(deadline):
                template, report = self.template, Report([])
                data = json.dumps(job).encode()
                finished = (template.send(f"{len(data):012d}\n".encode() + data)
                            and template.read(report, deadline, max_bytes, until=lambda r: r.get("type") == "exit"))
                if not finished:  # killed for time or output, or the template died: the next job gets a new one
                    template.close()
                    self.template = None
                return report
            return self._cold(job, deadline, max_bytes)
        finally:
            self._busy = False

    def _template(self, deadline: float) -> bool:
        if self.template is not None and self.template.alive():
            return True
        plan = {"rlimits": {"RLIMIT_CORE": (0, 0)}, "uid": None, "userns": False}
        root = os.geteuid() == 0
        if root:
            plan.update(uid=NOBODY, userns=True)
        serve = {"rlimits": _rlimits(self.limits), "home": HOME, "disk": self.limits.file_size}
        runner = [sys.executable, "-m", "b4b_kit.workflows.grade_runner", "--serve", json.dumps(serve)]
        command = _bwrap_command([sys.executable, "-c", _ENTER, json.dumps(plan), *runner], self.limits, self.hide)
        self.template = self._start(command, None, None)
        if self.template is None:
            return False
        said: list[dict] = []
        self.template.read(Report([]), min(deadline, time.monotonic() + 120), 1 << 16,
                           until=lambda r: r.get("type") == "ready" and not said.append(r))
        if not (said and said[0].get("nested") is True):
            self.template.close()  # no nested namespaces here: a sandbox per job instead
            self.template, self.nested = None, False
            return False
        return True

    def _cold(self, job: dict, deadline: float, max_bytes: int) -> Report:
        root = os.geteuid() == 0
        plan = {"rlimits": _rlimits(self.limits), "uid": None, "userns": True}
        runner = [sys.executable, "-m", "b4b_kit.workflows.grade_runner"]
        if self.kind == "bwrap":
            plan.update(uid=NOBODY if root else None, userns=root)  # bwrap already made one for an ordinary user
            command = _bwrap_command([sys.executable, "-c", _ENTER, json.dumps(plan), *runner], self.limits, self.hide)
            process = self._start(command, None, None)
            home, tmp = HOME, "/tmp"
        else:
            host = tempfile.mkdtemp(prefix="b4b-grade-")
            home, tmp = os.path.join(host, "home"), os.path.join(host, "tmp")
            os.mkdir(home)
            os.mkdir(tmp)
            if root and _can_drop_to_nobody():
                plan["uid"] = NOBODY
                for path in (host, home, tmp):
                    os.chown(path, NOBODY, NOBODY)
            command = [sys.executable, "-c", _ENTER, json.dumps(plan), *runner]
            process = self._start(command, home, _environment(home, tmp), cleanup=host)
        report = Report([])
        if process is None:
            return Report([], stderr="the grading run was stopped")
        try:
            if process.send(json.dumps({**job, "home": home, "tmp": tmp}).encode()):
                process.popen.stdin.close()
            process.read(report, deadline, max_bytes)
        finally:
            process.close()
        if not report.records and report.stderr.startswith("bwrap:"):
            raise B4BError(f"the sandbox could not start ({report.stderr.strip().splitlines()[0]})",
                           fix="Check that bwrap works here (bwrap --ro-bind / / true), or grade with sandbox='none'.")
        return report

    def close(self) -> None:
        """Stop whatever runs now and start nothing more (from any thread)."""
        with self._lock:
            self.closed = True
            current = self._current
        if current is not None:
            if self._busy:
                current.kill()  # the thread running the job sees the end of its output and closes the rest
            else:
                current.close()


def close_all() -> None:
    """End every sandbox this process started (on Ctrl-C or an error)."""
    with _live_lock:
        live = list(_live)
    for process in live:
        process.close()
