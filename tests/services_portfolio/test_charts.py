"""The mix and signal charts encode what the model computed, and render offline as SVG."""

import pandas as pd

from b4b_kit.services_portfolio import charts
from b4b_kit.services_portfolio import model as services
from b4b_kit.ui import to_svg
from tests.helpers import DATA, chart_rows

COPY = str(DATA / "services_portfolio_with_signals.yaml")
CLASSIFIED = pd.DataFrame({"service_id": ["a", "b", "c"],
                           "category": ["support_services", "adoption_services", "uncertain"],
                           "portfolio": ["traditional_services", "optimize_services", "uncertain"]})
REVENUE = pd.DataFrame({"service_id": ["a", "b", "c", "a", "b", "c"], "year": [2020] * 3 + [2021] * 3,
                        "revenue_musd": [6.0, 3.0, 1.0, 4.0, 4.0, 2.0]})


def test_mix_chart_encodes_the_mix_without_computing():
    m = services.mix(CLASSIFIED, REVENUE, framework=COPY)
    spec = charts.service_mix(m, highlight_year=2021).to_dict()
    values = chart_rows(spec)
    assert len(values) == len(m) and {v["share"] for v in values} == set(m["share"])
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        "Traditional service lines", "Optimize services", "Outcome as a service", "Uncertain"]
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.year === 2021"
    svg = to_svg(charts.service_mix(m))
    assert svg.lstrip().startswith("<svg") and "Optimize services" in svg


def test_scores_chart_has_one_bar_per_category():
    table = services.scores({"acts_on": "asset", "paid_for": "usage", "activity": ""}, COPY)
    spec = charts.service_scores(table, max_signals=3).to_dict()
    values = chart_rows(spec)
    assert len(values) == 8
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 3]
