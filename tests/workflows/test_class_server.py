"""`b4b serve --class-size`: pools of rendered kernels, the "full" page beyond capacity, dead kernels replaced.

One class server for the module: a class of 2 for lesson 01, at most 3 viewers.
Each test starts from no viewers (their kernels killed, which is itself what
the watcher must cope with) and a full pool.
"""

import concurrent.futures
import os
import signal
import sys
import time

import psutil
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import serve
from tests.helpers import ClassServer

LESSON = ClassServer.LESSON
CLASS, MAX_VIEWERS = 2, 3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("class") / "serve.log"
    options = ["--class-size", str(CLASS), "--lesson", "01", "--max-viewers", str(MAX_VIEWERS)]
    with ClassServer.ready(log, options) as srv:
        yield srv


def test_class_options_become_the_class_server_command_line():
    argv = serve.command(port=9000, class_size=30, lessons=["01"], max_viewers=40)
    assert argv[:3] == [sys.executable, "-m", "b4b_kit.workflows.class_server"]
    assert "--ClassVoila.class_size=30" in argv and '--ClassVoila.class_lessons=["01_supplier_levels"]' in argv
    assert "--ClassVoila.max_viewers=40" in argv and "--port=9000" in argv
    assert serve.command(class_size=5, lessons=["06_sales_motions.ipynb"])[-1].endswith('["06_sales_motions"]')


@pytest.mark.parametrize("kwargs, message", [({"class_size": 0}, "a class of 0"),
                                             ({"class_size": 5, "lessons": ["99"]}, "no lesson '99'"),
                                             ({"class_size": 5, "max_viewers": 0}, "at most 0 viewers"),
                                             ({"class_size": 5, "preheat": False}, "--no-preheat")])
def test_bad_class_options_are_refused_before_anything_starts(kwargs, message):
    with pytest.raises(B4BError, match=message):
        serve.command(**kwargs)


def pool_state(ready, filling=None, waiting=None, busy=0, since_take=60.0, class_size=30):
    """A ClassPool's bookkeeping alone (no Voila, no kernels): what the filler decides from."""
    from collections import deque

    from b4b_kit.workflows.class_server import Capacity, ClassPool

    pool = ClassPool.__new__(ClassPool)
    pool._class_size, pool.fill_delay, pool._busy = class_size, 3.0, busy
    pool._targets = {"01.ipynb": class_size, "02.ipynb": 1, "03.ipynb": 1}
    pool._pools = {name: [object()] * ready.get(name, 0) for name in pool._targets}
    pool._filling = {name: (filling or {}).get(name, 0) for name in pool._targets}
    pool._waiting = {name: deque([object()] * (waiting or {}).get(name, 0)) for name in pool._targets}
    pool._last_take = 1000.0 - since_take
    pool._queue_wait, pool.capacity = 20.0, Capacity()
    return pool


def test_the_filler_serves_waiting_viewers_first_even_while_pages_are_sent():
    pool = pool_state({"01.ipynb": 30, "02.ipynb": 0}, waiting={"03.ipynb": 2}, busy=5, since_take=0.1)
    assert pool._next_to_fill(now=1000.0) == "03.ipynb"
    pool._filling["03.ipynb"] = 2  # two kernels on their way for the two who wait
    assert pool._next_to_fill(now=1000.0) is None  # and nothing else while pages are being sent


def test_the_filler_refills_only_when_no_page_is_sent_and_fill_delay_has_passed():
    one_used = {"01.ipynb": 29, "02.ipynb": 1, "03.ipynb": 1}
    assert pool_state(one_used, busy=1)._next_to_fill(1000.0) is None
    assert pool_state(one_used, since_take=2.0)._next_to_fill(1000.0) is None
    assert pool_state(one_used, since_take=3.0)._next_to_fill(1000.0) == "01.ipynb"


def test_the_class_lessons_pool_fills_before_the_other_lessons():
    pool = pool_state({"01.ipynb": 5})
    assert pool._next_to_fill(1000.0) == "01.ipynb"
    pool = pool_state({"01.ipynb": 30, "03.ipynb": 1})
    assert pool._next_to_fill(1000.0) == "02.ipynb"
    assert pool_state({"01.ipynb": 30, "02.ipynb": 1, "03.ipynb": 1})._next_to_fill(1000.0) is None


def test_the_queue_holds_as_many_viewers_as_refills_can_serve_within_the_wait():
    pool = pool_state({})
    assert pool._queue_limit() == 4  # 20 s / 5 s, the estimate before any kernel was made
    pool.capacity.fill_times.extend([2.0, 2.5, 3.0])
    assert pool._queue_limit() == 8  # 20 s / 2.5 s
    pool.capacity.fill_times.extend([40.0] * 5)
    assert pool._queue_limit() == 1  # a machine too busy to refill in time still queues one


