"""``b4b report DIR``: a sweep as one self-contained HTML page (charts as inline SVG) and a comparison notebook.

``DIR/report/index.html`` holds, in this order:

* a summary line, the fixed parameters and the base values the sensitivity reading holds parameters at;
* the **sensitivity ranking**: for every figure, how far it moves over each
  parameter's swept range with the other parameters at their base values, as a
  table and as a tornado chart per figure;
* for every figure that varies, **small multiples** against each parameter (the
  other parameters as colour) and, for every pair of parameters that vary, a
  **heatmap** (the rest at their base values);
* published ranges (``bands``), where given, drawn on those charts and counted (runs below, inside, above);
* the **run table** with units and formatted numbers, linked to one HTML page per run;
* the **failed runs** with their failing cell and message;
* the **provenance**: kit version, commit, Python, packages, notebook and dataset checksums.

Nothing in these pages is fetched from the internet. ``DIR/report/compare.ipynb``
reads the registry with one call and redraws the same tables and charts, for
further analysis. The numbers come from :mod:`b4b_kit.workflows.sensitivity`;
this module only formats and draws them.

Units: a figure's unit is what its case passed to ``cases.record(..., units=)``,
else what its name says by the kit's naming habit (``_musd`` $M, ``_share``,
``_probability`` and ``share_`` a share shown in %). A parameter's unit is a
``[unit ...]`` note in its declaration, else what its name says.
"""

from __future__ import annotations

import html
import itertools
import json
import math
from pathlib import Path

