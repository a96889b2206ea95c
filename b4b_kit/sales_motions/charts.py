"""Charts of the sales motions: revenue and NRR of both motions, the seller's pay, level migrations.

Charts only encode columns the models computed (:mod:`b4b_kit.sales_motions.motions`,
:mod:`~b4b_kit.sales_motions.compensation`, :mod:`~b4b_kit.sales_motions.migrations`).

Examples
--------
>>> from b4b_kit.sales_motions import motions
>>> motion_comparison(motions.compare_motions(customers=50, years=3)).to_dict()["hconcat"][0]["mark"]["type"]
'line'
"""

from __future__ import annotations

import altair as alt

from ..ui.palette import AMBER, BLUE, GREY, TEAL, colour_scale

MOTION_COLOURS = {"New + Renew": GREY, "Land + Expand": BLUE}
PLAN_COLOURS = {"Committed bookings only": GREY, "Revenue-timed": BLUE,
                "Hybrid: bookings + breadth": TEAL, "Pro forma bookings (rejected)": AMBER}
SUPPLIER_LEVEL_COLOURS = {"1 Basic Offer": "#c6dbef", "2 Complex Offer": "#6baed6",
                          "3 Optimize Offer": "#2171b5", "4 Outcome Offer": "#08306b"}


def _motion_colour() -> alt.Color:
    return alt.Color("motion:N", title=None, legend=alt.Legend(orient="bottom"),
                     scale=colour_scale(MOTION_COLOURS))


def motion_revenue(table, title: str = "Revenue per customer won ($M)") -> alt.Chart:
    """Revenue per customer won, per year and motion.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.sales_motions.motions.compare_motions` (or ``yearly``): ``motion``,
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
        From :func:`b4b_kit.sales_motions.motions.compare_motions`: ``motion``, ``year``, ``nrr``.
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
    """Pay per year, one bar per plan, from :func:`b4b_kit.sales_motions.compensation.pay_by_year`."""
    return (
        alt.Chart(by_year, title=title)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="year (0 = deal signed)", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("plan_name:N", sort=list(PLAN_COLOURS)),
            y=alt.Y("pay:Q", title="pay ($M)"),
            color=alt.Color("plan_name:N", title=None, legend=alt.Legend(orient="bottom", columns=2),
                            scale=colour_scale(PLAN_COLOURS)),
            tooltip=["plan_name:N", "year:O", alt.Tooltip("pay:Q", format=".3f"),
                     alt.Tooltip("paid_share:Q", title="paid by then", format=".0%")],
        )
        .properties(width=420, height=220)
    )


def level_shares(path, title: str = "Share of product-markets per level") -> alt.Chart:
    """Stacked shares of product-markets per supplier level over the years.

    Parameters
    ----------
    path : pandas.DataFrame
        From :func:`b4b_kit.sales_motions.migrations.share_path` or ``simulate_suppliers``:
        ``year``, ``level``, ``level_name``, ``share``.
    """
    return (
        alt.Chart(path, title=title)
        .mark_area()
        .encode(
            x=alt.X("year:Q", title="year", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("share:Q", title="share of product-markets", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("level_name:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=colour_scale(SUPPLIER_LEVEL_COLOURS)),
            order=alt.Order("level:Q"),  # level 1 at the bottom
            tooltip=["year:Q", "level_name:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=420, height=240)
    )

