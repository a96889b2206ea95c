"""Charts of the sales motions: revenue and NRR of both motions, the seller's pay, level migrations, churn.

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

from ..ui.palette import AMBER, BLUE, GREY, RED, TEAL, colour_scale

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



CONTRACT_COLOURS = {"Month-to-month": RED, "One year": AMBER, "Two year": BLUE}


def _contract_colour(contracts) -> alt.Color:
    known = {c: CONTRACT_COLOURS.get(c, GREY) for c in contracts}
    return alt.Color("contract:N", title=None, legend=alt.Legend(orient="bottom"), scale=colour_scale(known))


def survival_curves(curves, title: str = "Still a customer after ... months (Kaplan-Meier)") -> alt.LayerChart:
    """One survival step curve per contract type, with its 95 % band.

    Parameters
    ----------
    curves : pandas.DataFrame
        From :func:`b4b_kit.sales_motions.churn.survival_by_contract`: ``contract``, ``time``,
        ``survival``, ``ci_low``, ``ci_high``, ``at_risk``.
    """
    colour = _contract_colour(list(dict.fromkeys(curves["contract"])))
    base = alt.Chart(curves, title=title).encode(
        x=alt.X("time:Q", title="months as a customer (tenure)"), color=colour)
    band = base.mark_area(opacity=0.2, interpolate="step-after").encode(
        y=alt.Y("ci_low:Q", title="share still a customer", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y2="ci_high:Q")
    line = base.mark_line(interpolate="step-after").encode(
        y="survival:Q",
        tooltip=["contract:N", "time:Q", alt.Tooltip("survival:Q", format=".1%"),
                 alt.Tooltip("at_risk:Q", title="customers at risk")])
    return (band + line).properties(width=420, height=260)


def churn_by_tenure_chart(table, title: str = "Share who left, by contract and tenure") -> alt.Chart:
    """Churn rate per tenure band, one bar per contract type.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`b4b_kit.sales_motions.churn.churn_by_tenure`: ``contract``, ``band``,
        ``customers``, ``churn_rate``.
    """
    bands = list(dict.fromkeys(table["band"]))
    contracts = list(dict.fromkeys(table["contract"]))
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(
            x=alt.X("band:N", title="tenure band (months)", sort=bands, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("contract:N", sort=contracts),
            y=alt.Y("churn_rate:Q", title="share who left", axis=alt.Axis(format="%")),
            color=_contract_colour(contracts),
            tooltip=["contract:N", "band:N", alt.Tooltip("churn_rate:Q", format=".1%"), "customers:Q"],
        )
        .properties(width=420, height=240)
    )
