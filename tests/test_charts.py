import altair as alt
import pytest

from b4b_kit import assess, charts, datasets


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
    svg = charts.to_svg(charts.staircase(assess.ladder(printer)))
    assert svg.lstrip().startswith("<svg")
    assert "2 Complex Offer" in svg and "needed" in svg


def test_portfolio_map_has_one_mark_per_cell():
    table = assess.portfolio_summary(assess.assess_frame(datasets.load("supplier_portfolio")))
    spec = charts.portfolio_map(table).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert len(values) == len(table)
    assert sum(v["product_markets"] for v in values) == 24


def test_live_offline_mode_bundles_once_and_reuses_the_cached_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "_CACHE", tmp_path)
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    monkeypatch.setattr(alt.JupyterChart, "_esm", alt.JupyterChart._esm)
    charts.enable_offline()
    bundle = charts._bundle_path()
    assert bundle.is_file() and alt.JupyterChart._is_offline
    assert "https://" not in alt.JupyterChart._esm.split("\n", 1)[0]
    assert "esm.sh" not in alt.JupyterChart._esm and "cdn.jsdelivr" not in alt.JupyterChart._esm
    assert alt.renderers.active == "svg"  # cell and explorer charts: SVG; alt.JupyterChart is offline too
    # a second kernel: the cached file is read instead of bundling again
    bundle.write_text("// cached marker\n" + bundle.read_text())
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    charts.enable_offline()
    assert alt.JupyterChart._esm.startswith("// cached marker")


def test_static_mode_uses_svg():
    charts.enable_offline("static")
    assert alt.renderers.active == "svg"
    charts.enable_offline("live")
