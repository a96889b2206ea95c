"""NRR and GRR with SaaS Capital's definitions, on hand-built data and on the kit's telemetry."""

import numpy as np
import pandas as pd
import pytest

from b4b_kit.consumption_analytics import retention, telemetry
from b4b_kit.errors import B4BError
from b4b_kit.sales_motions import motions


def test_the_four_customer_fixture_of_the_review():
    # MRR 100/100/100/100 -> 120/80/0/100: NRR = 300/400, GRR = (100 + 80 + 0 + 100)/400
    previous, current = [100, 100, 100, 100], [120, 80, 0, 100]
    assert retention.net_revenue_retention(previous, current) == 0.75
    assert retention.gross_revenue_retention(previous, current) == 0.70


def test_new_customers_do_not_count_and_lost_ones_count_as_zero():
    previous = pd.Series({"a": 100.0, "b": 50.0})
    current = pd.Series({"a": 90.0, "new": 1000.0})  # b has gone; new was not a customer a year ago
    assert retention.net_revenue_retention(previous, current) == 90 / 150
    assert retention.gross_revenue_retention(previous, current) == 90 / 150
    assert retention.net_revenue_retention({"a": 0}, {"a": 10}) is None


def test_gross_retention_never_exceeds_one_and_never_exceeds_net():
    rng = np.random.default_rng(0)
    prev = rng.uniform(0, 100, 500) * (rng.random(500) > 0.2)
    curr = prev * rng.uniform(0, 2, 500) * (rng.random(500) > 0.1)
    grr, nrr = retention.gross_revenue_retention(prev, curr), retention.net_revenue_retention(prev, curr)
    assert grr <= 1 and grr <= nrr


@pytest.mark.parametrize("previous, current, match", [
    ([100, -5], [100, 0], "customer 2 has -5.0 then 0.0"),
    ([100, np.nan], [100, 0], "customer 2 has nan"),
    ([100, 50], [100], "two revenue arrays of the same length"),
    (pd.Series([1.0, 2.0], index=["a", "a"]), pd.Series([1.0], index=["a"]), "a customer appears twice"),
])
def test_bad_revenue_is_named(previous, current, match):
    with pytest.raises(B4BError, match=match):
        retention.net_revenue_retention(previous, current)


def contracts(rows):
    return pd.DataFrame(rows, columns=["customer_id", "month", "contract_value_usd"])


def test_yearly_retention_reads_mrr_as_a_twelfth_of_the_yearly_contract_value():
    c = contracts([(1, "2024-03", 12_000), (2, "2024-03", 24_000), (1, "2025-03", 18_000), (3, "2025-03", 6_000)])
    r = retention.yearly_retention(c)
    assert (r.month, r.base_month) == ("2025-03", "2024-03")
    assert (r.base_mrr_usd, r.mrr_now_usd) == (3_000.0, 1_500.0)
    assert (r.nrr, r.grr) == (0.5, 1_000 / 3_000)
    assert (r.base_customers, r.churned_customers, r.acv_usd) == (2, 1, 18_000.0)
    assert r.figures() == {"nrr": 0.5, "grr": 0.3333, "acv_usd": 18000.0, "retention_month": "2025-03",
                           "retention_base_month": "2024-03", "retention_base_customers": 2}


def test_too_short_a_history_gives_no_rate_and_says_why():
    c = contracts([(1, "2024-01", 1200), (1, "2024-12", 1200)])
    r = retention.yearly_retention(c)
    assert r.nrr is None and r.grr is None and r.acv_usd is None
    assert r.note == "the contracts start in 2024-01; a yearly rate for 2024-12 needs 2023-12"
    assert r.figures()["nrr"] is None
    with pytest.raises(B4BError, match="'soon' is not a month"):
        retention.yearly_retention(c, month="soon")


@pytest.mark.parametrize("mix, nrr, grr", [((0, 1, 0), 1.0, 1.0), ((0, 0, 1), 0.0, 0.0)])
def test_on_generated_telemetry_steady_customers_keep_everything_and_stallers_leave(mix, nrr, grr):
    # steady customers keep their seats and price; stallers cancel 5-9 months after landing
    t = telemetry.generate(customers=40, months=24, seed=5, mix=mix)
    r = retention.yearly_retention(t.contracts)
    assert r.base_customers > 0
    assert (r.nrr, r.grr) == (nrr, grr)


def test_on_generated_telemetry_expanders_grow_and_lose_nothing():
    t = telemetry.generate(customers=40, months=24, seed=5, mix=(1, 0, 0))
    r = retention.yearly_retention(t.contracts)
    assert r.grr == 1.0 and r.nrr > 1.0
    # the ACV is the mean yearly contract value of the customers paying in the base month
    base = t.contracts[t.contracts["month"] == pd.Timestamp(r.base_month)]
    assert r.acv_usd == pytest.approx(base["contract_value_usd"].mean())


def test_retention_by_month_agrees_with_yearly_retention_for_each_month():
    t = telemetry.generate(customers=60, months=20, seed=2)
    table = retention.retention_by_month(t.contracts)
    assert table["month"].tolist() == [str(p) for p in pd.period_range("2025-01", "2025-08", freq="M")]
    for row in table.itertuples():
        r = retention.yearly_retention(t.contracts, month=row.month)
        assert (row.nrr, row.grr, row.base_customers) == (r.nrr, r.grr, r.base_customers)


def test_cohort_retention_matches_the_sales_motion_model_s_nrr():
    cohort = motions.consumption_pipeline(deals=50, seed=3)
    table = retention.cohort_retention(cohort.revenue)
    model_nrr = motions.yearly(cohort)["nrr"].to_numpy()[1:]
    assert table["nrr"].to_numpy() == pytest.approx(model_nrr)
    assert (table["grr"] <= 1).all() and (table["grr"] <= table["nrr"] + 1e-12).all()
