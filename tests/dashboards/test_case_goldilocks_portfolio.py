"""The Goldilocks portfolio case as a Voila dashboard, in a real headless Chromium with no internet.

The case renders its charts as static SVG (``charts.enable_offline("static")``),
which JupyterLab's renderer shows as an ``<img>`` with an SVG data URL inside
``.jp-RenderedSVG``; inline ``<svg>`` in an output is accepted as well.
"""

import pytest

NOTEBOOK = "cases/goldilocks_portfolio.ipynb"
SUPPLIER = "Northwind Instruments"
CHART = ".jp-OutputArea-output.jp-RenderedSVG img, .jp-OutputArea-output svg"

# Voila first shows an "Executing n of N" spinner, then mounts the notebook in a
# JupyterLab shell once the page has loaded: wait for that shell and its outputs.
READY = f"""document.readyState === 'complete'
    && document.querySelector('.jp-LabShell .jp-OutputArea-output')
    && document.querySelector({CHART!r})
    && document.body.innerText.includes({SUPPLIER!r})
    && document.body.innerText.includes('Mismatch')"""


@pytest.mark.browser
def test_case_renders_offline_with_its_chart_and_supplier(dashboard):
    page = dashboard.page

    dashboard.show(NOTEBOOK, READY, f"the case's outputs, its SVG chart and {SUPPLIER!r}")

    assert page.locator(".voila-error").count() == 0
    text = page.locator("body").inner_text()
    assert "Traceback" not in text, dashboard.context()
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    assert any(SUPPLIER in out for out in outputs), f"{SUPPLIER!r} not in any output" + dashboard.context()

    # The chart is an image that actually decoded (or inline SVG with content).
    chart = page.locator(CHART).first
    drawn = chart.evaluate("""el => el.tagName === 'IMG'
        ? el.complete && el.naturalWidth > 0 && el.src.startsWith('data:image/svg+xml')
        : el.querySelectorAll('path, rect, circle, text').length > 0""")
    if not drawn:
        dashboard.fail("the case's chart is present but empty or not decoded")

    dashboard.assert_read_right()

    shot = dashboard.screenshot("goldilocks_portfolio.png")
    print(f"\ncase rendered; screenshot: {shot}")
