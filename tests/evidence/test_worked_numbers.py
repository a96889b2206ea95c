"""Where a paper publishes a formula and a worked number, the kit's own code reproduces the number."""

import math

import pytest

from b4b_kit import evidence
from b4b_kit.errors import B4BError
from b4b_kit.outcome_offer_types import availability, pricing
from b4b_kit.sales_motions import growth


def published(benchmark_id):
    return evidence.get(benchmark_id).value


def test_tsia_cloud40_rule_of_40_is_the_published_rule_of_15():
    g = 100 * published("tsia_cloud40_revenue_growth")
    m = 100 * published("tsia_cloud40_operating_income")
    assert growth.rule_of_40(g, m) == pytest.approx(published("tsia_cloud40_rule_of_40"), abs=1e-9)


def test_tsia_cloud40_weighted_rule_of_40_is_24_57():
    g = 100 * published("tsia_cloud40_revenue_growth")
    m = 100 * published("tsia_cloud40_operating_income")
    assert growth.weighted_rule_of_40(g, m) == published("tsia_cloud40_weighted_rule_of_40") == 24.57
    # by hand: 1.33 * 22 = 29.26, 0.67 * -7 = -4.69
    assert growth.weighted_rule_of_40(22, 0) == 29.26 and growth.weighted_rule_of_40(0, -7) == -4.69


def test_kim_cohen_netessine_2007_first_best_base_stock_to_three_decimals():
    bm = evidence.get("kim2007_first_best_base_stock")
    s = availability.first_best_base_stock(mean=10, variance=10, backorder_budget=4, suppliers=2)
    low, high, _ = bm.range()
    assert evidence.where(s, low, high) == "inside"
    assert abs(s - 8.725) <= 0.001
    assert s == pytest.approx(8.725367, abs=1e-6)  # shared/reviews/domain_references.md, appendix


def test_the_first_best_stock_leaves_each_supplier_its_share_of_the_backorder_budget():
    s = availability.first_best_base_stock(10, 10, 4, suppliers=2)
    assert availability.expected_backorders(s, 10, 10) == pytest.approx(2.0, abs=1e-9)
    # one supplier with the whole budget of 4 holds less; a budget of 1 each needs more
    assert availability.first_best_base_stock(10, 10, 4, suppliers=1) < s
    assert availability.first_best_base_stock(10, 10, 2, suppliers=2) > s


def test_the_same_loss_function_as_the_pricing_model_s_expected_positive_gain():
    # E[(X - s)+] with X ~ N(10, var 10) is E[G+] with G ~ N(10 - s, var 10)
    s = 8.725367
    deal = pricing.DealAssumptions(gain_mean=10 - s, gain_sd=math.sqrt(10))
    assert pricing.expected_positive_gain(deal) == pytest.approx(2.0, abs=1e-6)
    for stock in (5.0, 10.0, 13.5):
        deal = pricing.DealAssumptions(gain_mean=10 - stock, gain_sd=math.sqrt(10))
        assert availability.expected_backorders(stock, 10, 10) == pytest.approx(pricing.expected_positive_gain(deal),
                                                                               rel=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: availability.first_best_base_stock(10, -1, 4), "variance: expected a number of 0 or more, got -1"),
    (lambda: availability.first_best_base_stock(10, 10, 0), "backorder_budget: expected a number above 0"),
    (lambda: availability.first_best_base_stock(10, 10, 4, suppliers=0), "suppliers: expected a whole number"),
    (lambda: growth.rule_of_40("22%", -7), "growth: expected a number of percentage points, got '22%'"),
    (lambda: growth.weighted_rule_of_40(22, -7, weights=(1.33,)), "weights: expected two weights"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(B4BError, match=match):
        call()
