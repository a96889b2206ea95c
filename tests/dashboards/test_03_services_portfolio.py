"""Lesson 3 as a Voila dashboard, in a real headless Chromium with no internet.

The services explorer (``b4b_kit.widgets.ServicePortfolioExplorer``) must
render its controls, its classification and both charts. Moving the year
slider must come back from the kernel as a new mix text and a redrawn mix
chart; choosing another service must come back as a new verdict and a redrawn
chart of signals matched.
"""

import pytest

NOTEBOOK = "03_services_portfolio.ipynb"

EXPLORER = ".b4b-services-explorer"
VERDICT = f"{EXPLORER} > .b4b-service-verdict"
EXPLANATION = f"{VERDICT} .b4b-service-explanation"
MIX_TEXT = f"{EXPLORER} > .b4b-service-mix .b4b-service-mix-text"
CHARTS = f"{EXPLORER} > .b4b-chart"  # the scores chart, then the mix chart
SLIDER = f"{EXPLORER} > .widget-slider"
SERVICE = f"{EXPLORER} > .widget-dropdown select"

READY = f"""document.querySelectorAll({CHARTS + ' svg.marks'!r}).length >= 2
    && document.querySelector({SLIDER!r})
    && document.querySelector({EXPLANATION!r})
    && document.querySelector({MIX_TEXT!r})"""


@pytest.mark.browser
def test_services_explorer_renders_offline_and_answers_its_controls(dashboard):
    page = dashboard.page
    dashboard.show(NOTEBOOK, READY, "the services explorer's controls, verdict and two charts", only_one=(EXPLORER,))

    explanation = page.locator(EXPLANATION)
    assert explanation.inner_text().startswith("Support services"), explanation.inner_text() + dashboard.context()
    mix_text = page.locator(MIX_TEXT)
    assert mix_text.inner_text().startswith("In 2023:"), mix_text.inner_text() + dashboard.context()

    # The year slider: 2023 -> 2020, three key presses.
    slider = page.locator(SLIDER)
    assert slider.locator(".widget-readout").inner_text() == "2023"
    before_mix = dashboard.chart_svg(CHARTS, 1)
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(3):
        handle.press("ArrowLeft")
    dashboard.wait_rendered(f"document.querySelector({MIX_TEXT!r}).innerText.startsWith('In 2020:')",
                            "the mix text to read 'In 2020:'", timeout=60)
    assert "Optimize + outcome services:" in mix_text.inner_text()
    dashboard.wait_chart_changed(CHARTS, before_mix, "mix", index=1)

    # Another service: the tie between support and field services is flagged, not guessed.
    before_scores = dashboard.chart_svg(CHARTS, 0)
    page.locator(SERVICE).select_option(label="Premium support with remote watch (Northwind Instruments)")
    dashboard.wait_rendered(f"document.querySelector({EXPLANATION!r}).innerText.startsWith('Uncertain: a tie')",
                            "the explanation to report a tie", timeout=60)
    assert "Support services" in explanation.inner_text() and "Field services" in explanation.inner_text()
    dashboard.wait_chart_changed(CHARTS, before_scores, "signals-matched", index=0)

    dashboard.assert_read_right()
    shot = dashboard.screenshot("services_portfolio.png")
    print(f"blocked outside requests: {len(dashboard.log.blocked)} (cosmetic); screenshot: {shot}")
