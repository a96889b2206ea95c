"""Churn by contract on IBM's telco sample: rates, Kaplan-Meier curves and revenue at risk."""

import numpy as np
import pandas as pd
import pytest

from b4b_kit import datasets
from b4b_kit.errors import B4BError
from b4b_kit.sales_motions import churn
from tests.helpers import DATA


@pytest.fixture(scope="module")
def telco():
    return datasets.load("telco_customer_churn")


def test_kaplan_meier_on_a_hand_worked_example():
    # six customers: leave at 1, 2, 3 and 5 months; still customers at 2 and 4 months
    km = churn.kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    assert km["time"].tolist() == [0, 1, 2, 3, 4, 5]
    assert km["at_risk"].tolist() == [6, 6, 5, 3, 2, 1]
    assert km["censored"].tolist() == [0, 0, 1, 0, 1, 0]
    # S = 5/6, 5/6 * 4/5, then * 2/3, unchanged at the censored 4, then * 0
    assert km["survival"].tolist() == pytest.approx([1, 5 / 6, 4 / 6, 4 / 9, 4 / 9, 0])
    assert churn.median_survival(km) == 3.0
    # Greenwood at t=1: 1/(6*5); log(-log) band: S^exp(+-1.96 sqrt(V)/|log S|)
    spread = 1.959963984540054 * np.sqrt(1 / 30) / abs(np.log(5 / 6))
    assert km.loc[1, "ci_low"] == pytest.approx((5 / 6) ** np.exp(spread))
    assert km.loc[1, "ci_high"] == pytest.approx((5 / 6) ** np.exp(-spread))


def test_the_vectorized_curve_equals_the_one_customer_at_a_time_loop(telco):
    sample = telco.sample(800, random_state=1)
    km = churn.kaplan_meier(sample["tenure"], sample["Churn"].eq("Yes"))
    loop = churn.kaplan_meier_loop(sample["tenure"], sample["Churn"].eq("Yes"))
    assert km["time"].tolist() == [t for t, _ in loop]
    assert km["survival"].to_numpy() == pytest.approx([s for _, s in loop], rel=1e-12)


def test_the_curves_equal_lifelines_on_the_telco_sample(telco):
    """tests/data/telco_km_lifelines.csv: lifelines 0.30.3 KaplanMeierFitter per contract type (survival and its
    default 95 % band), run once outside the kit on datasets/telco_customer_churn.csv; the kit does not depend on it."""
    ref = pd.read_csv(DATA / "telco_km_lifelines.csv")
    mine = churn.survival_by_contract(telco)
    both = mine.merge(ref, on=["contract", "time"], how="outer", indicator=True)
    assert (both["_merge"] == "both").all() and len(both) == 219
    assert both["survival_x"].to_numpy() == pytest.approx(both["survival_y"].to_numpy(), abs=1e-12)
    assert both["ci_low"].to_numpy() == pytest.approx(both["lo"].to_numpy(), abs=1e-12)
    assert both["ci_high"].to_numpy() == pytest.approx(both["hi"].to_numpy(), abs=1e-12)


def test_churn_by_contract_on_the_telco_sample_counts_like_pandas(telco):
    table = churn.churn_by_contract(telco).set_index("contract")
    assert table.index.tolist() == ["Month-to-month", "One year", "Two year"]
    assert table["customers"].tolist() == [3875, 1473, 1695]
    assert table["churned"].tolist() == [1655, 166, 48]
    assert table["churn_rate"].tolist() == [round(1655 / 3875, 4), round(166 / 1473, 4), round(48 / 1695, 4)]
    left = telco[telco["Churn"] == "Yes"].groupby("Contract")["MonthlyCharges"].sum()
    assert table["lost_monthly_revenue"].to_dict() == {k: round(v, 2) for k, v in left.items()}


def test_churn_by_tenure_puts_whole_months_in_their_band(telco):
    table = churn.churn_by_tenure(telco)
    assert churn.tenure_band_labels() == ["0-6", "7-12", "13-24", "25-48", "49+"]
    m2m = table[table["contract"] == "Month-to-month"].set_index("band")
    mine = telco[telco["Contract"] == "Month-to-month"]
    first = mine[mine["tenure"] <= 6]
    assert m2m.loc["0-6", "customers"] == len(first)
    assert m2m.loc["0-6", "churn_rate"] == round(float(first["Churn"].eq("Yes").mean()), 4)
    assert table["customers"].sum() == len(telco)
    # month-to-month churn falls with tenure: the first months are the dangerous ones
    assert m2m["churn_rate"].is_monotonic_decreasing


def test_revenue_at_risk_uses_each_customer_s_conditional_chance_of_leaving(telco):
    curves = churn.survival_by_contract(telco)
    risk = churn.revenue_at_risk(telco, curves, horizon=12).set_index("contract")
    m2m = curves[curves["contract"] == "Month-to-month"].set_index("time")["survival"]
    paying = telco[(telco["Contract"] == "Month-to-month") & (telco["Churn"] == "No")]
    # by hand, customer by customer: 1 - S(t + 12) / S(t), S read at the last time at or before
    step = lambda t: m2m[m2m.index <= t].iloc[-1]  # noqa: E731
    p = np.array([1 - step(t + 12) / step(t) for t in paying["tenure"]])
    assert risk.loc["Month-to-month", "mrr_at_risk"] == round(float((p * paying["MonthlyCharges"]).sum()), 2)
    assert risk.loc["Month-to-month", "paying"] == len(paying)
    assert risk.loc["Two year", "share_at_risk"] < risk.loc["One year", "share_at_risk"] < \
        risk.loc["Month-to-month", "share_at_risk"]


def test_churn_figures_of_the_telco_sample(telco):
    f = churn.churn_figures(telco)
    assert f["customers"] == 7043 and f["churn_rate"] == round(1869 / 7043, 4)
    assert f["churn_rate_month_to_month"] > f["churn_rate_one_year"] > f["churn_rate_two_year"]
    curves = churn.survival_by_contract(telco)
    at = churn.survival_at(curves, (12, 24)).set_index("contract")
    assert f["survival_12m_month_to_month"] == round(at.loc["Month-to-month", "survival_12m"], 4)
    assert f["median_survival_month_to_month"] == churn.median_survival(curves[curves["contract"] == "Month-to-month"])
    assert f["mrr_at_risk"] == round(churn.revenue_at_risk(telco, curves)["mrr_at_risk"].sum(), 2)


@pytest.mark.parametrize("call, match", [
    (lambda: churn.churn_by_contract(pd.DataFrame({"Contract": ["One year"]})), "missing column.*tenure"),
    (lambda: churn.churn_by_contract(pd.DataFrame({"Contract": ["One year"], "tenure": [3], "MonthlyCharges": [1.0],
                                                   "Churn": ["maybe"]})), "Churn must be Yes or No; row 1"),
    (lambda: churn.kaplan_meier([1, 2], [True]), "expected two lists of the same length"),
    (lambda: churn.kaplan_meier([1, -2], [True, False]), "durations must be numbers of 0 or more"),
    (lambda: churn.tenure_band_labels((12, 6)), "expected increasing month limits"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(B4BError, match=match):
        call()
