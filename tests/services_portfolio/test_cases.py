"""The services_mix case study through papermill, against the same computation in-process."""

import json

import pytest

from b4b_kit import datasets
from b4b_kit.errors import ParameterError
from b4b_kit.services_portfolio import model as services
from b4b_kit.workflows import cases
from tests.helpers import DATA

CASE = "services_mix"
# The signals file in tests/data: works before and after the shipped file gains the same signals.
FRAMEWORK = str(DATA / "services_portfolio_with_signals.yaml")


def expected_figures(supplier="Northwind Instruments", first_year=0, last_year=0, threshold=0.25, need="need"):
    offers = services.select_supplier(datasets.load("service_catalogue"), supplier)
    earnings = services.revenue_for(datasets.load("service_revenue"), offers)
    classified = services.classify(offers, FRAMEWORK)
    mix = services.mix(classified, earnings, first_year=first_year, last_year=last_year, framework=FRAMEWORK)
    figures = services.mix_figures(mix, threshold=threshold)
    overlaps = services.overlaps(offers, on=need if need == "need" else need.split("+"))
    return {"supplier": supplier, "offers": len(classified), "uncertain_offers": int(classified["uncertain"].sum()),
            **figures, **services.overlap_figures(overlaps, earnings, year=figures["last_year"])}


def test_parameters_are_declared_with_types_ranges_and_files():
    params = cases.parameters(CASE)
    assert list(params) == ["catalogue_file", "revenue_file", "framework_file", "supplier", "first_year",
                            "last_year", "threshold", "same_need"]
    assert params["framework_file"].is_file and params["catalogue_file"].is_file
    assert (params["threshold"].low, params["threshold"].high, params["threshold"].default) == (0.0, 1.0, 0.25)
    assert params["same_need"].choices == ("need", "acts_on+paid_for")


@pytest.mark.parametrize("values, match", [
    ({"threshold": "1.2"}, "parameter 'threshold'.*out of range"),
    ({"same_need": "price"}, "parameter 'same_need'.*not allowed; it takes one of need, acts_on\\+paid_for"),
    ({"first_year": "2019.5"}, "parameter 'first_year'.*not a whole number"),
    ({"framework_file": "/no/such.yaml"}, "parameter 'framework_file'.*no file at"),
])
def test_bad_parameters_are_refused_before_a_kernel_starts(values, match):
    with pytest.raises(ParameterError, match=match):
        cases.check(CASE, values)


def test_the_record_holds_what_the_model_computes(tmp_path):
    result = cases.run(CASE, {"framework_file": FRAMEWORK}, out=tmp_path)
    assert result.ok, result.record.get("error")
    rec = json.loads(result.results.read_text())
    assert rec["figures"] == expected_figures()
    assert rec["figures"]["first_year"] == 2014 and rec["figures"]["uncertain_offers"] == 2
    assert rec["datasets"]["revenue"]["sha256"] == datasets.card("service_revenue")["sha256"]
    assert rec["datasets"]["framework"]["sha256"] == datasets.checksum(FRAMEWORK)


def test_years_threshold_and_need_definition_change_the_figures(tmp_path):
    params = {"framework_file": FRAMEWORK, "first_year": 2018, "last_year": 2021, "threshold": 0.1,
              "same_need": "acts_on+paid_for"}
    rec = cases.run(CASE, params, out=tmp_path).record
    assert rec["status"] == "ok", rec.get("error")
    want = expected_figures(first_year=2018, last_year=2021, threshold=0.1, need="acts_on+paid_for")
    assert rec["figures"] == want
    assert want != expected_figures()
    assert (want["first_year"], want["last_year"]) == (2018, 2021)
    assert want["year_new_share_reaches_threshold"] == 2019
