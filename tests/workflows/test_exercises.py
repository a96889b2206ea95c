import json

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import REPO

ex = exercises.load("01_supplier_levels")
# The answer key lives here, in the tests, and nowhere a student gets it.
KEY = {"q1": 2, "q2": 3, "q3": "under_served", "q4": "automated_platform", "q5": 0.63, "q6": 3200}


@pytest.mark.parametrize("qid, answer", KEY.items())
def test_right_answers_are_accepted_with_an_explanation(qid, answer):
    fb = ex.check(qid, answer)
    assert fb.correct is True
    assert len(fb.message) > 20 and fb.message != "Well done."


def test_level_answers_accept_text_forms():
    assert ex.check("q2", "Level 3").correct is True
    assert ex.check("q2", "3").correct is True


def test_numeric_answers_have_a_tolerance_of_one_unit_in_the_last_place():
    assert ex.check("q5", 0.634).correct is True
    assert ex.check("q5", 0.62).correct is True
    assert ex.check("q5", 0.60).correct is False


def test_a_wrong_level_is_explained_from_the_framework():
    too_high = ex.check("q1", 3)
    assert too_high.correct is False
    assert "Level 3 (Optimize Offer)" in too_high.message
    assert "adoption services" in too_high.message and "operate (managed) services" in too_high.message
    too_low = ex.check("q1", 1)
    assert "tailored product" in too_low.message
    assert "automated standard platform" in ex.check("q2", 4).message


def test_common_numeric_mistakes_get_their_own_explanation():
    assert "1 − capability" in ex.check("q5", 0.27).message
    assert "add the licence" in ex.check("q6", 2800).message


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", "two", "q1 expects a level number from 1 to 4, like 2; you gave the text 'two'."),
    ("q1", 7, "q1 expects a level number from 1 to 4"),
    ("q3", 3, "q3 expects one of 'matched', 'under_served', 'over_served', 'over_promised'; you gave 3, of type int."),
    ("q6", "3200", "q6 expects a number"),
    ("q6", [3200], "of type list"),
    ("q1", None, "Not answered yet"),
    ("q9", 1, "There is no question 'q9'"),
])
def test_wrong_typed_answers_get_a_friendly_message_not_an_exception(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is None
    assert expected in fb.message


def test_hints_come_in_order_on_request():
    assert ex.hint("q1").startswith("Hint 1:")
    assert "Hint 2:" not in ex.hint("q1")
    assert "Hint 2:" in ex.hint("q1", 2)


def test_feedback_renders_as_html_with_the_verdict():
    html = ex.check("q1", 2)._repr_html_()
    assert "b4b-feedback" in html and "Correct" in html


def test_answer_keys_are_not_readable_in_the_student_notebook_or_the_bank():
    notebook = (REPO / "exercises" / "01_supplier_levels.ipynb").read_text()
    bank = (exercises.DATA_DIR / "01_supplier_levels.yaml").read_text()
    code = "".join("".join(c["source"]) for c in json.loads(notebook)["cells"] if c["cell_type"] == "code")
    for qid in KEY:
        assert f"answer_{qid} = None  #" in code  # the student starts from None
    for numeric in ("0.63", "3200", "3,200"):
        assert numeric not in notebook
    for revealing in ("0.63", "3,200", "3200 ", "= 0.64"):
        assert revealing not in bank
    assert "explanation:" not in bank  # explanations are sealed
