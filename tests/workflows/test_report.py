"""The sweep report, read from its HTML as a researcher reads it: ranking, heatmap, small multiples, failures.

The fixture sweeps the probe case over value [1, 3] x weight [1, 2] (both defaults 1 are in the grid,
so they are the base values), plus one failing run. Its figure ``product`` = value x weight ($k):

    weight \\ value    1    3
          1          1    3
          2          2    6

so, the other parameter at its base, value moves product by 3 - 1 = 2 and weight by 2 - 1 = 1;
``double`` = 2 x value moves by 6 - 2 = 4 with value and not at all with weight.
"""

import html
import re

import nbformat
import papermill as pm
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import report, sensitivity, sweep
from tests.helpers import REPO

PROBE = REPO / "tests" / "data" / "probe_case.ipynb"
BAND = (2, 4, "a made-up range, 2024")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    data = out / "data.txt"
    data.write_text("input\n")
    plan = sweep.grid({"grid": {"value": [1, 3], "weight": [1, 2], "data": [str(data)]},
                       "runs": [{"mode": "fail", "value": 2}]}, PROBE)
    sweep.sweep(PROBE, plan, out / "sweep", workers=2, progress=False)
    return out / "sweep", report.build(out / "sweep", bands={"product": BAND})


def section(text: str, name: str) -> str:
    found = re.search(rf"<section id='{name}'>(.*?)</section>", text, re.S)
    assert found, f"no section {name!r}"
    return found.group(1)


def rows(table_html: str) -> list[list[str]]:
    """The text of each cell, row by row (header row included)."""
    cells = r"<t[hd][^>]*>(.*?)</t[hd]>"
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(cells, row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html, re.S)]


def test_the_ranking_says_how_far_each_parameter_moves_each_figure(built):
    _, index = built
    ranking = rows(re.search(r"<table class='ranking'>.*?</table>", section(index.read_text(), "ranking"),
                             re.S).group(0))
    assert ranking[0] == ["figure", "value", "weight", "moved most by"]
    by_figure = {r[0]: r[1:] for r in ranking[1:]}
    assert by_figure["product ($k)"] == ["$2k", "$1k", "value"]
    assert by_figure["double"] == ["4", "0", "value"]
    # the parameter that moves a figure most is highlighted in its row
    assert re.search(r"<tr data-figure='product'><th>[^<]*</th><td class='top num'>\$2k</td>", index.read_text())


def test_a_tornado_chart_per_figure_draws_each_parameters_swing(built):
    _, index = built
    ranking = section(index.read_text(), "ranking")
    assert ranking.count("<svg") == len(re.findall(r"<tr data-figure=", ranking))
    # a bar per parameter, from the figure's lowest to its highest value; the base value as a rule
    assert "product ($k): 1; parameter: value; highest: 3; swing: $2k" in ranking
    assert "product ($k): 1; parameter: weight; highest: 2; swing: $1k" in ranking
    assert "Title text 'product: what moves it'" in ranking


def test_the_heatmap_shows_a_figure_over_both_parameters(built):
    _, index = built
    figures = section(index.read_text(), "figures")
    heat = re.search(r"<div class='heatmap' data-figure='product' data-x='value' data-y='weight'>(.*?)</div>",
                     figures, re.S)
    assert heat, "a heatmap of product over value and weight"
    pattern = r"value: (\d); weight \(x\): (\d) x; product \(\$k\): \d+; weight: \d x; product: (\$\dk)"
    cells = {(v, w): p for v, w, p in re.findall(pattern, heat.group(1))}
    assert cells == {("1", "1"): "$1k", ("3", "1"): "$3k", ("1", "2"): "$2k", ("3", "2"): "$6k"}
    # each cell is labelled with its value as text
    labels = set(re.findall(r"<text[^>]*>(\$\dk)</text>", heat.group(1)))
    assert labels == {"$1k", "$2k", "$3k", "$6k"}


def test_small_multiples_colour_each_run_by_the_other_parameter(built):
    _, index = built
    figures = section(index.read_text(), "figures")
    assert "Title text 'product by value'" in figures and "Title text 'product by weight'" in figures
    assert "Symbol legend titled 'weight' for fill color and stroke color with 2 values: weight = 1 x, weight = 2 x" \
        in figures
    # every finished run is a point, labelled with the other parameter's value
    assert re.search(r"value: 3; product \(\$k\): 6; weight: weight = 2 x; others: weight = 2 x; run_id: \w{16}",
                     figures)


def test_a_published_range_is_drawn_and_counted(built):
    _, index = built
    text = index.read_text()
    assert "low: 2; high: 4; published range: a made-up range, 2024" in section(text, "figures")
    bands = rows(section(text, "bands"))
    # product over the four finished runs: 1 below $2k-$4k, 2 and 3 inside, 6 above
    assert bands[1] == ["product", "$2k", "$4k", "a made-up range, 2024", "1", "2", "1"]


def test_the_failed_run_is_listed_with_its_cell_and_message(built):
    out, index = built
    failed = rows(section(index.read_text(), "failed"))
    assert failed[0] == ["run", "status", "parameters", "failing cell", "message"]
    assert len(failed) == 2
    run_id = sweep.results(out).query("status == 'failed'")["run_id"].item()
    assert failed[1][0] == f"{run_id} (output up to the failure)"
    assert failed[1][1] == "failed"
    assert "mode = fail" in failed[1][2] and "value = 2" in failed[1][2]
    assert re.fullmatch(r"cell \d+ of the output notebook: import os", failed[1][3])
    assert failed[1][4] == "ValueError: asked to fail with value 2.0"


