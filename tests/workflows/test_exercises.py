"""The exercise machinery as a student meets it (answer forms, messages, hints, feedback HTML), on set 01.

Each bank's own keys and explanations are tested in tests/<framework>/test_exercises.py,
and what every bank must do in tests/workflows/test_exercise_banks.py.
"""

import pytest

from b4b_kit.workflows import exercises

ex = exercises.load("01_supplier_levels")


def test_level_answers_accept_text_forms():
    assert ex.check("q2", "Level 4").correct is True
    assert ex.check("q2", "4").correct is True


@pytest.mark.parametrize("qid, answer, expected", [
    ("q6", [3200], "q6 expects a number, like 1500; you gave [3200], of type list."),
    ("q3", "Under served", "you gave the text 'Under served'"),
    ("q99", 1, "There is no question 'q99'"),
])
def test_an_odd_answer_gets_a_message_that_names_what_was_given(qid, answer, expected):
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
