"""Charts of the outcome offer types: margin ranges and risk split per pricing scheme, Level 4 economics.

Charts only encode columns the models computed (:mod:`b4b_kit.outcome_offer_types.pricing`,
:mod:`~b4b_kit.outcome_offer_types.level4`).

Examples
--------
>>> from b4b_kit.outcome_offer_types import pricing
>>> summary = pricing.summarize(pricing.simulate(pricing.DealAssumptions(), n=500))
>>> risk_split_bars(pricing.risk_split(summary)).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import AMBER, BLUE, RED, colour_scale

PARTY_COLOURS = {"supplier": RED, "customer": BLUE}
OFFER4_COLOURS = {"full automation": BLUE, "all-in bundle": AMBER}


def scheme_ranges(summary, measure: str = "margin", title: str | None = None) -> alt.Chart:
    """Mean (dot) and 5-95 % range (bar) of the supplier's margin or revenue NPV per pricing scheme.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`b4b_kit.outcome_offer_types.pricing.summarize`: ``name``, ``<measure>_mean``,
        ``<measure>_p5``, ``<measure>_p95``.
    measure : {"margin", "revenue"}
    """
    label = {"margin": "supplier margin", "revenue": "supplier revenue"}[measure]
    base = alt.Chart(summary, title=title or f"{label.capitalize()} NPV ($k): mean and 5-95 % range").encode(
        y=alt.Y("name:N", sort=None, title=None),
    )
    bars = base.mark_rule(size=10, opacity=0.45, color=BLUE).encode(
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
        From :func:`b4b_kit.outcome_offer_types.pricing.risk_split`: ``name``, ``party``, ``share``.
    """
    return (
        alt.Chart(split, title="Share of the outcome risk carried")
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=None, title=None),
            x=alt.X("share:Q", title="share of each $1 of gain shortfall", axis=alt.Axis(format="%")),
            color=alt.Color("party:N", title=None, sort=list(PARTY_COLOURS),
                            scale=colour_scale(PARTY_COLOURS),
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
        From :func:`b4b_kit.outcome_offer_types.pricing.histogram`: ``name``, ``bin_start``, ``bin_end``, ``share``.
    """
    return (
        alt.Chart(hist)
        .mark_bar(color=BLUE)
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
        From :func:`b4b_kit.outcome_offer_types.level4.margin_curve`: ``offer``, ``cost_to_serve``,
        ``expected_margin``, ``break_even_cost_to_serve``, ``own_cost_to_serve``,
        ``own_expected_margin`` (the diamond: where each offer actually stands).
    """
    colour = alt.Color("offer:N", title=None, scale=colour_scale(OFFER4_COLOURS),
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

