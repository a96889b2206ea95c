"""The symptom diagnosis and the step-6 prioritiser: ticks and weights change text and chart."""

from b4b_kit import datasets
from b4b_kit.channel_capability_model import widgets
from tests.helpers import chart_rows


def test_diagnosis_ticking_a_symptom_changes_text_and_chart():
    d = widgets.SymptomDiagnosis(ticked=["wrong_partners_selected"])
    assert "1 symptom(s) point to 6 capabilities" in d.output.value
    assert len(chart_rows(d)) == 6
    d.checkboxes["asks_not_needs"].value = True
    assert "2 symptom(s) point to 9 capabilities" in d.output.value
    assert "Likeliest gap: <b>Partner assessments</b>" in d.output.value
    assert chart_rows(d)[0]["capability"] == "partner_assessments"
    for box in d.checkboxes.values():
        box.value = False
    assert "Tick at least one symptom" in d.output.value and chart_rows(d) == []


def test_prioritiser_weights_change_ranking_and_all_zero_is_explained():
    p = widgets.InnovationPrioritiser(datasets.load("tire_innovations"))
    assert "Top: <b>Tire storage service</b> (score 0.675)" in p.output.value
    assert "Pareto front (4 of 8" in p.output.value
    p.sliders["business_value"].value = 0.0
    p.sliders["implementation_complexity"].value = 0.0
    assert "Top: <b>Better payment terms</b>" in p.output.value
    bars = chart_rows(p)
    assert bars[0]["innovation"] == "payment_terms"
    p.sliders["delivery_credibility"].value = 0.0
    assert "all weights are 0" in p.output.value
