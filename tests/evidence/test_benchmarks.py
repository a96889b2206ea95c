"""The published benchmarks as data: the shipped file, the checks on a file you write, the comparisons."""

import copy
import tomllib

import pytest
import yaml

from b4b_kit import evidence
from b4b_kit.evidence import BenchmarkError
from b4b_kit.workflows import cases
from tests.helpers import REPO

SHIPPED = yaml.safe_load(evidence.FILE.read_text(encoding="utf-8"))


def test_the_issue_s_benchmarks_are_all_there_with_their_figures():
    by_id = {b.id: b for b in evidence.benchmarks()}
    fang = by_id["fang2008_service_share_threshold"]
    assert (fang.low, fang.high, fang.period) == (0.20, 0.30, "1990-2005")
    assert fang.population.startswith("477 publicly traded US manufacturing firms")
    assert by_id["suarez2013_services_margin_turning_point"].value == 0.5
    nrr = by_id["saas_capital_2023_nrr"]
    assert [b.value for b in nrr.bands] == [1.00, 1.02, 1.03, 1.05, 1.07, 1.10]
    assert [b.value for b in by_id["saas_capital_2023_grr"].bands] == [0.90, 0.90, 0.92, 0.93, 0.93, 0.93]
    assert [b.start for b in nrr.bands] == [0, 12_000, 25_000, 50_000, 100_000, 250_000]
    pbc = by_id["guajardo2012_pbc_reliability"]
    assert (pbc.low, pbc.high) == (0.25, 0.40)
    assert by_id["tsia_cloud40_revenue_growth"].value == 0.22
    assert by_id["tsia_cloud40_operating_income"].value == -0.07
    assert by_id["tsia_cloud40_rule_of_40"].value == 15
    assert by_id["tsia_cloud40_weighted_rule_of_40"].value == 24.57
    assert by_id["kim2007_first_best_base_stock"].value == 8.725


def test_every_shipped_figure_was_read_in_its_source_or_computed_and_says_how_the_kit_uses_it():
    for b in evidence.benchmarks():
        assert b.reading in ("read", "computed"), b.id
        assert b.citation and b.population and b.period and b.kit_use, b.id
    computed = [b for b in evidence.benchmarks() if b.reading == "computed"]
    assert [b.id for b in computed] == ["tsia_cloud40_weighted_rule_of_40"]
    assert "1.33 x 22 + 0.67 x (-7)" in computed[0].reading_note


def test_each_compared_figure_names_a_real_case():
    for b in evidence.benchmarks():
        for use in b.compared_with:
            assert use.case in cases.names(), (b.id, use.case)


def test_the_wheel_carries_the_benchmarks_file():
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["b4b_kit"]
    assert "evidence/*.yaml" in data


@pytest.mark.parametrize("value, expected", [(0.99, "below"), (1.025, "inside"), (1.04, "inside"),
                                             (1.0401, "above"), (None, "no value"), (float("nan"), "no value")])
def test_a_median_reads_as_a_band_of_one_point_either_side(value, expected):
    # ACV $40k falls in the $25k-50k band: median NRR 103 %, the kit reads 102-104 % as inside
    [c] = [c for c in evidence.compare("customer_health", {"nrr": value, "acv_usd": 40_000}) if c.figure == "nrr"]
    assert (c.low, c.high, c.published, c.band) == (1.02, 1.04, 1.03, "ACV USD 25k-50k")
    assert c.where == expected


@pytest.mark.parametrize("acv, label, median", [(0, "ACV under USD 12k", 1.00), (11_999, "ACV under USD 12k", 1.00),
                                                (12_000, "ACV USD 12k-25k", 1.02), (249_999, "ACV USD 100k-250k", 1.07),
                                                (250_000, "ACV over USD 250k", 1.10), (5e6, "ACV over USD 250k", 1.10)])
def test_the_contract_value_picks_the_band_from_inclusive_to_exclusive(acv, label, median):
    [c] = [c for c in evidence.compare("customer_health", {"nrr": 1.0, "acv_usd": acv}) if c.figure == "nrr"]
    assert (c.band, c.published) == (label, median)


def test_without_the_contract_value_there_is_no_band():
    comparisons = evidence.compare("customer_health", {"nrr": 1.0, "grr": 0.9})
    assert [c.where for c in comparisons] == ["no band", "no band"]
    assert evidence.band("customer_health", "nrr", {"nrr": 1.0}) is None


def test_band_gives_low_high_and_citation_for_a_case_figure():
    low, high, citation = evidence.band("ten_consumption_deals", "grr_year1", {"acv_usd": 1e6})
    assert (low, high) == (0.92, 0.94)
    assert citation.startswith("SaaS Capital (2023). Research Brief 28")
    assert evidence.band("goldilocks_portfolio", "revenue_at_risk_musd", {}) is None


def test_a_case_without_published_counterparts_gets_no_comparisons():
    assert evidence.compare("goldilocks_portfolio", {"revenue_at_risk_musd": 3.2}) == []


def test_the_table_shows_the_kit_figure_beside_the_published_range():
    t = evidence.table(evidence.compare("ten_consumption_deals",
                                        {"nrr_year1": 1.5, "grr_year1": 0.9, "acv_usd": 1e6}))
    assert t[["figure", "kit", "published", "where"]].values.tolist() == [
        ["nrr_year1", "150 %", "109-111 % (median 110 %, ACV over USD 250k)", "above"],
        ["grr_year1", "90 %", "92-94 % (median 93 %, ACV over USD 250k)", "below"],
    ]
    assert set(t["reading"]) == {"read"}


