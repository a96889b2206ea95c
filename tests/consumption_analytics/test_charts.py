"""Chart builders of lesson 7: they encode the columns analytics computed, and render offline."""

import pytest

from b4b_kit.consumption_analytics import charts, telemetry
from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.ui import to_svg
from tests.consumption_analytics.test_model import hand_telemetry
from tests.helpers import chart_rows


@pytest.fixture(scope="module")
def hand():
    return analytics.analyse(hand_telemetry())


def test_adoption_path_chart_draws_the_customer_solid_and_the_path_dashed(hand):
    comp = analytics.path_comparison(hand.metrics, "Acme")
    spec = charts.adoption_path_chart(comp).to_dict()
    rows = chart_rows(spec)
    assert len(rows) == len(comp) == 12  # 3 months x 2 measures x (customer, path)
    assert spec["encoding"]["strokeDash"]["field"] == "series"
    assert spec["encoding"]["strokeDash"]["scale"]["domain"] == ["customer", "best-practice path"]
    assert spec["encoding"]["y"]["field"] == "value"


def test_customer_health_chart_puts_the_seat_funnel_beside_the_path(hand):
    chart = charts.customer_health_chart(analytics.path_comparison(hand.metrics, 1),
                                         analytics.seat_funnel(hand.metrics, 1))
    spec = chart.to_dict()
    assert len(spec["hconcat"]) == 2
    svg = to_svg(chart)
    assert svg.lstrip().startswith("<svg")
    assert "licensed (purchase)" in svg and "best-practice path" in svg


def test_health_map_has_one_mark_per_customer_coloured_by_status(hand):
    spec = charts.health_map(hand.customers).to_dict()
    rows = chart_rows(spec)
    assert sorted(r["customer"] for r in rows) == ["Acme", "Bolt"]
    assert {r["status"] for r in rows} == {"at_risk", "expand_ready"}
    assert spec["encoding"]["color"]["scale"]["domain"] == list(charts.HEALTH_COLOURS)
    assert list(charts.HEALTH_COLOURS) == list(analytics.STATUSES)


def test_cohort_chart_plots_the_measure_asked_for_and_refuses_others(hand):
    curves = analytics.cohort_curves(hand.metrics)
    spec = charts.cohort_chart(curves, "feature_breadth").to_dict()
    assert spec["encoding"]["y"]["field"] == "feature_breadth"
    with pytest.raises(ValueError, match="measure must be one of"):
        charts.cohort_chart(curves, "usage_depth")


def test_peer_feature_chart_keeps_the_rule_order(hand):
    peers = analytics.peer_feature_use(hand.customers, hand.uses, ["a", "b"])
    spec = charts.peer_feature_chart(peers).to_dict()
    assert [r["feature"] for r in chart_rows(spec)] == ["b", "a"]
    assert spec["encoding"]["y"]["sort"] is None


def test_a_generated_cohort_stays_under_the_altair_row_limit():
    a = analytics.analyse(telemetry.generate(customers=50, seed=2))
    curves = analytics.cohort_curves(a.metrics, by=a.customers.set_index("customer_id")["status"].astype(str))
    for chart in (charts.health_map(a.customers), charts.cohort_chart(curves)):
        assert len(chart_rows(chart.to_dict())) < 5000
