"""Exercises 2 (outcome offers): right answers accepted and explained, wrong ones explained, keys unreadable."""


import pytest

from b4b_kit.outcome_offer_types import level4, pricing
from b4b_kit.workflows import exercises
from tests.helpers import readable_in_student_files, solutions

BANK = "02_outcome_offer_types"
ex = exercises.load(BANK)
KEY = solutions(BANK)


def test_the_numeric_keys_are_what_the_kit_computes():
    assert round(100 * pricing.annuity_factor(3, 0.10), 1) == KEY["q5"]
    assert pricing.risk_share([0, 120], [100, 300]) == pytest.approx(KEY["q7"])
    offer = level4.OutcomeOffer("q8", fee=140, outcome_probability=0.7, cost_to_serve=0)
    assert level4.break_even_cost_to_serve(offer) == pytest.approx(KEY["q8"])
    # q6: 240 of cost over three years, fee paid with chance 0.6 in each of them
    assert round((120 + 3 * 40) / (0.6 * 3)) == KEY["q6"]


def test_choice_options_are_the_frameworks_ids():
    from b4b_kit import framework

    fw = framework("outcome_offer_types")
    assert set(ex.questions["q1"]["options"]) - {"not_an_outcome_offer"} == {lv.id for lv in fw.levels}
    schemes = {item.id for item in fw.lists["pricing_schemes"]}
    assert set(ex.questions["q3"]["options"]) <= schemes


def test_common_numeric_mistakes_get_their_own_explanation():
    assert "without discounting" in ex.check("q5", 300).message
    assert "end of years 1, 2 and 3" in ex.check("q5", 273.6).message
    assert "60 % of deals" in ex.check("q6", 80).message
    assert "set-up cost" in ex.check("q6", 67).message
    assert "average fee over the average gain" in ex.check("q7", 0.3).message
    assert "still cost as much to serve" in ex.check("q8", 140).message
    assert "Write out the formula" in ex.check("q8", 10).message


def test_numeric_answers_have_a_tolerance_of_one_unit_in_the_last_place():
    assert ex.check("q5", 248.69).correct is True
    assert ex.check("q5", 248.8).correct is True
    assert ex.check("q5", 249.0).correct is False
    assert ex.check("q7", 0.61).correct is True and ex.check("q7", 0.63).correct is False


def test_the_forms_that_would_give_the_answers_away_are_not_in_the_students_files():
    assert readable_in_student_files(BANK, ["248.7", "133", "0.60", "= 98", ": 98"]) == []
