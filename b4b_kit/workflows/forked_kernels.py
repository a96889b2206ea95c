"""Fresh kernels for sweeps in a fraction of the start-up time: forked from a warm template process.

Every run of a sweep gets a kernel that no other run has used. Started the
usual way, that kernel costs about 1.4 s here before it runs anything, and the
case's first cell another 1.1 s to import pandas, altair and the kit. A
*template* process imports all of that once and then only ever forks: for each
run it makes a child process that becomes the kernel. The child is a new
process, exactly as a freshly started kernel is, and whatever a run does in it
(globals, environment variables, module attributes, files it keeps open) ends
with it. The template itself never runs a line of a case.

Two things a fork would otherwise share, and which are reset in each child:
the random number generators (``random`` and numpy's global one are reseeded
from the OS, as in a new interpreter) and the signal handlers (as a kernel
started by the worker would have them).

Used by :mod:`b4b_kit.workflows.sweep` in its local worker processes (one template per
worker), through a worker plugin (:class:`b4b_kit.workflows.dask_cluster.ForkedKernels`) in
Dask workers, and by ``b4b serve --class-size`` (:mod:`b4b_kit.workflows.class_server`).
Anything that does not fit (another Python, another kernel command, a template that died)
falls back to starting the kernel the usual way.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

PRELOAD = ("b4b_kit", "ipykernel.kernelapp", "numpy", "pandas", "altair",
           "b4b_kit.supplier_levels.model", "b4b_kit.workflows.cases", "b4b_kit.ui.render", "b4b_kit.datasets")
READY_TIMEOUT = 120  # seconds for the template to import PRELOAD


# ---- inside the template process ---------------------------------------------------------------

def _template_main() -> None:
    """Import PRELOAD, then fork one kernel per request line read from stdin, until stdin closes."""
    import importlib

    # as ipykernel_launcher does: the folder this was started in is not an import path of a kernel
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # a child's prints must not mix with the replies
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the kernel imports it itself, at the usual cost
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the OS reaps exited kernels: no zombies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the sweep decides when to stop
    print("ready", file=replies, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            replies.close()
            _become_kernel(request)  # never returns
        print(json.dumps({"pid": pid}), file=replies, flush=True)


def _become_kernel(request: dict) -> None:
    code = 1
    try:
        if request.get("session", True):  # the grader keeps its kernels in the sandbox's session
            os.setsid()
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        # SIGINT stays ignored, as in a kernel the worker starts itself (it inherits the worker's SIG_IGN):
        # ipykernel turns it on while a cell runs, so a timeout still interrupts the cell, and the
        # interrupt jupyter_client sends before a shutdown does not log a KeyboardInterrupt.
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        _reseed()
        _forget_environment_caches()
        from ipykernel import kernelapp

        args = list(request["args"])
        if os.environ.get("JPY_PARENT_PID"):
            # IPKernelApp read JPY_PARENT_PID into a default when the template imported it; say it again
            args.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
        sys.argv = ["ipykernel_launcher", *args]
        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _forget_environment_caches() -> None:
    """Values the standard library derived from the template's environment: derive them again."""
    import tempfile
    import time

    tempfile.tempdir = None  # TMPDIR
    time.tzset()  # TZ


def _reseed() -> None:
    import random

    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


# ---- in the worker: the template, and a kernel manager that uses it ---------------------------

class Template:
    """A running template process; :meth:`fork` returns the pid of a new kernel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one request and its reply at a time (a Dask worker may have threads)
        self.process = subprocess.Popen([sys.executable, "-m", "b4b_kit.workflows.forked_kernels"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        ready, _, _ = select.select([self.process.stdout], [], [], READY_TIMEOUT)
        if not ready or self.process.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("the kernel template process did not start")

    def alive(self) -> bool:
        """Whether the template process still runs."""
        return self.process.poll() is None

    def fork(self, args: list[str], env: dict, cwd: str) -> int:
        """Ask the template for a new kernel process; returns its pid."""
        with self._lock:
            self.process.stdin.write(json.dumps({"args": args, "env": env, "cwd": cwd}) + "\n")
            self.process.stdin.flush()
            return json.loads(self.process.stdout.readline())["pid"]

    def close(self) -> None:
        """Stop the template (its forked kernels live on until their own shutdown)."""
        if self.process.poll() is None:
            self.process.stdin.close()  # the template's loop ends on end of input
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_template: Template | None = None


def start() -> bool:
    """Start this process's template (once); False if it cannot start."""
    global _template
    if _template is None or not _template.alive():
        try:
            _template = Template()
        except (OSError, RuntimeError):
            _template = None
    return _template is not None


def started() -> bool:
    """Whether this process has a live template."""
    return _template is not None and _template.alive()


class _ForkedProcess:
    """The part of ``subprocess.Popen`` that jupyter_client uses, for a kernel that is not our child."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None
        # a pidfd names this very process: no mistake if its pid is reused after it exits
        self._pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._pidfd is not None:
                exited = bool(select.select([self._pidfd], [], [], 0)[0])
            else:
                try:
                    os.kill(self.pid, 0)
                    exited = False
                except ProcessLookupError:
                    exited = True
            if exited:
                self.returncode = -1  # the template reaps it; its exit status is not known here
                if self._pidfd is not None:
                    os.close(self._pidfd)
                    self._pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                if self._pidfd is not None:
                    signal.pidfd_send_signal(self._pidfd, signum)
                else:
                    os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """Launches the kernel by asking the template to fork, when the command is this Python's ipykernel."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        """Fork the kernel from the template when it can, else start it the usual way."""
        if not _forkable(cmd) or not started():
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it (and ipykernel reads it)
        pid = _template.fork(cmd[3:], env, cwd)
        self.process = _ForkedProcess(pid)
        self.pid, self.pgid, self.cwd = pid, None, cwd
        return self.connection_info


def _forkable(cmd: list[str]) -> bool:
    try:
        same_python = Path(cmd[0]).resolve() == Path(sys.executable).resolve() or cmd[0] in ("python", "python3")
    except (OSError, IndexError):
        return False
    return same_python and cmd[1:3] == ["-m", "ipykernel_launcher"]


class ForkedStart:
    """Mixin for a jupyter_client kernel manager: its kernels come from this process's template (see :func:`start`).

    Used by :class:`ForkedKernelManager` (sweeps) and by the class server's kernel manager
    (:mod:`b4b_kit.workflows.class_server`).
    """

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class ForkedKernelManager(ForkedStart, AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from this process's template (see :func:`start`)."""


if __name__ == "__main__":
    _template_main()