def test_no_kernel_is_started_when_the_memory_would_not_hold_it(monkeypatch, caplog):
    import logging
    from types import SimpleNamespace

    import psutil

    pool = pool_state({})
    pool._short_of_memory, pool.log = False, logging.getLogger("class-test")
    pool.capacity.per_viewer = 100 * 2**20
    monkeypatch.setattr(psutil, "virtual_memory", lambda: SimpleNamespace(available=150 * 2**20))
    with caplog.at_level(logging.WARNING, "class-test"):
        assert pool._memory_left() is False and pool._memory_left() is False
    assert [r.message for r in caplog.records if "no more kernels" in r.message][0].startswith(
        "Class server: less than 200 MB of memory left")
    assert len(caplog.records) == 1  # said once, not at every turn of the filler
    monkeypatch.setattr(psutil, "virtual_memory", lambda: SimpleNamespace(available=201 * 2**20))
    assert pool._memory_left() is True


def test_bad_class_options_on_the_command_line_give_one_message(b4b):
    res = b4b("serve", "--class-size", "30", "--lesson", "nope")
    assert res.returncode == 2 and "no lesson 'nope'" in res.stderr and "Traceback" not in res.stderr


def test_the_server_prints_memory_per_viewer_and_how_many_viewers_it_holds(server):
    state = server.status()
    assert 20 < state["memory_per_viewer_mb"] < 1000
    assert state["holds"] > 0 and state["max_viewers"] == min(MAX_VIEWERS, state["holds"])
    log = server.tail()
    assert f"Class server: {CLASS} kernels pre-heated for 01" in log
    assert f"memory per viewer {state['memory_per_viewer_mb']:.0f} MB" in log
    assert f"holds about {state['holds']} viewers" in log


def test_pool_kernels_are_forked_from_the_template(server):
    state = server.no_viewers()
    pids = state["pools"][LESSON]["pids"]
    template = [p for p in psutil.Process(server.proc.pid).children() if "forked_kernels" in " ".join(p.cmdline())]
    assert len(template) == 1
    assert {p.pid for p in template[0].children()} >= set(pids)


def test_a_pre_heated_kernel_that_dies_is_replaced(server):
    state = server.no_viewers()
    victim = state["pools"][LESSON]["pids"][0]
    os.kill(victim, signal.SIGKILL)
    after = server.wait("a new kernel in the pool",
                        lambda s: server.pool_full(s) and victim not in s["pools"][LESSON]["pids"], timeout=180)
    assert len(after["pools"][LESSON]["pids"]) == CLASS
    assert "a pre-heated kernel of 01_supplier_levels.ipynb died; a new one replaces it" in server.tail()
    code, _, page = server.page()  # the next viewer gets a working page, not the dead kernel
    assert code == 200 and "Home printer: needed vs offered" in page


def test_beyond_capacity_viewers_get_the_full_page_never_a_hang_or_an_error(server):
    server.no_viewers()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: server.page(timeout=90), range(MAX_VIEWERS + 3)))
    codes = sorted(code for code, _, _ in replies)
    served = [page for code, _, page in replies if code == 200]
    full = [(headers, page) for code, headers, page in replies if code == 503]
    assert set(codes) <= {200, 503}, codes  # no 500, and every request was answered (no timeout)
    assert CLASS <= len(served) <= MAX_VIEWERS and len(full) >= 3, codes
    assert all("Home printer: needed vs offered" in page for page in served)
    for headers, page in full:
        assert "The class server is full" in page and "tries again by itself" in page
        assert headers["Retry-After"] == "10" and "Traceback" not in page
    assert server.status()["viewers"] == len(served)


def test_a_viewers_kernel_that_dies_frees_its_place(server):
    server.no_viewers()
    for _ in range(MAX_VIEWERS):
        assert server.page()[0] == 200
        server.wait("a full pool", server.pool_full)
    assert server.page()[0] == 503  # the class is full
    viewers = server.status()["viewer_kernels"]
    assert len(viewers) == MAX_VIEWERS
    os.kill(next(iter(viewers.values())), signal.SIGKILL)
    server.wait("the dead viewer dropped", lambda s: s["viewers"] == MAX_VIEWERS - 1, timeout=60)
    assert "a viewer's kernel died; the place is free again" in server.tail()
    assert server.page()[0] == 200  # the student who reloads gets a page again


def test_sigterm_stops_the_server_and_every_kernel_it_made(server):
    server.wait("a full pool", server.pool_full)
    tree = psutil.Process(server.proc.pid).children(recursive=True)  # the template, the kernels forked from it
    state = server.status()
    kernels = [psutil.Process(pid) for pool in state["pools"].values() for pid in pool["pids"]]
    assert len(kernels) >= CLASS and all(k in tree for k in kernels)
    server.stop()
    time.sleep(1)
    left = [p for p in [*tree, *kernels] if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []
