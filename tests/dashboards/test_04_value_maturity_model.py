"""Lesson 4 as a Voila dashboard, in a real headless Chromium with no internet.

The questionnaire (``b4b_kit.widgets.MaturityQuestionnaire``) starts on
WhiteBox's answers before its move (level 3 under the staged rule). Switching
the scoring rule to *continuous* must reach the kernel and come back as a new
summary (2.97) and a redrawn profile chart.
"""

import pytest

NOTEBOOK = "04_value_maturity_model.ipynb"

# The questionnaire is the only VBox holding the maturity result; its chart is a sibling of the result.
WIDGET = ".widget-vbox:has(> .b4b-maturity-result)"
SUMMARY = f"{WIDGET} > .b4b-maturity-result .b4b-maturity-summary"
CHART = f"{WIDGET} > .b4b-chart"
CHART_MARKS = f"{CHART} svg.marks"
RULE_BUTTONS = f"{WIDGET} .widget-toggle-buttons button"

READY = f"""document.querySelector({RULE_BUTTONS!r})
    && document.querySelector({CHART_MARKS!r})
    && document.querySelector({SUMMARY!r})
    && document.querySelectorAll('{WIDGET} .b4b-criterion .widget-slider').length === 27"""


@pytest.mark.browser
def test_questionnaire_renders_offline_and_answers_the_rule_toggle(dashboard):
    page = dashboard.page

    dashboard.show(NOTEBOOK, READY, "the questionnaire's 27 sliders, rule buttons, summary and chart",
                   only_one=(WIDGET,))

    summary = page.locator(SUMMARY)
    before_text = summary.inner_text()
    assert before_text.startswith("Overall level 3 under the staged rule"), before_text + dashboard.context()
    before_chart = dashboard.chart_svg(CHART)
    assert "3.00" in before_chart  # bar labels of the staged profile

    page.locator(RULE_BUTTONS, has_text="continuous").click()

    dashboard.wait_rendered(
        f"(document.querySelector({SUMMARY!r}) || {{innerText: ''}}).innerText"
        f".startsWith('Overall level 2.97 under the continuous rule')",
        "the summary to change to the continuous level 2.97", timeout=60)
    after_text = summary.inner_text()
    assert after_text != before_text
    assert "agreements 2.85" in after_text, after_text

    after_chart = dashboard.wait_chart_changed(CHART, before_chart, "profile")
    assert "2.97" in after_chart  # the overall bar's label

    dashboard.assert_read_right()
    shot = dashboard.screenshot("value_maturity.png")
    print(f"screenshot: {shot}")
