"""Channel 1.0 diagnosis and step-6 prioritisation, with numbers worked out by hand."""

import textwrap

import numpy as np
import pandas as pd
import pytest

from b4b_kit import datasets
from b4b_kit.channel_capability_model import model as channel
from b4b_kit.errors import B4BError

WRONG_PARTNERS = ["ideal_partner_personae", "partner_attraction_brand", "partner_identification_targeting",
                  "partner_recruitment", "registration_approval", "partner_assessments"]  # 6 links
ASKS_NOT_NEEDS = ["partner_assessments", "joint_business_development", "partner_business_services",
                  "partner_performance_profiles"]  # 4 links


# ---------------------------------------------------------------------------
# Diagnosis


def test_the_six_symptoms_of_the_model_are_there():
    s = channel.symptoms()
    assert len(s) == 6
    assert s.set_index("symptom")["capabilities"].to_dict()["wrong_partners_selected"] == 6


def test_one_symptom_spreads_its_evidence_evenly_over_its_capabilities():
    d = channel.diagnose(["wrong_partners_selected"])
    assert d["capability"].tolist() == WRONG_PARTNERS  # all tied: file order
    assert d["evidence"].tolist() == pytest.approx([1 / 6] * 6)
    assert d["likelihood"].tolist() == pytest.approx([1 / 6] * 6)
    assert d["rank"].tolist() == [1, 2, 3, 4, 5, 6]


def test_a_capability_behind_two_symptoms_ranks_first():
    d = channel.diagnose(["wrong_partners_selected", "asks_not_needs"])
    assert len(d) == 9  # 6 + 4 links, one shared
    top = d.iloc[0]
    assert (top["capability"], top["symptoms"]) == ("partner_assessments", 2)
    assert top["evidence"] == pytest.approx(1 / 6 + 1 / 4)  # 5/12
    assert top["likelihood"] == pytest.approx(5 / 24)  # total evidence is 2, one per symptom
    # then the three other capabilities of the 4-link symptom (1/4 each), then the five of the 6-link one
    assert d["capability"].tolist()[1:4] == ASKS_NOT_NEEDS[1:]
    assert d["evidence"].tolist()[1:] == pytest.approx([0.25] * 3 + [1 / 6] * 5)
    assert "Hearing what the channel asks for" in top["because"] and "right partners" in top["because"]


def test_severity_weights_reorder_ties_but_not_the_count():
    d = channel.diagnose({"wrong_partners_selected": 2, "asks_not_needs": 1})
    assert d["capability"].iloc[0] == "partner_assessments"
    assert d["evidence"].iloc[0] == pytest.approx(2 / 6 + 1 / 4)
    # the 6-link symptom now weighs 2: its capabilities (1/3) pass those of the 4-link one (1/4)
    assert d["capability"].tolist()[1:6] == WRONG_PARTNERS[:5]
    assert channel.diagnose({"wrong_partners_selected": True, "asks_not_needs": False})["capability"].tolist() \
        == WRONG_PARTNERS


def test_nothing_ticked_gives_an_empty_table_with_the_columns():
    d = channel.diagnose([])
    assert d.empty and "capability" in d.columns and "evidence" in d.columns


def test_area_summary_counts_flagged_capabilities_per_area():
    s = channel.area_summary(channel.diagnose(["weak_lifecycle_support"])).set_index("area")
    assert len(s) == 6
    assert s.loc["performance_management", ["capabilities", "of"]].tolist() == [6, 6]
    assert s.loc["performance_management", "evidence"] == pytest.approx(6 / 8)
    assert s.loc["lifecycle_management", ["capabilities", "of"]].tolist() == [1, 10]
    assert s.loc["collaborative_selling", "capabilities"] == 0


