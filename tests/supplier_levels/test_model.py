import numpy as np
import pandas as pd
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.supplier_levels import model as assess

ALL = [e for lv in assess.offer_elements() for e in lv]
L = {n: {e for lv in assess.offer_elements()[:n] for e in lv} for n in range(5)}  # complete levels 1..n


@pytest.mark.parametrize("traits, expected", [
    ((0.1, 0.5, 0.1, 0.2), 1),   # gap 0.05, stake 0.02
    ((0.8, 0.2, 0.3, 0.4), 2),   # gap 0.64 >= 0.5, stake 0.12
    ((0.5, 0.0, 0.3, 0.4), 2),   # gap exactly 0.5 counts
    ((0.9, 0.9, 0.3, 0.4), 1),   # gap 0.09: experts need no help
    ((0.2, 0.5, 0.7, 0.8), 3),   # stake 0.56
    ((0.2, 0.5, 0.9, 0.9), 4),   # stake 0.81 >= 0.8
    ((0.2, 0.5, 1.0, 0.8), 4),   # stake exactly 0.8 counts
])
def test_required_level_follows_the_documented_rule(traits, expected):
    assert assess.required_level(*traits) == expected


def test_thresholds_move_the_cut_offs():
    # gap 0.64: level 2 at threshold 0.5, level 1 at threshold 0.7
    assert assess.required_level(0.8, 0.2, 0.3, 0.4, threshold=0.7) == 1
    # stake 0.56: level 3 at defaults, level 4 when outcome_threshold is 0.5 and threshold 0.5
    assert assess.required_level(0.2, 0.5, 0.7, 0.8, outcome_threshold=0.5) == 4


@pytest.mark.parametrize("offer, offered, promised", [
    (set(), 0, 0),
    (L[1], 1, 1),
    (L[2], 2, 2),
    (L[1] | {"tailored_product"}, 1, 2),              # half of level 2
    (L[3] | {"outcome_as_a_service"}, 3, 4),          # an outcome promise without domain mastery
    (L[3] | {"outcome_as_a_service", "codified_domain_expertise"}, 4, 4),  # the all-in bundle on Level 3 parts
    (L[2] | {"outcome_as_a_service", "codified_domain_expertise"}, 4, 4),  # ... or on Level 2 parts
    (L[1] | {"outcome_as_a_service", "codified_domain_expertise"}, 1, 4),  # nothing to bundle, no platform
    (L[1] | {"outcome_as_a_service", "automated_platform"}, 4, 4),         # full automation
    ({"outcome_as_a_service", "automated_platform"}, 0, 4),                # a platform with no product
    (L[4], 4, 4),
    ({"tailored_product", "implementation_and_maintenance"}, 0, 2),  # no level-1 base
    (L[3] | {"automated_platform"}, 3, 3),            # a platform without the outcome promise
])
def test_offered_level_is_the_top_of_the_unbroken_staircase(offer, offered, promised):
    assert assess.offered_level(offer) == offered
    a = assess.assess_one(0.1, 0.5, 0.1, 0.2, offer=offer)
    assert (a.offered_level, a.promised_level) == (offered, promised)


def test_the_printer_maker_is_under_served_and_told_what_is_missing():
    a = assess.assess_one(0.8, 0.2, 0.3, 0.4, offer=L[1])
    assert a.mismatch == "under_served"
    assert a.gap == -1
    assert a.missing == ("tailored_product", "implementation_and_maintenance")
    assert a.verdict.startswith("Under-served")
    assert "Level 2 (Complex Offer)" in a.verdict


BUNDLE = L[3] | {"outcome_as_a_service", "codified_domain_expertise"}


def test_an_outcome_offer_without_an_automated_platform_is_a_level4_all_in_bundle_with_the_bundles_risk():
    # B4B ch. 4: "The second and most dangerous Level 4 offer is the 'all-in bundle'"
    a = assess.assess_one(0.8, 0.2, 0.9, 0.9, offer=BUNDLE)
    assert (a.required_level, a.offered_level, a.promised_level) == (4, 4, 4)
    assert a.variant == "all_in_bundle" and a.mismatch == "matched"
    assert a.risks == ("bundle_complexity", "outcome_risk_on_supplier", "per_unit_commoditisation")
    assert a.verdict.startswith("Just right") and "All-in bundle (the dangerous variant)" in a.verdict
    assert "almost all of the risk" in a.verdict


