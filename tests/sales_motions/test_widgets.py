"""Lesson 06 explorers in plain pytest: setting a slider fires the callback, which calls the models."""

from b4b_kit.sales_motions import compensation as pay
from b4b_kit.sales_motions import motions, widgets
from tests.helpers import chart_rows


def test_motion_explorer_starts_with_the_model_figures():
    ex = widgets.SalesMotionExplorer(customers=300, years=6)
    expected = motions.compare_motions(motions.LandExpand(adoption_speed=0.6, churn=0.3, expansion=0.5),
                               customers=300, years=6)
    assert ex.figures == motions.motion_figures(expected)
    assert "b4b-motions-text" in ex.summary.value
    assert f"${ex.figures['Land + Expand']['cumulative_revenue'] / 300:.2f}M" in ex.summary.value
    assert len(chart_rows(ex)) == 12


def test_moving_adoption_speed_changes_summary_and_chart_but_not_new_renew():
    ex = widgets.SalesMotionExplorer(customers=300, years=6)
    before_text, before_rows, before = ex.summary.value, chart_rows(ex), ex.figures
    ex.sliders["adoption_speed"].value = 0.95
    assert ex.summary.value != before_text
    assert chart_rows(ex) != before_rows
    assert ex.figures["Land + Expand"]["cumulative_revenue"] > before["Land + Expand"]["cumulative_revenue"]
    assert ex.figures["New + Renew"] == before["New + Renew"]


def test_full_churn_without_adoption_empties_land_expand():
    ex = widgets.SalesMotionExplorer(customers=100, years=4)
    ex.sliders["adoption_speed"].value = 0.0
    ex.sliders["churn"].value = 1.0
    assert ex.figures["Land + Expand"]["customers_left"] == 0


def test_pay_explorer_shows_the_per_year_table_and_follows_the_hybrid_split():
    ex = widgets.PayPlanExplorer()
    cohort = motions.consumption_pipeline(adoption_speed=0.6)
    assert ex.figures == pay.pipeline_figures(cohort, 25.0, pay.PayPlan(rate=0.05, bookings_weight=0.5))
    assert "b4b-pay-table" in ex.summary.value and "Revenue-timed" in ex.summary.value
    ex.sliders["bookings_weight"].value = 0.0
    assert ex.figures["pay_total_hybrid"] > ex.figures["pay_total_bookings"]
    ex.sliders["bookings_weight"].value = 1.0
    assert ex.figures["pay_total_hybrid"] == ex.figures["pay_total_bookings"]


def test_a_model_error_is_shown_in_the_page_not_raised():
    ex = widgets.PayPlanExplorer()
    ex.pipeline["deal_value"] = -1.0  # what a bad configuration would do: the callback must not raise
    ex.sliders["adoption_speed"].value = 0.3
    assert "deal_value" in ex.summary.value and "color:#a00" in ex.summary.value
