"""The contract_churn case study through real papermill, on IBM's sample and on a researcher's own file."""

import json

import pandas as pd
import pytest

from b4b_kit import datasets
from b4b_kit.errors import ParameterError
from b4b_kit.sales_motions import churn
from b4b_kit.workflows import cases

CASE = "contract_churn"


def test_it_belongs_to_sales_motions_and_takes_a_file_with_the_telco_columns():
    assert cases.framework_of(CASE) == "sales_motions"
    params = cases.parameters(CASE)
    assert list(params) == ["dataset", "horizon"]
    assert params["dataset"].dataset == "telco_customer_churn" and params["dataset"].is_file
    assert (params["horizon"].default, params["horizon"].low, params["horizon"].high) == (12, 1, 60)
    columns = cases.data_files(CASE)["dataset"]["columns"].set_index("column")
    assert columns.loc["Contract", "allowed"] == "one of: Month-to-month | One year | Two year"
    assert columns.loc["tenure", "unit"] == "months"


def test_the_record_equals_the_model_on_ibm_s_sample(tmp_path):
    result = cases.run(CASE, out=tmp_path)
    assert result.ok, result.record.get("error")
    rec = json.loads(result.results.read_text())
    assert rec["figures"] == churn.churn_figures(datasets.load("telco_customer_churn"))
    assert rec["datasets"]["customers"]["sha256"] == datasets.card("telco_customer_churn")["sha256"]
    assert rec["figures"]["churn_rate_month_to_month"] == 0.4271 and rec["figures"]["customers"] == 7043
    assert "evidence" not in rec  # no published counterpart: the record keeps the usual shape


def test_a_researcher_s_own_file_of_the_same_schema_reruns_the_case(tmp_path):
    own = pd.read_csv(datasets.path("telco_customer_churn"), dtype={"TotalCharges": str})
    own = own[own["InternetService"] == "Fiber optic"]  # one segment only
    path = tmp_path / "fibre_customers.csv"
    own.to_csv(path, index=False)
    result = cases.run(CASE, {"dataset": str(path), "horizon": 6}, out=tmp_path / "out")
    assert result.ok, result.record.get("error")
    rec = json.loads(result.results.read_text())
    expected = churn.churn_figures(datasets.load("telco_customer_churn", file=path), horizon=6)
    assert rec["figures"] == expected
    assert rec["figures"]["customers"] == len(own) and rec["figures"]["horizon_months"] == 6
    assert rec["datasets"]["customers"] == {"path": str(path), "sha256": datasets.checksum(path)}


def test_an_own_file_that_does_not_fit_is_refused_before_a_kernel_starts(tmp_path):
    own = pd.read_csv(datasets.path("telco_customer_churn"), dtype={"TotalCharges": str})
    own.loc[3, "Contract"] = "3 years"
    path = tmp_path / "mine.csv"
    own.to_csv(path, index=False)
    with pytest.raises(ParameterError) as info:
        cases.check(CASE, {"dataset": str(path)})
    assert str(info.value) == (
        f"parameter 'dataset' of {CASE}: {path}, column 'Contract': expected one of Month-to-month, One year, "
        "Two year, found '3 years' in data row 4. Use exactly these values (spelling and capitals matter). "
        f"'b4b cases show {CASE}' lists the columns it needs.")


def test_cli_cases_show_prints_the_telco_schema(b4b):
    res = b4b("cases", "show", CASE)
    assert res.returncode == 0
    assert "Your own file for 'dataset' (-p dataset FILE)" in res.stdout
    lines = {line.split()[0]: line for line in res.stdout.splitlines() if line.strip()}
    assert "one of: Yes | No" in lines["Churn"]
    assert "blank only where tenure is 0 (read as 0)" in lines["TotalCharges"]
