"""The services portfolio: classification from the framework's signals, the mix over years, overlaps.

The rules come from ``tests/data/services_portfolio_with_signals.yaml`` (the
shipped framework file plus the ``signals`` blocks). Once the shipped file
carries the same signals, the parametrized tests run against both files.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from b4b_kit import datasets, frameworks
from b4b_kit.errors import B4BError
from b4b_kit.services_portfolio import model as services
from b4b_kit.services_portfolio import sample_data
from tests.helpers import DATA

COPY_PATH = DATA / "services_portfolio_with_signals.yaml"
COPY = frameworks.load(COPY_PATH)
SHIPPED = frameworks.get("services_portfolio")
SHIPPED_HAS_SIGNALS = any(el.signals for el in SHIPPED.elements)
FRAMEWORKS = [pytest.param(COPY, id="copy")] + ([pytest.param(SHIPPED, id="shipped")] if SHIPPED_HAS_SIGNALS else [])

# Read off the signals by hand (see the copy): the category each sample offer must get.
SAMPLE_CATEGORIES = {
    "NW-S01": "support_services", "NW-S02": "uncertain", "NW-S03": "operational_services",
    "NW-E01": "education_services", "NW-E02": "education_services",
    "NW-P01": "professional_services", "NW-P02": "professional_services", "NW-P03": "adoption_services",
    "NW-P04": "operational_services", "NW-P05": "uncertain",
    "NW-F01": "field_services", "NW-F02": "field_services", "NW-F03": "operational_services",
    "NW-F04": "field_services",
    "NW-M01": "managed_services", "NW-M02": "operational_services", "NW-M03": "outcome_as_a_service",
    "NW-M04": "adoption_services",
    "ORCL-ACS": "operational_services", "SAAS-PREMIER": "adoption_services", "SIEMENS-LAB": "operational_services",
}


@pytest.fixture(params=FRAMEWORKS)
def fw(request):
    return request.param


def three_services():
    return pd.DataFrame({
        "service_id": ["a", "b", "c"],
        "name": ["Help desk", "Usage analytics", "Pay per uptime hour"],
        "acts_on": ["asset", "adoption", "outcome"],
        "paid_for": ["asset_contract", "usage", "outcome"],
        "activity": ["troubleshoot", "analyse_usage", "guarantee_outcome"],
    })


# --------------------------------------------------------------------------- the framework file


def test_the_copy_is_the_shipped_file_plus_signals_on_every_element():
    # Element.signals is left out of equality, so this compares everything else.
    assert dataclasses.replace(COPY, path="") == dataclasses.replace(SHIPPED, path="")
    assert all(el.signals for el in COPY.elements)
    assert services.rules(COPY).attributes == ("acts_on", "paid_for", "activity")


def test_the_shipped_file_carries_the_same_signals_and_is_the_default():
    assert {el.id: el.signals for el in SHIPPED.elements} == {el.id: el.signals for el in COPY.elements}
    catalogue = datasets.load("service_catalogue")
    default = services.classify(catalogue)
    assert default.equals(services.classify(catalogue, COPY))
    assert dict(zip(default["service_id"], default["category"])) == SAMPLE_CATEGORIES


def test_a_framework_without_signals_is_refused_with_a_fix():
    with pytest.raises(B4BError, match="supplier_levels.yaml: the framework has no classification signals.*signals:"):
        services.rules("supplier_levels")


def test_framework_may_be_an_object_a_path_or_a_path_string():
    table = three_services()
    a = services.classify(table, COPY)
    assert a.equals(services.classify(table, COPY_PATH))
    assert a.equals(services.classify(table, str(COPY_PATH)))


def test_the_rules_come_from_the_file_not_the_code(tmp_path):
    coaching = {"acts_on": "adoption", "paid_for": "time_and_materials", "activity": "train"}
    assert services.classify_one(coaching, COPY).category == "education_services"
    text = COPY_PATH.read_text().replace("paid_for: [usage]", "paid_for: [usage, time_and_materials]")
    mine = tmp_path / "mine.yaml"
    mine.write_text(text)
    c = services.classify_one(coaching, mine)
    assert c.uncertain and c.candidates == ("education_services", "adoption_services")


def test_signal_table_and_vocabulary_read_the_file(fw):
    table = services.signal_table(fw).set_index("category")
    assert table.loc["field_services", "paid_for"] == "asset_contract, time_and_materials"
    assert table.loc["operational_services", "portfolio"] == "Optimize services"
    assert services.vocabulary(fw)["paid_for"] == ("asset_contract", "availability", "outcome",
                                                   "time_and_materials", "usage")


# --------------------------------------------------------------------------- classification by hand


def test_three_services_get_the_category_their_signals_name(fw):
    out = services.classify(three_services(), fw)
    assert out["category"].tolist() == ["support_services", "adoption_services", "outcome_as_a_service"]
    assert out["portfolio"].tolist() == ["traditional_services", "optimize_services", "outcome_services"]
    assert out["signals_matched"].tolist() == [3, 3, 3]
    assert not out["uncertain"].any()
    assert out["explanation"][0].startswith(
        "Support services (Traditional service lines): acts_on = asset, paid_for = asset_contract, "
        "activity = troubleshoot match its signals (3 of 3 stated).")
    # Field services also signal asset and asset_contract: the runner-up is named.
    assert out["explanation"][0].endswith("Next: Field services (2).")
    assert out["candidates"].tolist() == ["support_services", "adoption_services", "outcome_as_a_service"]


def test_a_tie_is_flagged_uncertain_naming_every_tied_category(fw):
    out = services.classify(pd.DataFrame({"name": ["Expert days"], "acts_on": ["asset"],
                                          "paid_for": ["time_and_materials"], "activity": ["unknown"]}), fw)
    row = out.iloc[0]
    assert row["uncertain"] and row["category"] == "uncertain" and row["portfolio"] == "uncertain"
    assert row["signals_matched"] == 2
    assert row["candidates"] == "education_services, professional_services, field_services"
    assert row["explanation"] == (
        "Uncertain: a tie at 2 signals between Education services (acts_on = asset, paid_for = time_and_materials), "
        "Professional services (acts_on = asset, paid_for = time_and_materials) and Field services "
        "(acts_on = asset, paid_for = time_and_materials). A value that only one of them signals would decide. "
        "Not stated: activity.")


def test_no_matching_signal_is_flagged_uncertain_with_the_values(fw):
    c = services.classify_one({"acts_on": "compliance", "paid_for": "subscription", "activity": "unknown"}, fw)
    assert c.uncertain and c.signals_matched == 0 and c.candidates == ()
    assert c.explanation == ("Uncertain: no category's signals match (acts_on = compliance, paid_for = subscription); "
                             "these values are not signals in the framework file. Not stated: activity.")
    nothing = services.classify_one({"acts_on": "", "paid_for": None, "activity": float("nan")}, fw)
    assert nothing.uncertain and nothing.explanation.startswith("Uncertain: no attribute is stated")


def test_a_partial_match_says_what_did_not_match(fw):
    c = services.classify_one({"acts_on": "adoption", "paid_for": "time_and_materials", "activity": "train"}, fw)
    assert c.category == "education_services" and c.signals_matched == 2
    assert c.matched == (("paid_for", "time_and_materials"), ("activity", "train"))
    assert "Not matching: acts_on = adoption (it expects asset)." in c.explanation
    assert c.explanation.endswith("Next: Professional services (1).")
    assert c.scores == (0, 2, 1, 1, 0, 0, 1, 0)


def test_values_are_compared_in_lower_case_with_underscores(fw):
    messy = {"acts_on": " Asset ", "paid_for": "Time and materials", "activity": "repair-on-site"}
    c = services.classify_one(messy, fw)
    assert (c.category, c.signals_matched) == ("field_services", 3)


def test_attributes_missing_from_the_catalogue_count_as_not_stated(fw):
    two = pd.DataFrame({"acts_on": ["asset", "operations"], "paid_for": ["asset_contract", "availability"]})
    out = services.classify(two, fw)
    assert out["category"].tolist() == ["uncertain", "operational_services"]  # support and field tie without activity
    assert out["explanation"][1].endswith("Not stated: activity.")


def test_scores_table_marks_the_winner_and_the_ties(fw):
    table = services.scores({"acts_on": "asset", "paid_for": "asset_contract", "activity": ""}, fw)
    status = dict(zip(table["category"], table["status"]))
    assert status["support_services"] == status["field_services"] == "tied"
    assert status["managed_services"] == "matched" and status["adoption_services"] == "none"
    assert table["signals_matched"].tolist() == [2, 1, 1, 2, 1, 0, 0, 0]


def test_vectorized_classification_equals_the_one_record_version(fw):
    rng = np.random.default_rng(5)
    vocab = services.vocabulary(fw)
    pools = {a: [*vocab[a], "unknown", "", "something_else"] for a in vocab}
    table = pd.DataFrame({a: rng.choice(pool, 400) for a, pool in pools.items()})
    odd = pd.DataFrame({"acts_on": [np.nan, "Asset", None], "paid_for": ["Time and materials", np.nan, "usage"],
                        "activity": ["repair-on-site", "", np.nan]})
    table = pd.concat([table, odd, datasets.load("service_catalogue")[list(vocab)]], ignore_index=True)
    out = services.classify(table, fw)
    for i, row in table.iterrows():
        one = services.classify_one(row.to_dict(), fw)
        got = out.iloc[i]
        assert (got["category"], bool(got["uncertain"]), got["signals_matched"], got["explanation"]) == (
            one.category, one.uncertain, one.signals_matched, one.explanation), i
        assert got["candidates"] == ", ".join(one.candidates)


def test_bad_catalogues_get_one_message_naming_what_and_how(fw):
    with pytest.raises(B4BError, match="catalogue: expected a pandas DataFrame, got list"):
        services.classify([{"acts_on": "asset"}], fw)
    with pytest.raises(B4BError, match=r"no attribute column.*columns: name, price.*acts_on, paid_for, activity"):
        services.classify(pd.DataFrame({"name": ["x"], "price": [1]}), fw)
    with pytest.raises(B4BError, match="states none of the attributes"):
        services.classify_one({"name": "x"}, fw)


def test_an_empty_catalogue_gives_an_empty_result_with_the_columns(fw):
    out = services.classify(pd.DataFrame({"acts_on": pd.Series([], dtype=object)}), fw)
    assert len(out) == 0 and set(services.OUTPUT_COLUMNS) <= set(out.columns)


def test_reclassifying_a_classified_table_replaces_the_old_verdict(fw):
    once = services.classify(three_services(), fw)
    twice = services.classify(once.assign(activity=["train", "analyse_usage", "guarantee_outcome"]), fw)
    assert twice["category"][0] == "uncertain"  # acts_on asset, asset_contract, train: support 2, field 2, education 2
    assert list(twice.columns) == list(once.columns)


def test_the_sample_catalogue_including_the_named_offers_of_seed_001(fw):
    out = services.classify(datasets.load("service_catalogue"), fw)
    assert dict(zip(out["service_id"], out["category"])) == SAMPLE_CATEGORIES
    named = out.set_index("service_id")
    assert named.loc["ORCL-ACS", "explanation"].endswith("Not stated: paid_for.")
    assert named.loc["NW-S02", "candidates"] == "support_services, field_services"
    counts = services.classification_counts(out).set_index("category")["services"]
    assert counts["uncertain"] == 2 and counts["operational_services"] == 6


# --------------------------------------------------------------------------- mix over the years

CLASSIFIED = pd.DataFrame({"service_id": ["a", "b", "c"],
                           "category": ["support_services", "adoption_services", "uncertain"],
                           "portfolio": ["traditional_services", "optimize_services", "uncertain"]})
REVENUE = pd.DataFrame({"service_id": ["a", "b", "c", "a", "b", "c"], "year": [2020] * 3 + [2021] * 3,
                        "revenue_musd": [6.0, 3.0, 1.0, 4.0, 4.0, 2.0]})


def shares(mix_table):
    return mix_table.pivot(index="year", columns="group", values="share")


def test_mix_by_hand_gives_each_years_shares():
    m = services.mix(CLASSIFIED, REVENUE, framework=COPY)
    s = shares(m)
    assert s.loc[2020].to_dict() == pytest.approx({"traditional_services": 0.6, "optimize_services": 0.3,
                                                   "outcome_services": 0.0, "uncertain": 0.1})
    assert s.loc[2021].to_dict() == pytest.approx({"traditional_services": 0.4, "optimize_services": 0.4,
                                                   "outcome_services": 0.0, "uncertain": 0.2})
    assert m["order"].tolist()[:4] == [0, 1, 2, 3]  # left to right: traditional, optimize, outcome, uncertain
    assert m.groupby("year")["revenue_musd"].sum().tolist() == [10.0, 10.0]


def test_mix_figures_by_hand():
    m = services.mix(CLASSIFIED, REVENUE, framework=COPY)
    f = services.mix_figures(m, threshold=0.35)
    assert (f["new_share_first"], f["new_share_last"], f["shift_points"]) == (0.3, 0.4, 10.0)
    assert f["year_new_share_reaches_threshold"] == 2021
    assert services.mix_figures(m, threshold=0.3)["year_new_share_reaches_threshold"] == 2020
    assert services.mix_figures(m, threshold=0.5)["year_new_share_reaches_threshold"] == 0
    assert (f["uncertain_share_last"], f["traditional_share_last"], f["revenue_last_musd"]) == (0.2, 0.4, 10.0)
    with pytest.raises(B4BError, match="threshold: expected a share from 0 to 1, got 1.5"):
        services.mix_figures(m, threshold=1.5)


@pytest.mark.parametrize("by, groups", [("portfolio", 4), ("category", 9)])
def test_every_group_appears_every_year_and_shares_sum_to_one(fw, by, groups):
    classified = services.classify(datasets.load("service_catalogue"), fw)
    m = services.mix(classified, datasets.load("service_revenue"), by=by, framework=fw)
    assert (m.groupby("year").size() == groups).all()
    assert np.allclose(m.groupby("year")["share"].sum(), 1.0)
    assert m["year"].min() == 2014 and m["year"].max() == 2023


def test_category_mix_adds_up_to_the_portfolio_mix(fw):
    classified = services.classify(datasets.load("service_catalogue"), fw)
    revenue = datasets.load("service_revenue")
    by_category = services.mix(classified, revenue, by="category", framework=fw)
    by_portfolio = services.mix(classified, revenue, framework=fw)
    area = {el.id: g.id for g in fw.groups for el in g.elements} | {"uncertain": "uncertain"}
    summed = by_category.assign(group=by_category["group"].map(area)).groupby(["year", "group"])["share"].sum()
    assert np.allclose(summed.sort_index(), by_portfolio.set_index(["year", "group"])["share"].sort_index())


def test_sample_shift_with_no_noise_is_worked_out_by_hand(fw):
    # 2014 with no noise: support 9, premium support 3 (uncertain), training 3, implementation 6,
    # integration 4, risk audit 0.6 (operational), repair 7, maintenance 5, managed 3 = 40.6.
    classified = services.classify(datasets.load("service_catalogue"), fw)
    m = services.mix(classified, sample_data.make_service_revenue(noise=0), framework=fw)
    s = shares(m)
    assert s.loc[2014, "optimize_services"] == pytest.approx(0.6 / 40.6)
    assert s.loc[2014, "uncertain"] == pytest.approx(3 / 40.6)
    f = services.mix_figures(m, threshold=0.2)
    assert f["new_share_last"] > f["new_share_first"] and f["shift_points"] > 20
    assert f["outcome_share_last"] > 0 and s.loc[2019, "outcome_services"] == 0  # outcome offer launched 2020


def test_year_range_and_zero_revenue_years():
    m = services.mix(CLASSIFIED, REVENUE, first_year=2021, last_year=2021, framework=COPY)
    assert m["year"].unique().tolist() == [2021]
    zero = REVENUE.assign(revenue_musd=[0.0, 0.0, 0.0, 4.0, 4.0, 2.0])
    assert services.mix(CLASSIFIED, zero, framework=COPY).query("year == 2020")["share"].sum() == 0.0
    with pytest.raises(B4BError, match=r"first_year \(2022\) is after last_year \(2021\)"):
        services.mix(CLASSIFIED, REVENUE, first_year=2022, last_year=2021, framework=COPY)
    with pytest.raises(B4BError, match="no revenue between 2030 and 2031.*covers 2020..2021"):
        services.mix(CLASSIFIED, REVENUE, first_year=2030, last_year=2031, framework=COPY)
    with pytest.raises(B4BError, match="unknown grouping 'line'"):
        services.mix(CLASSIFIED, REVENUE, by="line", framework=COPY)


@pytest.mark.parametrize("edit, match", [
    (lambda r: r.drop(columns="year"), "revenue table: missing column.*year"),
    (lambda r: r.assign(revenue_musd=[6.0, -3.0, 1.0, 4.0, 4.0, 2.0]),
     r"column 'revenue_musd': negative revenue -3.0 in row 2"),
    (lambda r: r.assign(year=["2020", "twenty", "2020", "2021", "2021", "2021"]),
     r"column 'year': expected a number, found 'twenty' in row 2"),
    (lambda r: r.assign(service_id=["a", "b", "zz", "a", "b", "c"]), "service id.*not in the catalogue: zz"),
])
def test_bad_revenue_tables_name_the_column_and_row(edit, match):
    with pytest.raises(B4BError, match=match):
        services.mix(CLASSIFIED, edit(REVENUE), framework=COPY)


def test_mix_needs_a_classified_catalogue_from_the_same_framework():
    with pytest.raises(B4BError, match="no 'portfolio' column.*services.classify"):
        services.mix(CLASSIFIED.drop(columns="portfolio"), REVENUE, framework=COPY)
    other = CLASSIFIED.assign(portfolio=["basic", "optimize_services", "uncertain"])
    with pytest.raises(B4BError, match="portfolio value.*not in framework 'services_portfolio': basic"):
        services.mix(other, REVENUE, framework=COPY)
    with pytest.raises(B4BError, match="not a portfolio mix"):
        services.new_share(services.mix(CLASSIFIED, REVENUE, by="category", framework=COPY))


def test_year_summary_reads_one_year_left_to_right():
    m = services.mix(CLASSIFIED, REVENUE, framework=COPY)
    assert services.year_summary(m, 2021) == [("Traditional service lines", 4.0, 0.4), ("Optimize services", 4.0, 0.4),
                                              ("Outcome as a service", 0.0, 0.0), ("Uncertain", 2.0, 0.2)]
    with pytest.raises(B4BError, match="no mix for 1999.*2020..2021"):
        services.year_summary(m, 1999)


# --------------------------------------------------------------------------- overlaps

OVERLAP_TABLE = pd.DataFrame({
    "service_id": ["s1", "f1", "p1", "p2", "m1", "x1"],
    "supplier": ["Acme"] * 5 + ["Other"],
    "name": ["Help desk", "Site repair", "Install", "Integrate", "Run it", "Their repair"],
    "need": ["fix_faults", "Fix faults", "get_running", "get_running", "unknown", "fix_faults"],
    "legacy_line": ["support", "field", "professional", "professional", "managed", "managed"],
    "acts_on": ["asset", "asset", "asset", "asset", "asset", "asset"],
    "paid_for": ["asset_contract", "time_and_materials", "time_and_materials", "time_and_materials", "availability",
                 "time_and_materials"],
})


def test_overlap_by_hand_is_two_lines_of_one_supplier_serving_one_need():
    # fix_faults: support and field at Acme -> overlap. get_running: one line -> no overlap.
    # m1 states no need; x1 belongs to another supplier.
    out = services.overlaps(OVERLAP_TABLE)
    assert out[["supplier", "need", "lines", "n_lines", "services", "n_services", "service_ids"]].values.tolist() == [
        ["Acme", "fix_faults", "field, support", 2, "Help desk; Site repair", 2, "s1, f1"]]
    whole = services.overlaps(OVERLAP_TABLE, within=None)
    assert whole["lines"].tolist() == ["field, managed, support"]


def test_same_need_can_be_defined_by_other_columns():
    out = services.overlaps(OVERLAP_TABLE, on=["acts_on", "paid_for"])
    assert out[["need", "lines", "service_ids"]].values.tolist() == [
        ["asset + time_and_materials", "field, professional", "f1, p1, p2"]]


def test_no_overlap_gives_an_empty_table_and_missing_columns_are_named():
    alone = OVERLAP_TABLE.iloc[[2, 3]]
    assert services.overlaps(alone).empty
    with pytest.raises(B4BError, match="missing column.*legacy_line"):
        services.overlaps(OVERLAP_TABLE.drop(columns="legacy_line"))


def test_overlap_figures_count_services_and_their_revenue():
    out = services.overlaps(OVERLAP_TABLE)
    revenue = pd.DataFrame({"service_id": ["s1", "f1", "p1"], "year": [2020] * 3, "revenue_musd": [2.0, 3.0, 5.0]})
    assert services.overlap_figures(out, revenue, 2020) == {
        "overlapping_needs": 1, "overlapping_services": 2, "overlap_revenue_musd": 5.0, "overlap_revenue_share": 0.5}
    assert services.overlap_figures(out) == {"overlapping_needs": 1, "overlapping_services": 2}


def test_sample_overlaps_show_four_legacy_lines_cutting_operating_cost():
    out = services.overlaps(datasets.load("service_catalogue"))
    assert out["need"].tolist() == ["lower_operating_cost", "keep_running", "more_adoption", "fix_faults",
                                    "production_uptime"]
    assert out["lines"][0] == "field, managed, professional, support"
    assert "get_running" not in out["need"].tolist()  # three offers, all professional services


# --------------------------------------------------------------------------- sample data


def test_select_service_names_the_known_ids():
    catalogue = datasets.load("service_catalogue")
    assert services.select_service(catalogue, "ORCL-ACS")["supplier"] == "Oracle"
    with pytest.raises(B4BError, match="no service with id 'NW-X'.*NW-S01"):
        services.select_service(catalogue, "NW-X")


# --------------------------------------------------------------------------- charts and the explorer
