import pytest

from b4b_kit import datasets
from b4b_kit.supplier_levels import charts
from b4b_kit.supplier_levels import model as assess
from b4b_kit.ui import to_svg


@pytest.fixture
def printer():
    return assess.assess_one(0.8, 0.2, 0.3, 0.4, offer={"standard_reliable_product"})


def test_staircase_encodes_the_ladder_without_computing(printer):
    spec = charts.staircase(assess.ladder(printer)).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert [v["status"] for v in values] == ["offered", "needed, not offered", "not needed", "not needed"]
    assert [v["marker"] for v in values] == ["", "needed", "", ""]
    bar = spec["layer"][0]
    assert bar["encoding"]["color"]["scale"]["domain"] == list(charts.LEVEL_COLOURS)


def test_static_svg_shows_level_names_and_needs_no_network(printer):
    svg = to_svg(charts.staircase(assess.ladder(printer)))
    assert svg.lstrip().startswith("<svg")
    assert "2 Complex Offer" in svg and "needed" in svg


def test_portfolio_map_has_one_mark_per_cell():
    table = assess.portfolio_summary(assess.assess_frame(datasets.load("supplier_portfolio")))
    spec = charts.portfolio_map(table).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert len(values) == len(table)
    assert sum(v["product_markets"] for v in values) == 24


def test_power_lines_chart_draws_both_lines_per_level_from_the_model():
    table = assess.power_lines()
    spec = charts.power_lines(table).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert len(values) == 8 and {v["line"] for v in values} == set(charts.LINE_COLOURS)
    svg = to_svg(charts.power_lines(table))
    assert "Operate (managed) services" in svg and "4 Outcome Offer" in svg
