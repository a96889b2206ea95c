"""Exercises 3: right answers accepted and explained, wrong ones explained, keys kept out of students' files."""


import pytest

from b4b_kit import frameworks
from b4b_kit.services_portfolio import model as services
from b4b_kit.workflows import exercises
from tests.helpers import DATA, readable_in_student_files, solutions

BANK = "03_services_portfolio"
ex = exercises.load(BANK)
KEY = solutions(BANK)
FRAMEWORK = DATA / "services_portfolio_with_signals.yaml"


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


def test_the_forms_that_would_give_the_answers_away_are_not_in_the_students_files():
    assert readable_in_student_files(BANK, ["0.30", "= 22", "22 points", "15 / 50", "30 − 8"]) == []
