"""The ten_consumption_deals case study through real papermill: its record equals the in-process model."""

import json

import pytest

from b4b_kit import evidence
from b4b_kit.errors import ParameterError
from b4b_kit.sales_motions import compensation, motions
from b4b_kit.workflows import cases

CASE = "ten_consumption_deals"


def expected_figures(**given):
    p = {name: par.default for name, par in cases.parameters(CASE).items()}
    p.update(given)
    cohort = motions.consumption_pipeline(deals=p["deals"], deal_value=p["deal_musd"], term=p["term_years"],
                                          land_share=p["land_share"], adoption_speed=p["adoption_speed"],
                                          expansion=p["expansion"], churn=p["churn"], seed=p["seed"])
    plan = compensation.PayPlan(rate=p["commission_rate"], bookings_weight=p["bookings_weight"])
    return {**compensation.pipeline_figures(cohort, p["deal_musd"], plan), **motions.pipeline_retention(cohort)}


def test_parameters_state_the_seed_facts_as_defaults():
    params = cases.parameters(CASE)
    assert list(params)[:2] == ["deals", "deal_musd"]
    assert (params["deals"].default, params["deal_musd"].default) == (10, 25.0)
    assert (params["bookings_weight"].default, params["term_years"].default) == (0.5, 5)
    assert (params["adoption_speed"].low, params["adoption_speed"].high) == (0.0, 1.0)
    assert params["seed"].type == "int"


def test_bad_adoption_speed_is_refused_before_a_kernel_starts():
    with pytest.raises(ParameterError, match="parameter 'adoption_speed'.*out of range; it takes float from 0 to 1"):
        cases.check(CASE, {"adoption_speed": "1.5"})


def test_record_equals_the_model_and_adoption_speed_changes_it(tmp_path):
    default = cases.run(CASE, out=tmp_path / "default")
    assert default.ok, default.record.get("error")
    assert default.record["figures"] == expected_figures()
    assert default.record["figures"]["pipeline_shown_musd"] == 250.0  # 10 deals at $25M
    assert default.record["datasets"] == {}
    # the deals land at 20 % of $25M over 5 years: $1M a year, the survey's top band (over $250k)
    assert default.record["figures"]["acv_usd"] == 1_000_000.0
    assert default.record["evidence"] == [c.to_dict() for c in evidence.compare(CASE, expected_figures())]
    where = {c["figure"]: (c["published"], c["where"]) for c in default.record["evidence"]}
    assert where == {"nrr_year1": (1.10, "above"), "grr_year1": (0.93, "below")}

    slow = cases.run(CASE, {"adoption_speed": "0.2"}, out=tmp_path / "slow")  # same seed, slower adoption
    assert slow.ok, slow.record.get("error")
    rec = json.loads(slow.results.read_text())
    assert rec["parameters"]["adoption_speed"] == 0.2 and rec["parameters_given"] == ["adoption_speed"]
    assert rec["figures"] == expected_figures(adoption_speed=0.2)
    assert rec["figures"] != default.record["figures"]
    assert rec["figures"]["realised_revenue_musd"] < default.record["figures"]["realised_revenue_musd"]
