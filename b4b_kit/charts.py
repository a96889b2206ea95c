"""Altair chart builders, and the switch that makes them render with no internet.

Charts only encode data that the models computed; they compute nothing.

Call :func:`enable_offline` once at the top of a notebook:

* ``"live"`` (default): altair's ``jupyter`` renderer with the JavaScript
  bundled from vl-convert, so charts are widgets that can be updated in place
  (JupyterLab, Voila). The bundle takes about 2 s to make, so it is cached on
  disk per vl-convert version and reused by every later kernel.
* ``"static"``: SVG made by vl-convert in the kernel, for papermill reports and
  HTML exports that must show charts without any JavaScript.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import altair as alt

from .assess import MISMATCHES

LEVEL_COLOURS = {"offered": "#2b6ca3", "needed, not offered": "#d1495b",
                 "promised, not delivered": "#edae49", "not needed": "#d9d9d9"}
MISMATCH_COLOURS = {"over_promised": "#edae49", "under_served": "#d1495b",
                    "over_served": "#8e7cc3", "matched": "#2b6ca3"}

_CACHE = Path(os.environ.get("B4B_CACHE", Path.home() / ".cache" / "b4b-kit"))


def _bundle_path() -> Path:
    import vl_convert as vlc

    return _CACHE / f"jupyterchart-offline-{vlc.__version__}-altair-{alt.__version__}.js"


def enable_offline(mode: str = "live") -> None:
    """Render altair charts with no internet access.

    Parameters
    ----------
    mode : {"live", "static"}
        ``"live"`` for updatable chart widgets, ``"static"`` for SVG images.
    """
    if mode == "static":
        alt.renderers.enable("svg")
        return
    if mode != "live":
        raise ValueError(f"mode must be 'live' or 'static', not {mode!r}")
    jc = alt.JupyterChart
    if not jc._is_offline:
        cached = _bundle_path()
        try:
            jc._esm = cached.read_text(encoding="utf-8")
            jc._is_offline = True
        except OSError:
            jc.enable_offline(True)
            _write_atomically(cached, jc._esm)
    alt.renderers.enable("jupyter", offline=True)


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the 2 s bundle next time


def staircase(ladder, title: str = "Supplier levels") -> alt.Chart:
    """The four supplier levels as a staircase, coloured by what is needed and offered.

    Parameters
    ----------
    ladder : pandas.DataFrame
        From :func:`b4b_kit.assess.ladder`: one row per level with ``number``,
        ``name``, ``status`` and ``marker``.
    """
    base = alt.Chart(ladder, title=title).encode(
        x=alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
    )
    bars = base.mark_bar(size=70).encode(
        y=alt.Y("number:Q", title="level", scale=alt.Scale(domain=[0, 4.6]), axis=alt.Axis(tickCount=4)),
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=list(LEVEL_COLOURS), range=list(LEVEL_COLOURS.values())),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["name:N", "status:N", "elements:N"],
    )
    marks = base.mark_text(dy=-10, fontWeight="bold").encode(y="number:Q", text="marker:N")
    return (bars + marks).properties(width=420, height=240)


def portfolio_map(table) -> alt.Chart:
    """Required against offered level for each product-market, sized by revenue.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.assess.portfolio_summary`.
    """
    return (
        alt.Chart(table, title="Required vs offered level (size: revenue)")
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X("required_level:O", title="required level", scale=alt.Scale(domain=[1, 2, 3, 4])),
            y=alt.Y("offered_level:O", title="offered level", sort="descending",
                    scale=alt.Scale(domain=[0, 1, 2, 3, 4])),
            size=alt.Size("revenue_musd:Q", title="revenue ($M)", scale=alt.Scale(range=[80, 1800])),
            color=alt.Color("mismatch:N", title=None,
                            scale=alt.Scale(domain=list(MISMATCHES), range=[MISMATCH_COLOURS[m] for m in MISMATCHES])),
            tooltip=["required_level:O", "offered_level:O", "mismatch:N", "product_markets:Q",
                     alt.Tooltip("revenue_musd:Q", format=".1f")],
        )
        .properties(width=300, height=260)
    )


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string, made offline by vl-convert."""
    import io

    buffer = io.StringIO()
    chart.save(buffer, format="svg")
    return buffer.getvalue()


# --- Lesson 06, sales motions: New + Renew vs Land + Expand, pay plans, level migrations ---------

MOTION_COLOURS = {"New + Renew": "#8c8c8c", "Land + Expand": "#2b6ca3"}
PLAN_COLOURS = {"Committed bookings only": "#8c8c8c", "Revenue-timed": "#2b6ca3",
                "Hybrid: bookings + breadth": "#2a9d8f", "Pro forma bookings (rejected)": "#edae49"}
SUPPLIER_LEVEL_COLOURS = {"1 Basic Offer": "#c6dbef", "2 Complex Offer": "#6baed6",
                          "3 Optimize Offer": "#2171b5", "4 Outcome Offer": "#08306b"}


def _motion_colour() -> alt.Color:
    return alt.Color("motion:N", title=None, legend=alt.Legend(orient="bottom"),
                     scale=alt.Scale(domain=list(MOTION_COLOURS), range=list(MOTION_COLOURS.values())))


def motion_revenue(table, title: str = "Revenue per customer won ($M)") -> alt.Chart:
    """Revenue per customer won, per year and motion.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.economics.motions.compare` (or ``yearly``): ``motion``,
        ``year``, ``revenue_per_customer``.
    """
    return (
        alt.Chart(table, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="year (0 = deal won)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("revenue_per_customer:Q", title="$M per customer won"),
            color=_motion_colour(),
            tooltip=["motion:N", "year:O", alt.Tooltip("revenue_per_customer:Q", format=".3f"),
                     alt.Tooltip("customers:Q", title="customers paying")],
        )
        .properties(width=320, height=220)
    )


def motion_nrr(table, title: str = "Net revenue retention") -> alt.LayerChart:
    """Net revenue retention per year and motion, with the line at 100 % (year 0 has none).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.economics.motions.compare`: ``motion``, ``year``, ``nrr``.
    """
    lines = (
        alt.Chart(table, title=title)
        .transform_filter("isValid(datum.nrr) && isFinite(datum.nrr)")
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="year (0 = deal won)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("nrr:Q", title="NRR (this year / last year)", axis=alt.Axis(format="%")),
            color=_motion_colour(),
            tooltip=["motion:N", "year:O", alt.Tooltip("nrr:Q", format=".1%")],
        )
    )
    par = alt.Chart(table).mark_rule(strokeDash=[4, 4], color="#555").encode(y=alt.datum(1.0))
    return (lines + par).properties(width=320, height=220)


def motion_comparison(table) -> alt.HConcatChart:
    """Revenue and NRR side by side for both motions (one chart, for one widget)."""
    return alt.hconcat(motion_revenue(table), motion_nrr(table))


def pay_timing(by_year, title: str = "The seller's pay per year, by plan ($M)") -> alt.Chart:
    """Pay per year, one bar per plan, from :func:`b4b_kit.economics.compensation.pay_by_year`."""
    return (
        alt.Chart(by_year, title=title)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="year (0 = deal signed)", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("plan_name:N", sort=list(PLAN_COLOURS)),
            y=alt.Y("pay:Q", title="pay ($M)"),
            color=alt.Color("plan_name:N", title=None, legend=alt.Legend(orient="bottom", columns=2),
                            scale=alt.Scale(domain=list(PLAN_COLOURS), range=list(PLAN_COLOURS.values()))),
            tooltip=["plan_name:N", "year:O", alt.Tooltip("pay:Q", format=".3f"),
                     alt.Tooltip("paid_share:Q", title="paid by then", format=".0%")],
        )
        .properties(width=420, height=220)
    )


def level_shares(path, title: str = "Share of suppliers per level") -> alt.Chart:
    """Stacked shares of suppliers per level over the years.

    Parameters
    ----------
    path : pandas.DataFrame
        From :func:`b4b_kit.economics.migrations.share_path` or ``simulate_suppliers``:
        ``year``, ``level``, ``level_name``, ``share``.
    """
    return (
        alt.Chart(path, title=title)
        .mark_area()
        .encode(
            x=alt.X("year:Q", title="year", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("share:Q", title="share of suppliers", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("level_name:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=list(SUPPLIER_LEVEL_COLOURS),
                                            range=list(SUPPLIER_LEVEL_COLOURS.values()))),
            order=alt.Order("level:Q"),  # level 1 at the bottom
            tooltip=["year:Q", "level_name:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=420, height=240)
    )


# ---- Outcome offer types (framework 2): pricing schemes and Level 4 economics ----------------

PARTY_COLOURS = {"supplier": "#d1495b", "customer": "#2b6ca3"}
OFFER4_COLOURS = {"full automation": "#2b6ca3", "all-in bundle": "#edae49"}


def scheme_ranges(summary, measure: str = "margin", title: str | None = None) -> alt.Chart:
    """Mean (dot) and 5-95 % range (bar) of the supplier's margin or revenue NPV per pricing scheme.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`b4b_kit.economics.pricing.summarize`: ``name``, ``<measure>_mean``,
        ``<measure>_p5``, ``<measure>_p95``.
    measure : {"margin", "revenue"}
    """
    label = {"margin": "supplier margin", "revenue": "supplier revenue"}[measure]
    base = alt.Chart(summary, title=title or f"{label.capitalize()} NPV ($k): mean and 5-95 % range").encode(
        y=alt.Y("name:N", sort=None, title=None),
    )
    bars = base.mark_rule(size=10, opacity=0.45, color="#2b6ca3").encode(
        x=alt.X(f"{measure}_p5:Q", title=f"{label}, NPV $k"), x2=f"{measure}_p95:Q")
    dots = base.mark_point(filled=True, size=90, color="#1b3a5c").encode(
        x=f"{measure}_mean:Q",
        tooltip=["name:N", alt.Tooltip(f"{measure}_mean:Q", format=",.0f", title="mean"),
                 alt.Tooltip(f"{measure}_p5:Q", format=",.0f", title="5 %"),
                 alt.Tooltip(f"{measure}_p95:Q", format=",.0f", title="95 %")])
    zero = alt.Chart(summary).mark_rule(color="#888", strokeDash=[4, 3]).encode(x=alt.datum(0))
    return (bars + dots + zero).properties(width=380, height=170)


def risk_split_bars(split) -> alt.Chart:
    """Who carries the outcome risk under each scheme: supplier and customer shares, stacked.

    Parameters
    ----------
    split : pandas.DataFrame
        From :func:`b4b_kit.economics.pricing.risk_split`: ``name``, ``party``, ``share``.
    """
    return (
        alt.Chart(split, title="Share of the outcome risk carried")
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=None, title=None),
            x=alt.X("share:Q", title="share of each $1 of gain shortfall", axis=alt.Axis(format="%")),
            color=alt.Color("party:N", title=None, sort=list(PARTY_COLOURS),
                            scale=alt.Scale(domain=list(PARTY_COLOURS), range=list(PARTY_COLOURS.values())),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("party:N", sort="descending"),  # supplier first, from the left
            tooltip=["name:N", "party:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=380, height=170)
    )


def scheme_histogram(hist, title: str = "Supplier margin NPV ($k) across scenarios") -> alt.FacetChart:
    """The distribution of a measure per scheme, one small panel each (bins already counted).

    Parameters
    ----------
    hist : pandas.DataFrame
        From :func:`b4b_kit.economics.pricing.histogram`: ``name``, ``bin_start``, ``bin_end``, ``share``.
    """
    return (
        alt.Chart(hist)
        .mark_bar(color="#2b6ca3")
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title=None), x2="bin_end:Q",
            y=alt.Y("share:Q", title="share", axis=alt.Axis(format="%")),
            tooltip=["name:N", alt.Tooltip("bin_start:Q", format=",.0f"), alt.Tooltip("bin_end:Q", format=",.0f"),
                     alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=380, height=60)
        .facet(row=alt.Row("name:N", sort=None, title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
               title=title)
    )


def level4_margins(curve) -> alt.LayerChart:
    """Expected margin per customer-year of each Level 4 offer as its incremental cost to serve grows.

    Parameters
    ----------
    curve : pandas.DataFrame
        From :func:`b4b_kit.economics.level4.margin_curve`: ``offer``, ``cost_to_serve``,
        ``expected_margin``, ``break_even_cost_to_serve``, ``own_cost_to_serve``,
        ``own_expected_margin`` (the diamond: where each offer actually stands).
    """
    colour = alt.Color("offer:N", title=None, scale=alt.Scale(domain=list(OFFER4_COLOURS),
                                                              range=list(OFFER4_COLOURS.values())),
                       legend=alt.Legend(orient="bottom"))
    lines = alt.Chart(curve, title="Level 4: expected margin as the cost to serve grows").mark_line().encode(
        x=alt.X("cost_to_serve:Q", title="incremental cost to serve, $k per customer-year"),
        y=alt.Y("expected_margin:Q", title="expected margin, $k per customer-year"),
        color=colour,
        tooltip=["offer:N", alt.Tooltip("cost_to_serve:Q", format=",.0f"),
                 alt.Tooltip("expected_margin:Q", format=",.1f")],
    )
    zero = alt.Chart(curve).mark_rule(color="#888").encode(y=alt.datum(0))
    breaks = alt.Chart(curve).mark_rule(strokeDash=[4, 3]).encode(
        x="break_even_cost_to_serve:Q", color=colour,
        tooltip=["offer:N", alt.Tooltip("break_even_cost_to_serve:Q", format=",.1f", title="break-even")])
    own = alt.Chart(curve).mark_point(filled=True, size=110, shape="diamond").encode(
        x="own_cost_to_serve:Q", y="own_expected_margin:Q", color=colour,
        tooltip=["offer:N", alt.Tooltip("own_cost_to_serve:Q", format=",.0f", title="its cost to serve"),
                 alt.Tooltip("own_expected_margin:Q", format=",.1f", title="its expected margin")])
    return (lines + zero + breaks + own).properties(width=420, height=240)


# ---- Services portfolio (framework 3): services mix and classification scores ----------------

SERVICE_COLOURS = {
    "traditional_services": "#9aa5b1", "optimize_services": "#2e8b57", "outcome_services": "#edae49",
    "support_services": "#c7d0d9", "education_services": "#aab7c4", "professional_services": "#8d9db0",
    "field_services": "#71849b", "managed_services": "#566b86", "operational_services": "#2e8b57",
    "adoption_services": "#8fd18f", "outcome_as_a_service": "#edae49", "uncertain": "#d1495b",
}
SCORE_STATUS_COLOURS = {"chosen": "#2e8b57", "tied": "#edae49", "matched": "#9aa5b1", "none": "#e6e6e6"}


def service_mix(mix, highlight_year: int | None = None,
                title: str = "Services mix: share of service revenue by year") -> alt.Chart:
    """Stacked shares of revenue per year, traditional lines at the bottom, new services above.

    Parameters
    ----------
    mix : pandas.DataFrame
        From :func:`b4b_kit.services.mix`: ``year``, ``group``, ``name``, ``order``,
        ``revenue_musd``, ``share``.
    highlight_year : int, optional
        Draw this year's bar solid and the others faded.
    """
    legend = mix.drop_duplicates("group").sort_values("order")
    colours = [SERVICE_COLOURS.get(g, "#888888") for g in legend["group"]]
    # A text test, not alt.datum: expressions overload ==, so two charts would compare equal and a
    # JupyterChart would not redraw when only the highlighted year changes.
    opacity = (alt.value(1.0) if highlight_year is None
               else alt.condition(f"datum.year === {int(highlight_year)}", alt.value(1.0), alt.value(0.35)))
    return (
        alt.Chart(mix, title=title)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", title="share of service revenue", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("name:N", title=None, scale=alt.Scale(domain=legend["name"].tolist(), range=colours),
                            legend=alt.Legend(orient="bottom", columns=3)),
            order=alt.Order("order:Q", sort="ascending"),
            opacity=opacity,
            tooltip=["year:O", "name:N", alt.Tooltip("revenue_musd:Q", format=".2f", title="revenue ($M)"),
                     alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=460, height=260)
    )


def service_scores(table, max_signals: int | None = None,
                   title: str = "Signals matched per category") -> alt.Chart:
    """One bar per category: how many of the service's attributes match its signals.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.services.scores`: ``order``, ``name``, ``signals_matched``,
        ``matched``, ``status``.
    max_signals : int, optional
        Fix the axis at 0..max_signals (the number of signalled attributes).
    """
    scale = alt.Scale(domain=[0, max_signals]) if max_signals else alt.Scale()
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=alt.EncodingSortField(field="order", op="min")),
            x=alt.X("signals_matched:Q", title="signals matched", scale=scale, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", title=None,
                            scale=alt.Scale(domain=list(SCORE_STATUS_COLOURS),
                                            range=list(SCORE_STATUS_COLOURS.values())),
                            legend=alt.Legend(orient="bottom")),
            tooltip=["name:N", "portfolio:N", "signals_matched:Q", "matched:N", "status:N"],
        )
        .properties(width=300, height=200)
    )


def figure_by_parameter(table, parameter: str, figure: str) -> alt.Chart:
    """One key figure of a sweep against one parameter, a point per run (from the results registry).

    Parameters
    ----------
    table : pandas.DataFrame
        The registry (``b4b_kit.sweep.results``), with ``param.<name>`` and ``figure.<name>`` columns.
    """
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
