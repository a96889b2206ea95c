"""Exercises 7 (consumption analytics): right answers accepted, wrong ones explained, keys unreadable."""



from b4b_kit.consumption_analytics import model as analytics
from b4b_kit.frameworks import get
from b4b_kit.workflows import exercises
from tests.helpers import readable_in_student_files, solutions

BANK = "07_consumption_analytics"
ex = exercises.load(BANK)
KEY = solutions(BANK)


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


def test_the_forms_that_would_give_the_answers_away_are_not_in_the_students_files():
    assert readable_in_student_files(BANK, ["0.42", "0.18", "30000", "30,000"]) == []