def test_the_run_table_has_units_and_formatted_numbers(built):
    out, index = built
    runs = rows(section(index.read_text(), "runs"))
    header = runs[0]
    assert {"weight (x)", "product ($k)", "value", "mode"} <= set(header)
    by_run = {r[0]: dict(zip(header, r)) for r in runs[1:]}
    table = sweep.results(out).set_index("run_id")
    assert len(by_run) == 5
    for run_id, row in by_run.items():
        if table.loc[run_id, "status"] == "ok":
            assert row["product ($k)"] == f"${table.loc[run_id, 'figure.product']:g}k"
            assert row["weight (x)"] == f"{table.loc[run_id, 'param.weight']:g} x"
    assert re.search(r"<tr class='failed'>", section(index.read_text(), "runs"))


def test_the_provenance_block_names_versions_commit_and_checksums(built):
    out, index = built
    block = section(index.read_text(), "provenance")
    table = sweep.results(out)
    for field in ("kit_version", "git_commit", "python", "package.pandas", "package.papermill", "notebook_sha256",
                  "dataset.data.sha256"):
        assert f"<th>{field}</th>" in block
        values = table[field].dropna().astype(str).unique()
        assert all(v in block for v in values)
    assert len(table["dataset.data.sha256"].dropna().iloc[0]) == 64


def test_the_base_values_are_the_cases_defaults_when_swept(built):
    _, index = built
    base = rows(section(index.read_text(), "summary").split("<h2>Base values</h2>", 1)[1])
    assert base[1:] == [["value", "1", "the case's default", "1, 3"],
                        ["weight", "1 x", "the case's default", "1 x, 2 x"]]


def test_report_needs_nothing_from_the_internet(built):
    out, index = built
    for page in [index, *(out / "report" / "runs").glob("*.html")]:
        text = page.read_text()
        assert not re.search(r"""(src|href)=["']https?://""", text), page
        assert "<script src" not in text


def test_run_pages_show_the_recorded_figures(built):
    out, _ = built
    pages = list((out / "report" / "runs").glob("*.html"))
    assert len(pages) == 5  # the failed run's partial notebook too
    assert any("double</th><td>6.0</td>" in p.read_text() for p in pages)


def test_comparison_notebook_reads_the_registry_and_redraws_the_sensitivity(built, tmp_path):
    out, _ = built
    compare = out / "report" / "compare.ipynb"
    assert "sweep.results(" in compare.read_text()
    executed = tmp_path / "compare.ipynb"
    pm.execute_notebook(str(compare), str(executed), kernel_name="python3", progress_bar=False)
    nb = nbformat.read(executed, as_version=4)
    assert "run_id" in nb.cells[1].outputs[0]["data"]["text/plain"]
    assert "{'value': 1.0, 'weight': 1.0}" in nb.cells[3].outputs[0]["data"]["text/plain"]
    sources = [c.source for c in nb.cells]
    tornado = sources.index("report.tornado(analysis, 'product', band=bands.get('product'))")
    assert "image/svg+xml" in nb.cells[tornado].outputs[0]["data"]


def test_the_ranking_holds_the_other_parameters_at_their_base_values():
    import pandas as pd

    # y = a * b: at base b = 1, a moves y from 1 to 3; at base a = 1, b moves it from 1 to 2. The run at
    # a = 3, b = 2 (y = 6) is off both axes and must not widen either swing.
    runs = pd.DataFrame({"status": "ok", "param.a": [1.0, 3.0, 1.0, 3.0], "param.b": [1.0, 1.0, 2.0, 2.0],
                         "figure.y": [1.0, 3.0, 2.0, 6.0]})
    ranked = sensitivity.ranking(runs, ["a", "b"], ["y"], {"a": 1.0, "b": 1.0}).set_index("parameter")
    assert ranked.loc["a", ["at_low", "at_high", "swing", "rank"]].tolist() == [1.0, 3.0, 2.0, 1]
    assert ranked.loc["b", ["at_low", "at_high", "swing", "rank"]].tolist() == [1.0, 2.0, 1.0, 2]
    assert ranked.loc["a", "relative_swing"] == 2.0


def test_a_parameter_never_moved_alone_has_no_rank():
    import pandas as pd

    runs = pd.DataFrame({"status": "ok", "param.a": [1.0, 2.0], "param.b": [1.0, 2.0], "figure.y": [1.0, 5.0]})
    ranked = sensitivity.ranking(runs, ["a", "b"], ["y"], {"a": 1.0, "b": 1.0})
    assert ranked["swing"].isna().all() and ranked["rank"].isna().all()


@pytest.mark.parametrize("bands, match", [
    ({"product": (4, 2, "x")}, "low 4 above high 2"),
    ({"product": (1, "lots", "x")}, r"must be \(low, high, label\)"),
    ({"product": (1, 2)}, r"must be \(low, high, label\)"),
])
def test_a_malformed_band_is_a_clear_error(bands, match):
    with pytest.raises(B4BError, match=match):
        report.check_bands(bands)


def test_an_empty_sweep_folder_is_a_clear_error(tmp_path):
    (tmp_path / "runs").mkdir()
    with pytest.raises(B4BError, match="no runs yet"):
        report.build(tmp_path)
