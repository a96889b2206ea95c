"""The explorer's callbacks in plain pytest: setting a control fires its observers."""

import re

from b4b_kit.supplier_levels import widgets
from tests.helpers import chart_rows


def test_starts_on_the_printer_maker_under_served():
    ex = widgets.SupplierLevelExplorer()
    assert ex.assessment.mismatch == "under_served"
    assert "Under-served" in ex.verdict.value
    assert [row["status"] for row in chart_rows(ex)] == ["offered", "needed, not offered", "not needed", "not needed"]


def test_moving_a_slider_changes_verdict_and_chart():
    ex = widgets.SupplierLevelExplorer()
    ex.sliders["mastery_difficulty"].value = 0.2  # gap 0.16: level 1 is enough
    assert "Just right" in ex.verdict.value
    assert "Required level:</b> 1" in ex.verdict.value
    assert [row["status"] for row in chart_rows(ex)] == ["offered", "not needed", "not needed", "not needed"]


def test_ticking_outcome_without_automation_is_an_all_in_bundle_and_over_promised_until_mastered():
    ex = widgets.SupplierLevelExplorer()
    for element in ("tailored_product", "implementation_and_maintenance", "connected_product",
                    "adoption_services", "operate_services", "outcome_as_a_service"):
        ex.checkboxes[element].value = True
    ex.sliders["outcome_variability"].value = 0.95
    ex.sliders["outcome_criticality"].value = 0.95
    assert "Over-promised" in ex.verdict.value
    assert "industrialised domain expertise" in ex.verdict.value
    rows = chart_rows(ex)
    assert rows[3]["status"] == "promised, not delivered" and rows[3]["label"] == "4 Outcome Offer: all-in bundle"
    ex.checkboxes["codified_domain_expertise"].value = True  # the bundle is now a true Level 4 offer
    assert "Just right" in ex.verdict.value and "All-in bundle (the dangerous variant)" in ex.verdict.value
    assert "Variant:</b> all-in bundle" in ex.verdict.value
    assert [row["status"] for row in chart_rows(ex)][3] == "offered"


def test_controls_are_labelled_in_the_subjects_words():
    ex = widgets.SupplierLevelExplorer()
    assert ex.sliders["customer_capability"].description == "Customer's in-house capability"
    assert ex.checkboxes["automated_platform"].description == "L4: Automated standard platform"


def bar_fills(svg: str) -> list[str]:
    """Fill colours of the staircase's bars in ChartView's SVG (legend symbols are paths of another group)."""
    bars = svg.split('class="mark-rect role-mark', 1)[1].split("</g>", 1)[0]
    return re.findall(r'fill="(#[0-9a-f]{6})"', bars)


def test_chart_view_draws_svg_in_the_kernel_and_redraws_when_the_chart_is_set():
    ex = widgets.SupplierLevelExplorer()
    svg = ex.chart.value
    assert svg.lstrip().startswith("<svg") and 'class="marks"' in svg
    assert "b4b-chart" in ex.chart._dom_classes  # the class the dashboards and their tests look for
    # printer maker: level 1 offered, level 2 needed and not offered, levels 3-4 not needed
    assert bar_fills(svg) == ["#2b6ca3", "#d1495b", "#d9d9d9", "#d9d9d9"]
    ex.sliders["mastery_difficulty"].value = 0.2
    assert bar_fills(ex.chart.value) == ["#2b6ca3", "#d9d9d9", "#d9d9d9", "#d9d9d9"]
