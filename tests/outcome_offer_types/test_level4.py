"""Level 4 economics: full automation against the all-in bundle, break-evens worked out by hand."""

import math

import numpy as np
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.outcome_offer_types import level4
from b4b_kit.outcome_offer_types.level4 import ALL_IN_BUNDLE, FULL_AUTOMATION, OutcomeOffer


def test_expected_margin_by_hand():
    # fee 150 paid 80 % of the time = 120 expected; automation: 120 - 10 - 20,000/500 = 70
    assert level4.expected_margin(FULL_AUTOMATION) == pytest.approx(70.0)
    assert level4.expected_margin(ALL_IN_BUNDLE) == pytest.approx(20.0)  # 120 - 100


def test_break_even_cost_to_serve_by_hand():
    assert level4.break_even_cost_to_serve(ALL_IN_BUNDLE) == pytest.approx(120.0)  # 0.8 x 150
    assert level4.break_even_cost_to_serve(FULL_AUTOMATION) == pytest.approx(80.0)  # 120 - 40 of platform
    one = OutcomeOffer("x", fee=200, outcome_probability=0.25, cost_to_serve=0, platform_cost=300, customers=10)
    assert level4.break_even_cost_to_serve(one) == pytest.approx(20.0)  # 50 - 30


def test_the_offer_stops_paying_exactly_at_the_break_even_cost():
    for offer in (FULL_AUTOMATION, ALL_IN_BUNDLE):
        c_star = level4.break_even_cost_to_serve(offer)
        curve = level4.margin_curve([offer], [c_star - 1, c_star, c_star + 1])
        assert curve["expected_margin"].tolist() == pytest.approx([1.0, 0.0, -1.0], abs=1e-9)
        assert curve["pays"].tolist() == [True, True, False]


def test_margin_curve_agrees_with_the_one_record_functions():
    costs = np.linspace(0, 200, 41)
    curve = level4.margin_curve([FULL_AUTOMATION, ALL_IN_BUNDLE], costs)
    assert len(curve) == 82
    for offer in (FULL_AUTOMATION, ALL_IN_BUNDLE):
        part = curve[curve["offer"] == offer.name]
        for cost, margin, missed in zip(part["cost_to_serve"], part["expected_margin"], part["margin_if_missed"]):
            same = OutcomeOffer(offer.name, offer.fee, offer.outcome_probability, cost, offer.platform_cost,
                                offer.customers)
            assert margin == pytest.approx(level4.expected_margin(same))
            assert missed == pytest.approx(level4.margin_if_missed(same))
        assert part["own_expected_margin"].iloc[0] == pytest.approx(level4.expected_margin(offer))


def test_a_missed_outcome_costs_the_bundle_ten_times_what_it_costs_automation_at_the_margin():
    # incremental cost of serving a customer who misses: 100 for the bundle, 10 for automation
    assert level4.margin_if_missed(ALL_IN_BUNDLE) == -100.0
    assert level4.margin_if_missed(FULL_AUTOMATION) == pytest.approx(-10 - 40)  # with its platform share


def test_break_even_fee_is_the_price_war_floor():
    assert level4.break_even_fee(ALL_IN_BUNDLE) == pytest.approx(125.0)  # 100 / 0.8
    assert level4.break_even_fee(FULL_AUTOMATION) == pytest.approx(62.5)  # (10 + 40) / 0.8
    never = OutcomeOffer("never", fee=100, outcome_probability=0, cost_to_serve=5)
    assert level4.break_even_fee(never) == math.inf


def test_break_even_customers_for_a_platform():
    assert level4.break_even_customers(FULL_AUTOMATION) == pytest.approx(20_000 / 110)
    at_break_even = OutcomeOffer("x", 150, 0.8, 10, 20_000, customers=math.ceil(20_000 / 110))
    assert level4.expected_margin(at_break_even) >= 0
    below = OutcomeOffer("x", 150, 0.8, 10, 20_000, customers=math.floor(20_000 / 110))
    assert level4.expected_margin(below) < 0
    assert level4.break_even_customers(ALL_IN_BUNDLE) == 0.0  # no platform to pay for
    losing = OutcomeOffer("x", 100, 0.5, 60, 1000)
    assert level4.break_even_customers(losing) == math.inf


def test_compare_has_one_row_per_offer_with_the_same_figures():
    table = level4.compare_offers().set_index("offer")
    assert table.loc["full automation", "expected_margin"] == pytest.approx(70.0)
    assert table.loc["all-in bundle", "break_even_fee"] == pytest.approx(125.0)
    assert table.loc["full automation", "platform_share"] == pytest.approx(40.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"outcome_probability": 1.2}, r"x: outcome_probability: 1.2 is outside 0..1. A probability is from 0 to 1"),
    ({"fee": -5}, r"x: fee: -5 is below 0"),
    ({"cost_to_serve": float("inf")}, r"x: cost_to_serve: inf is not a finite number"),
    ({"customers": 0}, r"x: customers: 0 is below 1. Give how many customers share the platform"),
    ({"customers": 2.5}, r"customers.*got 2.5"),
])
def test_bad_offers_get_one_message(kwargs, match):
    base = {"name": "x", "fee": 100, "outcome_probability": 0.5, "cost_to_serve": 10}
    with pytest.raises(B4BError, match=match):
        OutcomeOffer(**{**base, **kwargs})


def test_bad_curve_inputs_get_one_message():
    with pytest.raises(B4BError, match="costs_to_serve: costs to serve must be finite numbers of 0 or more"):
        level4.margin_curve([ALL_IN_BUNDLE], [-1, 5])
    with pytest.raises(B4BError, match="offers: expected OutcomeOffer, got dict"):
        level4.margin_curve([{"fee": 1}], [1])
    with pytest.raises(B4BError, match="offers: no offers given"):
        level4.margin_curve([], [1])
