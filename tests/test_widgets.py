"""The explorer's callbacks in plain pytest: setting a control fires its observers."""

from b4b_kit import widgets


def chart_statuses(explorer):
    spec = explorer.chart.chart.to_dict()
    return [v["status"] for v in spec["datasets"][next(iter(spec["datasets"]))]]


def test_starts_on_the_printer_maker_under_served():
    ex = widgets.SupplierLevelExplorer()
    assert ex.assessment.mismatch == "under_served"
    assert "Under-served" in ex.verdict.value
    assert chart_statuses(ex) == ["offered", "needed, not offered", "not needed", "not needed"]


def test_moving_a_slider_changes_verdict_and_chart():
    ex = widgets.SupplierLevelExplorer()
    ex.sliders["mastery_difficulty"].value = 0.2  # gap 0.16: level 1 is enough
    assert "Just right" in ex.verdict.value
    assert "Required level:</b> 1" in ex.verdict.value
    assert chart_statuses(ex) == ["offered", "not needed", "not needed", "not needed"]


def test_ticking_outcome_without_automation_shows_over_promised():
    ex = widgets.SupplierLevelExplorer()
    for element in ("tailored_product", "implementation_and_maintenance", "connected_product",
                    "adoption_services", "operate_services", "outcome_as_a_service"):
        ex.checkboxes[element].value = True
    ex.sliders["outcome_variability"].value = 0.95
    ex.sliders["outcome_criticality"].value = 0.95
    assert "Over-promised" in ex.verdict.value
    assert "automated standard platform" in ex.verdict.value
    assert chart_statuses(ex)[3] == "promised, not delivered"


def test_controls_are_labelled_in_the_subjects_words():
    ex = widgets.SupplierLevelExplorer()
    assert ex.sliders["customer_capability"].description == "Customer's in-house capability"
    assert ex.checkboxes["automated_platform"].description == "L4: Automated standard platform"
