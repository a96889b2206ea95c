"""The tire-innovation case study through real papermill: figures equal the in-process model."""

import pytest

from b4b_kit import datasets
from b4b_kit.channel_capability_model import model as channel
from b4b_kit.workflows import cases


def tire_figures(w_value=0.4, w_complexity=0.3, w_credibility=0.3):
    return channel.priority_figures(channel.prioritise(datasets.load("tire_innovations"),
                                                       (w_value, w_complexity, w_credibility)))


def test_tire_case_records_the_models_figures(tmp_path):
    params = {"w_value": 0.1, "w_complexity": 0.1, "w_credibility": 0.8}
    result = cases.run("tire_innovations", params, out=tmp_path)
    assert result.ok, result.record.get("error")
    assert result.record["figures"] == tire_figures(**params)
    assert result.record["figures"]["top"] == "payment_terms"
    assert tire_figures()["top"] == "tire_storage_scandinavia"  # the default weights pick another leader
    assert result.record["figures"]["pareto"] == tire_figures()["pareto"]  # the front ignores the weights


def test_bad_case_parameters_fail_before_a_kernel_starts():
    with pytest.raises(cases.ParameterError, match="1.5 is out of range; it takes float from 0 to 1"):
        cases.check("tire_innovations", {"w_value": "1.5"})


def test_case_parameters_are_declared_with_ranges():
    assert set(cases.parameters("tire_innovations")) == {"w_value", "w_complexity", "w_credibility", "dataset"}
