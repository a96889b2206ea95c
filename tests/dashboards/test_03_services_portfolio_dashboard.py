"""Lesson 3 as a Voila dashboard, in a real headless Chromium with no internet.

The services explorer (``b4b_kit.widgets.ServicePortfolioExplorer``) must
render its controls, its classification and both charts. Moving the year
slider must come back from the kernel as a new mix text and a redrawn mix
chart; choosing another service must come back as a new verdict and a redrawn
chart of signals matched.
"""

import time

import pytest

NOTEBOOK = "03_services_portfolio.ipynb"

EXPLORER = ".b4b-services-explorer"
VERDICT = f"{EXPLORER} > .b4b-service-verdict"
EXPLANATION = f"{VERDICT} .b4b-service-explanation"
MIX_TEXT = f"{EXPLORER} > .b4b-service-mix .b4b-service-mix-text"
CHARTS = f"{EXPLORER} > .vega-embed"  # the scores chart, then the mix chart
SLIDER = f"{EXPLORER} > .widget-slider"
SERVICE = f"{EXPLORER} > .widget-dropdown select"

READY = f"""document.querySelectorAll({(CHARTS + ' svg.marks, ' + CHARTS + ' canvas')!r}).length >= 2
    && document.querySelector({SLIDER!r})
    && document.querySelector({EXPLANATION!r})
    && document.querySelector({MIX_TEXT!r})"""


def chart_snapshot(page, index):
    """Chart ``index`` of the explorer as comparable bytes: SVG markup, or a screenshot of a canvas."""
    chart = page.locator(CHARTS).nth(index)
    svg = chart.locator("svg.marks")
    if svg.count():
        return svg.first.evaluate("el => el.outerHTML").encode()
    return chart.locator("canvas").first.screenshot()


def wait_for_new_chart(dashboard, index, before, what):
    deadline = time.monotonic() + 60
    after = chart_snapshot(dashboard.page, index)
    while after == before and time.monotonic() < deadline:
        dashboard.page.wait_for_timeout(250)
        after = chart_snapshot(dashboard.page, index)
    if after == before:
        dashboard.fail(f"the {what} did not change")


@pytest.mark.browser
def test_services_explorer_renders_offline_and_answers_its_controls(dashboard):
    page = dashboard.page
    start = dashboard.open(NOTEBOOK)
    dashboard.wait_rendered(READY, "the services explorer's controls, verdict and two charts")
    print(f"\ncold time to first render (navigation -> explorer with both charts): {time.perf_counter() - start:.1f} s")

    if page.locator(EXPLORER).count() != 1:
        dashboard.fail(f"expected one services explorer, found {page.locator(EXPLORER).count()}")
    explanation = page.locator(EXPLANATION)
    assert explanation.inner_text().startswith("Support services"), explanation.inner_text() + dashboard.context()
    mix_text = page.locator(MIX_TEXT)
    assert mix_text.inner_text().startswith("In 2023:"), mix_text.inner_text() + dashboard.context()

    # The year slider: 2023 -> 2020, three key presses.
    slider = page.locator(SLIDER)
    assert slider.locator(".widget-readout").inner_text() == "2023"
    before_mix = chart_snapshot(page, 1)
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(3):
        handle.press("ArrowLeft")
    dashboard.wait_rendered(f"document.querySelector({MIX_TEXT!r}).innerText.startsWith('In 2020:')",
                            "the mix text to read 'In 2020:'", timeout=60)
    assert "Optimize + outcome services:" in mix_text.inner_text()
    wait_for_new_chart(dashboard, 1, before_mix, "mix chart after the year moved")

    # Another service: the tie between support and field services is flagged, not guessed.
    before_scores = chart_snapshot(page, 0)
    page.locator(SERVICE).select_option(label="Premium support with remote watch (Northwind Instruments)")
    dashboard.wait_rendered(f"document.querySelector({EXPLANATION!r}).innerText.startsWith('Uncertain: a tie')",
                            "the explanation to report a tie", timeout=60)
    assert "Support services" in explanation.inner_text() and "Field services" in explanation.inner_text()
    wait_for_new_chart(dashboard, 0, before_scores, "chart of signals matched after the service changed")

    dashboard.assert_nothing_needed_from_outside()
    assert not dashboard.log.page_errors, dashboard.log.report()
    shot = dashboard.screenshot("services_portfolio.png")
    print(f"blocked outside requests: {len(dashboard.log.blocked)} (cosmetic); screenshot: {shot}")