def test_a_comparison_is_plain_json_for_the_results_record():
    import json

    [c, _] = evidence.compare("customer_health", {"nrr": 0.95, "grr": 0.9, "acv_usd": 40_000})
    assert json.loads(json.dumps(c.to_dict())) == {
        "case": "customer_health", "figure": "nrr", "value": 0.95, "benchmark": "saas_capital_2023_nrr",
        "low": 1.02, "high": 1.04, "published": 1.03, "band": "ACV USD 25k-50k", "where": "below",
        "unit": "share of the MRR a year earlier", "reading": "read", "citation": c.citation}


# --- a file you write: one message naming the file, the field and the fix ------------------------------

def write(tmp_path, data):
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def edited(edit):
    data = copy.deepcopy(SHIPPED)
    edit(data["benchmarks"])
    return data


@pytest.mark.parametrize("edit, match", [
    (lambda b: b[0].pop("citation"), r"field benchmarks\[0\]\.citation: missing 'citation'. Add 'citation:'"),
    (lambda b: b[0].update(reading="heard"), r"benchmarks\[0\]\.reading: expected one of read, read_second_hand"),
    (lambda b: b[0].update(low=0.4), r"benchmarks\[0\]\.low: low \(0.4\) is above high \(0.3\). Swap them."),
    (lambda b: b[0].pop("high"), r"benchmarks\[0\]\.high: a range needs both 'low' and 'high'"),
    (lambda b: b[0].update(value=0.25), r"benchmarks\[0\]: give exactly one of 'value', 'low' with 'high', or "
                                        r"'bands' \(found value, low/high\)"),
    (lambda b: b[1].update(id=b[0]["id"]), r"benchmarks\[1\]\.id: duplicate id 'fang2008_service_share_threshold' "
                                           r"\(first used at benchmarks\[0\]\.id\)"),
    (lambda b: b[2]["bands"][2].update({"from": 30000}),
     r"benchmarks\[2\]\.bands\[2\]\.from: band starts at 30000 but the one before ends at 25000"),
    (lambda b: b[2]["bands"][1].pop("to"), r"benchmarks\[2\]\.bands\[1\]\.to: only the last band may leave 'to' open"),
    (lambda b: b[2]["compared_with"][0].pop("contract_value"),
     r"compared_with\[0\]\.contract_value: a banded benchmark needs the figure that picks the band"),
    (lambda b: b[2].pop("tolerance_note"), r"benchmarks\[2\]\.tolerance_note: a tolerance needs a note"),
    (lambda b: b[1].update(compared_with=[{"case": "services_mix", "figure": "new_share_last"}]),
     r"benchmarks\[1\]\.compared_with\[0\]: a single published value needs a 'tolerance'"),
    (lambda b: b[3]["compared_with"].append({"case": "customer_health", "figure": "nrr", "contract_value": "acv"}),
     r"customer_health.nrr is already compared with saas_capital_2023_nrr"),
    (lambda b: b[0].update(colour="red"), r"benchmarks\[0\]\.colour: unknown key 'colour'"),
])
def test_a_broken_file_fails_with_one_message_naming_file_field_and_fix(tmp_path, edit, match):
    path = write(tmp_path, edited(edit))
    with pytest.raises(BenchmarkError, match=match) as info:
        evidence.load(path)
    assert str(info.value).startswith(f"{path}, field ")


def test_not_yaml_and_no_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("benchmarks:\n  - id: x\n   measured: [\n")
    with pytest.raises(BenchmarkError, match=r"bad.yaml, line \d+: not valid YAML"):
        evidence.load(path)
    with pytest.raises(BenchmarkError, match="no such benchmarks file"):
        evidence.load(tmp_path / "none.yaml")


def test_your_own_file_loads_like_the_shipped_one(tmp_path):
    path = write(tmp_path, SHIPPED)
    assert evidence.load(path) == evidence.benchmarks()


def test_service_share_converts_to_the_service_to_product_ratio_the_summary_uses():
    assert evidence.service_to_product_ratio(0.2) == 0.25
    assert round(evidence.service_to_product_ratio(0.3), 4) == 0.4286
    with pytest.raises(evidence.B4BError, match="service_share: expected a share from 0 to below 1"):
        evidence.service_to_product_ratio(1.0)


# --- the command ------------------------------------------------------------------------------------------

def test_cli_lists_every_benchmark_with_its_citation(b4b):
    res = b4b("benchmarks")
    assert res.returncode == 0, res.stderr
    for b in evidence.benchmarks():
        assert b.id in res.stdout
    assert "Fang, E., Palmatier, R. W., & Steenkamp, J.-B. E. M. (2008)" in res.stdout
    assert "doi:10.1287/mnsc.1070.0741" in res.stdout
    line = next(x for x in res.stdout.splitlines() if x.startswith("saas_capital_2023_nrr "))
    assert "100-110 % by band" in line and "customer_health.nrr" in line


def test_cli_shows_one_benchmark_in_full_and_checks_your_file(b4b, tmp_path):
    res = b4b("benchmarks", "--id", "saas_capital_2023_grr")
    assert res.returncode == 0
    assert "ACV USD 25k-50k: 92 %" in res.stdout and "kit's reading band" in res.stdout
    bad = write(tmp_path, edited(lambda b: b[0].update(low="twenty")))
    res = b4b("benchmarks", "--file", bad)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip() == (f"error: {bad}, field benchmarks[0].low: expected a number, found 'twenty'. "
                                  "Change 'low' to a number.")
