"""Charts of the outcome offer lesson: they encode the model's columns and compute nothing."""

import numpy as np

from b4b_kit.outcome_offer_types import charts, level4, pricing
from b4b_kit.ui import to_svg
from tests.helpers import chart_rows


def summary():
    return pricing.price(pricing.DealAssumptions(), n=2000, seed=0)


def test_scheme_ranges_plots_the_summary_rows_in_scheme_order():
    table = summary()
    spec = charts.scheme_ranges(table).to_dict()
    values = chart_rows(spec)
    assert [v["name"] for v in values] == list(table["name"])
    assert [v["margin_p5"] for v in values] == list(table["margin_p5"])
    bar = spec["layer"][0]["encoding"]
    assert (bar["x"]["field"], bar["x2"]["field"]) == ("margin_p5", "margin_p95")
    assert charts.scheme_ranges(table, "revenue").to_dict()["layer"][1]["encoding"]["x"]["field"] == "revenue_mean"


def test_risk_split_stacks_supplier_and_customer_shares():
    split = pricing.risk_split(summary())
    spec = charts.risk_split_bars(split).to_dict()
    values = chart_rows(spec)
    assert len(values) == 10
    assert spec["encoding"]["color"]["scale"]["domain"] == ["supplier", "customer"]
    svg = to_svg(charts.risk_split_bars(split))
    assert "Type 3: gain share" in svg and "supplier" in svg


def test_histogram_panels_get_aggregated_bins_only():
    sim = pricing.simulate(pricing.DealAssumptions(), n=50_000)
    hist = pricing.histogram(sim, bins=25)
    spec = charts.scheme_histogram(hist).to_dict()
    values = chart_rows(spec)
    assert len(values) == 125  # 5 schemes x 25 bins, never the 50,000 scenarios
    assert to_svg(charts.scheme_histogram(hist)).lstrip().startswith("<svg")


def test_level4_chart_marks_each_offers_break_even_and_position():
    curve = level4.margin_curve([level4.FULL_AUTOMATION, level4.ALL_IN_BUNDLE], np.linspace(0, 200, 21))
    spec = charts.level4_margins(curve).to_dict()
    values = chart_rows(spec)
    assert len(values) == 42
    fields = [layer["encoding"]["x"]["field"] for layer in spec["layer"]
              if "field" in layer["encoding"].get("x", {})]
    assert fields == ["cost_to_serve", "break_even_cost_to_serve", "own_cost_to_serve"]
    assert "all-in bundle" in to_svg(charts.level4_margins(curve))
