"""Exercises 1 (supplier levels): the keys agree with the framework and the models, mistakes are explained.

What every bank must do (the source's answers accepted, every wrong option explained,
wrong types answered with a message, keys unreadable) is tested once for all banks in
tests/workflows/test_exercise_banks.py.
"""

import pytest

from b4b_kit.workflows import exercises
from tests.helpers import readable_in_student_files, solutions

BANK = "01_supplier_levels"
ex = exercises.load(BANK)
KEY = solutions(BANK)


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
    assert model.offered_level(q2["offer"]) == KEY["q2"] == 4 and model.variant_of(q2["offer"]) == "all_in_bundle"
    right = ex.check("q2", 4)
    assert right.correct is True and "all-in bundle" in right.message and "most dangerous Level 4" in right.message
    wrong = ex.check("q2", 3)
    assert wrong.correct is False and "makes it Level 4, as an all-in bundle" in wrong.message
    # q4 separates the two variants; both are Level 4, which bank 02 q4 asks of the same kind of offer
    assert "both Level 4 offers" in ex.questions["q4"]["prompt"]
    assert "Both variants claim" in ex.check("q4", "codified_domain_expertise").message
    bank02 = exercises.load("02_outcome_offer_types")
    assert bank02.check("q4", "all_in_bundle").correct is True


def test_the_migration_question_matches_the_kits_default_rates():
    from b4b_kit.sales_motions import migrations

    p = migrations.GREAT_MIGRATIONS
    assert round(4 * p[0, 1] + 6 * p[1, 1], 1) == KEY["q15"]
    assert "Add those dragged up from Level 1" in ex.check("q15", 4.8).message


def test_common_numeric_mistakes_get_their_own_explanation():
    assert "1 − capability" in ex.check("q5", 0.27).message
    assert "add the licence" in ex.check("q6", 2800).message


@pytest.mark.parametrize("answer", ["two", 7, 0])
def test_a_level_outside_one_to_four_is_not_judged(answer):
    fb = ex.check("q1", answer)
    assert fb.correct is None and "q1 expects a level number from 1 to 4" in fb.message


def test_the_forms_that_would_give_the_numeric_answers_away_are_not_in_the_students_files():
    assert readable_in_student_files(BANK, ["0.63", "3,200", "3200", "= 0.64", "5.08"]) == []
