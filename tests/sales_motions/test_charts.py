"""Lesson 06 charts encode the columns the models computed, and render offline."""

from b4b_kit.sales_motions import charts, motions
from b4b_kit.sales_motions import compensation as pay
from b4b_kit.sales_motions import migrations as mig
from b4b_kit.ui import to_svg
from tests.helpers import chart_rows


def test_motion_comparison_shows_revenue_and_nrr_of_both_motions():
    table = motions.compare_motions(customers=50, years=4)
    spec = charts.motion_comparison(table).to_dict()
    revenue, nrr = spec["hconcat"]
    assert revenue["encoding"]["y"]["field"] == "revenue_per_customer"
    assert nrr["layer"][0]["encoding"]["y"]["field"] == "nrr"
    rows = chart_rows(spec)
    assert len(rows) == 8 and {r["motion"] for r in rows} == set(charts.MOTION_COLOURS)
    assert [r["revenue_per_customer"] for r in rows] == table["revenue_per_customer"].tolist()


def test_pay_timing_has_one_bar_per_plan_and_year():
    d = pay.Deal("d", pro_forma=25, committed=2, revenue=(1, 2.5, 5, 5, 5))
    by_year = pay.pay_by_year(pay.pay_schedule([d]))
    spec = charts.pay_timing(by_year).to_dict()
    assert len(chart_rows(spec)) == 20
    assert spec["encoding"]["color"]["scale"]["domain"] == list(pay.PLAN_NAMES.values())


def test_level_shares_svg_names_the_levels_offline():
    svg = to_svg(charts.level_shares(mig.share_path(years=5)))
    assert svg.lstrip().startswith("<svg")
    assert "3 Optimize Offer" in svg and "Share of product-markets per level" in svg


def test_survival_curves_draw_the_model_s_steps_and_band_per_contract():
    import pandas as pd

    from b4b_kit.sales_motions import churn

    df = pd.DataFrame({"Contract": ["Month-to-month"] * 3 + ["Two year"] * 2, "tenure": [1, 2, 5, 10, 30],
                       "MonthlyCharges": [1.0] * 5, "Churn": ["Yes", "Yes", "No", "No", "No"]})
    curves = churn.survival_by_contract(df)
    spec = charts.survival_curves(curves).to_dict()
    band, line = spec["layer"]
    assert (band["mark"]["type"], band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == \
        ("area", "ci_low", "ci_high")
    assert line["mark"]["interpolate"] == "step-after" and line["encoding"]["y"]["field"] == "survival"
    rows = chart_rows(spec)
    assert [r["survival"] for r in rows] == curves["survival"].tolist()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Month-to-month", "Two year"]
    assert to_svg(charts.survival_curves(curves)).lstrip().startswith("<svg")


def test_churn_by_tenure_chart_has_one_bar_per_contract_and_band():
    import pandas as pd

    from b4b_kit.sales_motions import churn

    df = pd.DataFrame({"Contract": ["One year", "One year", "Month-to-month"], "tenure": [3, 30, 3],
                       "MonthlyCharges": [1.0] * 3, "Churn": ["Yes", "No", "Yes"]})
    table = churn.churn_by_tenure(df)
    spec = charts.churn_by_tenure_chart(table).to_dict()
    assert [(r["contract"], r["band"], r["churn_rate"]) for r in chart_rows(spec)] == [
        ("Month-to-month", "0-6", 1.0), ("One year", "0-6", 1.0), ("One year", "25-48", 0.0)]
    assert spec["encoding"]["x"]["sort"] == ["0-6", "25-48"]
