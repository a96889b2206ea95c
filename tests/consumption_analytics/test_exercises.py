"""Exercises 7 (consumption analytics): right answers accepted, wrong ones explained, keys unreadable."""

import json

import pytest

from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.frameworks import get
from b4b_kit.workflows import exercises
from tests.helpers import REPO

BANK = "07_consumption_analytics"
ex = exercises.load(BANK)
# The answer key lives here, in the tests, and nowhere a student gets it.
KEY = {"q1": "deployment", "q2": 0.42, "q3": 0.18, "q4": 30000, "q5": "at_risk", "q6": "mobile",
       "q7": "stall_churn"}


def test_the_bank_covers_every_question_and_nothing_else():
    assert list(ex.questions) == list(KEY)
    assert ex.framework == "consumption_analytics"


@pytest.mark.parametrize("qid, answer", KEY.items())
def test_right_answers_are_accepted_with_an_explanation(qid, answer):
    fb = ex.check(qid, answer)
    assert fb.correct is True
    assert len(fb.message) > 40 and fb.message != "Well done."


def test_the_keys_are_what_the_model_computes():
    assert KEY["q1"] == get("consumption_analytics").group_of("time_to_deploy").id
    assert round(21 / 50, 2) == KEY["q2"]
    expected, _ = analytics.AdoptionPath().expected(3)
    assert round(expected - 0.35, 2) == KEY["q3"]
    assert 120_000 * max(0.25, 0.10) == KEY["q4"]
    assert analytics.health_status(0.30, 2 / 12, 8, usage_trend=(25 - 40) / 40) == KEY["q5"]


def test_the_next_feature_key_follows_the_kit_rule():
    import pandas as pd

    # ten healthy peers (ids 1-10) and the customer behind (id 11), all in the same month
    month = pd.Timestamp("2024-06-01")
    rows = []
    for feature, peers, events in (("reports", 9, 50), ("mobile", 9, 40), ("dashboards", 8, 30),
                                   ("forecasting", 5, 20), ("contacts", 10, 90)):
        rows += [(cid, month, feature, events, 1) for cid in range(1, peers + 1)]
    rows += [(11, month, "contacts", 5, 1), (11, month, "reports", 5, 1)]
    uses = pd.DataFrame(rows, columns=["customer_id", "month", "feature", "events", "users"])
    assessed = pd.DataFrame({"customer_id": range(1, 12), "month": month,
                             "status": ["on_track"] * 10 + ["behind"]})
    catalog = ["contacts", "reports", "dashboards", "mobile", "forecasting"]
    assert analytics._next_features(assessed, uses, catalog)[-1] == KEY["q6"]


def test_wrong_choices_are_explained():
    assert "already uses reports" in ex.check("q6", "reports").message
    assert "trend" in ex.check("q5", "behind").message
    assert "nothing to consume" in ex.check("q1", "consumption").message
    assert "bought big" in ex.check("q7", "land_expand").message


def test_common_numeric_mistakes_get_their_own_explanation():
    assert "deployed seats" in ex.check("q2", 0.53).message
    assert "deployment rate" in ex.check("q2", 0.8).message
    assert "land month is month 0" in ex.check("q3", 0.05).message
    assert "larger of the two gaps" in ex.check("q4", 12000).message
    assert "not the sum" in ex.check("q4", 42000).message


def test_numeric_answers_have_a_tolerance_of_one_unit_in_the_last_place():
    assert ex.check("q3", 0.183).correct is True
    assert ex.check("q3", 0.19).correct is True
    assert ex.check("q3", 0.25).correct is False


@pytest.mark.parametrize("qid, answer, expected", [
    ("q1", 2, "q1 expects one of 'purchase', 'deployment', 'consumption', 'outcome'"),
    ("q4", "30000", "q4 expects a number, like 5000"),
    ("q5", None, "Not answered yet"),
])
def test_wrong_typed_answers_get_a_friendly_message(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is None and expected in fb.message


def test_answer_keys_are_not_readable_in_the_student_notebook_or_the_bank():
    notebook = (REPO / "exercises" / f"{BANK}.ipynb").read_text()
    bank = (exercises.DATA_DIR / f"{BANK}.yaml").read_text()
    code = "".join("".join(c["source"]) for c in json.loads(notebook)["cells"] if c["cell_type"] == "code")
    for qid in KEY:
        assert f"answer_{qid} = None  #" in code and f'ex.check("{qid}", answer_{qid})' in code
    for numeric in ("0.42", "0.18", "30000", "30,000"):
        assert numeric not in notebook and numeric not in bank
    assert "explanation:" not in bank
