"""The outcome offer explorer's callbacks in plain pytest: setting a slider fires its observers."""

from b4b_kit.outcome_offer_types import pricing, widgets
from tests.helpers import chart_rows


def test_starts_on_the_lesson_deal_with_risk_rising_from_type_1_to_type_3():
    ex = widgets.OutcomeOfferExplorer(n=5000)
    share = dict(zip(ex.summary["scheme"], ex.summary["supplier_risk_share"]))
    assert share["subscription"] == 0 < share["pay_per_use"] < share["pay_per_kpi"] < share["gain_share"]
    assert "b4b-pricing-table" in ex.text.value and "Type 3: gain share" in ex.text.value
    assert len(chart_rows(ex.risk_chart)) == 10


def test_the_explorer_shows_what_the_model_computes():
    ex = widgets.OutcomeOfferExplorer(n=3000, seed=4)
    deal = pricing.equal_revenue_prices(pricing.DealAssumptions(), 200)
    expected = pricing.price(deal, n=3000, seed=4)
    assert ex.summary.equals(expected)
    assert f"{expected['margin_mean'].iloc[4]:,.0f}" in ex.text.value


def test_removing_uncertainty_removes_all_risk_and_redraws_the_charts():
    ex = widgets.OutcomeOfferExplorer(n=3000)
    before = chart_rows(ex.risk_chart)
    ex.sliders["uncertainty"].value = 0.0
    assert (ex.summary["supplier_risk_share"] == 0).all()
    assert (ex.summary["loss_probability"] == 0).all()
    assert ex.text.value.count(">0¢<") == 5
    assert chart_rows(ex.risk_chart) != before


def test_a_higher_cost_to_serve_lowers_every_margin():
    ex = widgets.OutcomeOfferExplorer(n=3000)
    before = ex.summary["margin_mean"].to_numpy()
    ex.sliders["unit_cost"].value = 0.15
    assert (ex.summary["margin_mean"].to_numpy() < before).all()


def test_an_impossible_deal_shows_a_message_not_a_traceback():
    ex = widgets.OutcomeOfferExplorer(n=2000)
    ex.sliders["uncertainty"].value = 0.0
    ex.sliders["kpi_target"].value = 0.1  # above a certain 8 %: Type 2 can never be paid
    assert "b4b-error" in ex.text.value
    assert "the KPI target is never reached" in ex.text.value
    ex.sliders["kpi_target"].value = 0.05
    assert "b4b-pricing-table" in ex.text.value
