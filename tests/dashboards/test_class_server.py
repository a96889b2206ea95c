"""A class at once, in a real browser: five viewers open lesson 01 together on `b4b serve --class-size 5`.

Each page must come from its own pre-heated kernel and be interactive: the
explorer's sliders and chart are there, and moving a slider reaches that
page's kernel and comes back as a new verdict. Nothing is fetched from outside
the machine.
"""

import contextlib

import pytest

from tests.browser import PageLog, only_loopback
from tests.dashboards.conftest import Dashboard, VoilaServer
from tests.dashboards.test_01_supplier_levels import EXPLORER, READY, VERDICT
from tests.helpers import ClassServer

VIEWERS = 5


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("class") / "serve.log"
    with ClassServer.ready(log, ["--class-size", str(VIEWERS), "--lesson", "01"]) as srv:
        yield srv


@contextlib.contextmanager
def viewers(browser, server, out_dir, n):
    """``n`` dashboards, each in a browser context of its own that can reach only the loopback."""
    contexts, dashboards = [], []
    voila = VoilaServer(url=server.url, log_path=server.log, process=server.proc)
    try:
        for i in range(n):
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            contexts.append(context)
            log = PageLog()
            only_loopback(context, log)
            page = context.new_page()
            page.on("pageerror", lambda exc, log=log: log.page_errors.append(str(exc)))
            dashboards.append(Dashboard(page, log, voila, out_dir / f"viewer{i}"))
        yield dashboards
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):
                context.close()


@pytest.mark.browser
def test_five_viewers_opening_the_lesson_together_each_get_an_interactive_page(browser, class_server, tmp_path):
    assert class_server.status()["viewers"] == 0
    with viewers(browser, class_server, tmp_path, VIEWERS) as pages:
        url = f"{class_server.url}/voila/render/{ClassServer.LESSON}"
        for d in pages:  # all five requests leave before any page has arrived
            d.page.evaluate("url => { setTimeout(() => { window.location.href = url; }, 0); }", url)
        for i, d in enumerate(pages):
            d.wait_rendered(READY, f"viewer {i}: the explorer's sliders, verdict and chart")
        state = class_server.status()
        assert state["viewers"] == VIEWERS and len(set(state["viewer_kernels"].values())) == VIEWERS
        for i, d in enumerate(pages):
            # still the first verdict though the viewers before moved theirs: no two pages share a kernel
            verdict = d.page.locator(VERDICT)
            assert verdict.inner_text().startswith("Under-served"), f"viewer {i}" + d.context()
            handle = d.page.locator(f"{EXPLORER} > .widget-slider .noUi-handle").first
            handle.focus()
            for _ in range(12):
                handle.press("ArrowLeft")
            d.wait_rendered(f"(document.querySelector({VERDICT!r}) || {{innerText: ''}}).innerText"
                            ".startsWith('Just right')", f"viewer {i}: the verdict to follow the slider", timeout=60)
            d.assert_nothing_needed_from_outside()
            assert d.log.page_errors == [], d.context()
