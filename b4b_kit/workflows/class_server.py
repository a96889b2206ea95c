"""``b4b serve --class-size N``: a whole class opens the same dashboard at once, and every page comes quickly.

Plain ``b4b serve`` keeps one pre-heated kernel per lesson: the first viewer
gets a page at once; each of the others starts a kernel, and all those kernels
run the lesson together on the same cores, so every page arrives late (ten
viewers: 15-23 s each on 2 cores, ``bench/bench_class.py``). Most of a kernel's
work is the lesson itself: its first chart starts vl-convert's JavaScript
engine in the kernel (about 1.3 s), which no template process can do ahead of
a fork (a forked child would inherit the engine without its threads and hang),
so only running the lesson ahead helps. The class server is Voila with
three changes, read against Voila 0.5's ``VoilaKernelManager``:

* **A pool of N rendered kernels per class lesson.** Each kernel is forked from a
  warm template process (:mod:`b4b_kit.workflows.forked_kernels`): it starts
  with Python, pandas, altair and the kit already imported, and costs less
  memory than a kernel started from scratch (it shares the template's pages).
  A viewer takes a kernel that has already run the lesson: the page is sent
  at once.
* **Refills that do not starve the viewers.** Voila refills a pool by starting
  every missing kernel at once ``fill_delay`` seconds after a page was taken;
  after 30 views that is 30 kernels running the lesson together on 2 cores,
  while 30 viewers move sliders. Here one filler starts kernels one at a time
  while viewers are connected (one per core while the server is idle), waits
  until no page is being sent and ``fill_delay`` has passed since the last
  one, and serves viewers waiting for a kernel first.
* **Overload is answered.** Memory per viewer is measured on the first kernel
  that ran a class lesson (its unique memory, USS), and from it and the free
  memory how many viewers the machine holds; the server logs both. A viewer
  beyond that, or beyond what the queue can serve within ``queue_wait``
  seconds, gets a short page (HTTP 503, ``Retry-After``) saying the class
  server is full and reloading itself in a moment: never a hang, a 500 or a
  traceback. A kernel that dies is dropped: from the pool (a new one is made)
  or from the viewers (the place is free again; reloading the page gets a
  fresh kernel). Kernels are not restarted in place: a restarted kernel has
  not run the lesson, and its page would look alive but answer nothing.

Run as ``python -m b4b_kit.workflows.class_server`` in the folder with
``voila.json`` (``b4b serve --class-size N`` does that); the options are
``--ClassVoila.class_size``, ``--ClassVoila.class_lessons``,
``--ClassVoila.max_viewers`` and ``--ClassVoila.queue_wait``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from collections import deque
from dataclasses import dataclass, field

import tornado.web
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from traitlets import Bool, Float, Int, List, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.utils import ENV_VARIABLE

from . import forked_kernels

MB = 2**20
FIRST_FILL_ESTIMATE = 5.0  # seconds to start a kernel and run a lesson, until one has been measured
MEMORY_SHARE = 0.9  # of the memory free at the measurement, what viewers may take
FULL_RETRY = 10  # seconds after which the "server is full" page reloads itself


class ClassFull(Exception):
    """No kernel for this viewer now: the server is at capacity, or the queue would not reach them in time."""


@dataclass
class Capacity:
    """What the server measured: memory per viewer, and how many viewers the machine holds."""

    per_viewer: int | None = None  # bytes: unique memory (USS) of a kernel that ran a class lesson
    shared: int | None = None  # bytes: the template's memory, shared by all forked kernels
    available: int | None = None  # bytes free when measured
    holds: int | None = None  # viewers the machine holds, pools not counted
    max_viewers: int | None = None  # the limit in force: min(holds, ClassVoila.max_viewers)
    fill_times: deque = field(default_factory=lambda: deque(maxlen=10))

    def fill_seconds(self) -> float:
        """The median time to start a kernel and run a lesson, lately."""
        return statistics.median(self.fill_times) if self.fill_times else FIRST_FILL_ESTIMATE


def memory_of(pid: int) -> int:
    """Unique memory (USS, bytes) of a process: what it would give back if it ended."""
    import psutil

    return psutil.Process(pid).memory_full_info().uss


class ClassKernel(forked_kernels.ForkedStart, ServerKernelManager):
    """A Voila kernel forked from the template; never restarted in place (see the module's notes)."""

    autorestart = Bool(False, config=True, help="A dead kernel is dropped and replaced, not restarted blank.")


class ClassMappingKernelManager(AsyncMappingKernelManager):
    """The base Voila's pool goes on top of: kernels are :class:`ClassKernel`."""

    kernel_manager_class = "b4b_kit.workflows.class_server.ClassKernel"


class ClassPool:
    """Mixin put in front of Voila's ``VoilaKernelManager``: the pools, their filler, the capacity."""

    def __init__(self, **kwargs):
        app = kwargs["parent"]
        self._class_size = app.class_size
        self._class_lessons = set(app.class_lessons)
        self._max_viewers_option = app.max_viewers
        self._queue_wait = app.queue_wait
        self._targets: dict[str, int] = {}
        self._filling: dict[str, int] = {}
        self._filling_ids: set[str] = set()
        self._waiting: dict[str, deque] = {}
        self._fill_kwargs: dict[str, dict] = {}
        self._wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task] = []
        self._busy = 0  # page requests being answered now
        self._cold = 0  # requests for notebooks without a pool, before their kernel is sent
        self._last_take = 0.0
        self._failures = 0
        self._short_of_memory = False
        self._filled_once: set[str] = set()
        self.capacity = Capacity()
        super().__init__(**kwargs)  # Voila's __init__ calls fill_if_needed for every notebook to pre-heat

    # ---- what Voila asks --------------------------------------------------------------------------

    def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
        """Register the notebook's pool and wake the filler (Voila calls this at start and after each view)."""
        if notebook_name is None:
            return
        if notebook_name not in self._targets:
            self._targets[notebook_name] = self._target(notebook_name)
            self._filling[notebook_name] = 0
            self._waiting[notebook_name] = deque()
            self._pools.setdefault(notebook_name, [])
            self._fill_kwargs[notebook_name] = self._kernel_kwargs(notebook_name)
        self._start_tasks()
        self._wake.set()

    def get_pool_size(self, notebook_name: str) -> int:
        """A pooled notebook always goes through the pool (a viewer waits in its queue instead of a cold start)."""
        return self._targets.get(notebook_name, 0)

    async def get_rendered_notebook(self, notebook_name: str, extra_kernel_env_variables=None, **kwargs):
        """A kernel that has run the notebook: a ready one, or the next one made, within ``queue_wait``."""
        content = await self._take(notebook_name)
        renderer = content["renderer"]
        renderer.stop_generator = True
        self._last_take = time.monotonic()
        self.log.info("Using pre-heated kernel: %s for %s (%d ready, %d viewers)", content["kernel_id"],
                      notebook_name, len(self._pools[notebook_name]), self.viewers())
        self._wake.set()
        return content["task"], renderer.rendered_cache, content["kernel_id"]

    async def shutdown_all(self, *args, **kwargs):
        """Stop the filler and the watcher first, then every kernel (pools included)."""
        for task in self._tasks:
            task.cancel()
        for queue in self._waiting.values():
            for waiter in queue:
                if not waiter.done():
                    waiter.set_exception(ClassFull("the server is stopping"))
        await super().shutdown_all(*args, **kwargs)

    # ---- admission ------------------------------------------------------------------------------

    def viewers(self) -> int:
        """Kernels that belong to viewers: all kernels but the ready and the filling ones."""
        pooled = sum(len(p) for p in self._pools.values()) + sum(self._filling.values())
        return max(0, len(self.list_kernel_ids()) - pooled)

    def full(self) -> bool:
        """Whether one more viewer would go beyond what the machine holds.

        Viewers are the kernels taken, the requests waiting in a queue and the
        requests starting a kernel of their own. A request takes its kernel from
        the pool, or joins the queue, before it first yields to the event loop,
        so many arriving together are counted one by one.
        """
        limit = self.capacity.max_viewers
        if limit is None and self._max_viewers_option > 0:
            limit = self._max_viewers_option  # not measured yet: the instructor's limit
        queued = sum(len(q) for q in self._waiting.values())
        return limit is not None and self.viewers() + queued + self._cold >= limit

    @contextlib.contextmanager
    def answering(self, pooled: bool):
        """Count a page request while it is answered (the filler waits until none is)."""
        self._busy += 1
        self._cold += not pooled
        try:
            yield
        finally:
            self._busy -= 1
            self._cold -= not pooled

    async def _take(self, notebook_name: str) -> dict:
        pool = self._pools[notebook_name]
        while pool:
            content = pool.pop(0).result()
            if await self._alive(content["kernel_id"]):
                return content
            await self._drop(content["kernel_id"], f"a pre-heated kernel of {notebook_name} had died")
        queue = self._waiting[notebook_name]
        if len(queue) >= self._queue_limit():
            raise ClassFull(f"{len(queue)} viewers already wait for {notebook_name}")
        waiter = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        self._wake.set()
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), self._queue_wait)
        except TimeoutError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                return waiter.result()  # it came just in time
            waiter.cancel()  # the filler skips it
            raise ClassFull(f"no kernel for {notebook_name} within {self._queue_wait:.0f} s") from None
        finally:
            with contextlib.suppress(ValueError):
                queue.remove(waiter)

    def _queue_limit(self) -> int:
        # how many viewers the filler can serve within queue_wait, one kernel after another
        return max(1, int(self._queue_wait / self.capacity.fill_seconds()))

    # ---- the filler ------------------------------------------------------------------------------

    def _target(self, notebook_name: str) -> int:
        default = self.kernel_pools_config.get("default", {}).get("pool_size", 1)
        if self._class_size and (not self._class_lessons or _lesson_name(notebook_name) in self._class_lessons):
            return self._class_size
        return self.kernel_pools_config.get(notebook_name, {}).get("pool_size", default)

    def _kernel_kwargs(self, notebook_name: str) -> dict:
        # the environment Voila gives a pre-heated kernel (VoilaKernelManager.fill_if_needed)
        env = os.environ.copy()
        for key, value in self.default_env_variables.items():
            env.setdefault(key, value)
        env[ENV_VARIABLE.VOILA_BASE_URL] = self.parent.base_url
        env[ENV_VARIABLE.VOILA_SERVER_URL] = self.parent.server_url
        env[ENV_VARIABLE.VOILA_APP_PORT] = str(self.parent.port)
        env[ENV_VARIABLE.VOILA_PREHEAT] = "True"
        return {"path": os.path.dirname(notebook_name), "env": env}

    def _start_tasks(self) -> None:
        if self._tasks:
            return
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
        self._wake = asyncio.Event()
        forked_kernels.start()  # the template; without it kernels start the usual way
        self._tasks = [loop.create_task(self._filler()), loop.create_task(self._watcher())]

    def _next_to_fill(self, now: float) -> str | None:
        """The notebook whose pool needs a kernel most: waiting viewers first, then empty pools, then the rest."""
        quiet = self._busy == 0 and now - self._last_take >= self.fill_delay
        best, best_key = None, None
        for name, target in self._targets.items():
            have = len(self._pools[name]) + self._filling[name]
            waiting = len(self._waiting[name]) - self._filling[name]
            if waiting <= 0 and (have >= target or not quiet):
                continue
            key = (waiting <= 0, target != self._class_size, have > 0, -(target - have))
            if best_key is None or key < best_key:
                best, best_key = name, key
        return best

    def _concurrency(self) -> int:
        # while nobody watches, use every core to fill; with viewers, leave them all cores but one
        return 1 if self.viewers() or any(self._waiting.values()) else max(1, os.cpu_count() or 1)

    def _memory_left(self) -> bool:
        """Whether one more kernel fits: never fill the machine's memory (pools may be asked for more than it holds)."""
        import psutil

        need = 2 * (self.capacity.per_viewer or 250 * MB)
        enough = psutil.virtual_memory().available > need
        if not enough and not self._short_of_memory:
            self.log.warning("Class server: less than %.0f MB of memory left; no more kernels until some close. "
                             "Pre-heat fewer lessons (--lesson) or a smaller --class-size.", need / MB)
        self._short_of_memory = not enough
        return enough

    async def _filler(self) -> None:
        inflight: set[asyncio.Task] = set()
        while True:
            now = time.monotonic()
            while (len(inflight) < self._concurrency() and (name := self._next_to_fill(now)) is not None
                   and self._memory_left()):
                self._filling[name] += 1
                inflight.add(asyncio.ensure_future(self._fill_one(name)))
            self._wake.clear()
            waits = [asyncio.ensure_future(self._wake.wait()), *inflight]
            done, _ = await asyncio.wait(waits, timeout=0.5, return_when=asyncio.FIRST_COMPLETED)
            waits[0].cancel()
            inflight -= done
            if self._failures:
                await asyncio.sleep(min(60, 2 * self._failures))  # a notebook that keeps failing: back off

    async def _fill_one(self, name: str) -> None:
        started = time.monotonic()
        kernel_id = None
        try:
            content = await self._initialize(name, None, **self._fill_kwargs[name])
            kernel_id = content["kernel_id"]
            self._filling_ids.add(kernel_id)
            await content["task"]  # the notebook has run: the page is ready to send
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failures += 1
            self.log.error("Could not pre-heat a kernel for %s: %s", name, exc)
            if kernel_id is not None:
                await self._drop(kernel_id, "its notebook did not run")
            return
        finally:
            self._filling[name] -= 1
            self._filling_ids.discard(kernel_id)
        self._failures = 0
        self.capacity.fill_times.append(time.monotonic() - started)
        ready = asyncio.get_running_loop().create_future()
        ready.set_result(content)
        waiters = self._waiting[name]
        while waiters and waiters[0].done():  # gone: timed out or the page was closed
            waiters.popleft()
        if waiters:
            waiters.popleft().set_result(content)
        else:
            self._pools[name].append(ready)
        if self._class_size and self._targets[name] == self._class_size:
            if self.capacity.per_viewer is None:
                self._measure(kernel_id)
            if name not in self._filled_once and len(self._pools[name]) >= self._targets[name]:
                self._filled_once.add(name)
                self._measure_pool(name)

    # ---- capacity ---------------------------------------------------------------------------------

    def _pid(self, kernel_id: str) -> int | None:
        try:
            return self.get_kernel(kernel_id).provisioner.pid
        except (KeyError, AttributeError):
            return None

    def _measure(self, kernel_id: str) -> None:
        """Memory per viewer from one kernel that ran a class lesson, and the viewers the machine holds."""
        import psutil

        pid = self._pid(kernel_id)
        try:
            per_viewer = memory_of(pid)
        except (psutil.Error, TypeError, ValueError):
            return
        cap = self.capacity
        cap.per_viewer = per_viewer
        cap.available = psutil.virtual_memory().available
        waiting_pools = sum(max(0, t - len(self._pools[n]) - self._filling[n]) for n, t in self._targets.items())
        cap.holds = max(0, int(cap.available * MEMORY_SHARE / per_viewer) - waiting_pools)
        cap.max_viewers = min(cap.holds, self._max_viewers_option) if self._max_viewers_option > 0 else cap.holds
        with contextlib.suppress(psutil.Error, TypeError, ValueError):
            if forked_kernels.started():
                cap.shared = memory_of(forked_kernels._template.process.pid)
        if cap.holds == 0:
            self.log.warning("Class server: the pools alone take the memory this machine has free; "
                             "pre-heat fewer lessons (--lesson) or a smaller --class-size.")
        shared = f"; kernels share {cap.shared / MB:.0f} MB of the template" if cap.shared else ""
        self.log.info("Class server: memory per viewer %.0f MB (unique memory of a kernel that ran the lesson%s). "
                      "This machine (%.1f GB free) holds about %d viewers beyond the pools; the limit is %d viewers.",
                      per_viewer / MB, shared, cap.available / 2**30, cap.holds, cap.max_viewers)

    def _measure_pool(self, name: str) -> None:
        import psutil

        sizes = []
        for ready in self._pools[name]:
            with contextlib.suppress(psutil.Error, TypeError, ValueError):
                sizes.append(memory_of(self._pid(ready.result()["kernel_id"])))
        if sizes:
            self.log.info("Class server: %d kernels ready for %s (%.0f MB each, median; %.1f s to make one).",
                          len(sizes), name, statistics.median(sizes) / MB, self.capacity.fill_seconds())

    # ---- kernels that die ---------------------------------------------------------------------------

    async def _alive(self, kernel_id: str) -> bool:
        try:
            return bool(await self.get_kernel(kernel_id).is_alive())
        except KeyError:
            return False

    async def _drop(self, kernel_id: str, why: str) -> None:
        self.log.warning("Class server: dropping kernel %s: %s.", kernel_id, why)
        with contextlib.suppress(Exception):
            await self.shutdown_kernel(kernel_id, now=True)
        self._wake.set()

    async def _watcher(self, every: float = 2.0) -> None:
        """Drop dead kernels: a pool's is replaced by the filler; a viewer's frees its place."""
        while True:
            await asyncio.sleep(every)
            pooled = set()
            for name, pool in self._pools.items():
                for ready in list(pool):
                    kernel_id = ready.result()["kernel_id"]
                    pooled.add(kernel_id)
                    if not await self._alive(kernel_id):
                        with contextlib.suppress(ValueError):
                            pool.remove(ready)
                        await self._drop(kernel_id, f"a pre-heated kernel of {name} died; a new one replaces it")
            for kernel_id in list(self.list_kernel_ids()):
                if kernel_id in pooled:
                    continue
                km = self._kernels.get(kernel_id)
                if km is not None and km.ready.done() and not await self._alive(kernel_id):
                    await self._drop(kernel_id, "a viewer's kernel died; the place is free again "
                                                "(reloading the page gives a new kernel)")


