"""Lesson 5 as a Voila dashboard, in a real headless Chromium with no internet.

Ticking a second symptom in the diagnosis widget must come back as a new
diagnosis text and a redrawn chart; moving the business-value weight of the
step-6 prioritiser to 0 must change the leader and its chart.
"""

import time

import pytest

NOTEBOOK = "05_channel.ipynb"

DIAGNOSIS = ".widget-vbox:has(> .b4b-diagnosis)"
DIAGNOSIS_TEXT = f"{DIAGNOSIS} > .b4b-diagnosis .b4b-diagnosis-text"
DIAGNOSIS_CHART = f"{DIAGNOSIS} > .vega-embed"
PRIORITIES = ".widget-vbox:has(> .b4b-priorities)"
PRIORITIES_TEXT = f"{PRIORITIES} > .b4b-priorities .b4b-priorities-text"
PRIORITIES_CHART = f"{PRIORITIES} > .vega-embed"


def marks(chart):
    return f"{chart} svg.marks, {chart} canvas"


READY = f"""document.querySelector({DIAGNOSIS_TEXT!r})
    && document.querySelector({marks(DIAGNOSIS_CHART)!r})
    && document.querySelectorAll('{DIAGNOSIS} .widget-checkbox input').length === 6
    && document.querySelector({PRIORITIES_TEXT!r})
    && document.querySelector({marks(PRIORITIES_CHART)!r})"""


def snapshot(page, chart):
    svg = page.locator(f"{chart} svg.marks")
    if svg.count():
        return svg.first.evaluate("el => el.outerHTML").encode()
    return page.locator(f"{chart} canvas").first.screenshot()


def wait_changed(dashboard, chart, before, what):
    page = dashboard.page
    deadline = time.monotonic() + 60
    after = before
    while after == before and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        if page.locator(marks(chart)).count():
            after = snapshot(page, chart)
    if after == before:
        dashboard.fail(f"the {what} chart did not change")
    return after


def text_starts(selector, prefix):
    return f"(document.querySelector({selector!r}) || {{innerText: ''}}).innerText.startsWith({prefix!r})"


@pytest.mark.browser
def test_diagnosis_and_prioritiser_answer_their_controls(dashboard):
    page = dashboard.page

    start = dashboard.open(NOTEBOOK)
    dashboard.wait_rendered(READY, "the diagnosis checkboxes, the prioritiser, their texts and charts")
    print(f"\ncold time to first render: {time.perf_counter() - start:.1f} s")

    # Diagnosis: weak lifecycle support is ticked; tick "not finding the right partners" too.
    text = page.locator(DIAGNOSIS_TEXT)
    assert text.inner_text().startswith("1 symptom(s) point to 8 capabilities"), dashboard.context()
    before = snapshot(page, DIAGNOSIS_CHART)
    box = page.locator(f"{DIAGNOSIS} .widget-checkbox", has_text="right partners").locator("input")
    assert not box.is_checked()
    box.check()
    dashboard.wait_rendered(text_starts(DIAGNOSIS_TEXT, "2 symptom(s) point to 13 capabilities"),
                            "the diagnosis to count 2 symptoms and 13 capabilities", timeout=60)
    assert "Likeliest gap: Partner assessments" in text.inner_text()
    after = wait_changed(dashboard, DIAGNOSIS_CHART, before, "diagnosis")
    if page.locator(f"{DIAGNOSIS_CHART} svg.marks").count():
        assert "Ideal channel partner personae" in after.decode()  # a capability of the new symptom

    # Prioritiser: business value weight 0.40 -> 0.00 (step 0.05) makes payment terms lead.
    ptext = page.locator(PRIORITIES_TEXT)
    assert ptext.inner_text().startswith("Top: Tire storage service"), dashboard.context()
    before = snapshot(page, PRIORITIES_CHART)
    slider = page.locator(f"{PRIORITIES} > .widget-slider").first
    assert slider.locator(".widget-label").inner_text().startswith("Business value")
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(8):
        handle.press("ArrowLeft")
    dashboard.wait_rendered(text_starts(PRIORITIES_TEXT, "Top: Better payment terms"),
                            "the prioritiser to put payment terms on top", timeout=60)
    wait_changed(dashboard, PRIORITIES_CHART, before, "prioritiser")

    dashboard.assert_nothing_needed_from_outside()
    assert not dashboard.log.page_errors, dashboard.log.report()
    shot = dashboard.screenshot("channel.png")
    print(f"screenshot: {shot}")
