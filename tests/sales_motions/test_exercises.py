"""Exercises 6 (Land + Expand): right answers accepted, wrong ones explained, keys unreadable."""


import pytest

from b4b_kit.frameworks import get
from b4b_kit.workflows import exercises
from tests.helpers import readable_in_student_files, solutions

BANK = "06_sales_motions"
ex = exercises.load(BANK)
KEY = solutions(BANK)


def test_the_numeric_keys_are_what_the_models_compute():
    import numpy as np

    from b4b_kit.sales_motions import compensation, migrations, motions

    # q5: A grows 100 -> 160 (expansion 0.6), B leaves
    le = motions.LandExpand(land=100, potential=1000, adoption_speed=0.5, expansion=0.6, churn=0.5)
    cohort = motions.cohort_from_draws(le, np.array([[0, 0.1], [0, 0.9]]), np.array([[0, 0.9], [0, 0.1]]))
    assert round(motions.yearly(cohort)["nrr"][1] * 100) == KEY["q5"]
    # q6: $20M over 4 years, $1M committed, run-rate 2 in year 0; 5 %, 50:50
    deal = compensation.Deal("q6", pro_forma=20, committed=1, revenue=(2, 2, 2, 2))
    year0 = compensation.credits(deal, 0.5)["hybrid"][0] * 0.05
    assert round(year0 * 1000) == KEY["q6"]
    # q7: one step of the matrix
    p = [[0.8, 0.2, 0, 0], [0, 0.7, 0.3, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    assert round(migrations.shares_after(p, [0.5, 0.5, 0, 0], 1)[1], 2) == KEY["q7"]
    # q8: churn 20 %, three years
    assert round(0.8 ** 3 * 100, 1) == KEY["q8"]


def test_choice_options_are_ids_from_the_framework_file():
    fw = get("sales_motions")
    ids = {"q1": {a.id for a in fw.areas}, "q2": {i.id for i in fw.lists["discussion_spectrum"]},
           "q3": {i.id for i in fw.lists["legacy_symptoms"]}, "q4": {i.id for i in fw.lists["organisation_options"]},
           "q9": {i.id for i in fw.lists["legacy_symptoms"]}, "q10": {i.id for i in fw.lists["mandate_ways"]},
           "q12": {i.id for i in fw.lists["customer_obligations"]}}
    for qid, known in ids.items():
        assert set(ex.questions[qid]["options"]) <= known, qid


@pytest.mark.parametrize("qid, answer, expected", [
    ("q5", 160, "B's USD 100k counts in the denominator"),
    ("q5", 50, "revenue, not heads"),
    ("q6", 50, "commission on the committed USD 1M alone"),
    ("q6", 450, "half weight"),
    ("q7", 0.35, "Add those dragged up from Level 1"),
    ("q8", 40, "multiply by 0.8 each year"),
])
def test_common_numeric_mistakes_get_their_own_explanation(qid, answer, expected):
    fb = ex.check(qid, answer)
    assert fb.correct is False and expected in fb.message


def test_numeric_answers_have_a_tolerance_of_one_unit_in_the_last_place():
    assert ex.check("q7", 0.46).correct is True
    assert ex.check("q7", 0.47).correct is False
    assert ex.check("q8", 51.3).correct is True


def test_hints_come_in_order_on_request():
    assert ex.hint("q6").startswith("Hint 1:") and "Hint 2:" not in ex.hint("q6")
    assert "Hint 2:" in ex.hint("q6", 2)


def test_the_forms_that_would_give_the_answers_away_are_not_in_the_students_files():
    revealing = ["51.2", "0.45", "USD 225k", "225", "80 %", "80%", "option_c.", "overlays_on_overlays."]
    assert readable_in_student_files(BANK, revealing) == []


def test_the_mandate_question_counts_the_sources_four_ways_and_names_the_slip():
    assert len(get("sales_motions").lists["mandate_ways"]) == 4 and KEY["q11"] == "four"
    right = ex.check("q11", "four")
    assert right.correct is True and "slip" in right.message
    assert "these three new sales mandates" in ex.check("q11", "three").message


def test_the_migration_question_is_about_product_markets_not_whole_suppliers():
    assert "product-markets" in ex.questions["q7"]["prompt"] and "suppliers" not in ex.questions["q7"]["prompt"]
    assert "b4b_kit.sales_motions.migrations" in ex.check("q7", 0.45).message