def _lesson_name(notebook_name: str) -> str:
    """``01_supplier_levels.ipynb`` -> ``01_supplier_levels`` (how lessons are named on the command line)."""
    return notebook_name.removesuffix(".ipynb")


FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{retry}">
<title>The class server is full</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}}
h1{{font-size:1.4em}}</style></head>
<body class="b4b-class-full"><h1>The class server is full</h1>
<p>Every place on this server is taken right now. This page tries again by itself in {retry} seconds;
you can also reload it in a moment.</p></body></html>
"""


class ClassVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, with the class server's admission: a clear page when it is full."""

    @tornado.web.authenticated
    async def get(self, path=None):
        """Serve the dashboard, or the "class server is full" page."""
        km = self.kernel_manager
        if not isinstance(km, ClassPool):
            return await super().get(path)
        if km.full():
            return self._full("at capacity")
        with km.answering(pooled=km.get_pool_size(path) > 0):
            generator = self.get_generator(path=path)
            try:
                first = await generator.__anext__()
            except ClassFull as exc:
                return self._full(str(exc))
            except StopAsyncIteration:
                return
            self.write(first)
            self.flush()
            async for html in generator:
                self.write(html)
                self.flush()

    def _full(self, why: str) -> None:
        self.log.warning("Class server full (%s): answered %s with the retry page", why, self.request.path)
        self.set_status(503)
        self.set_header("Retry-After", str(FULL_RETRY))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(FULL_PAGE.format(retry=FULL_RETRY))


