"""The WhiteBox case study through real papermill: figures equal the in-process model."""

import pytest

from b4b_kit import datasets, maturity
from b4b_kit.workflows import cases

VMM = "value_maturity_model"


def whitebox_figures(rule="staged", pass_mark=3.0, target_level=4, agreements_score=4, co_creation_score=3,
                     service_manager_score=3, c_level_score=3):
    """What the whitebox_level4 notebook must record, computed here from the model."""
    table = datasets.load("whitebox_answers")
    scale = maturity.Scale(0, 4, pass_mark=pass_mark)
    importance = dict(zip(table["criterion"], table["importance"]))
    before = dict(zip(table["criterion"], table["before"]))
    after = {**dict(zip(table["criterion"], table["after"])), "agreements_in_business_effects": agreements_score,
             "co_creation": co_creation_score, "business_savvy_service_manager": service_manager_score,
             "c_level_access": c_level_score}
    kw = dict(scale=scale, importance=importance)
    gaps_before = maturity.gaps(VMM, before, target_level, **kw)
    gaps_after = maturity.gaps(VMM, after, target_level, **kw)
    return {"overall_before": round(maturity.assess_one(VMM, before, rule=rule, **kw).overall, 4),
            "gaps_before": len(gaps_before), "top_gap_before": gaps_before["criterion"].iloc[0],
            **maturity.figures(maturity.assess_one(VMM, after, rule=rule, **kw), gaps_after)}


def test_whitebox_defaults_walk_from_level_3_to_level_4():
    f = whitebox_figures()
    assert (f["overall_before"], f["overall_level"], f["gaps"], f["top_gap_before"]) == (
        3.0, 4.0, 0, "agreements_in_business_effects")


def test_whitebox_case_records_the_models_figures(tmp_path):
    params = {"c_level_score": 2, "rule": "continuous"}
    result = cases.run("whitebox_level4", params, out=tmp_path)
    assert result.ok, result.record.get("error")
    expected = whitebox_figures(**params)
    assert result.record["figures"] == expected
    # one short criterion: continuous says 3.x, and the staged rule would have said 3 where the defaults give 4
    assert expected["top_gap"] == "c_level_access" and 3 < expected["overall_level"] < 4
    assert whitebox_figures(c_level_score=2)["overall_level"] == 3.0
    assert expected != whitebox_figures()
    assert result.record["datasets"]["whitebox_answers"]["sha256"] == datasets.card("whitebox_answers")["sha256"]


@pytest.mark.parametrize("case, params, match", [
    ("whitebox_level4", {"rule": "mixed"}, "'mixed' is not allowed; it takes one of staged, continuous"),
    ("whitebox_level4", {"c_level_score": "5"}, "5 is out of range; it takes int from 0 to 4"),
])
def test_bad_case_parameters_fail_before_a_kernel_starts(case, params, match):
    with pytest.raises(cases.ParameterError, match=match):
        cases.check(case, params)


def test_case_parameters_are_declared_with_ranges():
    p = cases.parameters("whitebox_level4")
    assert p["rule"].choices == ("staged", "continuous") and p["pass_mark"].high == 4
