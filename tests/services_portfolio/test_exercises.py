"""Exercises 3: right answers accepted and explained, wrong ones explained, keys kept out of students' files."""

import json

import pytest

from b4b_kit import frameworks
from b4b_kit.services_portfolio import model as services
from b4b_kit.workflows import exercises
from tests.helpers import DATA, REPO

ex = exercises.load("03_services_portfolio")
# The answer key lives here, in the tests, and nowhere a student gets it.
KEY = {"q1": "operational_services", "q2": "education_services", "q3": "overlapping_service_lines",
       "q4": "uncertain", "q5": 0.30, "q6": 22}
FRAMEWORK = DATA / "services_portfolio_with_signals.yaml"


@pytest.mark.parametrize("qid, answer", KEY.items())
def test_right_answers_are_accepted_with_an_explanation(qid, answer):
    fb = ex.check(qid, answer)
    assert fb.correct is True
    assert len(fb.message) > 40 and fb.message != "Well done."


@pytest.mark.parametrize("qid, service", [
    ("q1", {"acts_on": "operations", "paid_for": "availability", "activity": "plan_capacity"}),
    ("q2", {"acts_on": "adoption", "paid_for": "time_and_materials", "activity": "train"}),
    ("q4", {"acts_on": "asset", "paid_for": "asset_contract", "activity": "monitor"}),
])
def test_the_key_agrees_with_the_classifier(qid, service):
    assert services.classify_one(service, FRAMEWORK).category == KEY[qid]


def test_the_key_agrees_with_the_model_for_the_numbers():
    # q5: 30 traditional, 12 optimize, 3 outcome, 5 uncertain; q6: 4/50 -> 18/60.
    assert round((12 + 3) / (30 + 12 + 3 + 5), 2) == KEY["q5"]
    assert round(100 * (18 / 60 - 4 / 50)) == KEY["q6"]


def test_every_option_of_a_choice_is_a_framework_id_and_every_wrong_one_is_explained():
    fw = frameworks.get("services_portfolio")
    known = {el.id for el in fw.elements} | {it.id for items in fw.lists.values() for it in items} | {"uncertain"}
    for qid, q in ex.questions.items():
        if q["kind"] != "choice":
            continue
        assert set(q["options"]) <= known, qid
        assert set(q["why_not"]) == set(q["options"]) - {KEY[qid]}, qid


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", "managed_services", "Level 3 operate or managed services land here too"),
    ("q2", "adoption_services", "Only one value, acts_on = adoption"),
    ("q4", "support_services", "they also accept a contract on the asset"),
    ("q5", 0.33, "You left the uncertain USD 5M out of the total"),
    ("q5", 0.24, "optimize services only"),
    ("q6", 350, "Compare the shares instead"),
])
def test_wrong_answers_are_explained(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is False
    assert expected in fb.message


def test_numbers_have_a_tolerance_of_one_unit_in_the_last_place():
    assert ex.check("q5", 0.3).correct is True and ex.check("q5", 0.31).correct is True
    assert ex.check("q5", 0.28).correct is False
    assert ex.check("q6", 21.6).correct is True and ex.check("q6", 25).correct is False


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", "Operational services", "q1 expects one of 'support_services'"),
    ("q1", 3, "you gave 3, of type int"),
    ("q5", "0.3", "q5 expects a number, like 0.25"),
    ("q6", None, "Not answered yet"),
])
def test_wrong_typed_answers_get_a_friendly_message(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is None and expected in fb.message


def test_answer_keys_are_not_readable_in_the_student_notebook_or_the_bank():
    notebook = (REPO / "exercises" / "03_services_portfolio.ipynb").read_text()
    bank = (exercises.DATA_DIR / "03_services_portfolio.yaml").read_text()
    cells = json.loads(notebook)["cells"]
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for qid in KEY:
        assert f"answer_{qid} = None  #" in code
        assert f'ex.check("{qid}", answer_{qid})' in code
    for revealing in ("0.30", "= 22", "22 points", "15 / 50", "30 − 8"):
        assert revealing not in notebook and revealing not in bank
    assert "explanation:" not in bank
