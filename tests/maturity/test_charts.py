"""Chart builders of lessons 4 and 5 encode what the models computed, and render offline as SVG."""

import pandas as pd

from b4b_kit import datasets, maturity
from b4b_kit.maturity import charts
from b4b_kit.ui import to_svg
from tests.helpers import chart_rows

VMM = "value_maturity_model"


def test_profile_encodes_one_bar_per_dimension_and_overall():
    r = maturity.assess_one(VMM, dict.fromkeys(maturity.criterion_ids(VMM), 4))
    rows = chart_rows(charts.maturity_profile(r.to_frame(), maturity.level_range(VMM)))
    assert [v["dimension"] for v in rows] == ["proposition", "strategy", "agreements", "relationship", "overall"]
    assert {v["level"] for v in rows} == {5.0}


def test_before_after_profile_renders_offline_with_names():
    wb = datasets.load("whitebox_answers")
    frames = [maturity.assess_one(VMM, dict(zip(wb["criterion"], wb[col]))).to_frame().assign(series=col)
              for col in ("before", "after")]
    svg = to_svg(charts.maturity_profile(pd.concat(frames), (0, 5)))
    assert svg.lstrip().startswith("<svg") and "Agreements" in svg and "after" in svg


def test_heatmap_distribution_and_gaps_take_the_model_tables():
    survey = maturity.simulate_answers(VMM, 6, seed=1)
    assessed = maturity.assess_frame(VMM, survey)
    heat = maturity.heatmap_table(VMM, assessed)
    assert len(chart_rows(charts.maturity_heatmap(heat, (0, 5)))) == 6 * 5
    dist = maturity.distribution(VMM, assessed)
    assert sum(v["respondents"] for v in chart_rows(charts.maturity_distribution(dist))) == 6 * 5
    gaps = maturity.gaps(VMM, survey, 5)
    assert len(chart_rows(charts.gap_bars(gaps.head(4)))) == 4
