"""Lesson 6 as a Voila dashboard, in a real headless Chromium with no internet.

The sales-motion explorer must render its sliders, summary and chart; moving
its first slider (adoption speed) must reach the kernel and come back as a new
summary and a redrawn chart. The pay-plan explorer must answer its hybrid-split
slider with a new per-year table.
"""

import re

import pytest

NOTEBOOK = "06_sales_motions.ipynb"

MOTIONS = ".widget-vbox:has(> .b4b-motions-summary)"
MOTIONS_TEXT = f"{MOTIONS} > .b4b-motions-summary .b4b-motions-text"
MOTIONS_CHART = f"{MOTIONS} > .b4b-chart"
MOTIONS_MARKS = f"{MOTIONS_CHART} svg.marks"
PAY = ".widget-vbox:has(> .b4b-pay-summary)"
PAY_TEXT = f"{PAY} > .b4b-pay-summary .b4b-pay-text"
PAY_TABLE = f"{PAY} > .b4b-pay-summary table.b4b-pay-table"

READY = f"""document.querySelector({MOTIONS_MARKS!r})
    && document.querySelector({MOTIONS_TEXT!r})
    && document.querySelector({PAY_TABLE!r})
    && document.querySelector('{PAY} > .b4b-chart svg.marks')"""


def move(slider, key, times):
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):  # noUiSlider fires "change" per key press
        handle.press(key)


@pytest.mark.browser
def test_land_expand_dashboard_answers_adoption_speed_and_hybrid_split(dashboard):
    page = dashboard.page
    dashboard.show(NOTEBOOK, READY, "both explorers' sliders, summaries and charts", only_one=(MOTIONS, PAY,))

    before_text = page.locator(MOTIONS_TEXT).inner_text()
    assert before_text.startswith("Over 10 years a customer won pays on average"), before_text + dashboard.context()
    before_chart = dashboard.chart_svg(MOTIONS_CHART)

    # The first slider is adoption speed, 0.60 in steps of 0.05: six steps right make it 0.90.
    slider = page.locator(f"{MOTIONS} > .widget-slider").first
    assert slider.locator(".widget-label").inner_text().startswith("Adoption speed")
    assert slider.locator(".widget-readout").inner_text() == "0.60"
    move(slider, "ArrowRight", 6)
    dashboard.wait_rendered(
        f"document.querySelector('{MOTIONS} > .widget-slider .widget-readout').innerText.trim() === '0.90'",
        "the adoption-speed readout to show 0.90", timeout=30)
    dashboard.wait_rendered(
        f"(document.querySelector({MOTIONS_TEXT!r}) || {{innerText: ''}}).innerText !== {before_text!r}",
        "the summary to change", timeout=60)
    after_text = page.locator(MOTIONS_TEXT).inner_text()
    # faster adoption: Land + Expand earns more per customer; New + Renew keeps its figure
    first = re.findall(r"\$(\d+\.\d\d)M", before_text)
    second = re.findall(r"\$(\d+\.\d\d)M", after_text)
    assert float(second[0]) > float(first[0]) and second[1] == first[1], (before_text, after_text)

    dashboard.wait_chart_changed(MOTIONS_CHART, before_chart, "sales-motion")

    # Pay plans: the hybrid split starts at 0.5; five steps right put all weight on committed bookings.
    before_pay = page.locator(PAY_TEXT).inner_text()
    pay_slider = page.locator(f"{PAY} > .widget-slider").nth(1)
    assert pay_slider.locator(".widget-label").inner_text().startswith("Hybrid: weight on bookings")
    move(pay_slider, "ArrowRight", 5)
    dashboard.wait_rendered(
        f"document.querySelectorAll('{PAY} > .widget-slider .widget-readout')[1].innerText.trim() === '1.0'",
        "the hybrid-split readout to show 1.0", timeout=30)
    # the hybrid column now equals the bookings-only column in every year
    same = f"""[...document.querySelectorAll({PAY_TABLE + ' tbody tr'!r})].every(
        tr => tr.cells.length === 5 && tr.cells[1].innerText === tr.cells[3].innerText)"""
    dashboard.wait_rendered(same, "the hybrid pay to equal bookings-only pay in every year", timeout=60)
    assert page.locator(PAY_TEXT).inner_text() != before_pay
    rows = page.locator(f"{PAY_TABLE} tbody tr").all_inner_texts()
    assert len(rows) == 5 and rows[0].split()[:4] == ["0", "0.500", "0.500", "0.500"], rows

    dashboard.assert_read_right()
    page.locator(MOTIONS).screenshot(path=str(dashboard.out_dir / "motions.png"))
    page.locator(PAY).screenshot(path=str(dashboard.out_dir / "pay.png"))
    print(f"screenshot: {dashboard.screenshot('land_expand.png')}")
