"""Exercises 5: right answers accepted with an explanation, wrong ones explained, keys only here."""


import pandas as pd
import pytest

from b4b_kit import framework as get_framework
from b4b_kit.channel_capability_model import model as channel
from b4b_kit.workflows import exercises
from tests.helpers import readable_in_student_files, solutions

BANK = "05_channel_capability_model"
ex = exercises.load(BANK)
KEY = solutions(BANK)


def test_keys_are_what_the_model_computes():
    assert channel.diagnose(["wrong_partners_selected", "asks_not_needs"])["capability"].iloc[0] == KEY["q3"]
    one = pd.DataFrame({"business_value": [4], "implementation_complexity": [2], "delivery_credibility": [5]})
    assert channel.prioritise(one, (0.5, 0.2, 0.3))["score"].item() == pytest.approx(KEY["q4"])
    five = pd.DataFrame({"business_value": [5, 4, 3, 2, 4], "implementation_complexity": [4, 2, 3, 1, 2],
                         "delivery_credibility": [2, 4, 3, 5, 3]})
    assert channel.pareto_front(five.to_numpy()).sum() == KEY["q5"]


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", "performance_management", "sits with their life cycle"),
    ("q2", "locked_legacy_experience", "cannot change"),
    ("q3", "ideal_partner_personae", "1/6"),
    ("q4", 0.725, "reversed"),
    ("q4", 3.9, "Rescale"),
    ("q5", 5, "Check R and T against Q"),
    ("q6", "provider_forward_experience_design", "Arguable"),
])
def test_wrong_answers_are_explained(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is False and expected in fb.message


def test_a_count_is_not_accepted_one_off():
    assert ex.check("q5", 4).correct is False and ex.check("q5", 2).correct is False


def test_the_forms_that_would_give_the_answers_away_are_not_in_the_students_files():
    assert readable_in_student_files(BANK, ["0.825"]) == []


def test_q6_asks_for_the_kits_reading_of_the_sap_developer_network():
    assert "does not assign it" in ex.questions["q6"]["prompt"]
    assert "The kit reads it as" in ex.check("q6", KEY["q6"]).message
    sdn = next(e for e in get_framework("channel_capability_model").lists["dimensions_2_0"][2].examples
               if e.text.startswith("SAP Developer Network"))
    assert sdn.own_reading
