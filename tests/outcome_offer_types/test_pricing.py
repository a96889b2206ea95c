"""The outcome pricing model: closed forms by hand, the vectorized run against the plain-Python reference."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from b4b_kit import framework
from b4b_kit.errors import B4BError
from b4b_kit.outcome_offer_types import pricing

A3 = 1 / 1.1 + 1 / 1.1 ** 2 + 1 / 1.1 ** 3  # 3-year annuity at 10 %, by hand: 2.486852

CERTAIN = pricing.DealAssumptions(
    usage_mean=1000, usage_sd=0, kpi_mean=0.06, kpi_sd=0, gain_mean=500, gain_sd=0, chain_correlation=0.5,
    setup_cost=50, fixed_cost=20, unit_cost=0.1, years=3, discount_rate=0.10,
    licence_fee=300, maintenance_rate=0.2, subscription_fee=120, price_per_unit=0.15, kpi_fee=200,
    kpi_target=0.05, gain_share=0.3)


def by_scheme(summary, column):
    return dict(zip(summary["scheme"], summary[column]))


def test_schemes_are_the_frameworks_pricing_schemes_in_order():
    listed = [item.id for item in framework("outcome_offer_types").lists["pricing_schemes"]]
    assert list(pricing.SCHEMES) == listed


def test_annuity_of_three_years_at_ten_percent_by_hand():
    assert pricing.annuity_factor(3, 0.10) == pytest.approx(2.486852, abs=1e-6)
    assert pricing.annuity_factor(3, 0.10) == pytest.approx(A3, rel=1e-12)
    assert pricing.annuity_factor(5, 0.0) == 5.0
    assert pricing.annuity_factor(1, 0.25) == pytest.approx(0.8)


def test_a_three_year_subscription_is_the_fee_times_the_annuity():
    deal = replace(CERTAIN, subscription_fee=100)
    assert pricing.expected_revenue(deal)["subscription"] == pytest.approx(248.6852, abs=1e-4)


def test_with_no_uncertainty_every_scenario_earns_the_closed_form_revenue():
    expected = {  # worked by hand: a = 2.486852
        "upfront_licence_maintenance": 300 + 0.2 * 300 * A3,  # 449.21
        "subscription": 120 * A3,                              # 298.42
        "pay_per_use": 0.15 * 1000 * A3,                       # 373.03
        "pay_per_kpi": 200 * A3,                               # 497.37 (6 % beats the 5 % target)
        "gain_share": 0.3 * 500 * A3,                          # 373.03
    }
    assert expected["upfront_licence_maintenance"] == pytest.approx(449.2111, abs=1e-4)
    sim = pricing.simulate(CERTAIN, n=50, seed=3)
    for row, scheme in zip(sim.revenue, pricing.SCHEMES):
        assert np.all(row == row[0]), scheme
        assert row[0] == pytest.approx(expected[scheme], rel=1e-12), scheme
    assert pricing.expected_revenue(CERTAIN) == pytest.approx(expected, rel=1e-12)
    cost = 50 + (20 + 0.1 * 1000) * A3  # 348.42
    assert sim.cost == pytest.approx(np.full(50, cost), rel=1e-12)
    summary = pricing.summarize(sim)
    assert by_scheme(summary, "revenue_sd") == dict.fromkeys(pricing.SCHEMES, 0.0)
    assert by_scheme(summary, "supplier_risk_share") == dict.fromkeys(pricing.SCHEMES, 0.0)
    assert by_scheme(summary, "margin_mean") == pytest.approx({s: v - cost for s, v in expected.items()})
    # subscription 298 < cost 348: a certain loss; every other scheme a certain profit
    assert by_scheme(summary, "loss_probability") == {
        "upfront_licence_maintenance": 0.0, "subscription": 1.0, "pay_per_use": 0.0, "pay_per_kpi": 0.0,
        "gain_share": 0.0}


def test_pay_per_use_costs_the_customer_exactly_the_unit_price_per_unit():
    summary = pricing.price(replace(CERTAIN, usage_sd=300), n=2000)
    assert by_scheme(summary, "cost_per_unit_used")["pay_per_use"] == pytest.approx(0.15, rel=1e-12)


def test_kpi_always_met_pays_the_fee_every_year():
    deal = replace(CERTAIN, kpi_mean=0.05, kpi_target=0.05)  # exactly on target counts as met
    assert pricing.kpi_probability(deal) == 1.0
    sim = pricing.simulate(deal, n=20)
    assert np.all(sim.revenue[3] == pytest.approx(200 * A3))
    spread = replace(CERTAIN, kpi_sd=0.01, kpi_target=-1.0)  # 106 sd below the mean: always met
    assert np.all(pricing.simulate(spread, n=1000).revenue[3] == 200 * spread.annuity)


def test_kpi_never_met_pays_nothing_and_the_supplier_loses_its_whole_cost():
    deal = replace(CERTAIN, kpi_target=0.07)
    assert pricing.kpi_probability(deal) == 0.0
    summary = pricing.price(deal, n=100)
    row = summary.set_index("scheme").loc["pay_per_kpi"]
    assert row["revenue_mean"] == 0.0
    assert row["loss_probability"] == 1.0
    assert row["margin_mean"] == pytest.approx(-(50 + 120 * A3))
    assert pricing.break_even_price(deal, "pay_per_kpi") == math.inf


def test_gain_share_of_a_constant_gain():
    summary = pricing.price(CERTAIN, n=10).set_index("scheme")
    assert summary.loc["gain_share", "revenue_mean"] == pytest.approx(0.3 * 500 * A3)
    assert summary.loc["gain_share", "cost_per_unit_of_gain"] == pytest.approx(0.3)
    assert summary.loc["gain_share", "customer_net_mean"] == pytest.approx(0.7 * 500 * A3)
    assert summary.loc["gain_share", "supplier_risk_share"] == 0.0  # no outcome risk to share
    # no gain, nothing to share: the supplier does not pay the customer's loss
    loss = pricing.price(replace(CERTAIN, gain_mean=-100), n=10).set_index("scheme")
    assert loss.loc["gain_share", "revenue_mean"] == 0.0
    assert math.isnan(loss.loc["gain_share", "cost_per_unit_of_gain"])


def test_risk_share_by_hand():
    # gain 0 or 10, equally likely; Cov(R, G) / Var(G) worked out on paper
    assert pricing.risk_share([0, 2], [0, 10]) == pytest.approx(0.2)
    assert pricing.risk_share([5, 5], [0, 10]) == 0.0
    assert pricing.risk_share([0, 120], [100, 300]) == pytest.approx(0.6)  # 6000 / 10000
    assert pricing.risk_share([3, 1], [0, 10]) == pytest.approx(-0.2)  # pays more when the gain is lower
    assert pricing.risk_share([1, 2, 3], [4, 4, 4]) == 0.0  # a constant gain: no outcome risk


def test_a_gain_share_of_a_gain_that_is_never_negative_carries_exactly_that_share():
    deal = replace(CERTAIN, gain_mean=1000, gain_sd=50, gain_share=0.3)  # P(gain < 0) = 1e-89
    summary = pricing.price(deal, n=5000).set_index("scheme")
    assert summary.loc["gain_share", "supplier_risk_share"] == pytest.approx(0.3, rel=1e-9)
    assert summary.loc["gain_share", "customer_risk_share"] == pytest.approx(0.7, rel=1e-9)
    assert summary.loc["subscription", "supplier_risk_share"] == 0.0
    assert summary.loc["subscription", "customer_risk_share"] == 1.0


def test_simulated_means_and_risk_shares_match_the_closed_forms():
    deal = pricing.DealAssumptions()
    summary = pricing.price(deal, n=400_000, seed=7).set_index("scheme")
    revenue = pricing.expected_revenue(deal)
    shares = pricing.expected_risk_share(deal)
    for scheme in pricing.SCHEMES:
        se = summary.loc[scheme, "revenue_sd"] / math.sqrt(400_000)
        assert abs(summary.loc[scheme, "revenue_mean"] - revenue[scheme]) <= 5 * se + 1e-9, scheme
        assert summary.loc[scheme, "supplier_risk_share"] == pytest.approx(shares[scheme], abs=0.004), scheme
    assert summary.loc["pay_per_kpi", "revenue_mean"] / (240 * deal.annuity) == pytest.approx(0.8413, abs=0.003)


def test_vectorized_and_plain_python_agree_scenario_for_scenario():
    for deal, seed in [(pricing.DealAssumptions(), 0), (CERTAIN, 1),
                       (replace(pricing.DealAssumptions(), chain_correlation=1.0, kpi_target=0.1, years=7,
                                discount_rate=0.0, gain_mean=100), 2)]:
        fast = pricing.summarize(pricing.simulate(deal, n=400, seed=seed))
        slow = pricing.reference_summary(deal, n=400, seed=seed)
        pd.testing.assert_frame_equal(fast, slow, rtol=1e-9, atol=1e-9)


def test_the_same_seed_gives_the_same_scenarios():
    a = pricing.simulate(pricing.DealAssumptions(), n=1000, seed=42)
    b = pricing.simulate(pricing.DealAssumptions(), n=1000, seed=42)
    c = pricing.simulate(pricing.DealAssumptions(), n=1000, seed=43)
    assert np.array_equal(a.revenue, b.revenue) and np.array_equal(a.cost, b.cost)
    assert not np.array_equal(a.revenue[4], c.revenue[4])


def test_equal_revenue_prices_make_every_scheme_expect_the_same_revenue():
    deal = pricing.equal_revenue_prices(pricing.DealAssumptions(), 150)
    assert pricing.expected_revenue(deal) == pytest.approx(dict.fromkeys(pricing.SCHEMES, 150 * deal.annuity))
    assert deal.maintenance_rate == 0.2 and deal.kpi_target == 0.05  # only price levels move
    certain = pricing.equal_revenue_prices(CERTAIN, 100)
    assert (certain.subscription_fee, certain.kpi_fee) == (100, 100)
    assert certain.price_per_unit == pytest.approx(0.1) and certain.gain_share == pytest.approx(0.2)
    assert certain.licence_fee == pytest.approx(100 * A3 / (1 + 0.2 * A3))


def test_break_even_price_zeroes_the_expected_margin():
    deal = pricing.DealAssumptions()
    for scheme, field in pricing.PRICE_FIELDS.items():
        at_break_even = replace(deal, **{field: pricing.break_even_price(deal, scheme)})
        margin = pricing.expected_revenue(at_break_even)[scheme] - pricing.expected_cost(at_break_even)
        assert margin == pytest.approx(0, abs=1e-9), scheme
    # by hand: set-up 120 + 40 a year for 3 years, undiscounted = 240 of cost; the KPI met 60 % of the time
    hand = replace(CERTAIN, setup_cost=120, fixed_cost=40, unit_cost=0, discount_rate=0, kpi_mean=0.05,
                   kpi_sd=0.01, kpi_target=0.05 - 0.01 * 0.2533471031)  # Φ(0.2533) = 0.6
    assert pricing.kpi_probability(hand) == pytest.approx(0.6, abs=1e-9)
    assert pricing.break_even_price(hand, "pay_per_kpi") == pytest.approx(240 / (0.6 * 3), abs=1e-6)
    assert pricing.break_even_price(hand, "subscription") == pytest.approx(80)


def test_risk_moves_to_the_supplier_from_type_1_to_type_3_at_equal_expected_revenue():
    """The lesson's finding, on the lesson's deal: each type carries more of the outcome risk."""
    deal = pricing.equal_revenue_prices(pricing.DealAssumptions(), 200)
    s = pricing.price(deal, n=200_000, seed=0).set_index("scheme")
    share = s["supplier_risk_share"]
    assert share["upfront_licence_maintenance"] == share["subscription"] == 0.0
    assert 0 < share["pay_per_use"] < share["pay_per_kpi"] < share["gain_share"]
    spread = s["revenue_sd"]
    assert spread["subscription"] == 0 < spread["pay_per_use"] < spread["pay_per_kpi"] < spread["gain_share"]
    loss = s["loss_probability"]
    assert loss["subscription"] < loss["pay_per_use"] < loss["pay_per_kpi"] < loss["gain_share"]
    # and the customer is less often left worse off than before the deal
    cust = s["customer_loss_probability"]
    assert cust["subscription"] > cust["pay_per_use"] > cust["pay_per_kpi"] > cust["gain_share"]


def test_a_stretch_kpi_target_makes_type_2_the_riskiest_bet():
    """The caveat the lesson shows: the order depends on the deal; a hard target is all or nothing."""
    deal = pricing.equal_revenue_prices(replace(pricing.DealAssumptions(), kpi_target=0.11), 200)
    shares = pricing.expected_risk_share(deal)
    assert shares["pay_per_kpi"] > shares["gain_share"]


def test_no_uncertainty_means_no_risk_for_anyone():
    deal = pricing.DealAssumptions().with_uncertainty(0)
    assert (deal.usage_sd, deal.kpi_sd, deal.gain_sd) == (0, 0, 0)
    s = pricing.price(pricing.equal_revenue_prices(deal, 200), n=1000)
    assert (s["supplier_risk_share"] == 0).all() and (s["revenue_sd"] == 0).all()
    assert s["revenue_mean"].to_numpy() == pytest.approx(np.full(5, 200 * deal.annuity))


def test_histogram_counts_each_scheme_on_common_bins():
    sim = pricing.simulate(pricing.DealAssumptions(), n=3000)
    hist = pricing.histogram(sim, "revenue", bins=12)
    assert len(hist) == 60
    assert hist.groupby("scheme")["share"].sum().to_numpy() == pytest.approx(np.ones(5))
    assert hist.groupby("scheme")["bin_start"].apply(tuple).nunique() == 1
    # Type 2 pays all or nothing: its scenarios sit in two bins only
    assert (hist[hist.scheme == "pay_per_kpi"]["share"] > 0).sum() == 2
    flat = pricing.histogram(pricing.simulate(replace(CERTAIN, subscription_fee=0, licence_fee=0,
                                                      price_per_unit=0, kpi_fee=0, gain_share=0), n=10),
                             "revenue", bins=3)
    assert flat.groupby("scheme")["share"].max().tolist() == [1.0] * 5


def test_key_figures_are_flat_rounded_and_json_safe():
    figures = pricing.key_figures(pricing.price(replace(CERTAIN, gain_mean=-1), n=10), schemes=["gain_share"])
    assert figures["gain_share_revenue_mean"] == 0.0
    assert figures["gain_share_cost_per_unit_of_gain"] is None
    assert len(figures) == 8


def test_assumptions_table_states_every_assumption():
    table = pricing.assumptions_table(CERTAIN)
    assert len(table) == 19 and table["meaning"].str.len().min() > 5
    assert table.set_index("assumption").loc["gain_share", "value"] == 0.3


@pytest.mark.parametrize("change, match", [
    ({"usage_sd": -1}, r"DealAssumptions.usage_sd: -1 is below 0. A spread is zero"),
    ({"chain_correlation": 1.5}, r"chain_correlation: 1.5 is outside 0..1"),
    ({"gain_share": 1.2}, r"gain_share: 1.2 is outside 0..1.*e.g. 0.25"),
    ({"discount_rate": -0.1}, r"discount_rate.*e.g. 0.08"),
    ({"years": 0}, r"DealAssumptions.years: 0 is outside 1..50. Give the contract length in whole years"),
    ({"years": 2.5}, r"years.*got 2.5"),
    ({"years": True}, r"years.*got True"),
    ({"kpi_fee": "abc"}, r"DealAssumptions.kpi_fee: expected a number of at least 0, got 'abc'"),
    ({"gain_mean": float("nan")}, r"gain_mean: nan is not a finite number"),
    ({"usage_mean": 0, "usage_sd": 5}, r"usage_sd: usage has a spread but a mean of 0"),
])
def test_bad_assumptions_get_one_message_naming_field_and_fix(change, match):
    with pytest.raises(B4BError, match=match):
        pricing.DealAssumptions(**change)


@pytest.mark.parametrize("call, match", [
    (lambda: pricing.simulate(CERTAIN, n=1), r"^n: 1 is outside 2..5,000,000"),
    (lambda: pricing.simulate(CERTAIN, n=10, seed=-1), r"^seed: -1 is below 0"),
    (lambda: pricing.simulate({"years": 3}), r"^deal: expected DealAssumptions, got dict"),
    (lambda: pricing.break_even_price(CERTAIN, "per_click"), r"^scheme: unknown scheme 'per_click'"),
    (lambda: pricing.histogram(pricing.simulate(CERTAIN, n=10), "profit"), r"^measure: unknown measure"),
    (lambda: pricing.equal_revenue_prices(replace(CERTAIN, kpi_target=0.07), 100),
     r"Type 2: pay per KPI cannot earn 100 a year: the KPI target is never reached"),
    (lambda: pricing.equal_revenue_prices(CERTAIN, 600), r"a gain share of 120% would be needed"),
    (lambda: pricing.risk_share([1, 2], [1, 2, 3]), r"risk_share: revenue has shape"),
    (lambda: pricing.DealAssumptions().with_uncertainty(-1), r"^uncertainty: -1 is below 0"),
])
def test_bad_calls_get_one_message(call, match):
    with pytest.raises(B4BError, match=match):
        call()


def test_break_even_unit_cost_by_hand():
    # 1,000 units at 0.2 for 2 years undiscounted = 400; set-up 40 and 50 a year of fixed cost = 140;
    # (400 - 140) / 2,000 units = 0.13 per unit
    deal = replace(CERTAIN, price_per_unit=0.2, setup_cost=40, fixed_cost=50, years=2, discount_rate=0)
    assert pricing.break_even_unit_cost(deal, "pay_per_use") == pytest.approx(0.13)
    at = replace(deal, unit_cost=0.13)
    assert pricing.expected_revenue(at)["pay_per_use"] == pytest.approx(pricing.expected_cost(at))
    assert pricing.break_even_unit_cost(replace(deal, usage_mean=0), "pay_per_use") == math.inf


def test_equal_revenue_prices_can_reprice_only_some_schemes():
    deal = pricing.equal_revenue_prices(CERTAIN, 100, schemes=["subscription", "upfront_licence_maintenance"])
    assert deal.subscription_fee == 100
    assert (deal.price_per_unit, deal.kpi_fee, deal.gain_share) == (0.15, 200, 0.3)
    zero_use = replace(CERTAIN, usage_mean=0)
    assert pricing.equal_revenue_prices(zero_use, 50, schemes=["subscription"]).subscription_fee == 50
    with pytest.raises(B4BError, match="usage is always zero"):
        pricing.equal_revenue_prices(zero_use, 50)
    with pytest.raises(B4BError, match="scheme: unknown scheme 'lease'"):
        pricing.equal_revenue_prices(CERTAIN, 50, schemes=["lease"])
