import json

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import REPO

ex = exercises.load("01_supplier_levels")
# The answer key lives here, in the tests, and nowhere a student gets it.
KEY = {"q1": 2, "q2": 4, "q3": "under_served", "q4": "automated_platform", "q5": 0.63, "q6": 3200,
       "q7": "high_volume_and_no_friction", "q8": "control_of_service_quality", "q9": "important_but_not_enough",
       "q10": "pricing_walls", "q11": "the_remote_tuning", "q12": "industrialised_domain_expertise",
       "q13": "n_of_many", "q14": "one_level_per_market", "q15": 5.1}


@pytest.mark.parametrize("qid, answer", KEY.items())
def test_right_answers_are_accepted_with_an_explanation(qid, answer):
    fb = ex.check(qid, answer)
    assert fb.correct is True
    assert len(fb.message) > 20 and fb.message != "Well done."


def test_level_answers_accept_text_forms():
    assert ex.check("q2", "Level 4").correct is True
    assert ex.check("q2", "4").correct is True


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


def test_the_all_in_bundle_is_keyed_as_level_4_and_agrees_with_bank_02_and_the_model():
    from b4b_kit.supplier_levels import model

    q2 = ex.questions["q2"]
    assert "automated_platform" not in q2["offer"]
    assert model.offered_level(q2["offer"]) == 4 and model.variant_of(q2["offer"]) == "all_in_bundle"
    right = ex.check("q2", 4)
    assert right.correct is True and "all-in bundle" in right.message and "most dangerous Level 4" in right.message
    wrong = ex.check("q2", 3)
    assert wrong.correct is False and "makes it Level 4, as an all-in bundle" in wrong.message
    # q4 separates the two variants; both are Level 4, which bank 02 q4 asks of the same kind of offer
    assert "both Level 4 offers" in ex.questions["q4"]["prompt"]
    assert "Both variants claim" in ex.check("q4", "codified_domain_expertise").message
    bank02 = exercises.load("02_outcome_offer_types")
    assert bank02.check("q4", "all_in_bundle").correct is True


def test_every_wrong_choice_has_its_own_why_not():
    for qid, q in ex.questions.items():
        if q["kind"] != "choice":
            continue
        for option in q["options"]:
            if option != KEY[qid]:
                fb = ex.check(qid, option)
                assert fb.correct is False and fb.message == q["why_not"][option], (qid, option)


def test_the_migration_question_matches_the_kits_default_rates():
    from b4b_kit.sales_motions import migrations

    p = migrations.GREAT_MIGRATIONS
    assert round(4 * p[0, 1] + 6 * p[1, 1], 1) == KEY["q15"]
    assert "Add those dragged up from Level 1" in ex.check("q15", 4.8).message


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
    ("q99", 1, "There is no question 'q99'"),
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
    for numeric in ("0.63", "3200", "3,200", "5.1"):
        assert numeric not in notebook
    for revealing in ("0.63", "3,200", "3200 ", "= 0.64", "5.1", "5.08"):
        assert revealing not in bank
    assert "explanation:" not in bank  # explanations are sealed
