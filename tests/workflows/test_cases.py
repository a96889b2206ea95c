"""Case studies through real papermill, as `b4b run` and as plain `papermill`."""

import json
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from b4b_kit import datasets
from b4b_kit.errors import ParameterError
from b4b_kit.supplier_levels import model as assess
from b4b_kit.supplier_levels import sample_data
from b4b_kit.workflows import cases

CASE = "goldilocks_portfolio"


def expected_figures(**kw):
    table = datasets.load("supplier_portfolio")
    return assess.portfolio_figures(assess.assess_frame(table, **kw))


def test_parameters_are_read_from_the_tagged_cell_without_a_kernel():
    params = cases.parameters(CASE)
    assert list(params) == ["supplier", "dataset", "seed", "threshold", "outcome_threshold"]
    t = params["threshold"]
    assert (t.type, t.default, t.low, t.high) == ("float", 0.5, 0.0, 1.0)
    assert params["dataset"].is_file
    assert "[range" not in t.help


def test_check_converts_command_line_strings_to_declared_types():
    out = cases.check(CASE, {"threshold": "0.6", "seed": "12", "supplier": "Acme"})
    assert out == {"threshold": 0.6, "seed": 12, "supplier": "Acme"}
    assert cases.check(CASE, {"threshold": 1})["threshold"] == 1.0


@pytest.mark.parametrize("values, match", [
    ({"treshold": "0.6"}, "unknown parameter 'treshold'.*Did you mean 'threshold'"),
    ({"threshold": "high"}, "parameter 'threshold'.*'high' is not a number; it takes float from 0 to 1"),
    ({"threshold": "1.5"}, "parameter 'threshold'.*1.5 is out of range; it takes float from 0 to 1"),
    ({"seed": "0.5"}, "parameter 'seed'.*not a whole number"),
    ({"seed": True}, "parameter 'seed'.*is a bool, not int"),
    ({"dataset": "/no/such/file.csv"}, "parameter 'dataset'.*no file at"),
])
def test_bad_parameters_fail_naming_parameter_type_and_range(values, match):
    with pytest.raises(ParameterError, match=match):
        cases.check(CASE, values)