from ..errors import B4BError
from . import sensitivity

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }}
th {{ background: #f3f3f3; text-align: left; }} td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.failed, tr.timeout, tr.died, tr.error, tr.pending, tr.running {{ background: #fdecea; }}
td.top {{ font-weight: bold; background: #e8f0f8; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }} pre {{ white-space: pre-wrap; }}
.scroll {{ overflow-x: auto; }} code {{ font-size: 0.9em; }} .note {{ color: #555; font-size: 0.9em; }}
section {{ margin-bottom: 2em; }}
</style></head><body>
{body}
</body></html>
"""

# ---- units and numbers --------------------------------------------------------------------------

_SUFFIX_UNITS = (("_musd", "$M"), ("_kusd", "$k"), ("_usd", "$"), ("_share", "share"), ("_probability", "share"),
                 ("_pct", "%"), ("_s", "s"))


def unit_of(name: str, declared: dict[str, str] | None = None) -> str:
    """The unit of a figure or parameter: the declared one, else what its name says (``""`` if nothing).

    Examples
    --------
    >>> unit_of("revenue_at_risk_musd"), unit_of("share_matched"), unit_of("threshold")
    ('$M', 'share', '')
    >>> unit_of("revenue_mean", {"revenue_mean": "$k"})
    '$k'
    """
    if declared and declared.get(name):
        return declared[name]
    if name.startswith("share_"):
        return "share"
    return next((unit for suffix, unit in _SUFFIX_UNITS if name.endswith(suffix)), "")


def format_number(value, unit: str = "") -> str:
    """A value as a reader wants to see it: its unit, thousands separators and about four significant digits.

    A ``"share"`` (0.27) shows as a percentage; money units wrap the number
    (``$M``, ``$k``, ``$``); any other unit follows it. Text passes through;
    a missing value is an empty string. (Issue 10's lesson tables format
    numbers too; this is the report's own small helper.)

    Examples
    --------
    >>> format_number(110.1, "$M"), format_number(-2500, "$k"), format_number(0.4468, "share")
    ('$110.1M', '-$2,500k', '44.7 %')
    >>> format_number(24), format_number(0.000123456), format_number(1234567.8, "units/yr")
    ('24', '0.0001235', '1,234,568 units/yr')
    >>> format_number(None), format_number("1, 2, 3"), format_number(True)
    ('', '1, 2, 3', 'yes')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if not isinstance(value, (int, float)):
        try:
            import pandas as pd

            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
        return str(value)
    x = float(value) * (100 if unit == "share" else 1)
    text = _significant(abs(x), 3 if unit == "share" else 4, whole=isinstance(value, int) and unit != "share")
    sign = "-" if x < 0 and text.strip("0.,") else ""
    if unit in ("$M", "$k", "$bn"):
        return f"{sign}${text}{unit[1:]}"
    if unit == "$":
        return f"{sign}${text}"
    if unit == "share":
        return f"{sign}{text} %"
    return f"{sign}{text}{' ' + unit if unit else ''}"


def _significant(x: float, digits: int, whole: bool) -> str:
    if whole or x == 0 or x >= 10 ** (digits - 1):
        return f"{x:,.0f}"
    decimals = min(max(0, digits - 1 - math.floor(math.log10(x))), 9)
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def labelled(name: str, unit: str) -> str:
    """A column or axis title with its unit, e.g. ``revenue_musd ($M)``; a share is shown in ``%``.

    Examples
    --------
    >>> labelled("revenue_musd", "$M"), labelled("share_matched", "share"), labelled("threshold", "")
    ('revenue_musd ($M)', 'share_matched (%)', 'threshold')
    """
    return f"{name} ({'%' if unit == 'share' else unit})" if unit else name


def _axis(unit: str) -> dict:
    # shares are stored 0..1 and read as percentages everywhere in the report
    import altair as alt

    return {"axis": alt.Axis(format="~%")} if unit == "share" else {}


# ---- what the report shows: read once from the sweep folder -------------------------------------

def analyse(out: str | Path):
    """The registry of a sweep folder with its sensitivity reading (:class:`~b4b_kit.workflows.sensitivity.Analysis`).

    Base values use the case's declared defaults (read from its notebook) where
    the sweep ran them; units come from the run records and the declarations.
    """
    from . import sweep

    out = Path(out)
    table = sweep.results(out)
    if table.empty:
        raise B4BError("the sweep folder has no runs yet", where=str(out), fix="Run 'b4b sweep' into it first.")
    declared = _declared_parameters(out, table)
    defaults = {name: p.default for name, p in declared.items()}
    units = {**{name: p.unit for name, p in declared.items() if getattr(p, "unit", "")}, **_recorded_units(out)}
    return sensitivity.analyse(table, defaults=defaults, units=units)


def _declared_parameters(out: Path, table) -> dict:
    from . import cases

    candidates = []
    plan = _read_json(out / "sweep.json")
    if plan.get("notebook"):
        candidates.append(plan["notebook"])
    if "case" in table.columns and table["case"].notna().any():
        candidates.append(str(table["case"].dropna().iloc[0]))
    for candidate in candidates:
        try:
            return cases.parameters(candidate)
        except (B4BError, OSError, ValueError):
            continue
    return {}  # the case is gone: middle values for bases, units from names only


def _recorded_units(out: Path) -> dict[str, str]:
    for path in sorted(out.glob("runs/*/*.results.json")):
        units = _read_json(path).get("units")
        if units:
            return {k: str(v) for k, v in units.items()}
    return {}


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def check_bands(bands: dict | None) -> dict[str, tuple[float, float, str]]:
    """Published ranges as ``{figure: (low, high, label)}``, checked.

    The hook for cited benchmarks: a caller that knows a published range for a
    figure passes it, and the report draws it as a band and counts the runs
    below, inside and above it.

    Examples
    --------
    >>> check_bands({"share_matched": (0.2, 0.3, "a study, 2008")})
    {'share_matched': (0.2, 0.3, 'a study, 2008')}
    """
    checked = {}
    for figure, band in (bands or {}).items():
        try:
            low, high, label = band
            low, high = float(low), float(high)
        except (TypeError, ValueError):
            raise B4BError(f"the band for {figure!r} must be (low, high, label), got {band!r}", where="bands",
                           fix="Give two numbers and a citation, e.g. (0.2, 0.3, 'Fang et al. 2008').") from None
        if not low <= high:
            raise B4BError(f"the band for {figure!r} has low {low:g} above high {high:g}", where="bands",
                           fix="Give the lower bound first.")
        checked[str(figure)] = (low, high, str(label))
    return checked


# ---- the report ---------------------------------------------------------------------------------

def evidence_bands(table, case: str) -> dict[str, tuple[float, float, str]]:
    """The published ranges (:mod:`b4b_kit.evidence`) of a sweep's figures, with their citations.

    A range given per contract-size band is read at the figures of the first
    successful run, which name the contract size.

    Examples
    --------
    >>> import pandas as pd
    >>> runs = pd.DataFrame({"status": ["ok"], "figure.grr": [0.8], "figure.acv_usd": [300_000.0]})
    >>> low, high, citation = evidence_bands(runs, "customer_health")["grr"]
    >>> (low, high), citation.startswith("SaaS Capital")
    ((0.92, 0.94), True)
    """
    from .. import evidence

    ok = table[table["status"] == "ok"]
    if ok.empty:
        return {}
    figures = {c.removeprefix("figure."): v for c, v in ok.iloc[0].items() if c.startswith("figure.")}
    found = {name: evidence.band(case, name, figures) for name in figures}
    return {name: b for name, b in found.items() if b is not None}


def build(out: str | Path, *, bands: dict | None = None) -> Path:
    """Write ``report/index.html``, one page per run and ``report/compare.ipynb``; return the index path.

    Parameters
    ----------
    out : str or Path
        A sweep folder.
    bands : dict, optional
        Published ranges ``{figure: (low, high, label)}`` to draw (see :func:`check_bands`);
        default: those the kit's cited benchmarks give for the sweep's case (:func:`evidence_bands`).
    """
    out = Path(out)
    analysis = analyse(out)
    table = analysis.table
    if bands is None:
        case = str(table["case"].dropna().iloc[0]) if table["case"].notna().any() else ""
        bands = evidence_bands(table, case)
    bands = check_bands(bands)
    report = out / "report"
    (report / "runs").mkdir(parents=True, exist_ok=True)
    links = {}
    for row in table.itertuples():
        nb = Path(row.output_notebook) if isinstance(row.output_notebook, str) else None
        if nb and nb.is_file():
            page = report / "runs" / f"{row.run_id}.html"
            _write(page, run_page(nb))
            links[row.run_id] = f"runs/{row.run_id}.html"

    case = str(table["case"].dropna().iloc[0]) if table["case"].notna().any() else out.name
    body = "".join([
        f"<h1>Sweep of {html.escape(case)}</h1>",
        _summary_html(analysis),
        _ranking_html(analysis, bands),
        _figures_html(analysis, bands),
        _bands_html(analysis, bands),
        _runs_html(analysis, links),
        _failures_html(analysis, links),
        _provenance_html(analysis),
    ])
    index = report / "index.html"
    _write(index, _PAGE.format(title=html.escape(f"Sweep of {case}"), body=body))
    _compare_notebook(report / "compare.ipynb", out.resolve(), analysis, bands)
    return index


def _write(path: Path, text: str) -> None:
    import os
    import tempfile

    # atomically, like the registry: a report being rebuilt never shows half a page
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def run_page(notebook: Path) -> str:
    """One executed notebook as a self-contained HTML page (outputs only where inputs are code)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")  # no scripts or CDN links, unlike the lab template
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    return _PAGE.format(title=html.escape(notebook.stem), body=body)


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _esc(value) -> str:
    return html.escape(str(value))


def _cell(value, unit: str = "", cls: str = "") -> str:
    text = format_number(value, unit)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    classes = " ".join(c for c in (cls, "num" if numeric else "") if c)
    return f"<td{f' class={chr(39)}{classes}{chr(39)}' if classes else ''}>{html.escape(text)}</td>"


def _table_html(header: list[str], rows: list[str], cls: str) -> str:
    # long snake_case names may break after an underscore, so a wide table still fits a page
    head = "".join(f"<th>{_esc(h).replace('_', '_<wbr>')}</th>" for h in header)
    return f"<div class='scroll'><table class='{cls}'><tr>{head}</tr>{''.join(rows)}</table></div>"


def _summary_html(a) -> str:
    counts = ", ".join(f"{n} {s}" for s, n in a.table["status"].value_counts().items())
    shown = _shown_parameters(a)
    fixed = [c.removeprefix("param.") for c in a.table.columns
             if c.startswith("param.") and c.removeprefix("param.") not in shown]
    first = a.table.iloc[0]
    fixed_text = ", ".join(f"<code>{_esc(p)}</code> = {_esc(format_number(first[f'param.{p}'], a.unit(p)) or repr(''))}"
                           for p in fixed)
    rows = [f"<tr><td><code>{_esc(p)}</code></td>{_cell(v, a.unit(p), 'num')}<td>{_esc(a.reasons.get(p, ''))}</td>"
            f"<td>{_esc(', '.join(format_number(x, a.unit(p)) for x in a.swept(p)))}</td></tr>"
            for p, v in a.base.items()]
    return (f"<section id='summary'><p>{len(a.table)} runs: {_esc(counts)}.</p>"
            + (f"<p>Fixed parameters: {fixed_text}.</p>" if fixed else "")
            + ("<h2>Base values</h2><p class='note'>While one parameter moves, the others are held here.</p>"
               + _table_html(["parameter", "base value", "why", "swept values"], rows, "base") if rows else "")
            + "</section>")


def _ranking_html(a, bands) -> str:
    ranked = a.ranking
    if ranked.empty:
        return ("<section id='ranking'><h2>Sensitivity ranking</h2><p>No numeric parameter and figure vary "
                "among the finished runs: nothing to rank.</p></section>")
    matrix = sensitivity.ranking_matrix(ranked)
    rows = []
    for figure, swings in matrix.iterrows():
        top = swings.idxmax() if swings.notna().any() and swings.max() > 0 else None
        unit = a.unit(figure)
        cells = "".join(_cell(v, unit, "top" if p == top else "") for p, v in swings.items())
        rows.append(f"<tr data-figure='{_esc(figure)}'><th>{_esc(labelled(figure, unit))}</th>{cells}"
                    f"<td>{_esc(top or 'none')}</td></tr>")
    detail = []
    for r in ranked.itertuples():
        unit = a.unit(r.figure)
        detail.append(
            f"<tr><td>{_esc(r.figure)}</td><td>{'' if _missing(r.rank) else _esc(r.rank)}</td>"
            f"<td>{_esc(r.parameter)}</td>{_cell(r.low, a.unit(r.parameter))}{_cell(r.high, a.unit(r.parameter))}"
            f"{_cell(r.at_low, unit)}{_cell(r.at_base, unit)}{_cell(r.at_high, unit)}"
            f"{_cell(r.swing, unit)}{_cell(r.relative_swing, 'share')}{_cell(r.runs)}</tr>")
    moved = ranked.dropna(subset=["swing"])
    tornadoes = [_svg(tornado(a, f, band=bands.get(f))) for f in a.figures if (moved["figure"] == f).any()]
    if moved.empty:
        tornadoes = ["<p>No parameter was run over two or more values with the others at their base values, "
                     "so none can be ranked. A cartesian <code>grid:</code> gives every parameter such runs.</p>"]
    return ("<section id='ranking'><h2>Sensitivity ranking</h2>"
            "<p class='note'>How far each figure moves (highest minus lowest) as one parameter runs over its "
            "swept values, the other parameters at their base values. The parameter that moves a figure most is "
            "highlighted.</p>"
            + _table_html(["figure", *matrix.columns, "moved most by"], rows, "ranking")
            + "<details><summary>Each figure and parameter in detail</summary>"
            + _table_html(["figure", "rank", "parameter", "lowest value", "highest value", "figure there (low)",
                           "figure at base", "figure there (high)", "swing", "swing / base", "runs"],
                          detail, "ranking-detail")
            + "</details>"
            + f"<h3>Tornado charts</h3><div class='charts tornadoes'>{''.join(tornadoes)}</div></section>")


def _figures_html(a, bands) -> str:
    if not a.figures or not a.params:
        return ""
    parts = ["<section id='figures'><h2>Each figure against the parameters</h2>"
             "<p class='note'>One chart per parameter, every finished run a point, coloured by the other "
             "parameters; a heatmap for each pair of parameters, the rest at their base values.</p>"]
    for f in a.figures:
        band = bands.get(f)
        note = (f"<p class='note band'>Published range: {_esc(format_number(band[0], a.unit(f)))} to "
                f"{_esc(format_number(band[1], a.unit(f)))} ({_esc(band[2])}).</p>" if band else "")
        charts = [_svg(figure_by_parameter(a, p, f, band=band)) for p in a.params]
        heat = [f"<div class='heatmap' data-figure='{_esc(f)}' data-x='{_esc(x)}' data-y='{_esc(y)}'>"
                f"{_svg(heatmap(a, f, x, y))}</div>" for x, y in itertools.combinations(a.params, 2)]
        parts.append(f"<h3 id='figure-{_esc(f)}'>{_esc(labelled(f, a.unit(f)))}</h3>{note}"
                     f"<div class='charts'>{''.join(charts)}{''.join(heat)}</div>")
    parts.append("</section>")
    return "".join(parts)


def _bands_html(a, bands) -> str:
    if not bands:
        return ""
    rows = []
    for figure, (low, high, label) in bands.items():
        column = f"figure.{figure}"
        unit = a.unit(figure)
        if column not in a.table.columns:
            rows.append(f"<tr><td>{_esc(figure)}</td>{_cell(low, unit)}{_cell(high, unit)}<td>{_esc(label)}</td>"
                        "<td colspan='3'>not a figure of this sweep</td></tr>")
            continue
        where = sensitivity.band_position(sensitivity.finished(a.table)[column], low, high)
        rows.append(f"<tr><td>{_esc(figure)}</td>{_cell(low, unit)}{_cell(high, unit)}<td>{_esc(label)}</td>"
                    f"{_cell(where['below'])}{_cell(where['inside'])}{_cell(where['above'])}</tr>")
    return ("<section id='bands'><h2>Published ranges</h2>"
            + _table_html(["figure", "low", "high", "source", "runs below", "runs inside", "runs above"], rows,
                          "bands") + "</section>")


def _shown_parameters(a) -> list[str]:
    # every parameter that differs between runs, failed ones included (a failing run may differ in a text one)
    return sensitivity.varying(a.table, "param.")


def _runs_html(a, links) -> str:
    table = a.table
    params = _shown_parameters(a)
    figures = [c.removeprefix("figure.") for c in table.columns if c.startswith("figure.")]
    header = ["run", "status", "duration (s)", *(labelled(p, a.unit(p)) for p in params),
              *(labelled(f, a.unit(f)) for f in figures)]
    rows = []
    for _, rec in table.iterrows():
        run = _esc(rec["run_id"])
        if rec["run_id"] in links:
            run = f"<a href='{links[rec['run_id']]}'>{run}</a>"
        cells = [f"<td><code>{run}</code></td>", f"<td>{_esc(rec['status'])}</td>", _cell(rec["duration_s"], "")]
        cells += [_cell(rec[f"param.{p}"], a.unit(p)) for p in params]
        cells += [_cell(rec[f"figure.{f}"], a.unit(f)) for f in figures]
        rows.append(f"<tr class='{_esc(rec['status'])}'>{''.join(cells)}</tr>")
    return "<section id='runs'><h2>Runs</h2>" + _table_html(header, rows, "runs") + "</section>"


def _failures_html(a, links) -> str:
    failed = sensitivity.failures(a.table)
    if failed.empty:
        return "<section id='failed'><h2>Failed runs</h2><p>None: every run finished.</p></section>"
    rows = []
    for _, rec in failed.iterrows():
        run = _esc(rec["run_id"])
        if rec["run_id"] in links:
            run = f"<a href='{links[rec['run_id']]}'>{run}</a> (output up to the failure)"
        given = ", ".join(f"{p} = {format_number(rec[f'param.{p}'], a.unit(p)) or repr('')}"
                          for p in _shown_parameters(a))
        cell = "" if _missing(rec["error_cell"]) else f"cell {int(rec['error_cell'])} of the output notebook"
        source = rec.get("error_source")
        if isinstance(source, str) and source:
            cell += f": <code>{_esc(source)}</code>"
        rows.append(f"<tr class='{_esc(rec['status'])}'><td><code>{run}</code></td><td>{_esc(rec['status'])}</td>"
                    f"<td>{_esc(given)}</td><td>{cell or 'the kernel'}</td>"
                    f"<td><pre>{_esc(rec['error'] if isinstance(rec['error'], str) else '')}</pre></td></tr>")
    return ("<section id='failed'><h2>Failed runs</h2><p class='note'>Not counted in the charts and the ranking. "
            "Run the same sweep again to retry them.</p>"
            + _table_html(["run", "status", "parameters", "failing cell", "message"], rows, "failed") + "</section>")


def _provenance_html(a) -> str:
    rows = []
    for field, values in sensitivity.provenance(a.table).items():
        shown = "<br>".join(f"<code>{_esc(v)}</code>" + (f" ({n} runs)" if len(values) > 1 else "")
                            for v, n in values)
        rows.append(f"<tr{' class=differs' if len(values) > 1 else ''}><th>{_esc(field)}</th><td>{shown}</td></tr>")
    differs = [f for f, v in sensitivity.provenance(a.table).items() if len(v) > 1]
    warning = (f"<p><strong>Not every run was made the same way:</strong> {_esc(', '.join(differs))} differ "
               "between runs.</p>" if differs else "<p class='note'>Every run was made the same way.</p>")
    return f"<section id='provenance'><h2>Provenance</h2>{warning}<table class='provenance'>{''.join(rows)}</table>" \
           "</section>"


# ---- charts (altair): they draw what sensitivity computed ---------------------------------------

def _svg(chart) -> str:
    from ..ui import to_svg

    return to_svg(chart)


def figure_by_parameter(analysis, parameter: str, figure: str, *, band: tuple | None = None):
    """One figure against one parameter, a point per finished run, the other varying parameters as colour.

    Runs that share the other parameters' values are joined by a line, so each
    colour is one slice of the sweep. ``band`` = ``(low, high, label)`` shades a
    published range.

    Parameters
    ----------
    analysis : Analysis or pandas.DataFrame
        From :func:`analyse` (or a registry, read with its own base values).
    """
    import altair as alt

    from ..ui import palette

    a = analysis if isinstance(analysis, sensitivity.Analysis) else sensitivity.analyse(analysis)
    ok = sensitivity.finished(a.table)
    others = [p for p in a.base if p != parameter]
    data = ok[[f"param.{parameter}", f"figure.{figure}"]].set_axis(["x", "y"], axis=1).astype(float)
    data["run_id"] = ok["run_id"].to_numpy()
    if others:
        labels = {", ".join(f"{p} = {format_number(row[f'param.{p}'], a.unit(p))}" for p in others):
                  tuple(_sort_key(row[f"param.{p}"]) for p in others) for _, row in ok.iterrows()}
        data["others"] = [", ".join(f"{p} = {format_number(row[f'param.{p}'], a.unit(p))}" for p in others)
                          for _, row in ok.iterrows()]
        order = sorted(labels, key=labels.get)
        # larger rings first: SVG paints in data order, so a small point must come after the big one it sits on
        data["ring"] = data["others"].map({label: i for i, label in enumerate(order)})
    data = data.sort_values(["x", "ring"] if others else ["x"])
    x_title, y_title = labelled(parameter, a.unit(parameter)), labelled(figure, a.unit(figure))
    enc = {"x": alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False), **_axis(a.unit(parameter))),
           "y": alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False), **_axis(a.unit(figure))),
           "tooltip": ["run_id:N", alt.Tooltip("x:Q", title=parameter), alt.Tooltip("y:Q", title=figure)]}
    if others:
        title = ", ".join(others) if len(others) > 1 else others[0]
        enc["color"] = alt.Color("others:N", title=title, sort=order,
                                 scale=alt.Scale(scheme="viridis") if len(order) > 2 else
                                 alt.Scale(range=[palette.BLUE, palette.AMBER]))
        enc["tooltip"].append(alt.Tooltip("others:N", title="others"))
        # runs of different colours often land on the same point (a parameter that does not move the figure):
        # the earlier colours are drawn larger, so coinciding points show as rings instead of hiding each other
        sizes = [40 + 200 * (len(order) - 1 - i) / max(len(order) - 1, 1) for i in range(len(order))]
        point_size = alt.Size("others:N", sort=order, scale=alt.Scale(domain=order, range=sizes), legend=None)
        widths = [1.2 + 3.5 * (len(order) - 1 - i) / max(len(order) - 1, 1) for i in range(len(order))]
        line_width = alt.StrokeWidth("others:N", sort=order, scale=alt.Scale(domain=order, range=widths),
                                     legend=None)
        lines = alt.Chart(data).mark_line(opacity=0.8).encode(
            **{k: v for k, v in enc.items() if k != "tooltip"}, strokeWidth=line_width)
        points = alt.Chart(data).mark_circle(opacity=1).encode(**enc, size=point_size)
        layers = [lines, points]
    else:
        layers = [alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(**enc)]
    if band:
        layers.insert(0, _band_layer(band, axis="y"))
    return alt.layer(*layers).properties(width=320, height=200, title=f"{figure} by {parameter}")


def _sort_key(value):
    return (0, float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else (1, str(value))


def _band_layer(band, axis: str):
    import altair as alt
    import pandas as pd

    from ..ui import palette

    low, high, label = band
    frame = pd.DataFrame({"low": [low], "high": [high], "source": [label]})
    enc = {axis: alt.X("low:Q") if axis == "x" else alt.Y("low:Q"), f"{axis}2": "high:Q",
           "tooltip": [alt.Tooltip("source:N", title="published range")]}
    return alt.Chart(frame).mark_rect(color=palette.GREEN, opacity=0.15).encode(**enc)


def heatmap(analysis, figure: str, x: str, y: str):
    """A figure over two parameters, the other parameters at their base values; each cell labelled with its value."""
    import altair as alt

    a = analysis if isinstance(analysis, sensitivity.Analysis) else sensitivity.analyse(analysis)
    cells = sensitivity.heatmap_table(a.table, x, y, figure, a.base)
    unit = a.unit(figure)
    cells["label"] = [format_number(v, unit) for v in cells["value"]]
    cells["x_label"] = [format_number(v, a.unit(x)) for v in cells["x"]]
    cells["y_label"] = [format_number(v, a.unit(y)) for v in cells["y"]]
    x_order = [format_number(v, a.unit(x)) for v in sorted(cells["x"].unique())]
    y_order = [format_number(v, a.unit(y)) for v in sorted(cells["y"].unique(), reverse=True)]
    base = alt.Chart(cells).encode(
        x=alt.X("x_label:O", title=labelled(x, a.unit(x)), sort=x_order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("y_label:O", title=labelled(y, a.unit(y)), sort=y_order),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("value:Q", title=labelled(figure, unit), scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="~%") if unit == "share" else alt.Legend()),
        tooltip=[alt.Tooltip("x_label:O", title=x), alt.Tooltip("y_label:O", title=y),
                 alt.Tooltip("label:N", title=figure), alt.Tooltip("runs:Q", title="runs")])
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition(alt.datum.value > (cells["value"].min() + cells["value"].max()) / 2,
                            alt.value("white"), alt.value("black")))
    cell = max(36, 7 * max(len(label) for label in cells["label"]) + 12)
    return (rect + text).properties(width=cell * max(len(x_order), 2), height=26 * max(len(y_order), 2),
                                    title=f"{figure}: {x} x {y}")


def tornado(analysis, figure: str, *, band: tuple | None = None):
    """A tornado chart of one figure: a bar per parameter over the figure's range as that parameter moves.

    The bars are sorted by swing, largest on top; a tick marks the figure at the
    parameter's lowest and highest swept value, the vertical rule the figure at
    the base values.
    """
    import altair as alt
    import pandas as pd

    from ..ui import palette

    a = analysis if isinstance(analysis, sensitivity.Analysis) else sensitivity.analyse(analysis)
    rows = a.ranking[(a.ranking["figure"] == figure) & a.ranking["swing"].notna()]
    unit = a.unit(figure)
    order = rows["parameter"].tolist()
    bars = rows[["parameter", "lowest", "highest", "swing"]].copy()
    bars["swing_label"] = [format_number(v, unit) for v in bars["swing"]]
    ends = pd.concat([
        rows[["parameter", "low", "at_low"]].set_axis(["parameter", "at", "value"], axis=1).assign(end="lowest value"),
        rows[["parameter", "high", "at_high"]].set_axis(["parameter", "at", "value"], axis=1).assign(
            end="highest value"),
    ])
    y = alt.Y("parameter:N", sort=order, title=None)
    title = labelled(figure, unit)
    layers = [
        alt.Chart(bars).mark_bar(color=palette.SLATE, height=16).encode(
            y=y, x=alt.X("lowest:Q", title=title, scale=alt.Scale(zero=False), **_axis(unit)), x2="highest:Q",
            tooltip=["parameter:N", alt.Tooltip("swing_label:N", title="swing")]),
        alt.Chart(ends).mark_tick(thickness=3, size=18).encode(
            y=y, x="value:Q",
            color=alt.Color("end:N", title="parameter at its",
                            scale=alt.Scale(domain=["lowest value", "highest value"],
                                            range=[palette.BLUE, palette.RED])),
            tooltip=["parameter:N", "end:N", alt.Tooltip("at:Q", title="parameter"), alt.Tooltip("value:Q")]),
    ]
    base_value = rows["at_base"].dropna()
    if len(base_value):
        layers.append(alt.Chart(pd.DataFrame({"base": [float(base_value.iloc[0])]}))
                      .mark_rule(color=palette.NAVY, strokeDash=[4, 3]).encode(x="base:Q"))
    if band:
        layers.insert(0, _band_layer(band, axis="x"))
    return alt.layer(*layers).properties(width=320, height=max(40, 28 * len(order)), title=f"{figure}: what moves it")


# ---- the comparison notebook --------------------------------------------------------------------

def _compare_notebook(path: Path, sweep_dir: Path, a, bands: dict) -> None:
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
        new_markdown_cell("The sensitivity reading: base values, and how far each figure moves over each "
                          "parameter's range with the others at their base values."),
        new_code_cell(f"analysis = report.analyse({str(sweep_dir)!r})\nanalysis.base"),
        new_code_cell("analysis.ranking"),
    ]
    band_arg = ", band=bands.get({f!r})"
    if bands:
        cells.append(new_code_cell(f"bands = {bands!r}"))
    for f in a.figures:
        extra = band_arg.format(f=f) if bands else ""
        cells.append(new_code_cell(f"report.tornado(analysis, {f!r}{extra})"))
        for p in a.params:
            cells.append(new_code_cell(f"report.figure_by_parameter(analysis, {p!r}, {f!r}{extra})"))
        for x, y in itertools.combinations(a.params, 2):
            cells.append(new_code_cell(f"report.heatmap(analysis, {f!r}, {x!r}, {y!r})"))
    nb.cells = cells
    nbformat.write(nb, path)
