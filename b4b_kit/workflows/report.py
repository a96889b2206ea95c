"""``b4b report DIR``: a sweep folder as self-contained HTML (charts as inline SVG) and a comparison notebook.

``DIR/report/index.html`` holds the registry table, one chart per numeric figure
against each parameter that varies, and links to one HTML page per run; nothing
in them is fetched from the internet. ``DIR/report/compare.ipynb`` reads the
registry with one call, for further analysis.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..errors import B4BError

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; }} th, td {{ border: 1px solid #ccc; padding: 3px 6px; }}
th {{ background: #f3f3f3; }} .failed, .timeout, .died, .error {{ background: #fdecea; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1em; }} pre {{ white-space: pre-wrap; }}
</style></head><body>
{body}
</body></html>
"""


def _varying(table, prefix: str) -> list[str]:
    cols = [c for c in table.columns if c.startswith(prefix)]
    return [c.removeprefix(prefix) for c in cols if table[c].nunique(dropna=True) > 1]


def run_page(notebook: Path) -> str:
    """One executed notebook as a self-contained HTML page (outputs only where inputs are code)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")  # no scripts or CDN links, unlike the lab template
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    return _PAGE.format(title=html.escape(notebook.stem), body=body)


def build(out: str | Path) -> Path:
    """Write ``report/index.html``, one page per run and ``report/compare.ipynb``; return the index path."""
    import pandas as pd

    from ..ui import to_svg
    from . import sweep

    out = Path(out)
    table = sweep.results(out)
    if table.empty:
        raise B4BError("the sweep folder has no runs yet", where=str(out), fix="Run 'b4b sweep' into it first.")
    report = out / "report"
    (report / "runs").mkdir(parents=True, exist_ok=True)
    links = {}
    for row in table.itertuples():
        nb = Path(row.output_notebook) if isinstance(row.output_notebook, str) else None
        if nb and nb.is_file():
            page = report / "runs" / f"{row.run_id}.html"
            page.write_text(run_page(nb), encoding="utf-8")
            links[row.run_id] = f"runs/{row.run_id}.html"

    params = _varying(table, "param.")
    figures = [f for f in _varying(table, "figure.") if pd.api.types.is_numeric_dtype(table[f"figure.{f}"])]
    numeric_params = [p for p in params if pd.api.types.is_numeric_dtype(table[f"param.{p}"])]
    ok = table[table["status"] == "ok"]
    svgs = [to_svg(figure_by_parameter(ok.sort_values(f"param.{p}"), p, f))
            for p in numeric_params for f in figures] if len(ok) else []

    shown = ["run_id", "status", "duration_s"] + [f"param.{p}" for p in params] + \
            [c for c in table.columns if c.startswith("figure.")] + ["error"]
    rows = []
    for rec in table[shown].itertuples(index=False):
        cells = []
        for col, value in zip(shown, rec):
            text = "" if pd.isna(value) else html.escape(str(value))
            if col == "run_id" and value in links:
                text = f"<a href='{links[value]}'>{text}</a>"
            cells.append(f"<td>{text}</td>")
        rows.append(f"<tr class='{html.escape(str(rec[1]))}'>{''.join(cells)}</tr>")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in shown)
    first = table.iloc[0]
    body = (f"<h1>Sweep of {html.escape(str(first['case']))}</h1>"
            f"<p>{len(table)} runs: " + ", ".join(f"{n} {s}" for s, n in table['status'].value_counts().items()) +
            f". Kit {html.escape(str(first.get('kit_version')))}, "
            f"commit {html.escape(str(first.get('git_commit')))}.</p>"
            f"<div class='charts'>{''.join(svgs)}</div>"
            f"<h2>Runs</h2><table><tr>{head}</tr>{''.join(rows)}</table>")
    index = report / "index.html"
    index.write_text(_PAGE.format(title=f"Sweep of {first['case']}", body=body), encoding="utf-8")
    _compare_notebook(report / "compare.ipynb", out.resolve(), numeric_params, figures)
    return index


def figure_by_parameter(table, parameter: str, figure: str):
    """One key figure of a sweep against one parameter, a point per run (from the results registry).

    Parameters
    ----------
    table : pandas.DataFrame
        The registry (``b4b_kit.workflows.sweep.results``), with ``param.<name>`` and ``figure.<name>`` columns.
    """
    import altair as alt

    # Vega-Lite reads "a.b" as a nested field: give the columns plain names first
    data = table[["run_id", f"param.{parameter}", f"figure.{figure}"]].set_axis(["run_id", "x", "y"], axis=1)
    return (
        alt.Chart(data, title=figure)
        .mark_circle(size=70, opacity=0.8)  # points: other parameters may vary too, so no joining line
        .encode(x=alt.X("x:Q", title=parameter, scale=alt.Scale(zero=False)),
                y=alt.Y("y:Q", title=figure, scale=alt.Scale(zero=False)),
                tooltip=["run_id:N", alt.Tooltip("x:Q", title=parameter), alt.Tooltip("y:Q", title=figure)])
        .properties(width=360, height=200)
    )


def _compare_notebook(path: Path, sweep_dir: Path, params: list[str], figures: list[str]) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = [
        new_markdown_cell(f"# Comparing the runs of `{sweep_dir.name}`\n\nOne row per run, read from the registry."),
        new_code_cell("from b4b_kit import ui\nfrom b4b_kit.workflows import report, sweep\n\n"
                      f"ui.enable_offline('static')\n"
                      f"table = sweep.results({str(sweep_dir)!r})\ntable"),
    ]
    for p in params:
        for f in figures:
            cells.append(new_code_cell(f"report.figure_by_parameter(table[table['status'] == 'ok']"
                                       f".sort_values('param.{p}'), {p!r}, {f!r})"))
    nb.cells = cells
    nbformat.write(nb, path)
