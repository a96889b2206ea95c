"""Altair chart builders, and the switch that makes them render with no internet.

Charts only encode data that the models computed; they compute nothing.

Call :func:`enable_offline` once at the top of a notebook:

* ``"live"`` (default, lessons): every chart is drawn as SVG in the kernel;
  the explorers redraw theirs in place (:class:`b4b_kit.widgets.ChartView`).
  Your own ``alt.JupyterChart`` widgets also work offline: they get the
  JavaScript bundled from vl-convert, made once (about 2 s) and cached on disk
  per vl-convert version. The kit's own widgets do not use it: each live chart
  ships that 0.9 MB bundle to the browser, which made a Voila page slower to
  become interactive.
* ``"static"``: only SVG, for papermill reports and HTML exports that must
  show charts without any JavaScript.
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
    if mode not in ("live", "static"):
        raise ValueError(f"mode must be 'live' or 'static', not {mode!r}")
    alt.renderers.enable("svg")
    if mode == "static":
        return
    jc = alt.JupyterChart
    if not jc._is_offline:
        cached = _bundle_path()
        try:
            jc._esm = cached.read_text(encoding="utf-8")
            jc._is_offline = True
        except OSError:
            jc.enable_offline(True)
            _write_atomically(cached, jc._esm)


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
    # A text test, not alt.datum: expressions overload ==, so two such charts compare equal, and
    # anything that redraws only on a changed chart (alt.JupyterChart does) would miss the new year.
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


# --- Maturity and capability assessments (b4b_kit.maturity) and Channel 2.0 (b4b_kit.channel) ---

OVERALL_COLOUR = "#1f3b57"
PARETO_COLOURS = {"on the Pareto front": "#2b6ca3", "dominated": "#b8b8b8"}


def maturity_profile(levels, level_range: tuple[int, int], title: str = "Maturity by dimension") -> alt.Chart:
    """Level per dimension (and overall) as horizontal bars on the framework's level scale.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``dimension``, ``dimension_name`` and ``level``, e.g. from
        :meth:`b4b_kit.maturity.Maturity.to_frame`; with a ``series`` column
        (e.g. before / after) the bars of each dimension are grouped by it.
    level_range : (low, high)
        From :func:`b4b_kit.maturity.level_range`.
    """
    lo, hi = level_range
    grouped = "series" in levels.columns
    base = alt.Chart(levels, title=title).encode(
        y=alt.Y("dimension_name:N", sort=None, title=None),
        x=alt.X("level:Q", title="level", scale=alt.Scale(domain=[lo, hi]), axis=alt.Axis(tickMinStep=1)),
        tooltip=["dimension_name:N", alt.Tooltip("level:Q", format=".2f")] + (["series:N"] if grouped else []),
    )
    if grouped:
        bars = base.mark_bar().encode(yOffset=alt.YOffset("series:N", sort=None),
                                      color=alt.Color("series:N", sort=None, title=None,
                                                      legend=alt.Legend(orient="bottom")))
        text = base.mark_text(align="left", dx=3, fontSize=10).encode(
            yOffset=alt.YOffset("series:N", sort=None), text=alt.Text("level:Q", format=".2f"))
    else:
        bars = base.mark_bar().encode(color=alt.condition(alt.datum.dimension == "overall",
                                                          alt.value(OVERALL_COLOUR), alt.value("#6f9fca")))
        text = base.mark_text(align="left", dx=3).encode(text=alt.Text("level:Q", format=".2f"))
    return (bars + text).properties(width=380, height=alt.Step(24 if not grouped else 14))


def maturity_heatmap(heat, level_range: tuple[int, int], title: str = "Level per respondent and dimension") -> alt.Chart:
    """Respondents (or groups) x dimensions, coloured by level.

    Parameters
    ----------
    heat : pandas.DataFrame
        From :func:`b4b_kit.maturity.heatmap_table`.
    """
    lo, hi = level_range
    base = alt.Chart(heat, title=title).encode(
        x=alt.X("dimension_name:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("row:N", title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("level:Q", title="level", scale=alt.Scale(domain=[lo, hi], scheme="blues")),
        tooltip=["row:N", "dimension_name:N", alt.Tooltip("level:Q", format=".2f"), "respondents:Q"],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("level:Q", format=".1f"),
        color=alt.condition(f"datum.level > {lo + 0.6 * (hi - lo)}", alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(width=alt.Step(70), height=alt.Step(16))


def maturity_distribution(dist, title: str = "Respondents per level") -> alt.Chart:
    """Share of respondents at each level, one stacked bar per dimension.

    Parameters
    ----------
    dist : pandas.DataFrame
        From :func:`b4b_kit.maturity.distribution`.
    """
    return (
        alt.Chart(dist, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("dimension_name:N", sort=alt.SortField("order"), title=None),
            x=alt.X("share:Q", title="share of respondents", axis=alt.Axis(format="%"), stack="zero"),
            color=alt.Color("level:O", title="level", scale=alt.Scale(scheme="blues"),
                            legend=alt.Legend(orient="bottom", direction="horizontal")),
            order=alt.Order("level:Q"),
            tooltip=["dimension_name:N", "level:O", "respondents:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(width=380, height=alt.Step(22))
    )


def gap_bars(gaps, title: str = "Gaps to the target, by priority (importance x gap)") -> alt.Chart:
    """Criteria short of the target as bars of priority, highest on top.

    Parameters
    ----------
    gaps : pandas.DataFrame
        From :func:`b4b_kit.maturity.gaps` (pass ``gaps.head(n)`` to show the top n).
    """
    return (
        alt.Chart(gaps, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelLimit=280)),
            x=alt.X("priority:Q", title="priority"),
            color=alt.Color("group_name:N", title=None, legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=["name:N", "group_name:N", alt.Tooltip("score:Q", format=".2f"), "required:Q",
                     alt.Tooltip("gap:Q", format=".2f"), "importance:Q", alt.Tooltip("priority:Q", format=".2f")],
        )
        .properties(width=320, height=alt.Step(18))
    )


def diagnosis_bars(diagnosis, areas: list[str] | None = None, title: str = "Likely capability gaps") -> alt.Chart:
    """Capabilities the ticked symptoms point to, likeliest on top, coloured by area.

    Parameters
    ----------
    diagnosis : pandas.DataFrame
        From :func:`b4b_kit.channel.diagnose`.
    areas : list of str, optional
        All area names, so that each area keeps its colour whatever is ticked.
    """
    base = alt.Chart(diagnosis, title=title).encode(
        y=alt.Y("name:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("evidence:Q", title="evidence (symptom weight spread over its capabilities)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("area_name:N", title=None, legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=areas) if areas else alt.Undefined),
        tooltip=["name:N", "area_name:N", "symptoms:Q", alt.Tooltip("evidence:Q", format=".3f"),
                 alt.Tooltip("likelihood:Q", format=".0%"), "because:N"],
    )
    text = base.mark_text(align="left", dx=3).encode(text=alt.Text("symptoms:Q"))
    return (bars + text).properties(width=320, height=alt.Step(18))


def priority_chart(ranked, title: str = "Innovations: value against complexity") -> alt.HConcatChart:
    """The Pareto plot of step 6 beside the weighted ranking.

    Left: business value against implementation complexity, circle size for
    credibility, the Pareto front in colour, each point labelled with its rank.
    Right: the weighted score of each innovation.

    Parameters
    ----------
    ranked : pandas.DataFrame
        From :func:`b4b_kit.channel.pareto_points` (the output of
        :func:`~b4b_kit.channel.prioritise` with a ``status`` and ``slot``).
    """
    colour = alt.Color("status:N", title=None, scale=alt.Scale(domain=list(PARETO_COLOURS),
                                                               range=list(PARETO_COLOURS.values())),
                       legend=alt.Legend(orient="bottom"))
    tooltip = ["label:N", "business_value:Q", "implementation_complexity:Q", "delivery_credibility:Q",
               alt.Tooltip("score:Q", format=".3f"), "status:N"]
    base = alt.Chart(ranked, title=title).encode(
        x=alt.X("implementation_complexity:Q", title="implementation complexity (less is better)",
                scale=alt.Scale(domain=[0.5, 5.5])),
        y=alt.Y("business_value:Q", title="business value", scale=alt.Scale(domain=[0.5, 5.5])),
    )
    points = base.mark_circle(opacity=0.75, stroke="white").encode(
        color=colour, size=alt.Size("delivery_credibility:Q", title="credibility", scale=alt.Scale(domain=[1, 5],
                                                                                                 range=[60, 600])),
        order=alt.Order("pareto:N"),  # front drawn last, on top of dominated points at the same spot
        tooltip=tooltip)
    # rank numbers beside the points; innovations sharing a spot get their numbers side by side
    labels = base.transform_calculate(label_x="datum.implementation_complexity + 0.2 + 0.2 * datum.slot").mark_text(
        align="left", baseline="middle", fontSize=11, fontWeight="bold").encode(x="label_x:Q", text="rank:N")
    scatter = (points + labels).properties(width=320, height=300)
    bars = alt.Chart(ranked, title="Weighted score").mark_bar().encode(
        y=alt.Y("label:N", sort=alt.SortField("rank"), title=None),
        x=alt.X("score:Q", title="score (0-1)", scale=alt.Scale(domain=[0, 1])),
        color=colour, tooltip=tooltip,
    ).properties(width=220, height=alt.Step(20))
    return alt.hconcat(scatter, bars)


# --- consumption analytics (lesson 07, case customer_health) -----------------------------------------

HEALTH_COLOURS = {"expand_ready": "#2b6ca3", "on_track": "#59a14f", "behind": "#edae49",
                  "at_risk": "#d1495b", "churned": "#9d9d9d"}
FUNNEL_COLOURS = {"licensed (purchase)": "#9d9d9d", "deployed (deployment)": "#8e7cc3",
                  "active (consumption)": "#2b6ca3"}


def adoption_path_chart(comparison, title: str = "Customer (solid) against the best-practice path (dashed)") -> alt.Chart:
    """A customer's adoption rate and feature breadth (solid) against the path (dashed), by month since land.

    Parameters
    ----------
    comparison : pandas.DataFrame
        From :func:`b4b_kit.analytics.path_comparison`: ``months_since_land``,
        ``measure``, ``series``, ``value``.
    """
    return (
        alt.Chart(comparison, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("months_since_land:Q", title="months since land", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title="share", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("measure:N", title=None, scale=alt.Scale(domain=["adoption rate", "feature breadth"],
                                                                    range=["#2b6ca3", "#59a14f"]),
                            legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("series:N", title=None,
                                      scale=alt.Scale(domain=["customer", "best-practice path"],
                                                      range=[[1, 0], [5, 4]]),
                                      legend=None),  # said in the title: a dash legend draws no line here
            tooltip=["series:N", "measure:N", "months_since_land:Q", alt.Tooltip("value:Q", format=".0%")],
        )
        .properties(width=300, height=220)
    )


def seat_funnel_chart(funnel, title: str = "Seats: licensed, deployed, active") -> alt.Chart:
    """Seats licensed, deployed and active by month since land: purchase, deployment and consumption in one view.

    Parameters
    ----------
    funnel : pandas.DataFrame
        From :func:`b4b_kit.analytics.seat_funnel`: ``months_since_land``, ``measure``, ``seats``.
    """
    return (
        alt.Chart(funnel, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("months_since_land:Q", title="months since land", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("seats:Q", title="seats"),
            color=alt.Color("measure:N", title=None, scale=alt.Scale(domain=list(FUNNEL_COLOURS),
                                                                    range=list(FUNNEL_COLOURS.values())),
                            legend=alt.Legend(orient="bottom", columns=1)),
            tooltip=["measure:N", "months_since_land:Q", "seats:Q"],
        )
        .properties(width=260, height=220)
    )


def customer_health_chart(comparison, funnel, title: str = "") -> alt.HConcatChart:
    """The seat funnel next to adoption against the path: the customer-health dashboard's chart."""
    chart = alt.hconcat(seat_funnel_chart(funnel), adoption_path_chart(comparison)).resolve_scale(
        color="independent", strokeDash="independent")
    return chart.properties(title=title) if title else chart


