"""Exercises 5: right answers accepted with an explanation, wrong ones explained, keys only here."""

import json

import pandas as pd
import pytest

from b4b_kit import framework as get_framework
from b4b_kit.channel_capability_model import model as channel
from b4b_kit.workflows import exercises
from tests.helpers import REPO

BANK = "05_channel_capability_model"
ex = exercises.load(BANK)
# The answer key lives here, in the tests, and nowhere a student gets it.
KEY = {"q1": "lifecycle_management", "q2": "partners_undermine_brand", "q3": "partner_assessments",
       "q4": 0.825, "q5": 3, "q6": "collaborative_ecosystem_platforms"}


@pytest.mark.parametrize("qid, answer", KEY.items())
def test_right_answers_are_accepted_with_an_explanation(qid, answer):
    fb = ex.check(qid, answer)
    assert fb.correct is True
    assert len(fb.message) > 20 and fb.message != "Well done."


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


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", 3, "q1 expects one of 'lifecycle_management'"),
    ("q4", "0.8", "q4 expects a number"),
    ("q6", None, "Not answered yet"),
])
def test_wrong_typed_answers_get_a_message_not_an_exception(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is None and expected in fb.message


def test_notebook_and_bank_hold_no_readable_key():
    nb = json.loads((REPO / "exercises" / f"{BANK}.ipynb").read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    # the notebook's shape (one answer cell and one check per question) is in test_exercise_banks.py
    assert "0.825" not in code
    bank = (REPO / "b4b_kit" / "exercise_data" / f"{BANK}.yaml").read_text()
    assert "0.825" not in bank and "explanation:" not in bank


def test_q6_asks_for_the_kits_reading_of_the_sap_developer_network():
    assert "does not assign it" in ex.questions["q6"]["prompt"]
    assert "The kit reads it as" in ex.check("q6", KEY["q6"]).message
    sdn = next(e for e in get_framework("channel_capability_model").lists["dimensions_2_0"][2].examples
               if e.text.startswith("SAP Developer Network"))
    assert sdn.own_reading
