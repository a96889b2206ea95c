"""The maturity engine on framework files written here, with every number worked out by hand."""

import textwrap

import numpy as np
import pandas as pd
import pytest

from b4b_kit import frameworks
from b4b_kit import maturity as m
from b4b_kit.errors import B4BError

VMM = "value_maturity_model"
CCM = "channel_capability_model"


def write(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def one_level(tmp_path):
    """A single level with two criteria and no dimensions: only 'overall' is reported."""
    return write(tmp_path, "one_step", """
        id: one_step
        name: One step
        kind: levels
        summary: A single level.
        source: test
        levels:
          - number: 1
            id: ready
            name: Ready
            source: test
            elements:
              - {id: a, name: Criterion A, source: test}
              - {id: b, name: Criterion B, source: test}
    """)


@pytest.fixture
def three_levels(tmp_path):
    """Three levels, two dimensions; the 'tools' dimension has nothing at level 2."""
    return write(tmp_path, "three_steps", """
        id: three_steps
        name: Three steps
        kind: levels
        summary: Three levels on two dimensions.
        source: test
        dimensions:
          - {id: people, name: People, source: test}
          - {id: tools, name: Tools, source: test}
        levels:
          - number: 1
            id: basic
            name: Basic
            source: test
            elements:
              - {id: p1, name: P1, dimension: people, source: test}
              - {id: t1, name: T1, dimension: tools, source: test}
          - number: 2
            id: managed
            name: Managed
            source: test
            elements:
              - {id: p2, name: P2, dimension: people, source: test}
          - number: 3
            id: optimised
            name: Optimised
            source: test
            elements:
              - {id: p3, name: P3, dimension: people, source: test}
              - {id: t3, name: T3, dimension: tools, source: test}
    """)


@pytest.fixture
def two_areas(tmp_path):
    return write(tmp_path, "two_areas", """
        id: two_areas
        name: Two areas
        kind: areas
        summary: Two capability areas.
        source: test
        areas:
          - id: sell
            name: Selling
            source: test
            elements:
              - {id: s1, name: S1, source: test}
              - {id: s2, name: S2, source: test}
          - id: serve
            name: Serving
            source: test
            elements:
              - {id: v1, name: V1, source: test}
    """)


# ---------------------------------------------------------------------------
# A single-level framework


def test_single_level_staged_needs_every_criterion_met(one_level):
    r = m.assess_one(str(one_level), {"a": 4, "b": 2}, scale=m.Scale(0, 4, 3))
    assert r.levels == {"overall": 0.0}  # b (2) is below the pass mark 3
    assert m.assess_one(str(one_level), {"a": 4, "b": 3}).overall == 1.0
    assert (r.met, r.criteria) == (1, 2)


def test_single_level_continuous_is_the_weighted_mean_rescaled(one_level):
    # (4 - 0) / 4 = 1 and 2 / 4 = 0.5: mean 0.75 of the one level
    assert m.assess_one(str(one_level), {"a": 4, "b": 2}, rule="continuous").overall == 0.75
    # importance 3 on a: (3 x 1 + 1 x 0.5) / 4 = 0.875
    r = m.assess_one(str(one_level), {"a": 4, "b": 2}, rule="continuous", importance={"a": 3})
    assert r.overall == 0.875


def test_single_level_gap_is_pass_mark_minus_score_times_importance(one_level):
    g = m.gaps(str(one_level), {"a": 4, "b": 2}, target=1, importance={"b": 2.5})
    assert g[["criterion", "score", "required", "gap", "importance", "priority"]].values.tolist() == [
        ["b", 2.0, 3.0, 1.0, 2.5, 2.5]]


# ---------------------------------------------------------------------------
# Three levels on two dimensions, scale 1-5, pass mark 4

ANSWERS3 = {"p1": 5, "t1": 4, "p2": 3, "p3": 5, "t3": 5}
SCALE15 = m.Scale(1, 5, pass_mark=4)


def test_three_levels_staged_stops_at_the_first_unmet_level_per_dimension(three_levels):
    r = m.assess_one(str(three_levels), ANSWERS3, scale=SCALE15)
    # people: level 1 met, p2 = 3 < 4 breaks level 2 -> 1
    # tools: level 1 met, level 2 has no tools criterion (passed), t3 met -> 3
    # overall: p2 breaks level 2 -> 1
    assert r.levels == {"people": 1.0, "tools": 3.0, "overall": 1.0}


def test_three_levels_continuous_sums_level_attainments(three_levels):
    r = m.assess_one(str(three_levels), ANSWERS3, scale=SCALE15, rule="continuous")
    # rescaled (s - 1) / 4: p1 1, t1 0.75, p2 0.5, p3 1, t3 1
    # people 1 + 0.5 + 1; tools 0.75 + 1 (nothing at level 2) + 1; overall (1 + 0.75)/2 + 0.5 + 1
    assert r.levels == {"people": 2.5, "tools": 2.75, "overall": 2.375}


def test_staged_and_continuous_disagree_on_the_same_answers(three_levels):
    staged = m.assess_one(str(three_levels), ANSWERS3, scale=SCALE15, rule="staged").overall
    continuous = m.assess_one(str(three_levels), ANSWERS3, scale=SCALE15, rule="continuous").overall
    assert (staged, continuous) == (1.0, 2.375)


def test_three_levels_gaps_count_only_levels_up_to_the_target(three_levels):
    g2 = m.gaps(str(three_levels), ANSWERS3, target=2, scale=SCALE15)
    assert g2[["criterion", "gap", "priority"]].values.tolist() == [["p2", 1.0, 1.0]]
    low = {**ANSWERS3, "t3": 2}  # short by 2, but at level 3
    assert m.gaps(str(three_levels), low, target=2, scale=SCALE15)["criterion"].tolist() == ["p2"]
    g3 = m.gaps(str(three_levels), low, target=3, scale=SCALE15, importance={"p2": 3})
    # p2: 3 x 1 = 3 outranks t3: 1 x 2 = 2
    assert g3[["rank", "criterion", "priority"]].values.tolist() == [[1, "p2", 3.0], [2, "t3", 2.0]]


# ---------------------------------------------------------------------------
# An areas framework: the answer scale is the ladder


def test_areas_staged_is_the_weakest_capability_continuous_the_weighted_mean(two_areas):
    answers = {"s1": 4, "s2": 2, "v1": 3}
    staged = m.assess_one(str(two_areas), answers)
    assert staged.levels == {"sell": 2.0, "serve": 3.0, "overall": 2.0}
    cont = m.assess_one(str(two_areas), answers, rule="continuous")
    assert cont.levels == {"sell": 3.0, "serve": 3.0, "overall": 3.0}
    weighted = m.assess_one(str(two_areas), answers, rule="continuous", importance={"s1": 3})
    # sell (3 x 4 + 2) / 4 = 3.5; overall (12 + 2 + 3) / 5 = 3.4
    assert weighted.levels == {"sell": 3.5, "serve": 3.0, "overall": pytest.approx(3.4)}


def test_areas_gaps_aim_at_the_target_score(two_areas):
    g = m.gaps(str(two_areas), {"s1": 4, "s2": 2, "v1": 3}, target=4)
    assert g[["criterion", "required", "gap"]].values.tolist() == [["s2", 4.0, 2.0], ["v1", 4.0, 1.0]]
    assert m.level_range(str(two_areas), m.Scale(1, 5, 4)) == (1, 5)


# ---------------------------------------------------------------------------
# The shipped frameworks work out of the box


def test_value_maturity_model_full_marks_reach_level_5_in_every_dimension():
    r = m.assess_one(VMM, dict.fromkeys(m.criterion_ids(VMM), 4))
    assert r.levels == {"proposition": 5.0, "strategy": 5.0, "agreements": 5.0, "relationship": 5.0,
                        "overall": 5.0}
    assert (r.met, r.criteria) == (27, 27)


def test_value_maturity_model_one_weak_level_4_criterion_caps_staged_at_3():
    answers = dict.fromkeys(m.criterion_ids(VMM), 4)
    answers["agreements_in_business_effects"] = 1
    r = m.assess_one(VMM, answers)
    assert r.levels["agreements"] == 3.0 and r.levels["proposition"] == 5.0 and r.overall == 3.0
    # continuous: level 4 loses (1 - 0.25) / 11 of its attainment overall, (1 - 0.25) / 2 in agreements
    c = m.assess_one(VMM, answers, rule="continuous")
    assert c.overall == pytest.approx(5 - 0.75 / 11)
    assert c.levels["agreements"] == pytest.approx(5 - 0.75 / 2)


def test_channel_capability_model_six_areas_43_criteria():
    answers = dict.fromkeys(m.criterion_ids(CCM), 3)
    answers["partner_database"] = 1
    r = m.assess_one(CCM, answers)
    assert len(r.levels) == 7 and r.criteria == 43
    assert r.levels["lifecycle_management"] == 1.0 and r.levels["performance_management"] == 3.0
    c = m.assess_one(CCM, answers, rule="continuous")
    assert c.levels["lifecycle_management"] == pytest.approx((9 * 3 + 1) / 10)
    assert c.overall == pytest.approx((42 * 3 + 1) / 43)


def test_questionnaire_groups_criteria_and_flags_own_reading():
    q = m.questionnaire(VMM)
    assert len(q) == 27
    assert q.groupby("group_number").size().tolist() == [4, 4, 4, 11, 4]
    assert q.loc[q["criterion"] == "co_creation", "own_reading"].item() is False
    assert q.loc[q["criterion"] == "insourced_business_units", "own_reading"].item() is True  # level 5 is
    assert set(q["dimension"]) == {"proposition", "strategy", "agreements", "relationship"}


# ---------------------------------------------------------------------------
# Many respondents


def test_frame_matches_one_respondent_at_a_time_for_both_rules():
    for fw, scale in ((VMM, m.Scale(0, 4, 3)), (CCM, m.Scale(1, 5, 3.5))):
        frame = m.simulate_answers(fw, 25, scale=scale, level=2.5, seed=3)
        weights = dict(zip(m.criterion_ids(fw), np.random.default_rng(1).integers(1, 4, len(m.criterion_ids(fw)))))
        weights = {k: int(v) for k, v in weights.items()}
        for rule in m.RULES:
            out = m.assess_frame(fw, frame, scale=scale, rule=rule, importance=weights)
            for row, (_, answers) in zip(out.itertuples(index=False), frame.iterrows()):
                one = m.assess_one(fw, answers.drop("respondent").to_dict(), scale=scale, rule=rule,
                                   importance=weights, respondent=answers["respondent"])
                assert row.respondent == one.respondent
                assert list(row)[1:] == pytest.approx(list(one.levels.values())), (fw, rule, row.respondent)


def test_frame_uses_the_index_when_there_is_no_respondent_column(one_level):
    df = pd.DataFrame({"a": [4, 4, 0], "b": [3, 2, 0]}, index=["ann", "bob", "cy"])
    out = m.assess_frame(str(one_level), df)
    assert out.values.tolist() == [["ann", 1.0], ["bob", 0.0], ["cy", 0.0]]
    cont = m.assess_frame(str(one_level), df, rule="continuous")
    assert cont["overall"].tolist() == [0.875, 0.75, 0.0]


def test_gaps_over_many_respondents_average_the_shortfall(one_level):
    df = pd.DataFrame({"a": [4, 1], "b": [3, 3]}, index=["ann", "bob"])
    g = m.gaps(str(one_level), df, target=1, importance={"a": 2})
    # a: ann 0, bob 3 - 1 = 2 -> mean 1, half below; priority 2 x 1
    assert g[["criterion", "score", "gap", "below", "priority"]].values.tolist() == [["a", 2.5, 1.0, 0.5, 2.0]]


def test_heatmap_per_respondent_and_per_group(three_levels):
    df = pd.DataFrame([ANSWERS3, dict.fromkeys(ANSWERS3, 5), dict.fromkeys(ANSWERS3, 1)],
                      index=["x", "y", "z"])
    assessed = m.assess_frame(str(three_levels), df, scale=SCALE15)
    heat = m.heatmap_table(str(three_levels), assessed)
    assert len(heat) == 9
    assert heat[heat["row"] == "x"].set_index("dimension")["level"].to_dict() == {
        "people": 1.0, "tools": 3.0, "overall": 1.0}
    grouped = m.heatmap_table(str(three_levels), assessed, by=["north", "north", "south"])
    north = grouped[grouped["row"] == "north"].set_index("dimension")
    assert north["level"].to_dict() == {"people": 2.0, "tools": 3.0, "overall": 2.0}  # (1 + 3) / 2 ...
    assert north["respondents"].tolist() == [2, 2, 2]


def test_heatmap_refuses_more_cells_than_a_chart_takes():
    assessed = m.assess_frame(VMM, m.simulate_answers(VMM, 1001, seed=0))
    with pytest.raises(B4BError, match="too many for one heatmap.*by="):
        m.heatmap_table(VMM, assessed)
    assert len(m.heatmap_table(VMM, assessed, by=assessed["respondent"].str[-1])) == 10 * 5


def test_distribution_counts_respondents_per_level_rounding_continuous_down(three_levels):
    assessed = pd.DataFrame({"respondent": ["a", "b", "c", "d"], "people": [0.0, 1.5, 1.99, 3.0],
                             "tools": [3.0, 3.0, 3.0, 3.0], "overall": [2.999999999999, 0.0, 0.0, 0.0]})
    d = m.distribution(str(three_levels), assessed)
    people = d[d["dimension"] == "people"]
    assert people[["level", "respondents"]].values.tolist() == [[0, 1], [1, 2], [2, 0], [3, 1]]
    assert people["share"].tolist() == [0.25, 0.5, 0.0, 0.25]
    overall = d[d["dimension"] == "overall"].set_index("level")["respondents"]
    assert overall[3] == 1  # 2.999999999999 is level 3, not 2


# ---------------------------------------------------------------------------
# Export


def test_answers_export_to_csv_and_back_to_the_same_levels(tmp_path, three_levels):
    fw = str(three_levels)
    tables = [m.answers_table(fw, ANSWERS3, scale=SCALE15, respondent="ann"),
              m.answers_table(fw, dict.fromkeys(ANSWERS3, 5), scale=SCALE15, respondent="bob")]
    t = tables[0]
    assert t["met"].tolist() == [True, True, False, True, True]
    assert t.set_index("criterion")["dimension_level"].to_dict() == {"p1": 1, "t1": 3, "p2": 1, "p3": 1, "t3": 3}
    paths = [m.to_csv(t, tmp_path / "out" / f"{i}.csv") for i, t in enumerate(tables)]
    back = pd.concat([pd.read_csv(p) for p in paths])
    wide = m.wide_answers(back)
    assert wide["respondent"].tolist() == ["ann", "bob"]
    assert m.assess_frame(fw, wide, scale=SCALE15)["overall"].tolist() == [1.0, 3.0]
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_assessed_frame_exports_one_row_per_respondent(tmp_path):
    assessed = m.assess_frame(VMM, m.simulate_answers(VMM, 4, seed=2))
    path = m.to_csv(assessed, tmp_path / "levels.csv")
    assert pd.read_csv(path).columns.tolist() == ["respondent", "proposition", "strategy", "agreements",
                                                  "relationship", "overall"]


def test_figures_name_levels_met_and_top_gap():
    answers = dict.fromkeys(m.criterion_ids(VMM), 4)
    answers["c_level_access"] = 2
    r = m.assess_one(VMM, answers)
    f = m.figures(r, m.gaps(VMM, answers, 4))
    assert (f["overall_level"], f["level_relationship"], f["level_strategy"]) == (3.0, 3.0, 5.0)
    assert (f["criteria_met"], f["gaps"], f["top_gap"]) == (26, 1, "c_level_access")


# ---------------------------------------------------------------------------
# Bad input: one message naming the criterion and the respondent


def test_unknown_criterion_names_it_and_the_respondent():
    answers = {**dict.fromkeys(m.criterion_ids(VMM), 4), "cocreation": 3}
    with pytest.raises(B4BError, match="respondent 'ann'.*unknown criterion 'cocreation'.*Did you mean 'co_creation'"):
        m.assess_one(VMM, answers, respondent="ann")


def test_score_outside_the_scale_names_criterion_and_respondent():
    answers = {**dict.fromkeys(m.criterion_ids(VMM), 4), "long_relationships": 7}
    with pytest.raises(B4BError, match=r"respondent 'ann', criterion 'long_relationships': score 7 is outside "
                                       r"the scale 0..4"):
        m.assess_one(VMM, answers, respondent="ann")


def test_missing_answer_names_criterion_and_respondent():
    answers = dict.fromkeys(m.criterion_ids(VMM), 4)
    del answers["co_creation"]
    with pytest.raises(B4BError, match="respondent 'ann'.*no answer for criterion 'co_creation' "
                                       r"\(Co-creation\)"):
        m.assess_one(VMM, answers, respondent="ann")
    answers["co_creation"] = None
    with pytest.raises(B4BError, match="respondent 'ann', criterion 'co_creation': no answer"):
        m.assess_one(VMM, answers, respondent="ann")


@pytest.mark.parametrize("edit, match", [
    (lambda d: d.assign(p2=[3, np.nan]), "respondent 'bob', criterion 'p2': no answer"),
    (lambda d: d.assign(p2=[3, 9]), "respondent 'bob', criterion 'p2': score 9 is outside the scale 1..5"),
    (lambda d: d.assign(p2=[3, "high"]), "respondent 'bob', criterion 'p2': expected a score from 1 to 5, got 'high'"),
    (lambda d: d.assign(p22=[1, 1]), "every respondent.*unknown criterion 'p22'.*Did you mean 'p2'"),
    (lambda d: d.drop(columns="t3"), "no answers for criterion 't3'"),
    (lambda d: d.set_axis(["ann", "ann"]), "respondent 'ann' appears more than once"),
])
def test_bad_answer_tables_name_criterion_and_respondent(three_levels, edit, match):
    df = edit(pd.DataFrame([ANSWERS3, ANSWERS3], index=["ann", "bob"]))
    with pytest.raises(B4BError, match=match):
        m.assess_frame(str(three_levels), df, scale=SCALE15)


@pytest.mark.parametrize("call, match", [
    (lambda: m.Scale(4, 0, 2), "low .4. must be below high .0."),
    (lambda: m.Scale(0, 4.5, 3), "scale high: expected a whole number"),
    (lambda: m.Scale(1, 5, 0), "pass_mark: 0 is outside the scale 1..5"),
    (lambda: m.assess_one(VMM, {}, rule="mixed"), "unknown scoring rule 'mixed'"),
    (lambda: m.gaps(VMM, dict.fromkeys(m.criterion_ids(VMM), 4), target=6),
     "target: expected a level number from 1 to 5"),
    (lambda: m.assess_one(VMM, dict.fromkeys(m.criterion_ids(VMM), 4), importance={"co_creation": 0}),
     "importance 0 for criterion 'co_creation' is not a positive number"),
    (lambda: m.assess_one(VMM, dict.fromkeys(m.criterion_ids(VMM), 4), importance={"nope": 2}),
     "importance: unknown criterion 'nope'"),
    (lambda: m.simulate_answers(VMM, 0), "n: 0 is below 1. Pass e.g. n=30"),
])
def test_bad_parameters_get_one_message(call, match):
    with pytest.raises(B4BError, match=match):
        call()


def test_simulated_answers_are_seeded_and_on_the_scale():
    a = m.simulate_answers(CCM, 10, scale=m.Scale(1, 5, 4), level=3, seed=9)
    assert a.equals(m.simulate_answers(CCM, 10, scale=m.Scale(1, 5, 4), level=3, seed=9))
    assert not a.equals(m.simulate_answers(CCM, 10, scale=m.Scale(1, 5, 4), level=3, seed=10))
    scores = a.drop(columns="respondent").to_numpy()
    assert scores.min() >= 1 and scores.max() <= 5


def test_a_new_framework_file_needs_no_code_change(tmp_path):
    """An instructor's file, loaded and scored through the public loader."""
    path = write(tmp_path, "mine", """
        id: mine
        name: Mine
        kind: levels
        summary: Two levels.
        source: an instructor
        levels:
          - {number: 1, id: l1, name: L1, source: notes, elements: [{id: x, name: X, source: notes}]}
          - {number: 2, id: l2, name: L2, source: notes, elements: [{id: y, name: Y, source: notes}]}
    """)
    fw = frameworks.load(path)
    assert m.assess_one(fw, {"x": 3, "y": 3}).overall == 2.0
    assert m.assess_one(fw, {"x": 2, "y": 4}).overall == 0.0
    assert m.assess_one(fw, {"x": 2, "y": 4}, rule="continuous").overall == 1.5
