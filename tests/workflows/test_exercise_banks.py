"""Rules every question bank and its notebooks follow (the per-bank files test their own answers)."""

import json
import re

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import REPO

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