def test_full_automation_is_level4_without_the_bundles_complexity_risk():
    a = assess.assess_one(0.8, 0.2, 0.9, 0.9, offer=L[1] | {"outcome_as_a_service", "automated_platform"})
    assert (a.offered_level, a.variant, a.mismatch) == (4, "full_automation", "matched")
    assert "bundle_complexity" not in a.risks and "outcome_risk_on_supplier" in a.risks
    assert "costs it almost nothing" in a.risk_note


def test_an_outcome_promise_without_industrialised_domain_expertise_is_over_promised():
    # the chapter's caution for customers: a supplier that says it plays at Level 4 when it does not
    a = assess.assess_one(0.8, 0.2, 0.9, 0.9, offer=L[3] | {"outcome_as_a_service"})
    assert (a.required_level, a.offered_level, a.promised_level) == (4, 3, 4)
    assert a.mismatch == "over_promised" and a.variant == "all_in_bundle"
    assert a.missing == ("codified_domain_expertise",)
    assert "customer_caution" in a.risks
    assert "industrialised domain expertise" in a.verdict


def test_an_outcome_promise_on_a_bare_product_lacks_the_bundles_level2_parts():
    a = assess.assess_one(0.8, 0.2, 0.9, 0.9, offer=L[1] | {"outcome_as_a_service", "codified_domain_expertise"})
    assert a.mismatch == "over_promised"
    assert a.missing == ("tailored_product", "implementation_and_maintenance")


def test_variant_of_names_the_level4_variant():
    assert assess.variant_of(BUNDLE) == "all_in_bundle"
    assert assess.variant_of(L[4]) == "full_automation"
    assert assess.variant_of(L[3]) == "none"


def test_over_served_and_matched():
    assert assess.assess_one(0.1, 0.5, 0.1, 0.2, offer=L[3]).mismatch == "over_served"
    assert assess.assess_one(0.1, 0.5, 0.1, 0.2, offer=L[1]).mismatch == "matched"


def test_offer_as_mapping_of_booleans():
    assert assess.offered_level({e: (e in L[2]) for e in ALL}) == 2


@pytest.mark.parametrize("kwargs, match", [
    (dict(mastery_difficulty=1.5), "mastery_difficulty: 1.5 is outside 0..1"),
    (dict(customer_capability="high"), "customer_capability: expected a number"),
    (dict(threshold=0.9, outcome_threshold=0.8), "outcome_threshold"),
])
def test_bad_inputs_name_the_parameter(kwargs, match):
    base = dict(mastery_difficulty=0.5, customer_capability=0.5, outcome_variability=0.5, outcome_criticality=0.5)
    thresholds = {k: kwargs.pop(k) for k in list(kwargs) if "threshold" in k}
    with pytest.raises(B4BError, match=match):
        assess.required_level(**{**base, **kwargs}, **thresholds)


def test_unknown_offer_element_is_named():
    with pytest.raises(B4BError, match="unknown offer element.*'cloud_magic'"):
        assess.offered_level({"cloud_magic"})


def random_table(n, seed=0):
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({t: rng.random(n).round(2) for t in assess.TRAITS})
    for e in ALL:
        table[e] = rng.random(n) < 0.7
    return table


def test_vectorized_frame_agrees_with_the_one_record_version_row_by_row():
    table = random_table(3000, seed=1)
    out = assess.assess_frame(table)
    for i in range(len(table)):
        row = table.iloc[i]
        one = assess.assess_one(*(row[t] for t in assess.TRAITS), offer={e: bool(row[e]) for e in ALL})
        assert (out["required_level"].iat[i], out["offered_level"].iat[i], out["promised_level"].iat[i],
                out["mismatch"].iat[i], out["variant"].iat[i]) == (
            one.required_level, one.offered_level, one.promised_level, one.mismatch, one.variant)
    assert set(out["mismatch"]) == set(assess.MISMATCHES)  # the random table exercises every kind
    assert set(out["variant"]) == set(assess.VARIANTS)


def test_frame_errors_name_the_column_and_row():
    table = random_table(5)
    with pytest.raises(B4BError, match="missing column.*automated_platform"):
        assess.assess_frame(table.drop(columns="automated_platform"))
    bad = table.copy()
    bad.loc[3, "outcome_variability"] = 7.0
    with pytest.raises(B4BError, match=r"column 'outcome_variability'.*row 3"):
        assess.assess_frame(bad)
    bad = table.copy()
    bad["tailored_product"] = bad["tailored_product"].map({True: "yes", False: "no"})
    with pytest.raises(B4BError, match="column 'tailored_product'.*true/false"):
        assess.assess_frame(bad)


