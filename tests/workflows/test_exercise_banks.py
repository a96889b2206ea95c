"""Rules every question bank and its notebooks follow (the per-bank files test their own answers)."""

import json
import re

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import REPO, readable_in_student_files, solutions

BANKS = sorted(p.stem for p in exercises.DATA_DIR.glob("*.yaml"))


def test_every_exercise_notebook_has_a_bank_and_vice_versa():
    notebooks = {p.stem for p in (REPO / "exercises").glob("*.ipynb")}
    assert notebooks == set(BANKS)


@pytest.mark.parametrize("bank", BANKS)
def test_every_question_is_complete_and_keyed_by_digest(bank):
    ex = exercises.load(bank)
    assert ex.id == bank
    assert len(ex.questions) >= 4
    for qid, q in ex.questions.items():
        assert q["kind"] in ("level", "choice", "number"), qid
        assert q["prompt"].strip(), qid
        assert re.fullmatch(r"[0-9a-f]{64}", q["answer_sha256"]), qid
        assert q.get("explanation_sealed") and "explanation" not in q, qid
        assert q.get("hints"), f"{qid} has no hint"
        if q["kind"] == "choice":
            unexplained = [o for o in q["options"] if o not in q.get("why_not", {})]
            assert len(unexplained) == 1, f"{qid}: every wrong option needs a why_not, got {unexplained}"


@pytest.mark.parametrize("bank", BANKS)
def test_student_notebook_asks_every_question_once_and_starts_unanswered(bank):
    nb = json.loads((REPO / "exercises" / f"{bank}.ipynb").read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert re.search(rf"""load\(["']{bank}["']\)""", code)
    for qid in exercises.load(bank).questions:
        assert code.count(f"answer_{qid} = None") == 1, qid
        assert f'ex.check("{qid}", answer_{qid})' in code, qid
    assert "BEGIN SOLUTION" not in code


QUESTIONS = [(bank, qid) for bank in BANKS for qid in solutions(bank)]


@pytest.mark.parametrize("bank", BANKS)
def test_the_source_answers_every_question_of_its_bank(bank):
    assert list(solutions(bank)) == list(exercises.load(bank).questions)


@pytest.mark.parametrize("bank, qid", QUESTIONS)
def test_the_sources_answer_is_accepted_with_an_explanation(bank, qid):
    fb = exercises.load(bank).check(qid, solutions(bank)[qid])
    assert fb.correct is True, fb.message
    assert len(fb.message) > 20 and fb.message != "Well done."


@pytest.mark.parametrize("bank", BANKS)
def test_every_wrong_option_gets_its_own_why_not(bank):
    ex, key = exercises.load(bank), solutions(bank)
    for qid, q in ex.questions.items():
        for option in q.get("options", ()) if q["kind"] == "choice" else ():
            if option != key[qid]:
                fb = ex.check(qid, option)
                assert fb.correct is False and fb.message == q["why_not"][option], (qid, option)


@pytest.mark.parametrize("bank, qid", QUESTIONS)
def test_an_answer_of_the_wrong_type_gets_a_message_not_an_exception(bank, qid):
    ex = exercises.load(bank)
    q = ex.questions[qid]
    if q["kind"] == "level":
        wrong_type, expected = "two", f"{qid} expects a level number from 1 to 4, like 2; you gave the text 'two'."
    elif q["kind"] == "number":
        wrong_type, expected = str(solutions(bank)[qid]), f"{qid} expects a number"
    else:
        wrong_type, expected = 3, f"{qid} expects one of '{q['options'][0]}', "
    for answer, says in ((wrong_type, expected), (None, "Not answered yet")):
        fb = ex.check(qid, answer)
        assert fb.correct is None and says in fb.message, (answer, fb.message)
    if q["kind"] == "choice":
        assert ex.check(qid, 3).message.endswith("; you gave 3, of type int.")


@pytest.mark.parametrize("bank", BANKS)
def test_no_numeric_answer_and_no_explanation_is_readable_in_the_students_files(bank):
    ex, key = exercises.load(bank), solutions(bank)
    # short numbers ("3", "22") occur in any text; the per-bank tests name the forms that would give them away
    numbers = [str(v) for q, v in key.items() if ex.questions[q]["kind"] == "number" and len(str(v)) >= 3]
    assert readable_in_student_files(bank, [*numbers, "explanation:"]) == []
