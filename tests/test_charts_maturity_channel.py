"""Chart builders of lessons 4 and 5 encode what the models computed, and render offline as SVG."""

import pandas as pd

from b4b_kit import channel, charts, datasets, maturity

VMM = "value_maturity_model"


def values(chart):
    spec = chart.to_dict()
    return spec["datasets"][next(iter(spec["datasets"]))]


def test_profile_encodes_one_bar_per_dimension_and_overall():
    r = maturity.assess_one(VMM, dict.fromkeys(maturity.criterion_ids(VMM), 4))
    rows = values(charts.maturity_profile(r.to_frame(), maturity.level_range(VMM)))
    assert [v["dimension"] for v in rows] == ["proposition", "strategy", "agreements", "relationship", "overall"]
    assert {v["level"] for v in rows} == {5.0}


def test_before_after_profile_renders_offline_with_names():
    wb = datasets.load("whitebox_answers")
    frames = [maturity.assess_one(VMM, dict(zip(wb["criterion"], wb[col]))).to_frame().assign(series=col)
              for col in ("before", "after")]
    svg = charts.to_svg(charts.maturity_profile(pd.concat(frames), (0, 5)))
    assert svg.lstrip().startswith("<svg") and "Agreements" in svg and "after" in svg


def test_heatmap_distribution_and_gaps_take_the_model_tables():
    survey = maturity.simulate_answers(VMM, 6, seed=1)
    assessed = maturity.assess_frame(VMM, survey)
    heat = maturity.heatmap_table(VMM, assessed)
    assert len(values(charts.maturity_heatmap(heat, (0, 5)))) == 6 * 5
    dist = maturity.distribution(VMM, assessed)
    assert sum(v["respondents"] for v in values(charts.maturity_distribution(dist))) == 6 * 5
    gaps = maturity.gaps(VMM, survey, 5)
    assert len(values(charts.gap_bars(gaps.head(4)))) == 4


def test_diagnosis_colours_every_area_the_same_way_whatever_is_ticked():
    areas = [a.name for a in channel.get(channel.FRAMEWORK).areas]
    spec = charts.diagnosis_bars(channel.diagnose(["asks_not_needs"]), areas).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == areas


def test_priority_chart_shows_front_and_ranks_offline():
    ranked = channel.pareto_points(channel.prioritise(datasets.load("tire_innovations")))
    chart = charts.priority_chart(ranked)
    scatter_rows = values(chart)
    assert {v["status"] for v in scatter_rows} == {"on the Pareto front", "dominated"}
    svg = charts.to_svg(chart)
    assert "1 Tire storage service" in svg and "on the Pareto front" in svg
