"""The three outcome-offer case studies through real papermill: their records equal the in-process model.

Each case runs once (a kernel start costs seconds), with one parameter moved
off its default; the figures must equal what the model computes here for the
same parameters, and differ from what it computes for the defaults.
"""

import pytest

from b4b_kit.outcome_offer_types import pricing
from b4b_kit.workflows import cases

LICENCE_AND_SUBSCRIPTION = ["upfront_licence_maintenance", "subscription"]


def defaults(case):
    return {name: p.default for name, p in cases.parameters(case).items()}


def pay_per_use_compute(p):
    deal = pricing.DealAssumptions(
        usage_mean=p["hours_mean"], usage_sd=p["hours_sd"], gain_mean=p["gain_mean"], gain_sd=p["gain_sd"],
        chain_correlation=p["link"], setup_cost=p["setup_cost"], fixed_cost=p["fixed_cost"],
        unit_cost=p["cost_per_hour"], years=p["years"], discount_rate=p["discount_rate"],
        price_per_unit=p["price_per_hour"])
    deal = pricing.equal_revenue_prices(deal, p["price_per_hour"] * p["hours_mean"], LICENCE_AND_SUBSCRIPTION)
    summary = pricing.price(deal, n=p["scenarios"], seed=p["seed"])
    return {**pricing.key_figures(summary, [*LICENCE_AND_SUBSCRIPTION, "pay_per_use"]),
            "break_even_cost_per_hour": round(pricing.break_even_unit_cost(deal, "pay_per_use"), 4),
            "break_even_price_per_hour": round(pricing.break_even_price(deal, "pay_per_use"), 4)}


def call_centre_kpi(p):
    deal = pricing.DealAssumptions(
        usage_mean=1.0, usage_sd=0.0, unit_cost=0.0, kpi_mean=p["kpi_mean"], kpi_sd=p["kpi_sd"],
        kpi_target=p["kpi_target"], kpi_fee=p["kpi_fee"], gain_mean=p["gain_mean"], gain_sd=p["gain_sd"],
        chain_correlation=p["link"], setup_cost=p["setup_cost"], fixed_cost=p["fixed_cost"], years=p["years"],
        discount_rate=p["discount_rate"])
    p_met = pricing.kpi_probability(deal)
    deal = pricing.equal_revenue_prices(deal, p["kpi_fee"] * p_met, LICENCE_AND_SUBSCRIPTION)
    sim = pricing.simulate(deal, n=p["scenarios"], seed=p["seed"])
    return {**pricing.key_figures(pricing.summarize(sim), [*LICENCE_AND_SUBSCRIPTION, "pay_per_kpi"]),
            "kpi_probability": round(p_met, 4),
            "kpi_met_share": round(float((sim.kpi >= p["kpi_target"]).mean()), 4),
            "break_even_kpi_fee": round(pricing.break_even_price(deal, "pay_per_kpi"), 4)}


def traffic_camera_gain_share(p):
    deal = pricing.DealAssumptions(
        usage_mean=p["tickets_mean"], usage_sd=0.0, unit_cost=0.0, gain_mean=p["tickets_mean"] * p["fine"] / 1000,
        gain_sd=p["tickets_sd"] * p["fine"] / 1000, gain_share=p["share"],
        setup_cost=p["cameras"] * p["install_cost"], fixed_cost=p["cameras"] * p["operating_cost"],
        years=p["years"], discount_rate=p["discount_rate"])
    deal = pricing.equal_revenue_prices(deal, p["share"] * pricing.expected_positive_gain(deal),
                                        LICENCE_AND_SUBSCRIPTION)
    summary = pricing.price(deal, n=p["scenarios"], seed=p["seed"])
    return {**pricing.key_figures(summary, [*LICENCE_AND_SUBSCRIPTION, "gain_share"]),
            "break_even_share": round(pricing.break_even_price(deal, "gain_share"), 4)}


MODELS = {"pay_per_use_compute": pay_per_use_compute, "call_centre_kpi": call_centre_kpi,
          "traffic_camera_gain_share": traffic_camera_gain_share}


@pytest.mark.parametrize("case", MODELS)
def test_parameters_are_declared_with_types_ranges_and_help(case):
    params = cases.parameters(case)
    assert {"years", "discount_rate", "scenarios", "seed"} <= set(params)
    for p in params.values():
        assert p.help and p.low is not None, p.name
    assert params["seed"].type == "int" and params["years"].type == "int"


def test_the_defaults_show_each_type_carrying_outcome_risk_and_a_fixed_price_none():
    for case, scheme in [("pay_per_use_compute", "pay_per_use"), ("call_centre_kpi", "pay_per_kpi"),
                         ("traffic_camera_gain_share", "gain_share")]:
        figures = MODELS[case]({**defaults(case), "scenarios": 20_000})
        assert figures[f"{scheme}_supplier_risk_share"] > 0, case
        assert figures["subscription_supplier_risk_share"] == 0, case


def test_pay_per_use_protects_the_supplier_from_heavy_users_while_kpi_and_gain_fees_expose_it():
    """What the cases' text says: a price per hour rises with the cost it covers; a fixed fee does not."""
    compute = MODELS["pay_per_use_compute"]({**defaults("pay_per_use_compute"), "scenarios": 20_000})
    assert compute["pay_per_use_loss_probability"] < compute["subscription_loss_probability"]
    kpi = MODELS["call_centre_kpi"]({**defaults("call_centre_kpi"), "scenarios": 20_000})
    assert kpi["pay_per_kpi_loss_probability"] > kpi["subscription_loss_probability"] == 0
    assert kpi["kpi_probability"] == pytest.approx(0.7475, abs=1e-4)  # Φ(2/3): 7 % expected, 5 % target, sd 3
    camera = MODELS["traffic_camera_gain_share"]({**defaults("traffic_camera_gain_share"), "scenarios": 20_000})
    assert camera["gain_share_loss_probability"] > camera["subscription_loss_probability"] == 0
    assert camera["gain_share_customer_loss_probability"] < camera["subscription_customer_loss_probability"]


@pytest.mark.parametrize("case, change", [
    ("pay_per_use_compute", {"cost_per_hour": 1.5, "scenarios": 20_000}),
    ("call_centre_kpi", {"kpi_target": 0.08, "scenarios": 20_000}),
    ("traffic_camera_gain_share", {"share": 0.2, "scenarios": 20_000}),
])
def test_case_run_records_the_in_process_figures(case, change, tmp_path):
    result = cases.run(case, change, out=tmp_path)
    assert result.ok, result.record.get("error")
    params = {**defaults(case), **change}
    assert result.record["parameters"] == params
    expected = MODELS[case](params)
    assert result.record["figures"] == expected
    assert MODELS[case]({**defaults(case), "scenarios": 20_000}) != expected  # the parameter matters
