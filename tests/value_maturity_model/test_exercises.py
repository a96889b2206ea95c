"""Exercises 4: right answers accepted with an explanation, wrong ones explained, keys only here."""


import pytest

from b4b_kit import maturity
from b4b_kit.workflows import exercises
from tests.helpers import readable_in_student_files, solutions

BANK = "04_value_maturity_model"
ex = exercises.load(BANK)
KEY = solutions(BANK)


def test_numeric_keys_are_what_the_engine_computes():
    answers = dict.fromkeys(maturity.criterion_ids("value_maturity_model"), 4)
    answers["technical_service_levels"] = 2
    assert maturity.assess_one("value_maturity_model", answers).overall == KEY["q3"]
    assert maturity.assess_one("value_maturity_model", answers, rule="continuous").overall == KEY["q4"]
    g = maturity.gaps("value_maturity_model", {**answers, "technical_service_levels": 4,
                                               "agreements_in_business_effects": 0}, 4,
                      importance={"agreements_in_business_effects": 3})
    assert g["priority"].iloc[0] == KEY["q5"]


def test_level_counts_are_not_accepted_one_off():
    assert ex.check("q3", 2).correct is False
    assert ex.check("q3", 0).correct is False
    assert ex.check("q4", 4.876).correct is True and ex.check("q4", 4.87).correct is False


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", "customer_driven", "business effects"),
    ("q2", "staff_polling", "co-creation"),
    ("q3", 5, "one unmet criterion stops the count"),
    ("q4", 4.907, "averages within each level first"),
    ("q5", 12, "not to the top of the scale"),
    ("q5", 3, "multiplies it by the importance"),
])
def test_wrong_answers_are_explained(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is False and expected in fb.message


def test_the_forms_that_would_give_the_answers_away_are_not_in_the_students_files():
    assert readable_in_student_files(BANK, ["system_driven =", "insourcing_talks =", "4.875"]) == []


def test_q1_says_it_tests_the_kits_reading_of_levels_1_to_3():
    prompt = ex.questions["q1"]["prompt"]
    assert "The source describes only level 4" in prompt and "the kit's reading" in prompt
    assert "the kit's reading" in ex.check("q1", KEY["q1"]).message
