"""Lesson 2 as a Voila dashboard, in a real headless Chromium with no internet.

The pricing explorer (``b4b_kit.widgets.OutcomeOfferExplorer``) must render its
sliders, its table and its two charts; taking the uncertainty slider to
zero must reach the kernel and come back as a table in which no scheme carries
any outcome risk, and as redrawn charts.
"""

import pytest

NOTEBOOK = "02_outcome_offer_types.ipynb"

# The explorer is the only VBox holding the pricing table; its charts sit in an HBox below it.
EXPLORER = ".widget-vbox:has(> .b4b-pricing)"
TABLE = f"{EXPLORER} > .b4b-pricing .b4b-pricing-table"
RISK_CELLS = f"{TABLE} td.b4b-risk-share"
CHARTS = f"{EXPLORER} > .widget-hbox .b4b-chart"  # the margin chart, then the risk chart
CHART_MARKS = f"{CHARTS} svg.marks"

# The explorer's two charts (redrawn by the kernel), and three cell charts drawn as SVG images (margin histograms,
# risk split, Level 4 curves): see charts.enable_offline.
READY = f"""document.querySelector('.widget-slider')
    && document.querySelectorAll('.jp-RenderedSVG').length >= 3
    && document.querySelectorAll({CHART_MARKS!r}).length >= 2
    && document.querySelectorAll({RISK_CELLS!r}).length === 5"""


def risk_cells(page):
    return [t.strip() for t in page.locator(RISK_CELLS).all_inner_texts()]


@pytest.mark.browser
def test_pricing_explorer_renders_offline_and_answers_the_uncertainty_slider(dashboard):
    page = dashboard.page

    dashboard.show(NOTEBOOK, READY, "the pricing explorer's sliders, table and two charts", only_one=(EXPLORER,))

    before = risk_cells(page)
    # licence and subscription carry none of the outcome risk; the gain share carries most
    assert before[:2] == ["0¢", "0¢"], before
    shares = [int(cell.rstrip("¢")) for cell in before]
    assert 0 < shares[2] < shares[3] < shares[4], before
    before_charts = [dashboard.chart_svg(CHARTS, i) for i in range(2)]
    assert len(before_charts) == 2, "expected the margin chart and the risk chart"

    slider = page.locator(f"{EXPLORER} > .widget-slider").first
    label = slider.locator(".widget-label").inner_text()
    assert label.startswith("Uncertainty"), label
    assert slider.locator(".widget-readout").inner_text() == "1.0"
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(10):  # 1.0 -> 0.0 in steps of 0.1
        handle.press("ArrowLeft")

    dashboard.wait_rendered(
        f"document.querySelector('{EXPLORER} > .widget-slider .widget-readout').innerText.trim() === '0.0'",
        "the uncertainty readout to show 0.0", timeout=30)
    dashboard.wait_rendered(
        f"[...document.querySelectorAll({RISK_CELLS!r})].map(td => td.innerText.trim()).join() === "
        "'0¢,0¢,0¢,0¢,0¢'",
        "every scheme's share of the outcome risk to drop to 0¢", timeout=60)
    assert risk_cells(page) != before

    # Both charts are redrawn in place: wait until each differs from its first drawing.
    for index, name in enumerate(("margin", "risk")):
        dashboard.wait_chart_changed(CHARTS, before_charts[index], f"explorer's {name}", index=index)

    dashboard.assert_read_right()
    shot = dashboard.screenshot("outcome_offers.png")
    print(f"screenshot: {shot}")