def test_run_writes_notebook_and_results_record_with_provenance(tmp_path):
    result = cases.run(CASE, {"threshold": "0.6"}, out=tmp_path)
    assert result.ok
    rec = json.loads(result.results.read_text())
    assert rec["status"] == "ok" and rec["error"] is None
    assert rec["parameters"]["threshold"] == 0.6
    assert rec["parameters"]["outcome_threshold"] == 0.8  # default recorded too
    assert rec["parameters_given"] == ["threshold"]
    for key, value in expected_figures(threshold=0.6).items():
        assert rec["figures"][key] == value, key
    assert rec["figures"]["supplier"] == "Northwind Instruments"
    assert rec["datasets"]["product_markets"]["sha256"] == datasets.card("supplier_portfolio")["sha256"]
    assert rec["kit_version"] and rec["packages"]["papermill"]
    assert len(rec["notebook_sha256"]) == 64
    nb = nbformat.read(result.notebook, as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_threshold_changes_the_result(tmp_path):
    low = cases.run(CASE, {"threshold": 0.3, "outcome_threshold": 0.9}, out=tmp_path / "a").record["figures"]
    assert low == {**expected_figures(threshold=0.3, outcome_threshold=0.9), "supplier": "Northwind Instruments"}
    assert low != {**expected_figures(), "supplier": "Northwind Instruments"}


def test_a_failing_run_keeps_its_partial_output_and_names_the_cell(tmp_path):
    # a supplier the data does not hold passes the parameter checks and fails inside the kernel
    result = cases.run(CASE, {"supplier": "Nobody Ltd"}, out=tmp_path / "out")
    assert not result.ok
    rec = json.loads(result.results.read_text())
    assert rec["status"] == "failed"
    assert rec["error"]["name"] == "B4BError"
    assert "no product-markets for supplier 'Nobody Ltd'" in rec["error"]["message"]
    nb = nbformat.read(result.notebook, as_version=4)
    failing = nb.cells[rec["error"]["cell_index"]]
    assert "select_supplier" in failing.source
    assert any(o.get("output_type") == "error" for o in failing.outputs)


def test_an_own_data_file_that_does_not_fit_fails_before_a_kernel_starts_naming_file_and_column(tmp_path):
    broken = pd.read_csv(datasets.path("supplier_portfolio"))
    broken.loc[5, "outcome_criticality"] = 3.0
    path = tmp_path / "broken.csv"
    broken.to_csv(path, index=False)
    with pytest.raises(ParameterError) as info:
        cases.run(CASE, {"dataset": str(path)}, out=tmp_path / "out")
    assert str(info.value) == (f"parameter 'dataset' of {CASE}: {path}, column 'outcome_criticality': 3.0 in data "
                               "row 6 is outside 0..1. Keep values within 0..1. "
                               f"'b4b cases show {CASE}' lists the columns it needs.")
    assert not (tmp_path / "out").exists(), "nothing ran"


def test_cases_show_prints_the_columns_an_own_file_needs(b4b):
    res = b4b("cases", "show", CASE)
    assert res.returncode == 0
    assert "Your own file for 'dataset' (-p dataset FILE)" in res.stdout
    row = next(line for line in res.stdout.splitlines() if line.startswith("outcome_criticality "))
    assert row.split()[:6] == ["outcome_criticality", "number", "0-1", "score", "0", "to"]
    assert "How much the business result matters" in row


def test_seed_parameter_makes_a_synthetic_portfolio(tmp_path):
    rec = cases.run(CASE, {"seed": 11}, out=tmp_path).record
    made = sample_data.make_supplier_portfolio(seed=11)
    assert rec["figures"]["product_markets"] == len(made)
    assert rec["figures"]["revenue_musd"] == round(float(made["revenue_musd"].sum()), 2)
    assert rec["datasets"] == {}


def test_plain_papermill_runs_the_same_notebook(tmp_path):
    out = tmp_path / "pm.ipynb"
    src = cases.notebook_path(CASE)
    subprocess.run([sys.executable, "-m", "papermill", str(src), str(out), "-p", "threshold", "0.6",
                    "--cwd", str(src.parent), "-k", "python3"], check=True, capture_output=True, timeout=300)
    figures = cases.recorded(nbformat.read(out, as_version=4).dict())["figures"]
    assert figures["revenue_at_risk_musd"] == expected_figures(threshold=0.6)["revenue_at_risk_musd"]


def test_cli_run_prints_figures_and_writes_files(b4b, tmp_path):
    res = b4b("run", CASE, "-p", "outcome_threshold", "0.85", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    assert f"revenue_at_risk_musd: {expected_figures(outcome_threshold=0.85)['revenue_at_risk_musd']}" in res.stdout
    assert (tmp_path / f"{CASE}.ipynb").is_file()
    assert json.loads((tmp_path / f"{CASE}.results.json").read_text())["status"] == "ok"


@pytest.mark.parametrize("args, match", [
    (["-p", "treshold", "0.6"], "unknown parameter 'treshold'"),
    (["-p", "threshold", "abc"], "'abc' is not a number; it takes float from 0 to 1"),
])
def test_cli_bad_parameter_fails_before_a_kernel_starts(b4b, tmp_path, args, match):
    res = b4b("run", CASE, *args, "--out", tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert match in res.stderr
    assert res.stderr.count("\n") == 1  # one paragraph
    assert not any(tmp_path.iterdir()), "nothing ran"


def test_cli_failing_run_exits_1_and_points_at_the_kept_notebook(b4b, tmp_path):
    res = b4b("run", CASE, "-p", "supplier", "Nobody Ltd", "--out", tmp_path / "o")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "B4BError" in res.stderr and "no product-markets for supplier 'Nobody Ltd'" in res.stderr
    assert "kept in" in res.stderr and (tmp_path / "o" / f"{CASE}.ipynb").is_file()


def test_cli_own_file_missing_columns_exits_2_with_one_message(b4b, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("supplier,product_market\nX,Y\n")
    res = b4b("run", CASE, "-p", "dataset", bad, "--out", tmp_path / "o")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.startswith(f"error: parameter 'dataset' of {CASE}: {bad}: missing column(s) segment, ")
    assert res.stderr.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_cli_unknown_case(b4b):
    res = b4b("run", "goldilocks")
    assert res.returncode == 2
    assert "unknown case study 'goldilocks'. Known case studies: " in res.stderr
    assert "goldilocks_portfolio" in res.stderr.split("Known case studies:")[1]


@pytest.mark.parametrize("case", cases.names())
def test_every_case_study_runs_with_plain_papermill_and_records_its_figures(case, tmp_path):
    src = cases.notebook_path(case)
    out = tmp_path / f"{case}.ipynb"
    res = subprocess.run([sys.executable, "-m", "papermill", str(src), str(out), "--cwd", str(src.parent),
                          "-k", "python3", "--no-progress-bar"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    record = cases.recorded(nbformat.read(out, as_version=4).dict())
    assert record["figures"], f"{case} recorded no figures"
    declared = cases.parameters(case)
    assert declared, f"{case} declares no parameters"
