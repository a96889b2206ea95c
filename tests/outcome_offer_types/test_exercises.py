"""Exercises 2 (outcome offers): right answers accepted and explained, wrong ones explained, keys unreadable."""

import json

import pytest
import yaml

from b4b_kit.outcome_offer_types import level4, pricing
from b4b_kit.workflows import exercises
from tests.helpers import REPO

BANK = "02_outcome_offer_types"
ex = exercises.load(BANK)
# The answer key lives here, in the tests, and nowhere a student gets it.
KEY = {"q1": "consumption_as_outcome", "q2": "financial_improvement_as_outcome",
       "q3": "upfront_licence_maintenance", "q4": "all_in_bundle",
       "q5": 248.7, "q6": 133, "q7": 0.6, "q8": 98}


@pytest.mark.parametrize("qid, answer", KEY.items())
def test_right_answers_are_accepted_with_an_explanation(qid, answer):
    fb = ex.check(qid, answer)
    assert fb.correct is True
    assert len(fb.message) > 40 and fb.message != "Well done."


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


def test_wrong_choices_are_explained_one_by_one():
    for qid in ("q1", "q2", "q3", "q4"):
        q = ex.questions[qid]
        for option in q["options"]:
            if option != KEY[qid]:
                fb = ex.check(qid, option)
                assert fb.correct is False and fb.message == q["why_not"][option], (qid, option)
    assert "whether or not retention improves" in ex.check("q3", "pay_per_kpi").message


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


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", 1, "q1 expects one of 'consumption_as_outcome', 'kpi_as_outcome'"),
    ("q1", "Type 1", "you gave the text 'Type 1'"),
    ("q5", "248.7", "q5 expects a number"),
    ("q7", [0.6], "of type list"),
    ("q8", None, "Not answered yet"),
])
def test_wrong_typed_answers_get_a_friendly_message_not_an_exception(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is None
    assert expected in fb.message


def test_answer_keys_are_not_readable_in_the_student_notebook_or_the_bank():
    notebook = (REPO / "exercises" / f"{BANK}.ipynb").read_text()
    code = "".join("".join(c["source"]) for c in json.loads(notebook)["cells"] if c["cell_type"] == "code")
    for qid in KEY:
        assert f"answer_{qid} = None  #" in code  # the student starts from None
    bank = yaml.safe_load((exercises.DATA_DIR / f"{BANK}.yaml").read_text())
    for q in bank["questions"]:
        assert "explanation" not in q  # explanations are sealed
        readable = json.dumps({k: v for k, v in q.items() if k not in ("answer_sha256", "explanation_sealed")})
        for revealing in ("248.7", "133", "0.60", "= 98", ": 98"):
            assert revealing not in readable, (q["id"], revealing)
    for revealing in ("248.7", "133"):
        assert revealing not in notebook