def cohort_chart(curves, measure: str = "adoption_rate", title: str | None = None) -> alt.Chart:
    """One line per group: the median (or mean) of a measure by month since land.

    Parameters
    ----------
    curves : pandas.DataFrame
        From :func:`b4b_kit.analytics.cohort_curves`.
    measure : {"adoption_rate", "feature_breadth", "kpi_attainment"}
    """
    labels = {"adoption_rate": "active users per licensed seat", "feature_breadth": "share of features used",
              "kpi_attainment": "KPI attainment (share of target)"}
    if measure not in labels:
        raise ValueError(f"measure must be one of {', '.join(labels)}, not {measure!r}")
    return (
        alt.Chart(curves, title=title or labels[measure][0].upper() + labels[measure][1:])
        .mark_line(point=True)
        .encode(
            x=alt.X("months_since_land:Q", title="months since land", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(f"{measure}:Q", title=labels[measure], axis=alt.Axis(format="%")),
            color=alt.Color("group:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["group:N", "months_since_land:Q", alt.Tooltip(f"{measure}:Q", format=".0%"), "customers:Q"],
        )
        .properties(width=300, height=220)
    )


def health_map(assessed, title: str = "Customers in their latest month (size: contract value)") -> alt.Chart:
    """Each customer's adoption rate against its feature breadth, coloured by status and sized by contract value.

    Parameters
    ----------
    assessed : pandas.DataFrame
        From :func:`b4b_kit.analytics.assess_customers` (one row per customer).
    """
    data = assessed[["customer", "status", "months_since_land", "adoption_rate", "feature_breadth",
                     "contract_value_usd", "value_at_risk_usd"]].astype({"status": str})
    return (
        alt.Chart(data, title=title)
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("adoption_rate:Q", title="active users per licensed seat", axis=alt.Axis(format="%")),
            y=alt.Y("feature_breadth:Q", title="share of features used", axis=alt.Axis(format="%")),
            size=alt.Size("contract_value_usd:Q", title="contract ($/yr)", scale=alt.Scale(range=[30, 600])),
            color=alt.Color("status:N", title=None, scale=alt.Scale(domain=list(HEALTH_COLOURS),
                                                                   range=list(HEALTH_COLOURS.values()))),
            tooltip=["customer:N", "status:N", "months_since_land:Q",
                     alt.Tooltip("adoption_rate:Q", format=".0%"), alt.Tooltip("feature_breadth:Q", format=".0%"),
                     alt.Tooltip("contract_value_usd:Q", format="$,.0f"),
                     alt.Tooltip("value_at_risk_usd:Q", format="$,.0f")],
        )
        .properties(width=340, height=260)
    )


def peer_feature_chart(peers, title: str = "Share of healthy customers using each feature") -> alt.Chart:
    """Bars of how many healthy peers use each feature, in the order of the next-feature rule.

    Parameters
    ----------
    peers : pandas.DataFrame
        From :func:`b4b_kit.analytics.peer_feature_use`.
    """
    return (
        alt.Chart(peers, title=title)
        .mark_bar(color="#59a14f")
        .encode(
            y=alt.Y("feature:N", sort=None, title=None),
            x=alt.X("peer_share:Q", title="share of healthy peers", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            tooltip=["feature:N", "peers_using:Q", alt.Tooltip("peer_share:Q", format=".0%"), "peer_events:Q"],
        )
        .properties(width=300, height=alt.Step(16))
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