def test_diagnosis_works_on_any_framework_file_with_related_links(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(textwrap.dedent("""
        id: clinic
        name: Clinic
        kind: areas
        summary: A toy model.
        source: test
        areas:
          - {id: front, name: Front desk, source: test,
             elements: [{id: booking, name: Booking, source: test}, {id: triage, name: Triage, source: test}]}
          - {id: care, name: Care, source: test, elements: [{id: staff, name: Staff, source: test}]}
        lists:
          complaints:
            - {id: long_waits, name: Long waits, related: [booking, triage, staff], source: test}
            - {id: rude, name: Rudeness, related: [staff], source: test}
    """))
    d = channel.diagnose(["long_waits", "rude"], framework=str(path), list_name="complaints")
    assert d[["capability", "symptoms"]].values.tolist() == [["staff", 2], ["booking", 1], ["triage", 1]]
    assert d["evidence"].tolist() == pytest.approx([1 / 3 + 1, 1 / 3, 1 / 3])


@pytest.mark.parametrize("ticked, match", [
    (["weak_lifecycle"], "unknown symptom 'weak_lifecycle'. Did you mean 'weak_lifecycle_support'"),
    ({"asks_not_needs": -1}, "weight -1 of symptom 'asks_not_needs'"),
])
def test_bad_symptoms_get_one_message(ticked, match):
    with pytest.raises(B4BError, match=match):
        channel.diagnose(ticked)


def test_unknown_list_names_the_lists_there_are():
    with pytest.raises(B4BError, match="has no list 'symptom'.*symptoms"):
        channel.diagnose([], list_name="symptom")


# ---------------------------------------------------------------------------
# Prioritisation (step 6) and the Pareto front

IDEAS = pd.DataFrame({
    "innovation": ["A", "B", "C", "D", "E"],
    "business_value": [5, 3, 2, 1, 3],
    "implementation_complexity": [4, 2, 3, 1, 2],
    "delivery_credibility": [3, 4, 3, 5, 2],
})


def test_weighted_scores_by_hand():
    r = channel.prioritise(IDEAS, (2, 1, 1)).set_index("innovation")
    # rescaled on 1-5: value (v-1)/4, complexity 1-(x-1)/4, credibility (c-1)/4; weights 0.5, 0.25, 0.25
    # A: 0.5*1 + 0.25*0.25 + 0.25*0.5 = 0.6875   B: 0.25 + 0.1875 + 0.1875 = 0.625
    # C: 0.125 + 0.125 + 0.125 = 0.375           D: 0 + 0.25 + 0.25 = 0.5   E: 0.25 + 0.1875 + 0.0625 = 0.5
    assert r["score"].to_dict() == pytest.approx({"A": 0.6875, "B": 0.625, "C": 0.375, "D": 0.5, "E": 0.5})
    assert r.loc["A", ["value_part", "complexity_part", "credibility_part"]].tolist() == pytest.approx(
        [0.5, 0.0625, 0.125])
    assert r["rank"].to_dict() == {"A": 1, "B": 2, "D": 3, "E": 3, "C": 5}  # D and E tie


def test_ranking_is_best_first_with_ties_in_input_order():
    assert channel.prioritise(IDEAS, (2, 1, 1))["innovation"].tolist() == ["A", "B", "D", "E", "C"]
    assert channel.prioritise(IDEAS, (1, 0, 0))["innovation"].tolist() == ["A", "B", "E", "C", "D"]


def test_pareto_front_read_off_by_hand():
    r = channel.prioritise(IDEAS).set_index("innovation")
    # C (2,3,3) is beaten by B (3,2,4) on all three; E (3,2,2) by B too (same value and complexity,
    # more credible). A has the most value, D the least complexity and most credibility.
    assert r["pareto"].to_dict() == {"A": True, "B": True, "C": False, "D": True, "E": False}
    assert r["dominated_by"].to_dict() == {"A": 0, "B": 0, "C": 1, "D": 0, "E": 1}


def test_the_pareto_front_does_not_depend_on_the_weights():
    fronts = {tuple(sorted(channel.prioritise(IDEAS, w).query("pareto")["innovation"]))
              for w in [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (0.2, 0.7, 0.1)]}
    assert fronts == {("A", "B", "D")}


def test_weights_count_relative_to_their_sum():
    a = channel.prioritise(IDEAS, (2, 1, 1))["score"]
    b = channel.prioritise(IDEAS, {"business_value": 0.5, "implementation_complexity": 0.25,
                                   "delivery_credibility": 0.25})["score"]
    assert a.tolist() == pytest.approx(b.tolist())


def test_equal_items_do_not_dominate_each_other():
    assert channel.pareto_front([[3, 2, 4], [3, 2, 4], [3, 2, 3]]).tolist() == [True, True, False]


def test_pareto_front_equals_the_full_pairwise_comparison():
    rng = np.random.default_rng(5)
    r = rng.integers(1, 6, size=(2100, 3)).astype(float)  # many ties: the sort must not hide any
    s = r * np.array([1, -1, 1])
    dominated = ((s[:, None, :] >= s[None, :, :]).all(2) & (s[:, None, :] > s[None, :, :]).any(2)).any(0)
    assert (channel.pareto_front(r) == ~dominated).all()


def test_pareto_points_label_ranks_and_stack_shared_spots():
    pts = channel.pareto_points(channel.prioritise(IDEAS, (2, 1, 1))).set_index("innovation")
    assert pts.loc["A", "label"] == "1 A" and pts.loc["C", "status"] == "dominated"
    assert pts.loc["B", "slot"] == 0 and pts.loc["E", "slot"] == 1  # both at value 3, complexity 2


def test_priority_figures_for_a_results_record():
    f = channel.priority_figures(channel.prioritise(IDEAS, (2, 1, 1)))
    assert (f["top"], f["top_score"], f["pareto"], f["pareto_count"]) == ("A", 0.6875, "A, B, D", 3)
    assert f["score_C"] == 0.375


def test_the_tire_manufacturers_ratings_put_both_seed_innovations_on_the_front():
    r = channel.prioritise(datasets.load("tire_innovations")).set_index("innovation")
    assert r.loc["tire_storage_scandinavia", "pareto"] and r.loc["mobile_mounting_germany", "pareto"]
    # what dealers ask for is dominated, except the cheapest ask (payment terms)
    assert r.loc[["ordering_and_turnaround", "advertising_support"], "pareto"].tolist() == [False, False]
    assert r.loc["payment_terms", "pareto"]
    # default weights 0.4, 0.3, 0.3; storage (4, 3, 4): 0.4*0.75 + 0.3*0.5 + 0.3*0.75 = 0.675
    assert r.loc["tire_storage_scandinavia", ["score", "rank"]].tolist() == [pytest.approx(0.675), 1]


@pytest.mark.parametrize("frame, weights, match", [
    (IDEAS.assign(business_value=[5, 3, 2, 6, 3]), None,
     "innovation 'D', business_value: rating 6 is not a number from 1 to 5"),
    (IDEAS.assign(delivery_credibility=[5, 3, None, 1, 3]), None, "innovation 'C', delivery_credibility"),
    (IDEAS.drop(columns="implementation_complexity"), None, "missing column 'implementation_complexity'"),
    (IDEAS, (0, 0, 0), "all weights are 0"),
    (IDEAS, (1, -1, 1), "weights, implementation_complexity: weight -1 is not a number of 0 or more"),
    (IDEAS, (1, 1), "expected three weights, got 2"),
    (IDEAS, {"value": 1}, "unknown criterion 'value'"),
])
def test_bad_ratings_and_weights_get_one_message(frame, weights, match):
    with pytest.raises(B4BError, match=match):
        channel.prioritise(frame, weights)


def test_equal_scores_list_the_non_dominated_innovation_first():
    ideas = pd.DataFrame({"innovation": ["X", "Y"], "business_value": [2, 3],
                          "implementation_complexity": [2, 2], "delivery_credibility": [3, 3]})
    r = channel.prioritise(ideas, (0, 1, 0))  # only complexity counts: both score 0.75
    assert r["innovation"].tolist() == ["Y", "X"] and r["rank"].tolist() == [1, 1]
