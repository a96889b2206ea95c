"""Lesson 7 as a Voila dashboard, in a real headless Chromium with no internet.

The customer-health dashboard (``b4b_kit.widgets.CustomerHealthDashboard``)
must render its customer picker, its verdict and its chart, starting on
the top of the adoption-services list; picking another customer must reach the
kernel and come back as that customer's verdict and a redrawn chart. The
verdicts on the page must be exactly what the model computes in-process for
the lesson's cohort.
"""

import pytest

from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.consumption_analytics import telemetry

NOTEBOOK = "07_consumption_analytics.ipynb"

BOARD = ".b4b-health-dashboard"
PICKER = f"{BOARD} .widget-dropdown select"
VERDICT = f"{BOARD} > .b4b-health .b4b-health-text"
CHART = f"{BOARD} > .b4b-chart"
CHART_MARKS = f"{CHART} svg.marks"

READY = f"""document.querySelector({PICKER!r})
    && document.querySelector({CHART_MARKS!r})
    && document.querySelector({VERDICT!r})"""


@pytest.fixture(scope="module")
def lesson_cohort():
    """The lesson's cohort, analysed in-process with the lesson's parameters."""
    return analytics.analyse(telemetry.generate(customers=60, months=12, seed=7),
                             path=analytics.AdoptionPath(full_adoption=0.8, full_breadth=0.6, ramp_months=6))


@pytest.mark.browser
def test_customer_health_dashboard_shows_the_model_verdict_and_follows_the_picker(dashboard, lesson_cohort):
    page = dashboard.page
    top = lesson_cohort.services_list().iloc[0]
    healthy = lesson_cohort.customers[lesson_cohort.customers["status"] == "on_track"].iloc[0]
    expected_top = lesson_cohort.health(int(top["customer_id"])).verdict
    expected_other = lesson_cohort.health(int(healthy["customer_id"])).verdict

    dashboard.show(NOTEBOOK, READY, "the customer picker, verdict and chart", only_one=(BOARD,))

    verdict = page.locator(VERDICT)
    before_text = verdict.inner_text()
    assert before_text == expected_top, before_text + dashboard.context()
    shown = page.locator(PICKER).evaluate("s => s.options[s.selectedIndex].text")
    assert shown.replace("\xa0", " ") == top["customer"]  # ipywidgets shows spaces as no-break spaces
    before_chart = dashboard.chart_svg(CHART)

    names = lesson_cohort.customers.sort_values("customer")["customer"].tolist()  # the picker's order
    page.select_option(PICKER, index=names.index(healthy["customer"]))
    dashboard.wait_rendered(
        f"(document.querySelector({VERDICT!r}) || {{innerText: ''}}).innerText.startsWith({healthy['customer']!r})",
        "the verdict to name the customer picked", timeout=60)
    after_text = verdict.inner_text()
    assert after_text == expected_other, after_text + dashboard.context()
    assert "on track" in after_text

    dashboard.wait_chart_changed(CHART, before_chart, "customer-health")

    dashboard.assert_read_right()
    shot = dashboard.screenshot("consumption_analytics.png")
    page.locator(BOARD).screenshot(path=str(dashboard.out_dir / "customer_health.png"))
    print(f"blocked outside requests: {len(dashboard.log.blocked)} (cosmetic); screenshot: {shot}")
