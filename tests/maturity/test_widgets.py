"""The questionnaire, diagnosis and prioritiser widgets in plain pytest: setting a control fires its observers."""

import textwrap

import pandas as pd

from b4b_kit import datasets, maturity
from b4b_kit.errors import B4BError
from b4b_kit.maturity import widgets
from tests.helpers import chart_rows


def test_questionnaire_is_built_from_any_framework_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent("""
        id: mine
        name: Mine
        kind: levels
        summary: Two levels.
        source: an instructor
        levels:
          - {number: 1, id: l1, name: First, source: notes, elements: [{id: x, name: X, source: notes},
                                                                        {id: y, name: Y, source: notes}]}
          - {number: 2, id: l2, name: Second, own_reading: true, reason: a guess,
             elements: [{id: z, name: Z, source: notes}]}
    """))
    q = widgets.MaturityQuestionnaire(str(path), answers={"x": 4, "y": 4, "z": 1})
    assert list(q.sliders) == ["x", "y", "z"]
    assert "Overall level 1 under the staged rule" in q.output.value
    assert "Gaps to level 2" in q.output.value and "Z (Second)" in q.output.value
    q.sliders["z"].value = 3
    assert "Overall level 2 under the staged rule" in q.output.value
    assert "No gaps" in q.output.value
    assert [r["level"] for r in chart_rows(q)] == [2.0]


def test_rule_toggle_and_pass_mark_change_text_and_chart():
    wb = datasets.load("whitebox_answers")
    q = widgets.MaturityQuestionnaire("value_maturity_model", answers=dict(zip(wb["criterion"], wb["before"])))
    assert "Overall level 3 under the staged rule" in q.output.value
    q.rule.value = "continuous"
    assert "Overall level 2.98 under the continuous rule" in q.output.value
    assert chart_rows(q)[-1]["level"] == maturity.assess_one(
        "value_maturity_model", q.answers, rule="continuous").overall
    q.rule.value = "staged"
    q.pass_mark.value = 4.0  # three level-1 to level-3 criteria score 3: level 1 breaks at once
    assert "Overall level 0 under the staged rule" in q.output.value


def test_importance_reorders_the_gaps():
    answers = dict.fromkeys(maturity.criterion_ids("value_maturity_model"), 4)
    answers.update(co_creation=2, c_level_access=1)
    q = widgets.MaturityQuestionnaire("value_maturity_model", answers=answers, target=4)
    assert q.gaps()["criterion"].tolist() == ["c_level_access", "co_creation"]
    q.weights["co_creation"].value = 3  # 3 x 1 beats 1 x 2
    assert q.gaps()["criterion"].tolist() == ["co_creation", "c_level_access"]
    assert q.output.value.index("Co-creation") < q.output.value.index("top management")


def test_export_button_writes_the_answers_table(tmp_path):
    q = widgets.MaturityQuestionnaire("channel_capability_model", respondent="ann",
                                      export_path=str(tmp_path / "ann.csv"))
    q.sliders["partner_portals"].value = 3
    q.export_button.click()
    assert "Saved 43 answers" in q.export_status.value
    saved = pd.read_csv(tmp_path / "ann.csv")
    assert saved.equals(q.to_frame().astype({"met": bool}).pipe(lambda t: t.assign(
        **{c: saved[c] for c in saved.columns if c not in ("score", "criterion", "met")})))
    assert saved.set_index("criterion").loc["partner_portals", "score"] == 3
    assert (saved["respondent"] == "ann").all()


def test_export_failure_is_shown_not_raised(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    q = widgets.MaturityQuestionnaire("value_maturity_model", export_path=str(blocker / "x.csv"))
    q.export_button.click()
    assert "b4b-error" in q.export_status.value


def test_a_model_error_shows_its_message_in_the_page(monkeypatch):
    q = widgets.MaturityQuestionnaire("value_maturity_model")

    def broken(*args, **kwargs):
        raise B4BError("something is off", where="criterion 'co_creation'", fix="Fix it.")

    monkeypatch.setattr(maturity.model, "assess_one", broken)
    q.sliders["co_creation"].value = 2
    assert "criterion &#x27;co_creation&#x27;: something is off. Fix it." in q.output.value