class ClassStatusHandler(JupyterHandler):
    """``/b4b/class``: pools, viewers and capacity as JSON (for instructors' scripts and the benchmark)."""

    @tornado.web.authenticated
    def get(self):
        """The class server's state now."""
        km = self.kernel_manager
        cap = km.capacity
        self.set_header("Content-Type", "application/json")
        pooled = {name: [ready.result()["kernel_id"] for ready in km._pools[name]] for name in km._targets}
        every = set().union(*pooled.values(), km._filling_ids)
        self.finish({
            "pools": {name: {"target": target, "ready": len(pooled[name]), "filling": km._filling[name],
                             "waiting": len(km._waiting[name]), "pids": [km._pid(k) for k in pooled[name]]}
                      for name, target in km._targets.items()},
            "viewers": km.viewers(),
            "viewer_kernels": {k: km._pid(k) for k in km.list_kernel_ids() if k not in every},
            "memory_per_viewer_mb": round(cap.per_viewer / MB, 1) if cap.per_viewer else None,
            "template_mb": round(cap.shared / MB, 1) if cap.shared else None,
            "holds": cap.holds,
            "max_viewers": cap.max_viewers,
            "fill_seconds": round(cap.fill_seconds(), 2),
        })


class ClassVoila(Voila):
    """Voila serving a class: pools of rendered kernels forked from a template, admission, dead kernels replaced."""

    class_size = Int(30, config=True, help="Viewers of one lesson who may arrive together: its pool size.")
    class_lessons = List(Unicode(), config=True,
                         help="Lessons (e.g. 01_supplier_levels) that get a pool of class_size; empty: every lesson.")
    max_viewers = Int(0, config=True, help="At most this many viewers (0: as many as the memory holds).")
    queue_wait = Float(20.0, config=True,
                       help="Seconds a viewer may wait for a kernel when the pool is empty; then the 'full' page.")

    def init_settings(self):
        """Voila's settings, with :class:`ClassPool` in front of Voila's kernel manager."""
        import voila.app as voila_app

        self.voila_configuration.multi_kernel_manager_class = ClassMappingKernelManager
        original = voila_app.voila_kernel_manager_factory

        def factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
            manager = original(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
            return type("ClassKernelManager", (ClassPool, manager), {}) if preheat_kernel else manager

        voila_app.voila_kernel_manager_factory = factory  # only inside this call: Voila builds its manager here
        try:
            return super().init_settings()
        finally:
            voila_app.voila_kernel_manager_factory = original

    def init_handlers(self):
        """Voila's handlers, with the admitting page handler and the status endpoint."""
        from jupyter_server.utils import url_path_join

        handlers = [(route, ClassVoilaHandler, *rest) if target is TornadoVoilaHandler else (route, target, *rest)
                    for route, target, *rest in super().init_handlers()]
        return [(url_path_join(self.server_url, r"/b4b/class"), ClassStatusHandler), *handlers]


main = ClassVoila.launch_instance

if __name__ == "__main__":
    main()
