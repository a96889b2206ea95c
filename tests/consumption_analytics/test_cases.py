"""The customer_health case study through real papermill (b4b_kit.workflows.cases.run)."""

import json

import pandas as pd
import pytest

from b4b_kit import evidence
from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.consumption_analytics import retention, telemetry
from b4b_kit.errors import ParameterError
from b4b_kit.workflows import cases

CASE = "customer_health"
DEFAULTS = {name: p.default for name, p in cases.parameters(CASE).items()}


def in_process(**given):
    """The record's figures computed here, the way the notebook computes them."""
    p = {**DEFAULTS, **given}
    mix = (p["share_land_expand"], 1 - p["share_land_expand"] - p["share_stall_churn"], p["share_stall_churn"])
    tables = telemetry.generate(customers=p["customers"], months=p["months"], seed=p["seed"], mix=mix)
    metrics = analytics.monthly_metrics(tables)
    path = (analytics.AdoptionPath(p["full_adoption"], p["full_breadth"], p["ramp_months"])
            if p["path"] == "road_map" else analytics.peer_path(metrics, quantile=0.75))
    as_of = metrics["month"].max() - pd.DateOffset(months=p["look_back"])
    result = analytics.analyse(tables, path=path, rules=analytics.HealthRules(tolerance=p["tolerance"]), as_of=as_of)
    check = analytics.status_by_pattern(result.customers, tables.customers.set_index("customer_id")["pattern"])
    flagged = dict(zip(check["pattern"], check["flagged"]))
    return {**analytics.cohort_figures(result), "path": p["path"],
            **{f"flagged_{pattern}": flagged.get(pattern) for pattern in telemetry.PATTERNS},
            **retention.yearly_retention(tables.contracts, month=as_of).figures()}


def test_parameters_are_declared_with_types_and_ranges():
    params = cases.parameters(CASE)
    assert params["months"].default == 24  # a year after the last landing: yearly retention covers everyone
    assert list(params) == ["customers", "months", "seed", "share_land_expand", "share_stall_churn", "path",
                            "full_adoption", "full_breadth", "ramp_months", "tolerance", "look_back"]
    assert (params["customers"].type, params["customers"].low, params["customers"].high) == ("int", 10, 2000)
    assert params["path"].choices == ("road_map", "peers")


@pytest.mark.parametrize("values, match", [
    ({"path": "median"}, "parameter 'path'.*'median' is not allowed; it takes one of road_map, peers"),
    ({"customers": "5"}, "parameter 'customers'.*5 is out of range; it takes int from 10 to 2000"),
    ({"cohort": "50"}, "unknown parameter 'cohort'"),
])
def test_bad_parameters_are_refused_before_a_kernel_starts(values, match):
    with pytest.raises(ParameterError, match=match):
        cases.check(CASE, values)


def test_record_equals_the_model_in_process_and_parameters_change_it(tmp_path):
    given = {"customers": 40, "seed": 3, "path": "peers", "look_back": 2, "tolerance": 0.15}
    result = cases.run(CASE, given, out=tmp_path)
    assert result.ok, result.record.get("error")
    rec = json.loads(result.results.read_text())
    expected = in_process(**given)
    assert rec["figures"] == expected
    assert rec["parameters"]["full_adoption"] == 0.8 and rec["parameters"]["path"] == "peers"
    assert rec["figures"]["customers"] == 40 and rec["figures"]["as_of"] == "2025-10"
    # the same cohort against the stated road map, assessed in the last month, reads differently
    assert in_process(customers=40, seed=3) != expected
    # retention of the assessed month against a year earlier, set against the median for the cohort's ACV
    assert (rec["figures"]["retention_month"], rec["figures"]["retention_base_month"]) == ("2025-10", "2024-10")
    assert rec["evidence"] == [c.to_dict() for c in evidence.compare(CASE, expected)]
    assert [c["figure"] for c in rec["evidence"]] == ["nrr", "grr"]
    assert all(c["where"] in ("inside", "below", "above") and c["band"].startswith("ACV") for c in rec["evidence"])


def test_a_year_of_telemetry_is_too_short_for_yearly_retention_and_the_record_says_so(tmp_path):
    result = cases.run(CASE, {"customers": 20, "months": 12}, out=tmp_path)
    assert result.ok, result.record.get("error")
    rec = json.loads(result.results.read_text())
    assert (rec["figures"]["nrr"], rec["figures"]["grr"], rec["figures"]["acv_usd"]) == (None, None, None)
    assert [c["where"] for c in rec["evidence"]] == ["no value", "no value"]
    nb = json.loads(result.notebook.read_text())
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert "No yearly retention: the contracts start in 2024-01; a yearly rate for 2024-12 needs 2023-12." in printed


def test_default_cohort_retention_sits_below_the_published_medians():
    """The default cohort (a quarter built to churn) keeps less revenue than the median SaaS company of its size."""
    figures = in_process()
    compared = {c.figure: c for c in evidence.compare(CASE, figures)}
    assert 50_000 <= figures["acv_usd"] < 100_000 and compared["nrr"].band == "ACV USD 50k-100k"
    assert (compared["nrr"].published, compared["grr"].published) == (1.05, 0.93)
    assert compared["nrr"].where == "below" and compared["grr"].where == "below"


def test_shares_that_add_up_to_more_than_one_fail_with_a_message_naming_the_mix(tmp_path):
    result = cases.run(CASE, {"customers": 10, "share_land_expand": 0.8, "share_stall_churn": 0.5}, out=tmp_path)
    assert not result.ok
    rec = json.loads(result.results.read_text())
    assert rec["error"]["name"] == "B4BError"
    assert "mix: expected 3 shares from 0 to 1 summing to 1" in rec["error"]["message"]