def test_ladder_marks_offered_promised_and_needed_levels():
    a = assess.assess_one(0.8, 0.2, 0.9, 0.9, offer=L[1] | {"outcome_as_a_service"})
    table = assess.ladder(a)
    assert table["status"].tolist() == ["offered", "promised, not delivered", "promised, not delivered",
                                        "promised, not delivered"]
    assert table["marker"].tolist() == ["", "", "", "needed"]
    assert table["label"].iloc[3] == "4 Outcome Offer: all-in bundle"
    assert assess.ladder(assess.assess_one(0.8, 0.2, 0.9, 0.9, offer=L[3]))["label"].iloc[3] == "4 Outcome Offer"


def test_portfolio_figures_by_hand():
    t = pd.DataFrame({"mismatch": ["matched", "under_served", "over_promised", "over_served", "matched"],
                      "required_level": [1, 2, 4, 1, 3], "revenue_musd": [10.0, 5.0, 3.0, 2.0, 0.0]})
    f = assess.portfolio_figures(t)
    assert f["product_markets"] == 5
    assert f["revenue_musd"] == 20.0
    assert f["revenue_at_risk_musd"] == 8.0
    assert f["revenue_at_risk_share"] == 0.4
    assert f["share_matched"] == 0.4
    assert f["share_under_served"] == 0.2
    assert f["levels_needed"] == "1, 2, 3, 4"


def test_portfolio_figures_count_revenue_in_each_level4_variant():
    out = assess.assess_frame(pd.DataFrame([
        {**dict.fromkeys(assess.TRAITS, 0.9), **{e: e in offer for e in ALL}, "revenue_musd": r}
        for offer, r in ((BUNDLE, 3.0), (L[4], 5.0), (L[1], 1.0))]))
    f = assess.portfolio_figures(out)
    assert (f["revenue_all_in_bundle_musd"], f["revenue_full_automation_musd"]) == (3.0, 5.0)


def test_the_sample_portfolio_has_both_variants_and_an_over_promise():
    from b4b_kit import datasets

    out = assess.assess_frame(datasets.load("supplier_portfolio"))
    bundles = out[out["variant"] == "all_in_bundle"]
    assert len(bundles) == 4 and (out["variant"] == "full_automation").sum() == 5
    assert bundles["mismatch"].astype(str).tolist().count("over_promised") == 3
    assert assess.portfolio_figures(out)["revenue_at_risk_musd"] == 91.3


def test_portfolio_summary_adds_up_counts_and_revenue():
    out = assess.assess_frame(random_table(200).assign(revenue_musd=1.5))
    summary = assess.portfolio_summary(out)
    assert summary["product_markets"].sum() == 200
    assert summary["revenue_musd"].sum() == pytest.approx(300.0)


def test_select_supplier_lists_who_is_there():
    t = pd.DataFrame({"supplier": ["A", "A", "B"], "x": [1, 2, 3]})
    assert assess.select_supplier(t, "A")["x"].tolist() == [1, 2]
    with pytest.raises(B4BError, match="Suppliers in the table: A, B"):
        assess.select_supplier(t, "C")


def test_level_cards_show_descriptions_and_the_named_examples():
    cards = assess.level_cards().set_index("level")
    assert cards.loc[1, "customer_gets"].startswith("Best product, fair price: The product works well")
    assert cards.loc[2, "supplier_adds"] == "Tailored product; Implementation and maintenance services"
    assert "GE Healthcare's Hospital Operations Management System" in cards.loc[3, "examples"]
    assert "Rackspace and AWS" in cards.loc[4, "examples"]


def test_power_lines_count_elements_cumulatively_on_each_line():
    t = assess.power_lines()
    value = t[t.line == "Customer Value Power"]
    assert value["elements"].tolist() == [1, 2, 3, 4]
    assert t[t.line == "Supplier Offer Power"]["added"].iloc[2] == (
        "Connected product; Adoption services; Operate (managed) services")


def test_compare_offers_puts_both_variants_at_level4_and_names_their_cautions():
    t = assess.compare_offers().set_index("offer")
    automation, bundle, promise = t.index
    assert t.loc[automation, "risks"] == ("For suppliers: all the risk when customers miss the outcome; "
                                          "For suppliers: per-unit prices commoditise")
    assert t.loc[bundle, "risks"].startswith("The all-in bundle carries the complexity as well")
    assert (t.loc[promise, "mismatch"], t.loc[promise, "missing"]) == ("over_promised",
                                                                       "industrialised domain expertise")
    assert "For customers: check" in t.loc[promise, "risks"]
