"""Lesson 5 as a Voila dashboard, in a real headless Chromium with no internet.

Ticking a second symptom in the diagnosis widget must come back as a new
diagnosis text and a redrawn chart; moving the business-value weight of the
step-6 prioritiser to 0 must change the leader and its chart.
"""

import pytest

NOTEBOOK = "05_channel_capability_model.ipynb"

DIAGNOSIS = ".widget-vbox:has(> .b4b-diagnosis)"
DIAGNOSIS_TEXT = f"{DIAGNOSIS} > .b4b-diagnosis .b4b-diagnosis-text"
DIAGNOSIS_CHART = f"{DIAGNOSIS} > .b4b-chart"
PRIORITIES = ".widget-vbox:has(> .b4b-priorities)"
PRIORITIES_TEXT = f"{PRIORITIES} > .b4b-priorities .b4b-priorities-text"
PRIORITIES_CHART = f"{PRIORITIES} > .b4b-chart"


def marks(chart):
    return f"{chart} svg.marks"


READY = f"""document.querySelector({DIAGNOSIS_TEXT!r})
    && document.querySelector({marks(DIAGNOSIS_CHART)!r})
    && document.querySelectorAll('{DIAGNOSIS} .widget-checkbox input').length === 6
    && document.querySelector({PRIORITIES_TEXT!r})
    && document.querySelector({marks(PRIORITIES_CHART)!r})"""


def text_starts(selector, prefix):
    return f"(document.querySelector({selector!r}) || {{innerText: ''}}).innerText.startsWith({prefix!r})"


@pytest.mark.browser
def test_diagnosis_and_prioritiser_answer_their_controls(dashboard):
    page = dashboard.page

    dashboard.show(NOTEBOOK, READY, "the diagnosis checkboxes, the prioritiser, their texts and charts")

    # Diagnosis: weak lifecycle support is ticked; tick "not finding the right partners" too.
    text = page.locator(DIAGNOSIS_TEXT)
    assert text.inner_text().startswith("1 symptom(s) point to 8 capabilities"), dashboard.context()
    before = dashboard.chart_svg(DIAGNOSIS_CHART)
    box = page.locator(f"{DIAGNOSIS} .widget-checkbox", has_text="right partners").locator("input")
    assert not box.is_checked()
    box.check()
    dashboard.wait_rendered(text_starts(DIAGNOSIS_TEXT, "2 symptom(s) point to 13 capabilities"),
                            "the diagnosis to count 2 symptoms and 13 capabilities", timeout=60)
    assert "Likeliest gap: Partner assessments" in text.inner_text()
    after = dashboard.wait_chart_changed(DIAGNOSIS_CHART, before, "diagnosis")
    assert "Ideal channel partner personae" in after  # a capability of the new symptom

    # Prioritiser: business value weight 0.40 -> 0.00 (step 0.05) makes payment terms lead.
    ptext = page.locator(PRIORITIES_TEXT)
    assert ptext.inner_text().startswith("Top: Tire storage service"), dashboard.context()
    before = dashboard.chart_svg(PRIORITIES_CHART)
    slider = page.locator(f"{PRIORITIES} > .widget-slider").first
    assert slider.locator(".widget-label").inner_text().startswith("Business value")
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(8):
        handle.press("ArrowLeft")
    dashboard.wait_rendered(text_starts(PRIORITIES_TEXT, "Top: Better payment terms"),
                            "the prioritiser to put payment terms on top", timeout=60)
    dashboard.wait_chart_changed(PRIORITIES_CHART, before, "prioritiser")

    dashboard.assert_read_right()
    shot = dashboard.screenshot("channel.png")
    print(f"screenshot: {shot}")
