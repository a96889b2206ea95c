"""`b4b serve` as an instructor runs it: committed config, preheated kernels, widgets alive in a real browser."""

import time

import pytest

from tests.dashboards.test_01_supplier_levels import EXPLORER, READY, VERDICT


@pytest.mark.browser
def test_served_lesson_is_interactive_through_a_preheated_kernel(served_dashboard):
    d = served_dashboard
    start = d.open("01_supplier_levels.ipynb")
    d.wait_rendered(READY, "the explorer's sliders, verdict and chart")
    print(f"\nb4b serve, first view (kernel preheated at server start): {time.perf_counter() - start:.1f} s")
    verdict = d.page.locator(VERDICT)
    assert verdict.inner_text().startswith("Under-served")
    handle = d.page.locator(f"{EXPLORER} > .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(12):
        handle.press("ArrowLeft")
    d.wait_rendered(f"(document.querySelector({VERDICT!r}) || {{innerText: ''}}).innerText.startsWith('Just right')",
                    "the verdict to follow the slider in a preheated kernel", timeout=60)


@pytest.mark.browser
def test_served_case_study_renders_without_preheating(served_dashboard):
    d = served_dashboard
    d.open("cases/goldilocks_portfolio.ipynb")
    d.wait_rendered("document.body && document.body.innerText.includes('revenue_at_risk_musd')",
                    "the case study's key figures")
    assert "Northwind Instruments" in d.page.inner_text("body")
