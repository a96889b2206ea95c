import re

import nbformat
import papermill as pm
import pytest

from b4b_kit.errors import B4BError
from b4b_kit.workflows import report, sweep
from tests.helpers import REPO

PROBE = REPO / "tests" / "data" / "probe_case.ipynb"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    sweep.sweep(PROBE, sweep.grid({"runs": [{"value": 2}, {"value": 3}, {"mode": "fail"}]}, PROBE), out, workers=2)
    return out, report.build(out)


def test_index_lists_every_run_with_links_and_marks_failures(built):
    out, index = built
    text = index.read_text()
    assert text.count("<tr class=") == 3
    assert "<tr class='failed'>" in text and "ValueError: asked to fail" in text
    for run_id in sweep.results(out).query("status != 'failed'")["run_id"]:
        assert f"href='runs/{run_id}.html'" in text


def test_charts_are_inline_svg_one_per_varying_numeric_figure(built):
    out, index = built
    table = sweep.results(out)
    # one numeric parameter varies (value: 2, 3, and the failing run's 1); the probe's numeric figures
    # double (4, 6), pid and the two random draws always differ between the runs; ppid does when
    # the two runs went to different workers
    varying = {c for c in table.columns if c.startswith("figure.") and table[c].nunique() > 1
               and table[c].dtype.kind in "if"}
    assert {"figure.double", "figure.pid", "figure.draw", "figure.np_draw"} <= varying
    assert index.read_text().count("<svg") == len(varying)
    assert ">double<" in index.read_text()


def test_report_needs_nothing_from_the_internet(built):
    out, index = built
    for page in [index, *(out / "report" / "runs").glob("*.html")]:
        text = page.read_text()
        assert not re.search(r"""(src|href)=["']https?://""", text), page
        assert "<script src" not in text


def test_run_pages_show_the_recorded_figures(built):
    out, _ = built
    pages = list((out / "report" / "runs").glob("*.html"))
    assert len(pages) == 3  # the failed run's partial notebook too
    assert any("double</th><td>6.0</td>" in p.read_text() for p in pages)


def test_comparison_notebook_reads_the_registry_with_one_call(built, tmp_path):
    out, _ = built
    compare = out / "report" / "compare.ipynb"
    assert "sweep.results(" in compare.read_text()
    executed = tmp_path / "compare.ipynb"
    pm.execute_notebook(str(compare), str(executed), kernel_name="python3", progress_bar=False)
    nb = nbformat.read(executed, as_version=4)
    assert "run_id" in nb.cells[1].outputs[0]["data"]["text/plain"]


def test_an_empty_sweep_folder_is_a_clear_error(tmp_path):
    (tmp_path / "runs").mkdir()
    with pytest.raises(B4BError, match="no runs yet"):
        report.build(tmp_path)
