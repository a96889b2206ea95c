"""The diagnosis and step-6 priority charts encode what the model computed, and render offline as SVG."""

from b4b_kit import datasets, framework
from b4b_kit.channel_capability_model import charts
from b4b_kit.channel_capability_model import model as channel
from b4b_kit.ui import to_svg
from tests.helpers import chart_rows


def test_diagnosis_colours_every_area_the_same_way_whatever_is_ticked():
    areas = [a.name for a in framework(channel.FRAMEWORK).areas]
    spec = charts.diagnosis_bars(channel.diagnose(["asks_not_needs"]), areas).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == areas


def test_priority_chart_shows_front_and_ranks_offline():
    ranked = channel.pareto_points(channel.prioritise(datasets.load("tire_innovations")))
    chart = charts.priority_chart(ranked)
    scatter_rows = chart_rows(chart)
    assert {v["status"] for v in scatter_rows} == {"on the Pareto front", "dominated"}
    svg = to_svg(chart)
    assert "1 Tire storage service" in svg and "on the Pareto front" in svg
