"""Lesson 1 as a Voila dashboard, in a real headless Chromium with no internet.

The explorer (``b4b_kit.widgets.SupplierLevelExplorer``) must render its
sliders and its chart, and moving the first slider must reach the kernel
and come back as a new verdict and a redrawn chart.
"""

import time

import pytest

NOTEBOOK = "01_supplier_levels.ipynb"

# The explorer is the only VBox holding the verdict; its chart is a sibling of the verdict.
# Earlier charts on the page (the printer staircase, the portfolio map) are outside it.
EXPLORER = ".widget-vbox:has(> .b4b-verdict)"
VERDICT = f"{EXPLORER} > .b4b-verdict .b4b-verdict-text"
CHART = f"{EXPLORER} > .b4b-chart"
CHART_MARKS = f"{CHART} svg.marks"

READY = f"""document.querySelector('.widget-slider')
    && document.querySelector({CHART_MARKS!r})
    && document.querySelector({VERDICT!r})"""

# Colour of "needed, not offered" in charts.LEVEL_COLOURS.
NEEDED_NOT_OFFERED = "#d1495b"


def bar_fills(page):
    """Fill colours of the staircase bars (not the legend), left to right."""
    return page.locator(f"{CHART} svg.marks").first.evaluate(
        """svg => [...svg.querySelectorAll('g.mark-rect.role-mark path')].map(p => p.getAttribute('fill'))""")


@pytest.mark.browser
def test_explorer_renders_offline_and_answers_the_first_slider(dashboard):
    page = dashboard.page

    dashboard.show(NOTEBOOK, READY, "the explorer's sliders, verdict and chart", only_one=(EXPLORER,))

    explorer = page.locator(EXPLORER)
    verdict = page.locator(VERDICT)
    before_text = verdict.inner_text()
    assert before_text.startswith("Under-served"), before_text + dashboard.context()
    assert "Level 2" in before_text, before_text + dashboard.context()
    before_chart = dashboard.chart_svg(CHART)
    fills = bar_fills(page)  # one bar per level; Level 2 is needed and not offered
    assert len(fills) == 4 and NEEDED_NOT_OFFERED in fills, fills

    # The first slider is "Difficulty of mastering the product", 0.8, step 0.05.
    slider = explorer.locator(":scope > .widget-slider").first
    label = slider.locator(".widget-label").inner_text()
    assert label.startswith("Difficulty of mastering"), label
    readout = slider.locator(".widget-readout")
    assert readout.inner_text() == "0.80"
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(12):  # 0.80 -> 0.20; noUiSlider fires "change" per key, continuous_update=False is fine
        handle.press("ArrowLeft")

    dashboard.wait_rendered(
        f"document.querySelector({CHART!r}) && "
        f"document.querySelector('{EXPLORER} > .widget-slider .widget-readout').innerText.trim() === '0.20'",
        "the first slider's readout to show 0.20", timeout=30)
    dashboard.wait_rendered(
        f"(document.querySelector({VERDICT!r}) || {{innerText: ''}}).innerText.startsWith('Just right')",
        "the verdict to change to 'Just right'", timeout=60)
    after_text = verdict.inner_text()
    assert after_text != before_text
    assert after_text.startswith("Just right"), after_text + dashboard.context()

    # The chart is redrawn in place: wait for it to differ from the first drawing.
    dashboard.wait_chart_changed(CHART, before_chart, "explorer")
    # Level 1 is now enough: no bar is left "needed, not offered" (after the last of the 12 redraws).
    deadline = time.monotonic() + 30
    while NEEDED_NOT_OFFERED in bar_fills(page) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    fills = bar_fills(page)
    assert len(fills) == 4 and NEEDED_NOT_OFFERED not in fills, fills

    # The lesson's tables (ui.table) render as tables with their dollar amounts as text, not as math.
    tables = page.locator(".b4b-table")
    assert tables.count() >= 8, tables.count()
    assert page.locator(".b4b-table mjx-container").count() == 0
    assert "$15.3M" in page.locator(".b4b-table", has_text="Uptime service / Pharma #1").inner_text()

    # Rendering needed nothing from outside: whatever was blocked is cosmetic (icon fonts).
    dashboard.assert_read_right()

    page.locator(EXPLORER).screenshot(path=str(dashboard.out_dir / "explorer.png"))
    shot = dashboard.screenshot("supplier_levels.png")
    print(f"blocked outside requests: {len(dashboard.log.blocked)} (cosmetic); screenshot: {shot}")
