"""Every released exercise set in real JupyterLab: it runs clean unanswered, and it answers a student.

The answer loop is what a student lives: type a wrong answer into a question
cell, run it, read the explanation on the page; type the right answer (the one
written in the exercise's source notebook), run it, read the confirmation. What
the page shows must be what the kit's check says, as the student reads it.
"""

import re

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import solutions
from tests.jupyterlab.conftest import EXERCISES, LabNotebook

GENERIC = ("That is not it", "That number is off")  # the fallbacks when a bank explains nothing specific


@pytest.fixture(scope="module", params=EXERCISES)
def exercise_set(request, lab_app):
    """An exercise notebook opened and run once, shared by the tests of this module (same notebook, same kernel)."""
    notebook = LabNotebook(lab_app)
    notebook.open(request.param)
    notebook.run_all()
    try:
        yield notebook
    finally:
        notebook.close()


def a_question_with_its_answers(bank: str) -> tuple[str, object, object]:
    """The first question of ``bank`` whose wrong answer has its own explanation: (id, wrong, right)."""
    right_answers = solutions(bank)
    for qid, q in exercises.load(bank).questions.items():
        right = right_answers[qid]
        if q["kind"] == "choice" and q.get("why_not"):
            return qid, next(iter(q["why_not"])), right
        if q["kind"] == "number" and q.get("mistakes"):
            return qid, q["mistakes"][0]["value"], right
        if q["kind"] == "level":
            return qid, 1 if right != 1 else 2, right
    raise AssertionError(f"{bank} explains no wrong answer specifically")


def feedback(notebook: LabNotebook, index: int) -> str:
    """The feedback under cell ``index`` as the student reads it (scrolled into view)."""
    box = notebook.cell(index).locator(".b4b-feedback")
    assert box.count() == 1, f"cell {index} shows {box.count()} feedback boxes"
    box.scroll_into_view_if_needed()
    return " ".join(box.inner_text().split())


@pytest.mark.browser
def test_exercise_set_runs_clean_unanswered(exercise_set):
    # every question cell says "not answered yet", in a friendly note rather than a traceback
    boxes = exercise_set.page.locator(".b4b-feedback").all_text_contents()  # scrolled out of view, too
    questions = exercises.load(exercise_set.path.split("/")[-1].removesuffix(".ipynb")).questions
    assert len(boxes) == len(questions), boxes
    assert all("Not answered yet" in box for box in boxes), boxes
    exercise_set.assert_nothing_wrong(screenshot=False)  # the answer loop's screenshot shows this notebook


@pytest.mark.browser
def test_a_wrong_answer_is_explained_then_the_right_one_confirmed(exercise_set):
    bank = exercise_set.path.split("/")[-1].removesuffix(".ipynb")
    ex = exercises.load(bank)
    qid, wrong, right = a_question_with_its_answers(bank)
    index = exercise_set.code_cell_index(f'ex.check("{qid}", answer_{qid})')

    expected = ex.check(qid, wrong)
    assert expected.correct is False and not expected.message.startswith(GENERIC), expected.message
    exercise_set.type_and_run(index, f'answer_{qid} = {wrong!r}\nex.check("{qid}", answer_{qid})')
    shown = feedback(exercise_set, index)
    assert shown.startswith(f"{qid}: ✘ Not quite"), shown
    assert " ".join(expected.message.split()) in shown, shown

    confirmed = ex.check(qid, right)
    assert confirmed.correct is True
    exercise_set.type_and_run(index, f'answer_{qid} = {right!r}\nex.check("{qid}", answer_{qid})')
    shown = feedback(exercise_set, index)
    assert shown.startswith(f"{qid}: ✔ Correct"), shown
    assert " ".join(confirmed.message.split()) in shown, shown
    assert not re.search(r"Not quite", shown)

    exercise_set.assert_nothing_wrong()  # the feedback too: no formula made of amounts, no error
